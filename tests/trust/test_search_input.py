"""A NUL byte or a zero-width character in any search box is cleaned away, never a server error.

PostgreSQL refuses a NUL byte inside text, so a query string holding ``%00`` that reached the database was a 500.
Every GET parameter a search page reads is listed here, for each persona who may open the page.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from donations.models import Donation, Donor
from households.models import Household
from tests.conftest import make_household

pytestmark = pytest.mark.django_db

NUL = "\x00"

# (persona, URL name, parameter, a query the page's own records answer)
SEARCHES = [
    ("A", "ward:households", "q", "Nguyễn"),
    ("A", "ward:queue", "q", "Nguyễn"),
    ("A", "ward:signature_list", "served", "no"),
    ("A", "ward:requests", "status", "waiting"),
    ("S", "district:households", "q", "Nguyễn"),
    ("S", "district:requests", "status", "waiting"),
    ("S", "district:requests", "page", "1"),
    ("S", "money:donation_list", "q", "Trần"),
    ("S", "money:donor_list", "q", "Trần"),
    ("S", "money:donor_search", "donor_query", "Trần"),
    ("S", "money:donor_search", "q", "Trần"),
    ("S", "money:donation_new", "donor", "1"),
    ("L", "leaders:dashboard", "campaign", "1"),
    ("L", "leaders:report", "sort", "ward"),
]


def poisoned(text):
    """``text`` with a NUL byte in the middle and around it, as an attacker's query string carries it."""
    middle = len(text) // 2
    return f"{NUL}{text[:middle]}{NUL}{text[middle:]}{NUL}"


@pytest.mark.parametrize(("persona", "name", "parameter", "text"), SEARCHES)
def test_a_nul_byte_in_a_search_parameter_is_never_a_server_error(personas, world, persona, name, parameter, text):
    client = personas[persona]
    for value in (NUL, poisoned(text), f"{text}\u200b"):
        response = client.get(reverse(name), {parameter: value})
        assert response.status_code < 500, (name, parameter, repr(value))


@pytest.mark.parametrize(
    ("persona", "name"), [("A", "ward:households"), ("A", "ward:queue"), ("S", "district:households")]
)
def test_a_household_search_with_a_nul_byte_finds_what_it_finds_without_it(personas, world, persona, name):
    client = personas[persona]
    household = world["household"]
    other = make_household(household.ward, "Phạm Thị Dung", address="5 Nguyễn Trãi")
    word = household.head_name.split()[-1]
    clean = client.get(reverse(name), {"q": word})
    dirty = client.get(reverse(name), {"q": poisoned(word) + "\u200b"})
    assert dirty.status_code == clean.status_code == 200
    assert household.head_name in clean.text and household.head_name in dirty.text
    assert other.head_name not in clean.text and other.head_name not in dirty.text


def test_a_donor_search_with_a_nul_byte_finds_what_it_finds_without_it(personas, world):
    donor = world["donor"]
    Donor.objects.create(name="Phạm Văn Khác", district=donor.district)
    word = donor.name.split()[-1]
    for parameter, name in (("q", "money:donor_list"), ("donor_query", "money:donor_search")):
        response = personas["S"].get(reverse(name), {parameter: poisoned(word)})
        assert response.status_code == 200 and donor.name in response.text
        assert "Phạm Văn Khác" not in response.text


@pytest.mark.parametrize("model", [Household, Donor, Donation])
@pytest.mark.parametrize("persona", ["S", "X"])
def test_a_nul_byte_in_the_admins_search_is_never_a_server_error(personas, world, model, persona):
    if not admin.site.is_registered(model):
        pytest.skip("not in the admin")
    opts = model._meta
    response = personas[persona].get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": poisoned("An")}
    )
    assert response.status_code < 500
