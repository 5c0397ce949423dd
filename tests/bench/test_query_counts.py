"""Pages the city benchmark counts queries for, and which no other test held to a count: each takes as many
queries with many households, hand-outs and wards as with a handful. A count that grows has a query in a loop."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.hand_outs import distribution_record
from relief.models import Ward
from relief.services import allocation_create
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def _count(client, url, params=None):
    client.get(url, params or {})  # the first request may write the session; count the second
    cache.clear()  # with its charts' figures read, as when the kept drawings are older than their bound
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.fixture
def grow(stocked, district, ward_a, officer_a, staff):
    """Make the city bigger: thirty more households in ward A, three served, and ten more wards with bags."""

    def grow_():
        for n in range(30):
            household = make_household(
                ward_a, f"Nguyễn Văn {n:02d}", address=f"{n} Hùng Vương", phone=f"09000000{n:02d}"
            )
            if n < 3:
                distribution_record(household=household, campaign=stocked, recorded_by=officer_a)
        for n in range(3, 13):
            ward = Ward.objects.create(district=district, code=f"q5-p{n:02d}", name=f"Phường {n}")
            if n < 5:
                allocation_create(campaign=stocked, ward=ward, quantity=1, created_by=staff)

    return grow_


@pytest.mark.parametrize(
    ("persona", "name", "params"),
    [
        ("leader_client", "leaders:report", {}),
        ("officer_a_client", "ward:queue", {"q": "nguyen"}),
        ("officer_a_client", "ward:signature_list", {}),
        ("officer_a_client", "ward:requests", {}),
        ("staff_client", "district:households", {"q": "nguyen"}),
        ("staff_client", "district:home", {}),
    ],
)
def test_the_page_takes_as_many_queries_for_a_big_ward_as_for_a_small_one(
    request, grow, household_a, persona, name, params
):
    client = request.getfixturevalue(persona)
    url = reverse(name)
    few = _count(client, url, params)
    grow()
    assert _count(client, url, params) == few


def test_a_households_page_takes_as_many_queries_with_many_hand_outs_as_with_none(
    officer_a_client, grow, household_a, stocked, officer_a
):
    url = reverse("ward:household", args=[household_a.pk])
    few = _count(officer_a_client, url)
    grow()
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    assert _count(officer_a_client, url) == few
