"""Two officers tapping "Trao túi" at the same moment, through the real view, on PostgreSQL."""

import pytest
from django.db import connection
from django.urls import reverse

from relief.models import Bag, Distribution
from relief.services import allocation_create
from tests.conftest import client_for, make_household, make_user
from tests.households.conftest import hand_out_data
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("ledger_balances_afterwards"),
]


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and real concurrency need PostgreSQL (DATABASE_URL=postgres://…).")


def test_twenty_taps_for_the_last_five_bags_hand_out_five_and_tell_the_others_why(
    funded_campaign, ward_a, officer_a, staff
):
    allocation_create(campaign=funded_campaign, ward=ward_a, quantity=5, created_by=staff)
    colleague = make_user("canbo_p1_b", "ward_officer", ward=ward_a)
    households = [make_household(ward_a, f"Hộ {n:02d}", address=f"{n} Hùng Vương") for n in range(20)]
    clients = [client_for(officer_a if n % 2 else colleague) for n in range(20)]

    def tap(n):
        url = reverse("ward:hand_out", args=[households[n].pk])
        return clients[n].post(url, hand_out_data(funded_campaign), HTTP_HX_REQUEST="true").text

    outcomes = race(20, tap)
    assert [kind for kind, _ in outcomes] == ["ok"] * 20, outcomes
    answers = [answer for _, answer in outcomes]
    handed = [answer for answer in answers if answer and "Đã trao túi" in answer]
    refused = [answer for answer in answers if answer and "đã hết túi trong kho" in answer]
    assert (len(handed), len(refused)) == (5, 15)
    assert Distribution.objects.active().count() == 5
    assert Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).count() == 0
