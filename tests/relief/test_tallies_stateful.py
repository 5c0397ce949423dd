"""Random sequences of what officers and district staff do, through the services, keep every counter exact.

A hypothesis state machine registers households, changes their status, ward, residence and categories, hands bags
out (two per household allowed, so "served once" is tested), cancels hand-outs, voids and allocates bags and
deletes households; after every step all counters must equal a recount from the rows.
"""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from households.hand_outs import distribution_cancel, distribution_record
from households.models import Category, Household
from households.tally_check import recount, stored
from relief.models import Bag, Distribution
from relief.services import allocation_create, bag_void
from tests.conftest import make_household

pytestmark = pytest.mark.django_db

# Approved twice as often as the others: only approved households can be served.
STATUSES = st.sampled_from([*Household.Status.values, Household.Status.APPROVED])
RESIDENCES = st.sampled_from(Household.Residence.values)


class _Rollback(Exception):
    """Raised at the end of each example to roll its writes back."""


def test_random_operations_through_the_services_keep_the_counters_exact(stocked, ward_a, ward_b, staff):
    stocked.household_limit = 2
    stocked.save()
    wards = [ward_a, ward_b]
    categories = list(Category.objects.all()[:4])

    class Officers(RuleBasedStateMachine):
        households = Bundle("households")

        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def teardown(self):
            self.atomic.__exit__(_Rollback, _Rollback(), None)  # roll the example back, keep the fixtures

        @rule(
            target=households,
            ward=st.sampled_from([0, 1]),
            status=STATUSES,
            residence=RESIDENCES,
            kinds=st.sets(st.integers(0, 3)),
        )
        def register(self, ward, status, residence, kinds):
            household = make_household(wards[ward], status=status, residence=residence)
            household.categories.set([categories[kind] for kind in kinds])
            return household.pk

        @rule(pk=households, status=STATUSES)
        def change_status(self, pk, status):
            Household.objects.filter(pk=pk).update(status=status)

        @rule(pk=households, ward=st.sampled_from([0, 1]), residence=RESIDENCES)
        def move(self, pk, ward, residence):
            for household in Household.objects.filter(pk=pk):
                household.ward, household.residence = wards[ward], residence
                household.save()

        @rule(pk=households, kinds=st.sets(st.integers(0, 3)))
        def recategorise(self, pk, kinds):
            for household in Household.objects.filter(pk=pk):
                household.categories.set([categories[kind] for kind in kinds])

        @rule(pk=households)
        def hand_out(self, pk):
            # Refused (not approved, at its limit, the ward out of bags) changes nothing, and is fine here.
            for household in Household.objects.filter(pk=pk):
                with contextlib.suppress(ValidationError):
                    distribution_record(household=household, campaign=stocked, recorded_by=staff)

        @rule(index=st.integers(0, 50))
        def cancel(self, index):
            active = list(Distribution.objects.active().order_by("pk"))
            if active:
                distribution_cancel(distribution=active[index % len(active)], cancelled_by=staff, reason="Nhầm")

        @rule(ward=st.sampled_from([0, 1]))
        def void_a_bag(self, ward):
            bag = Bag.objects.filter(ward=wards[ward], state=Bag.State.ALLOCATED).first()
            if bag:
                bag_void(bag=bag, voided_by=staff, reason="Rách")

        @rule(ward=st.sampled_from([0, 1]))
        def allocate(self, ward):
            if Bag.objects.filter(campaign=stocked, state=Bag.State.AT_DISTRICT).exists():
                allocation_create(campaign=stocked, ward=wards[ward], quantity=1, created_by=staff)

        @rule(pk=households)
        def delete_a_household_never_served(self, pk):
            for household in Household.objects.filter(pk=pk, distributions__isnull=True):
                household.delete()

        @invariant()
        def counters_equal_a_recount(self):
            assert stored() == recount()

    run_state_machine_as_test(
        Officers,
        settings=settings(
            max_examples=40, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
