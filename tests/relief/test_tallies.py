"""The dashboard's counters (relief.tallies) stay equal to a recount from the rows after every kind of write.

Each test writes through one path (a service, the ORM, bulk_create, QuerySet.update, raw deletes) and then compares
every counter with ``households.tally_check.recount``, and checks the figure it moved, so a counter that never moves
cannot pass.
"""

import datetime
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from donations.services import donation_reverse
from households.hand_outs import distribution_cancel, distribution_record
from households.imports import household_import
from households.models import Category, Household
from households.tallies import add_households, households_counted_together
from households.tally_check import recount, stored, tally_problems
from households.verification import household_verify
from relief.models import Bag, Distribution
from relief.services import bag_void
from relief.tallies import (
    TALLIES,
    BagTally,
    CategoryTally,
    HandOutDayTally,
    HouseholdTally,
    ServedCategoryTally,
    ServedTally,
)
from tests.conftest import give, make_household
from tests.district.conftest import household_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def assert_tallies_match_a_recount():
    assert stored() == recount()
    assert tally_problems() == []


def total(model, **keys):
    return model.objects.filter(**keys).aggregate(n=Sum("n", default=0))["n"]


def served(campaign, **keys):
    return total(ServedTally, campaign_id=campaign.pk, **keys)


@pytest.fixture
def poor():
    return Category.objects.get(code="ho-ngheo")


@pytest.fixture
def jobless():
    return Category.objects.get(code="mat-viec-do-dich")


def test_bags_are_counted_as_they_are_funded_allocated_handed_out_and_voided(stocked, ward_a, household_a, staff):
    assert total(BagTally, campaign_id=stocked.pk, ward_id=0, state=Bag.State.AT_DISTRICT) == 3
    assert total(BagTally, ward_id=ward_a.pk, state=Bag.State.ALLOCATED) == 4
    distribution_record(household=household_a, campaign=stocked, recorded_by=staff)
    bag_void(bag=Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first(), voided_by=staff, reason="Rách")
    assert total(BagTally, ward_id=ward_a.pk, state=Bag.State.ALLOCATED) == 2
    assert total(BagTally, ward_id=ward_a.pk, state=Bag.State.HANDED_OUT) == 1
    assert total(BagTally, ward_id=ward_a.pk, state=Bag.State.VOID) == 1
    assert_tallies_match_a_recount()


def test_a_reversed_donation_counts_its_voided_bags_as_unfunded(funded_campaign, donor, staff):
    donation, _ = give(funded_campaign, donor, staff, amount=2 * funded_campaign.bag_value)
    donation_reverse(donation=donation, recorded_by=staff, reason="Ghi nhầm")
    assert total(BagTally, campaign_id=funded_campaign.pk, unfunded=True) == 2
    assert_tallies_match_a_recount()


def test_households_are_counted_by_status_residence_and_category(ward_a, poor, jobless):
    household = make_household(ward_a, residence=Household.Residence.TEMPORARY)
    household.categories.add(poor, jobless)  # one INSERT of two rows
    make_household(ward_a, "Trần Văn Bình", status=Household.Status.PROPOSED)
    assert total(HouseholdTally, ward_id=ward_a.pk, status="approved", residence="temporary") == 1
    assert total(HouseholdTally, ward_id=ward_a.pk, status="proposed") == 1
    assert total(CategoryTally, ward_id=ward_a.pk, category_id=poor.pk) == 1
    assert total(CategoryTally, ward_id=ward_a.pk, category_id=0) == 0
    assert_tallies_match_a_recount()


def test_removing_every_category_at_once_counts_the_household_as_without_category(ward_a, poor, jobless):
    household = make_household(ward_a)
    household.categories.add(poor, jobless)
    household.categories.clear()  # one DELETE of two rows
    assert total(CategoryTally, ward_id=ward_a.pk, category_id=0) == 1
    assert total(CategoryTally, category_id=poor.pk) == 0
    assert_tallies_match_a_recount()


def test_a_served_household_moves_with_its_status_ward_residence_and_categories(
    stocked, ward_a, ward_b, household_a, staff, poor, jobless
):
    distribution_record(household=household_a, campaign=stocked, recorded_by=staff)
    assert served(stocked, ward_id=ward_a.pk) == 1
    household_a.categories.add(jobless)
    household_a.categories.remove(poor)
    household_a.residence = Household.Residence.OTHER_PROVINCE
    household_a.save()
    assert served(stocked, residence="other_province") == 1
    assert total(ServedCategoryTally, campaign_id=stocked.pk, category_id=jobless.pk) == 1
    assert_tallies_match_a_recount()
    Household.objects.filter(pk=household_a.pk).update(ward=ward_b)
    assert served(stocked, ward_id=ward_b.pk) == 1
    assert_tallies_match_a_recount()
    Household.objects.filter(pk=household_a.pk).update(status=Household.Status.REJECTED)
    assert served(stocked) == 0
    assert total(ServedCategoryTally, campaign_id=stocked.pk) == 0
    assert_tallies_match_a_recount()


