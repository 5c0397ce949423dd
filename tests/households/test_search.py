"""``Household.objects.search``: what a typed text finds, the same on SQLite and on PostgreSQL (where an index finds
it)."""

import pytest
from django.db import connection

from households.models import Household
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def found(text):
    return sorted(Household.objects.search(text).values_list("head_name", flat=True))


@pytest.fixture
def people(ward_a):
    make_household(ward_a, "Nguyễn Văn An", address="12 Trần Hưng Đạo")
    make_household(ward_a, "Lê Nguyễn Văn Anh", address="5 An Dương Vương")
    make_household(ward_a, "Phạm Thị Đào", address="7 Nguyễn Trãi")


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("nguyen van an", ["Lê Nguyễn Văn Anh", "Nguyễn Văn An"]),
        ("Nguyễn Văn An", ["Lê Nguyễn Văn Anh", "Nguyễn Văn An"]),
        ("van an", ["Lê Nguyễn Văn Anh", "Nguyễn Văn An"]),
        ("nguyen van anh", ["Lê Nguyễn Văn Anh"]),
        ("an", ["Lê Nguyễn Văn Anh", "Nguyễn Văn An"]),
        ("dao", ["Nguyễn Văn An", "Phạm Thị Đào"]),
        ("tran hung", ["Nguyễn Văn An"]),
        ("nguyen", ["Lê Nguyễn Văn Anh", "Nguyễn Văn An", "Phạm Thị Đào"]),
    ],
)
def test_a_name_or_address_is_found_from_the_start_of_any_of_its_words(people, typed, names):
    assert found(typed) == names


@pytest.mark.parametrize("typed", ["guyen", "an 12", "van anh 5", "ao", "nguyen  van  ann"])
def test_text_inside_a_word_or_across_name_and_address_finds_nothing(people, typed):
    assert found(typed) == []


@pytest.mark.parametrize(
    ("address", "typed", "decoy"),
    [
        ("Hẻm O'Neil", "o'neil", "Hẻm Oneil"),
        ("Kho A\\B", "a\\b", "Kho AB"),
        ("Lô 50% đất", "50%", "Lô 500 đất"),
        ("Khu A_B", "a_b", "Khu AXB"),
        ("Tổ x:y", "x:y", "Tổ xy"),
        ("Khu A & B", "a & b", "Khu A B"),
        ("Ngõ (*)!|", "(*)!|", "Ngõ ()"),
    ],
)
def test_characters_that_mean_something_to_sql_or_a_text_search_are_matched_as_typed(ward_a, address, typed, decoy):
    make_household(ward_a, "Hộ Thật", address=address)
    make_household(ward_a, "Hộ Giống", address=decoy)
    assert found(typed) == ["Hộ Thật"]


def test_text_that_folds_to_nothing_finds_everyone(people):
    assert len(found("\u0301")) == 3 and len(found("   ")) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search index is PostgreSQL's")
def test_postgresql_finds_a_name_through_the_search_words_index(people):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Household.objects.order_by().search("nguyen van an").values("pk").explain()
    assert "household_search_words_gin" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the operator classes are PostgreSQL's")
@pytest.mark.parametrize(
    ("field", "lookup", "value"),
    [
        ("national_id", "startswith", "0790"),  # the search, typed in part
        ("national_id", "in", ["079081000123", "079081000124"]),  # the duplicate checks
        ("phone", "startswith", "0912"),
        ("phone", "exact", "0912345678"),
    ],
)
def test_postgresql_finds_a_number_in_part_or_whole_through_its_one_index(people, field, lookup, value):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    plan = Household.objects.order_by().filter(**{f"{field}__{lookup}": value}).values("pk").explain()
    # The whole name: the two indexes it replaced, "households_household_national_id_…", contain it.
    assert f"using household_{field} on households_household" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="db_index makes a second index on PostgreSQL only")
def test_each_number_and_the_ward_cost_an_import_one_index_write_on_the_register_and_none_on_its_history():
    def single_column_indexes(model):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
        return sorted(
            about["columns"][0]
            for about in constraints.values()
            if about["index"] and not about["primary_key"] and len(about["columns"]) == 1
        )

    register = single_column_indexes(Household)
    assert register.count("national_id") == 1 and register.count("phone") == 1 and "ward_id" not in register
    history = single_column_indexes(Household.history.model)
    assert "national_id" not in history and "phone" not in history
