"""Hand-outs: one bag, one household, from the ward's own stock (invariants 3 and 4)."""

import datetime
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.ledger import ledger_problems
from households.hand_outs import KEY_USED, distribution_cancel, distribution_record
from households.models import Household
from relief.models import Bag, Campaign, Distribution
from relief.services import bag_hand_out, bag_void
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def hand_out(household, campaign, officer, **extra):
    return distribution_record(household=household, campaign=campaign, recorded_by=officer, **extra)


def test_a_hand_out_moves_the_lowest_numbered_bag_of_the_ward_to_the_household(stocked, household_a, officer_a):
    distribution = hand_out(household_a, stocked, officer_a)
    assert distribution.bag.number == 1
    assert Bag.objects.get(pk=distribution.bag_id).state == Bag.State.HANDED_OUT
    assert distribution.ward == household_a.ward
    latest = distribution.bag.history.first()
    assert (latest.history_user, latest.state, latest.history_type) == (officer_a, Bag.State.HANDED_OUT, "~")


def test_a_household_gets_at_most_the_campaigns_limit(stocked, household_a, officer_a):
    hand_out(household_a, stocked, officer_a)
    with pytest.raises(ValidationError, match="đã nhận đủ 1 túi"):
        hand_out(household_a, stocked, officer_a)
    assert Distribution.objects.count() == 1


def test_a_campaign_with_a_limit_of_two_gives_a_household_two_bags_and_no_third(stocked, household_a, officer_a):
    stocked.household_limit = 2
    stocked.save()
    hand_out(household_a, stocked, officer_a)
    hand_out(household_a, stocked, officer_a)
    with pytest.raises(ValidationError):
        hand_out(household_a, stocked, officer_a)
    assert sorted(Distribution.objects.values_list("slot", flat=True)) == [1, 2]


def test_an_officer_cannot_hand_out_to_a_household_of_another_ward(stocked, household_a, officer_b):
    with pytest.raises(Household.DoesNotExist):
        hand_out(household_a, stocked, officer_b)
    assert not Distribution.objects.exists()
    assert not Bag.objects.filter(state=Bag.State.HANDED_OUT).exists()


def test_a_household_that_is_not_approved_cannot_receive_a_bag(stocked, ward_a, officer_a):
    proposed = make_household(ward_a, "Đỗ Văn Hùng", status=Household.Status.PROPOSED)
    with pytest.raises(ValidationError, match="chưa được duyệt"):
        hand_out(proposed, stocked, officer_a)
    assert not Distribution.objects.exists()


def test_a_closed_campaign_accepts_no_hand_outs(stocked, household_a, officer_a):
    stocked.is_open = False
    stocked.save()
    with pytest.raises(ValidationError, match="đã đóng"):
        hand_out(household_a, stocked, officer_a)


def test_a_campaign_read_under_the_lock_is_taken_as_it_is_now_not_as_the_caller_held_it(
    stocked, household_a, officer_a
):
    held = Campaign.objects.get(pk=stocked.pk)
    Campaign.objects.filter(pk=stocked.pk).update(is_open=False)
    with pytest.raises(ValidationError, match="đã đóng"):
        hand_out(household_a, held, officer_a)
    assert not Distribution.objects.exists()


def test_a_hand_out_names_its_campaign_by_pk_as_a_form_posts_it(stocked, household_a, officer_a):
    distribution = hand_out(household_a.pk, stocked.pk, officer_a)
    assert (distribution.campaign, distribution.household) == (stocked, household_a)
    assert Distribution.objects.get().campaign_id == stocked.pk


@pytest.mark.parametrize("which", ["another district's", "no"])
def test_a_hand_out_in_a_campaign_not_of_the_households_district_is_refused(
    stocked, household_a, officer_a, other_district, which
):
    foreign = Campaign.objects.create(code="BTL", name="Bắc Từ Liêm", district=other_district)
    pk = foreign.pk if which == "another district's" else foreign.pk + 1000
    with pytest.raises(ValidationError, match="không thuộc đơn vị của anh/chị"):
        hand_out(household_a, pk, officer_a)
    assert not Distribution.objects.exists()


