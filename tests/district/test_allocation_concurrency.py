"""Two posts of one allocation plan at the same moment (a double click) on PostgreSQL's real row locks."""

import pytest
from django.db import connection

from district.services import PlanAlreadyApplied, allocation_plan_apply
from relief.models import Allocation, Bag
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("ledger_balances_afterwards"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_the_same_plan_posted_twice_at_once_allocates_once(funded_campaign, ward_a, ward_b, staff):
    outcomes = race(
        2,
        lambda i: allocation_plan_apply(
            campaign=funded_campaign, quantities={ward_a: 3, ward_b: 2}, created_by=staff, plan_key="same"
        ),
        expected=(PlanAlreadyApplied,),
    )
    assert sorted(kind for kind, _ in outcomes) == ["PlanAlreadyApplied", "ok"]
    assert Allocation.objects.count() == 2
    assert Bag.objects.filter(state=Bag.State.ALLOCATED).count() == 5


def test_two_different_plans_at_once_never_allocate_more_than_the_stock(funded_campaign, ward_a, ward_b, staff):
    plans = [(ward_a, "a"), (ward_b, "b")]
    outcomes = race(
        2,
        lambda i: allocation_plan_apply(
            campaign=funded_campaign, quantities={plans[i][0]: 7}, created_by=staff, plan_key=plans[i][1]
        ),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert Bag.objects.filter(state=Bag.State.ALLOCATED).count() == 7