def test_a_cancelled_hand_out_no_longer_serves_the_household(stocked, household_a, officer_a):
    handed = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    distribution_cancel(distribution=handed, cancelled_by=officer_a, reason="Nhầm hộ")
    assert served(stocked) == 0
    assert total(HandOutDayTally, campaign_id=stocked.pk) == 0
    assert_tallies_match_a_recount()


def test_a_second_bag_to_the_same_household_serves_it_once(stocked, household_a, officer_a):
    stocked.household_limit = 2
    stocked.save()
    first = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    assert served(stocked) == 1
    assert total(HandOutDayTally, campaign_id=stocked.pk) == 2
    distribution_cancel(distribution=first, cancelled_by=officer_a, reason="Trao trùng")
    assert served(stocked) == 1
    assert_tallies_match_a_recount()


def test_cancelling_both_hand_outs_of_a_household_in_one_update_unserves_it_once(stocked, household_a, officer_a):
    stocked.household_limit = 2
    stocked.save()
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    Distribution.objects.filter(household=household_a).update(
        cancelled_at=timezone.now(), cancelled_by=officer_a, cancel_reason="Hủy cả hai"
    )
    Bag.objects.filter(state=Bag.State.HANDED_OUT).update(state=Bag.State.ALLOCATED)
    assert served(stocked) == 0
    assert_tallies_match_a_recount()


def test_hand_outs_created_in_bulk_serve_their_household_once(stocked, ward_a, household_a, officer_a):
    bags = list(Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED)[:2])
    Bag.objects.filter(pk__in=[bag.pk for bag in bags]).update(state=Bag.State.HANDED_OUT)
    Distribution.objects.bulk_create(
        Distribution(
            bag=bag,
            household=household_a,
            campaign=stocked,
            ward=ward_a,
            slot=slot,
            handed_out_at=timezone.now(),
            recorded_by=officer_a,
        )
        for slot, bag in enumerate(bags, start=1)
    )
    assert served(stocked) == 1
    Distribution.objects.all().delete()
    assert served(stocked) == 0
    assert_tallies_match_a_recount()


def test_a_hand_out_counts_on_its_local_day_in_ho_chi_minh_city(stocked, household_a, officer_a):
    evening_utc = datetime.datetime(2021, 8, 22, 20, 0, tzinfo=datetime.UTC)  # 03:00 on the 23rd in Vietnam
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a, handed_out_at=evening_utc)
    assert list(HandOutDayTally.objects.filter(n__gt=0).values_list("day", flat=True)) == [datetime.date(2021, 8, 23)]
    assert_tallies_match_a_recount()


def test_households_created_in_bulk_and_deleted_are_counted_and_uncounted(ward_a, poor):
    made = Household.objects.bulk_create(
        [
            Household(ward=ward_a, head_name=f"Hộ {i}", address="1 Lê Lợi", status=Household.Status.APPROVED)
            for i in range(5)
        ]
    )
    Household.categories.through.objects.bulk_create(
        [Household.categories.through(household=household, category=poor) for household in made[:3]]
    )
    assert total(CategoryTally, category_id=poor.pk) == 3
    assert total(CategoryTally, category_id=0) == 2
    assert_tallies_match_a_recount()
    for household in made[:2]:
        household.delete()
    assert total(HouseholdTally, ward_id=ward_a.pk) == 3
    assert_tallies_match_a_recount()


def test_the_demo_data_is_counted_exactly():
    call_command("seed_demo", households_per_ward=6, stdout=StringIO())
    assert total(ServedTally) > 0
    assert_tallies_match_a_recount()


def test_the_ledger_reports_a_counter_that_drifted(stocked, household_a, officer_a):
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    ServedTally.objects.update(n=5)
    assert any("đếm lại được 1" in problem for problem in tally_problems())


def test_households_imported_from_a_file_then_approved_in_bulk_are_counted(tmp_path, staff, ward_a, ward_b):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx_bytes([household_row(1), household_row(2, ward="Phường 2")]))
    household_import(path=path, user=staff, source_name="ds.xlsx")
    assert total(HouseholdTally, status="proposed") == 2
    assert_tallies_match_a_recount()
    household_verify(households=Household.objects.all(), status=Household.Status.APPROVED, decided_by=staff)
    assert total(HouseholdTally, status="approved") == 2
    assert total(CategoryTally, ward_id=ward_b.pk) > 0
    assert_tallies_match_a_recount()


