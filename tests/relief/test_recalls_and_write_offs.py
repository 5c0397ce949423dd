"""Every bag accounted for: recalls to the district, transfers between wards, and write-offs the district approves."""

import pytest
from django.core.exceptions import ValidationError

from audit.ledger import ledger_problems
from households.hand_outs import distribution_record
from relief.models import Allocation, Bag, Recall, WriteOff
from relief.services import bags_recall, write_off_decide, write_off_propose
from relief.tallies import BagTally
from tests.conftest import make_household

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ledger_balances_afterwards")]


def in_stock(campaign, ward):
    return Bag.objects.filter(campaign=campaign, ward=ward, state=Bag.State.ALLOCATED).count()


def counted_in_stock(campaign, ward):
    return sum(
        BagTally.objects.filter(campaign_id=campaign.pk, ward_id=ward.pk, state="allocated").values_list("n", flat=True)
    )


def test_a_recall_takes_the_highest_numbered_bags_of_the_ward_back_to_the_district(stocked, ward_a, staff):
    recall = bags_recall(campaign=stocked, ward=ward_a, quantity=2, reason="Phường thừa túi", created_by=staff)

    back = Bag.objects.filter(campaign=stocked, number__in=[3, 4])
    assert all((bag.state, bag.ward, bag.allocation) == (Bag.State.AT_DISTRICT, None, None) for bag in back)
    assert in_stock(stocked, ward_a) == 2 == counted_in_stock(stocked, ward_a)
    assert (recall.quantity, recall.transfer) == (2, None)
    latest = back.first().history.first()
    assert (latest.history_user, latest.state) == (staff, Bag.State.AT_DISTRICT)


def test_a_transfer_moves_the_same_bags_to_the_other_ward_under_a_new_allocation(stocked, ward_a, ward_b, staff):
    recall = bags_recall(
        campaign=stocked, ward=ward_a, quantity=3, reason="Phường 2 thiếu túi", created_by=staff, to_ward=ward_b
    )

    assert in_stock(stocked, ward_a) == 1
    assert in_stock(stocked, ward_b) == 6 == counted_in_stock(stocked, ward_b)
    assert recall.transfer.ward == ward_b
    assert set(recall.transfer.bags.values_list("number", flat=True)) == {2, 3, 4}
    assert "Chuyển từ Phường 1" in Allocation.objects.get(pk=recall.transfer.pk).note


def test_a_recall_of_more_bags_than_the_ward_holds_moves_nothing(stocked, ward_a, staff, officer_a):
    distribution_record(household=make_household(ward_a), campaign=stocked, recorded_by=officer_a)

    with pytest.raises(ValidationError, match="chỉ còn 3 túi trong kho"):
        bags_recall(campaign=stocked, ward=ward_a, quantity=4, reason="Thu hết", created_by=staff)
    assert in_stock(stocked, ward_a) == 3
    assert not Recall.objects.exists()


def test_a_bag_handed_out_is_never_recalled(stocked, ward_a, staff, officer_a):
    handed = distribution_record(household=make_household(ward_a), campaign=stocked, recorded_by=officer_a)
    bags_recall(campaign=stocked, ward=ward_a, quantity=3, reason="Thu hết phần còn lại", created_by=staff)
    assert Bag.objects.get(pk=handed.bag_id).state == Bag.State.HANDED_OUT
    assert in_stock(stocked, ward_a) == 0


def test_a_recall_needs_a_reason_and_a_ward_of_the_campaign(stocked, ward_a, other_district, staff):
    with pytest.raises(ValidationError, match="lý do"):
        bags_recall(campaign=stocked, ward=ward_a, quantity=1, reason="  ", created_by=staff)
    foreign = other_district.wards.create(code="x-p1", name="Phường X")
    with pytest.raises(ValidationError, match="không thuộc"):
        bags_recall(campaign=stocked, ward=ward_a, quantity=1, reason="Sai", created_by=staff, to_ward=foreign)
    with pytest.raises(ValidationError, match="khác đơn vị"):
        bags_recall(campaign=stocked, ward=ward_a, quantity=1, reason="Sai", created_by=staff, to_ward=ward_a)
    assert in_stock(stocked, ward_a) == 4


def test_a_write_off_the_district_approves_voids_the_bag_and_keeps_it_in_the_books(stocked, ward_a, officer_a, staff):
    bag = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    write_off = write_off_propose(bag=bag, reason="Bao rách, gạo ướt", proposed_by=officer_a)
    assert Bag.objects.get(pk=bag.pk).state == Bag.State.ALLOCATED  # nothing moves before the district decides

    write_off_decide(write_off=write_off, decided_by=staff, approve=True)

    bag.refresh_from_db()
    assert (bag.state, bag.unfunded) == (Bag.State.VOID, False)
    assert "Bao rách" in bag.void_reason
    assert WriteOff.objects.get(pk=write_off.pk).status == WriteOff.Status.APPROVED
    assert in_stock(stocked, ward_a) == 3 == counted_in_stock(stocked, ward_a)