def test_the_number_printed_on_a_bag_names_the_campaigns_bag(stocked, household_a, officer_a):
    assert hand_out(household_a, stocked, officer_a, serial="t3").bag.serial == stocked.bag_serial(3)


def test_a_ward_never_hands_out_more_bags_than_it_was_allocated(stocked, ward_a, officer_a):
    households = [make_household(ward_a, f"Hộ số {n}", address=f"{n} Hùng Vương") for n in range(5)]
    for household in households[:4]:
        hand_out(household, stocked, officer_a)
    with pytest.raises(ValidationError, match="hết túi"):
        hand_out(households[4], stocked, officer_a)
    assert Bag.objects.filter(ward=ward_a, state=Bag.State.HANDED_OUT).count() == 4


def test_taking_the_next_bag_moves_the_lowest_numbered_one_and_writes_its_history(stocked, ward_a, officer_a):
    bag = bag_hand_out(campaign=stocked, ward=ward_a, user=officer_a)
    assert (bag.number, bag.state, bag.ward_id) == (1, Bag.State.HANDED_OUT, ward_a.pk)
    assert Bag.objects.get(pk=bag.pk).state == Bag.State.HANDED_OUT
    row = Bag.history.filter(id=bag.pk).latest("history_id")
    assert (row.history_type, row.history_user, row.state) == ("~", officer_a, Bag.State.HANDED_OUT)


def test_taking_from_an_empty_stock_takes_nothing_and_writes_no_history(stocked, ward_a, officer_a):
    taken = [bag_hand_out(campaign=stocked, ward=ward_a, user=officer_a) for _ in range(4)]
    assert [bag.number for bag in taken] == [1, 2, 3, 4]
    rows = Bag.history.count()
    assert bag_hand_out(campaign=stocked, ward=ward_a, user=officer_a) is None
    assert Bag.history.count() == rows


def test_recording_a_hand_out_saves_it_and_its_history_row(stocked, household_a, officer_a):
    bag = bag_hand_out(campaign=stocked, ward=household_a.ward, user=officer_a)
    distribution = Distribution(
        bag=bag,
        household=household_a,
        campaign=stocked,
        ward=household_a.ward,
        handed_out_at=timezone.now(),
        recorded_by=officer_a,
        request_key=uuid.uuid4(),
    )
    Distribution.objects.record(distribution, user=officer_a)
    saved = Distribution.objects.get(pk=distribution.pk)
    assert (saved.bag_id, saved.household_id, saved.request_key) == (bag.pk, household_a.pk, distribution.request_key)
    row = Distribution.history.get(id=distribution.pk)
    assert (row.history_type, row.history_user, row.bag_id, row.slot) == ("+", officer_a, bag.pk, 1)
    assert ledger_problems() == []


def test_a_bag_of_another_ward_cannot_be_handed_out_by_serial(stocked, household_a, officer_a, ward_b):
    other = Bag.objects.filter(ward=ward_b).first()
    with pytest.raises(ValidationError, match="không nằm trong kho"):
        hand_out(household_a, stocked, officer_a, serial=other.serial)
    assert Bag.objects.get(pk=other.pk).state == Bag.State.ALLOCATED


def test_a_bag_still_at_the_district_cannot_be_handed_out_by_serial(stocked, household_a, officer_a):
    at_district = Bag.objects.filter(state=Bag.State.AT_DISTRICT).first()
    with pytest.raises(ValidationError):
        hand_out(household_a, stocked, officer_a, serial=at_district.serial)


def test_a_serial_typed_in_lower_case_is_found(stocked, household_a, officer_a):
    bag = Bag.objects.filter(ward=household_a.ward).last()
    distribution = hand_out(household_a, stocked, officer_a, serial=bag.serial.lower())
    assert distribution.bag_id == bag.pk