def test_a_household_changed_in_the_admin_is_counted_in_its_new_ward_and_categories(
    admin_client_, ward_a, ward_b, household_a, jobless
):
    response = admin_client_.post(
        reverse("admin:households_household_change", args=[household_a.pk]),
        {
            "ward": ward_b.pk,
            "head_name": household_a.head_name,
            "national_id": household_a.national_id,
            "phone": household_a.phone,
            "address": household_a.address,
            "members": 1,
            "residence": Household.Residence.PERMANENT,
            "categories": [jobless.pk],
            "status": Household.Status.APPROVED,
            "source": household_a.source,
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert total(CategoryTally, ward_id=ward_b.pk, category_id=jobless.pk) == 1
    assert total(CategoryTally, ward_id=ward_a.pk) == 0
    assert_tallies_match_a_recount()


def _insert_households_together(ward, categories, *, count):
    """Approved households and their categories written as the import writes them, then counted set-based."""
    with households_counted_together(connection):
        made = Household.objects.bulk_create(
            [
                Household(ward=ward, head_name=f"Hộ {i}", address="1 Lê Lợi", status=Household.Status.APPROVED)
                for i in range(count)
            ]
        )
        Household.categories.through.objects.bulk_create(
            [
                Household.categories.through(household=household, category=category)
                for household in made[: count - 1]
                for category in categories
            ]
        )
    return made


def test_households_inserted_together_are_counted_once_by_status_ward_and_category(ward_a, poor, jobless):
    made = _insert_households_together(ward_a, [poor, jobless], count=4)
    add_households(connection, [household.pk for household in made])
    assert total(HouseholdTally, ward_id=ward_a.pk, status="approved") == 4
    assert (total(CategoryTally, category_id=poor.pk), total(CategoryTally, category_id=0)) == (3, 1)
    assert_tallies_match_a_recount()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers stand aside on PostgreSQL only")
def test_inside_the_block_the_insert_triggers_stand_aside_until_the_households_are_added(ward_a, poor):
    made = _insert_households_together(ward_a, [poor], count=2)
    assert total(HouseholdTally, ward_id=ward_a.pk) == 0
    add_households(connection, [household.pk for household in made])
    assert total(HouseholdTally, ward_id=ward_a.pk) == 2
    assert_tallies_match_a_recount()


def test_after_the_block_the_triggers_count_row_by_row_again(ward_a, poor):
    made = _insert_households_together(ward_a, [poor], count=2)
    add_households(connection, [household.pk for household in made])
    make_household(ward_a, "Sau khối", address="2 Lê Lợi")
    assert total(HouseholdTally, ward_id=ward_a.pk) == 3
    assert_tallies_match_a_recount()


def test_a_household_served_before_it_is_added_is_counted_served_once(stocked, ward_a, officer_a):
    """The hand-out's own trigger counts it served; adding the household must not count that again."""
    (household,) = _insert_households_together(ward_a, [], count=1)
    distribution_record(household=household, campaign=stocked, recorded_by=officer_a)
    add_households(connection, [household.pk])
    assert served(stocked, ward_id=ward_a.pk) == 1
    assert_tallies_match_a_recount()


class _Rollback(Exception):
    pass


def _delete_every_row(tables):
    """What Django's flush does on SQLite: ``DELETE FROM`` each table in turn, every row trigger firing."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def test_the_counters_end_at_zero_whatever_order_a_flush_empties_the_tables_in(
    stocked, ward_a, ward_b, household_a, officer_a, poor, jobless
):
    without_category = make_household(ward_a, "Trần Văn Bình")
    two_categories = make_household(ward_a, "Lê Thị Cúc")
    two_categories.categories.add(poor, jobless)
    make_household(ward_b, "Phạm Văn Dũng", status=Household.Status.PROPOSED).categories.add(poor)
    for household in (household_a, without_category, two_categories):
        distribution_record(household=household, campaign=stocked, recorded_by=officer_a)
    counted = [Household.categories.through, Household, Distribution, Bag]
    tables = [model._meta.db_table for model in TALLIES + counted]
    # First the order a strict subtraction cannot survive: the tallies, then a household's last category (counted
    # under "no category" again), then the households, each taking one from "no category"; then orders at random.
    orders = [tables] + [random.Random(seed).sample(tables, len(tables)) for seed in range(30)]
    for order in orders:
        with pytest.raises(_Rollback), transaction.atomic():
            _delete_every_row(order)
            assert stored() == {model: {} for model in TALLIES}, order
            raise _Rollback
    assert_tallies_match_a_recount()
