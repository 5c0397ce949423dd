"""Two posts of one allocation plan at the same moment (a double click) on PostgreSQL's real row locks."""

import threading

import pytest
from django.db import connection, connections

from district.services import PlanAlreadyApplied, allocation_plan_apply
from relief.models import Allocation, Bag

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("ledger_balances_afterwards"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_the_same_plan_posted_twice_at_once_allocates_once(funded_campaign, ward_a, ward_b, staff):
    barrier = threading.Barrier(2)
    outcomes = []

    def post():
        try:
            barrier.wait()
            allocation_plan_apply(
                campaign=funded_campaign, quantities={ward_a: 3, ward_b: 2}, created_by=staff, plan_key="same"
            )
            outcomes.append("applied")
        except PlanAlreadyApplied:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "applied"]
    assert Allocation.objects.count() == 2
    assert Bag.objects.filter(state=Bag.State.ALLOCATED).count() == 5


def test_two_different_plans_at_once_never_allocate_more_than_the_stock(funded_campaign, ward_a, ward_b, staff):
    barrier = threading.Barrier(2)
    outcomes = []

    def post(ward, key):
        try:
            barrier.wait()
            allocation_plan_apply(campaign=funded_campaign, quantities={ward: 7}, created_by=staff, plan_key=key)
            outcomes.append("applied")
        except Exception as error:  # the refusal is the outcome under test
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=args) for args in ((ward_a, "a"), (ward_b, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ValidationError", "applied"]
    assert Bag.objects.filter(state=Bag.State.ALLOCATED).count() == 7