def test_the_same_request_key_records_a_hand_out_once(stocked, household_a, officer_a):
    key = uuid.uuid4()
    first = hand_out(household_a, stocked, officer_a, request_key=key)
    again = hand_out(household_a, stocked, officer_a, request_key=key)
    assert again.pk == first.pk
    assert Distribution.objects.count() == 1


def test_the_same_request_key_records_once_even_where_the_household_may_receive_more(stocked, household_a, officer_a):
    stocked.household_limit = 2
    stocked.save()
    key = uuid.uuid4()
    first = hand_out(household_a, stocked, officer_a, request_key=key)
    again = hand_out(household_a, stocked, officer_a, request_key=key)
    assert again.pk == first.pk
    assert Distribution.objects.count() == 1


def test_a_repeated_request_key_answers_with_the_household_the_campaign_and_the_stock_without_reading_them(
    stocked, household_a, officer_a, django_assert_num_queries
):
    key = uuid.uuid4()
    first = hand_out(household_a, stocked, officer_a, request_key=key)
    # The savepoint and its release, the household's locked read, the earlier hand-out.
    with django_assert_num_queries(4):
        again = hand_out(household_a, stocked, officer_a, request_key=key)
        answered = (again.household.head_name, again.campaign.code, again.stock_after)
    assert answered == (household_a.head_name, "Q5-2021", 3)
    assert again.pk == first.pk


def test_a_request_key_used_for_another_household_is_refused_and_records_nothing(
    stocked, household_a, officer_a, ward_a
):
    key = uuid.uuid4()
    hand_out(household_a, stocked, officer_a, request_key=key)
    other = make_household(ward_a, "Phan Văn Khoa", address="8 Ngô Quyền")
    with pytest.raises(ValidationError, match=re.escape(KEY_USED)):
        hand_out(other, stocked, officer_a, request_key=key)
    assert not other.distributions.exists()
    assert Distribution.objects.count() == 1


def test_a_request_key_used_in_another_campaign_is_refused(stocked, household_a, officer_a, district):
    key = uuid.uuid4()
    hand_out(household_a, stocked, officer_a, request_key=key)
    later = Campaign.objects.create(code="Q5-2022", name="Túi an sinh 2022", district=district, target_bags=10)
    with pytest.raises(ValidationError, match="Biểu mẫu này đã được dùng"):
        hand_out(household_a, later, officer_a, request_key=key)
    assert Distribution.objects.count() == 1


def test_the_request_key_of_a_cancelled_hand_out_is_refused_rather_than_answered_as_done(
    stocked, household_a, officer_a
):
    key = uuid.uuid4()
    first = hand_out(household_a, stocked, officer_a, request_key=key)
    distribution_cancel(distribution=first, cancelled_by=officer_a, reason="Ghi nhầm hộ")
    with pytest.raises(ValidationError, match="Biểu mẫu này đã được dùng"):
        hand_out(household_a, stocked, officer_a, request_key=key)
    assert Distribution.objects.holding(stocked).count() == 0


def test_the_database_refuses_a_second_active_hand_out_of_one_bag(stocked, household_a, officer_a, ward_a):
    distribution = hand_out(household_a, stocked, officer_a)
    other = make_household(ward_a, "Phan Văn Khoa", address="8 Ngô Quyền")
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution.objects.create(
            bag=distribution.bag,
            household=other,
            campaign=stocked,
            ward=ward_a,
            handed_out_at=timezone.now(),
            recorded_by=officer_a,
        )


def test_the_officer_who_recorded_a_hand_out_cancels_it_the_same_day_and_the_bag_returns(
    stocked, household_a, officer_a
):
    distribution = hand_out(household_a, stocked, officer_a)
    distribution_cancel(distribution=distribution, cancelled_by=officer_a, reason="Ghi nhầm hộ")
    distribution.refresh_from_db()
    assert distribution.is_cancelled and distribution.cancel_reason == "Ghi nhầm hộ"
    assert Bag.objects.get(pk=distribution.bag_id).state == Bag.State.ALLOCATED
    assert hand_out(household_a, stocked, officer_a).bag_id == distribution.bag_id