def test_a_refused_write_off_leaves_the_bag_in_stock_and_says_why(stocked, ward_a, officer_a, staff):
    bag = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    write_off = write_off_propose(bag=bag, reason="Mất", proposed_by=officer_a)
    with pytest.raises(ValidationError, match="phải ghi lý do"):
        write_off_decide(write_off=write_off, decided_by=staff, approve=False)
    write_off_decide(write_off=write_off, decided_by=staff, approve=False, note="Túi vẫn còn ở kho, đã kiểm")
    assert Bag.objects.get(pk=bag.pk).state == Bag.State.ALLOCATED
    with pytest.raises(ValidationError, match="đã được quyết định"):
        write_off_decide(write_off=write_off, decided_by=staff, approve=True)


def test_an_officer_cannot_propose_writing_off_another_wards_bag_or_one_handed_out(stocked, ward_a, ward_b, officer_a):
    other = Bag.objects.filter(ward=ward_b, state=Bag.State.ALLOCATED).first()
    with pytest.raises(ValidationError, match="không còn trong kho"):
        write_off_propose(bag=other, reason="Mất", proposed_by=officer_a)
    handed = distribution_record(household=make_household(ward_a), campaign=stocked, recorded_by=officer_a)
    with pytest.raises(ValidationError, match="không còn trong kho"):
        write_off_propose(bag=handed.bag, reason="Mất", proposed_by=officer_a)
    assert not WriteOff.objects.exists()


def test_a_bag_has_one_write_off_waiting_at_a_time(stocked, ward_a, officer_a):
    bag = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    write_off_propose(bag=bag, reason="Mất", proposed_by=officer_a)
    with pytest.raises(ValidationError, match="đang chờ"):
        write_off_propose(bag=bag, reason="Mất lần nữa", proposed_by=officer_a)


def test_the_ledger_reports_an_approved_write_off_whose_bag_is_not_void(stocked, ward_a, officer_a, staff):
    bag = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    write_off = write_off_propose(bag=bag, reason="Mất", proposed_by=officer_a)
    WriteOff.objects.filter(pk=write_off.pk).update(status=WriteOff.Status.APPROVED, decided_at=write_off.proposed_at)
    assert any(bag.serial in line for line in ledger_problems())
    WriteOff.objects.filter(pk=write_off.pk).update(status=WriteOff.Status.WAITING, decided_at=None)


def test_a_recall_leaves_a_bag_the_ward_proposed_writing_off_and_takes_the_others(
    stocked, ward_a, ward_b, officer_a, staff
):
    highest = Bag.objects.get(campaign=stocked, ward=ward_a, number=4)
    write_off = write_off_propose(bag=highest, reason="Bao rách", proposed_by=officer_a)

    recall = bags_recall(
        campaign=stocked, ward=ward_a, quantity=2, reason="Phường 2 thiếu túi", created_by=staff, to_ward=ward_b
    )

    assert set(recall.transfer.bags.values_list("number", flat=True)) == {2, 3}
    assert Bag.objects.get(pk=highest.pk).ward == ward_a
    assert WriteOff.objects.visible_to(officer_a).filter(pk=write_off.pk).exists()


def test_a_recall_that_would_need_a_bag_proposed_for_writing_off_moves_nothing_and_says_why(
    stocked, ward_a, officer_a, staff
):
    write_off_propose(bag=Bag.objects.get(campaign=stocked, ward=ward_a, number=1), reason="Mất", proposed_by=officer_a)

    with pytest.raises(ValidationError, match="chỉ còn 3 túi trong kho \\(không kể 1 túi đang chờ quận duyệt hủy\\)"):
        bags_recall(campaign=stocked, ward=ward_a, quantity=4, reason="Thu hết", created_by=staff)
    assert in_stock(stocked, ward_a) == 4
    assert not Recall.objects.exists()


def test_a_write_off_whose_bag_left_the_wards_stock_is_not_approved_and_says_why(
    stocked, ward_a, ward_b, officer_a, staff
):
    bags_recall(
        campaign=stocked, ward=ward_a, quantity=1, reason="Phường 2 thiếu túi", created_by=staff, to_ward=ward_b
    )
    bag = Bag.objects.get(campaign=stocked, number=4)
    # What a proposal that raced with the transfer leaves: ward A's proposal about a bag now in ward B's stock.
    write_off = WriteOff.objects.create(bag=bag, reason="Bao rách", proposed_by=officer_a)

    with pytest.raises(ValidationError, match=r"không còn trong kho của Phường 1.*từ chối"):
        write_off_decide(write_off=write_off, decided_by=staff, approve=True)
    assert Bag.objects.get(pk=bag.pk).state == Bag.State.ALLOCATED
    assert WriteOff.objects.get(pk=write_off.pk).status == WriteOff.Status.WAITING


def test_a_write_off_whose_bag_was_handed_out_since_is_not_approved(stocked, ward_a, officer_a, staff):
    bag = Bag.objects.get(campaign=stocked, ward=ward_a, number=1)
    write_off = write_off_propose(bag=bag, reason="Mất", proposed_by=officer_a)
    distribution_record(household=make_household(ward_a), campaign=stocked, recorded_by=officer_a, serial=bag.serial)

    with pytest.raises(ValidationError, match="không còn trong kho"):
        write_off_decide(write_off=write_off, decided_by=staff, approve=True)
    assert Bag.objects.get(pk=bag.pk).state == Bag.State.HANDED_OUT
