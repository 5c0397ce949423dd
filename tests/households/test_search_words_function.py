"""``household_search_words``, the function behind the generated search column on PostgreSQL: migration 0008
rewrote it as a loop, and a stored column is only right if the loop gives what the first version (0005) gave."""

import importlib

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generated search column is PostgreSQL's"),
]

FIRST_VERSION = importlib.import_module("households.migrations.0005_household_search_words").FUNCTION

AWKWARD = [
    ("nguyen van an", "12 tran hung dao"),
    ("", ""),
    ("  nguyen   van  ", " 5  an duong vuong "),
    ("an", ""),
    ("", "an"),
    ("nguyen nguyen nguyen", "nguyen"),
    ("o'neil", "a:b & c | !d"),
    (None, "x"),
    ("x", None),
]


@pytest.fixture
def first_version():
    """The 0005 function under another name, in this test's transaction only."""
    with connection.cursor() as cursor:
        cursor.execute(FIRST_VERSION.replace("FUNCTION household_search_words(", "FUNCTION pg_temp.first_words("))
    return "pg_temp.first_words"


def both(first_version, name_key, address_key):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT household_search_words(%s, %s)::text, {first_version}(%s, %s)::text",
            [name_key, address_key, name_key, address_key],
        )
        return cursor.fetchone()


@pytest.mark.parametrize(("name_key", "address_key"), AWKWARD)
def test_the_search_words_are_those_the_first_version_gave(first_version, name_key, address_key):
    now, first = both(first_version, name_key, address_key)
    assert now == first


def test_a_name_gives_every_word_suffix(first_version):
    assert both(first_version, "nguyen van an", "")[0] == "'an' 'nguyen van an' 'van an'"


# The fixture only creates a function: nothing in it needs resetting between examples.
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name_key=st.text(alphabet="ab :'&", max_size=20),
    address_key=st.text(alphabet="ab0 ", max_size=20),
)
def test_any_folded_text_gives_the_same_words_as_the_first_version(first_version, name_key, address_key):
    now, first = both(first_version, name_key, address_key)
    assert now == first