def test_another_officer_cannot_cancel_a_hand_out(stocked, household_a, officer_a, officer_b):
    distribution = hand_out(household_a, stocked, officer_a)
    with pytest.raises(ValidationError):
        distribution_cancel(distribution=distribution, cancelled_by=officer_b, reason="x")
    assert not Distribution.objects.get(pk=distribution.pk).is_cancelled


def test_a_hand_out_of_an_earlier_day_cannot_be_cancelled(stocked, household_a, officer_a):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    distribution = hand_out(household_a, stocked, officer_a, handed_out_at=yesterday)
    with pytest.raises(ValidationError, match="trong ngày"):
        distribution_cancel(distribution=distribution, cancelled_by=officer_a, reason="Muộn")


def test_a_cancellation_needs_a_reason(stocked, household_a, officer_a):
    distribution = hand_out(household_a, stocked, officer_a)
    with pytest.raises(ValidationError):
        distribution_cancel(distribution=distribution, cancelled_by=officer_a, reason=" ")


def test_a_lost_bag_is_voided_with_a_reason_and_leaves_the_stock(stocked, ward_a, staff):
    bag = Bag.objects.filter(ward=ward_a).first()
    bag_void(bag=bag, voided_by=staff, reason="Rách bao, hỏng gạo")
    bag.refresh_from_db()
    assert (bag.state, bag.void_reason, bag.unfunded) == (Bag.State.VOID, "Rách bao, hỏng gạo", False)


def test_a_handed_out_bag_cannot_be_voided(stocked, household_a, officer_a, staff):
    distribution = hand_out(household_a, stocked, officer_a)
    with pytest.raises(ValidationError):
        bag_void(bag=distribution.bag, voided_by=staff, reason="x")


def test_the_database_refuses_a_bag_allocated_to_no_ward(stocked):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bag.objects.filter(state=Bag.State.AT_DISTRICT).update(state=Bag.State.ALLOCATED)


def test_the_database_refuses_a_void_bag_without_a_reason(stocked):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bag.objects.filter(state=Bag.State.AT_DISTRICT).update(state=Bag.State.VOID)


def test_the_stock_a_hand_out_tells_is_the_wards_stock_after_it(stocked, household_a, officer_a):
    distribution = hand_out(household_a, stocked, officer_a)
    in_stock = Bag.objects.filter(campaign=stocked, ward=household_a.ward, state=Bag.State.ALLOCATED).count()
    assert distribution.stock_after == in_stock


def test_a_cancelled_slot_is_given_again_before_a_new_one(stocked, household_a, officer_a):
    stocked.household_limit = 2
    stocked.save()
    first = hand_out(household_a, stocked, officer_a)
    hand_out(household_a, stocked, officer_a)
    distribution_cancel(distribution=first, cancelled_by=officer_a, reason="Ghi nhầm hộ")
    again = hand_out(household_a, stocked, officer_a)
    assert again.slot == 1
    assert Distribution.objects.holding(stocked).filter(household=household_a).count() == 2


def test_a_hand_out_refused_by_a_constraint_is_read_again_and_answered_in_words(
    stocked, household_a, officer_a, monkeypatch
):
    # What a read that waited for the household's lock can see: nothing of the hand-out committed meanwhile.
    hand_out(household_a, stocked, officer_a)
    locked = Household.objects.lock_for_hand_out
    reads = []

    def stale_read(*args, **kwargs):
        household = locked(*args, **kwargs)
        if not reads:
            household.held_slots = set()
        reads.append(household)
        return household

    monkeypatch.setattr(Household.objects, "lock_for_hand_out", stale_read)
    with pytest.raises(ValidationError, match="đã nhận đủ 1 túi"):
        hand_out(household_a, stocked, officer_a)
    assert len(reads) == 2
    assert Distribution.objects.count() == 1
    assert Bag.objects.filter(state=Bag.State.HANDED_OUT).count() == 1
