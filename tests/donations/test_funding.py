"""Money funds bags: whole bag values become bags, parts trace each bag to its donations (invariant 2)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Sum

from donations.models import BagFunding, Donation
from donations.services import campaign_money, donation_reverse
from relief.models import Bag
from relief.services import allocation_create
from tests.conftest import give

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


def parts_of(bag):
    return {part.donation_id: part.amount for part in BagFunding.objects.filter(bag=bag)}


def test_a_donation_of_exactly_one_bag_value_funds_one_bag(campaign, donor, staff):
    donation, bags = give(campaign, donor, staff, amount=MILLION)
    assert len(bags) == 1
    assert bags[0].state == Bag.State.AT_DISTRICT
    assert parts_of(bags[0]) == {donation.pk: MILLION}


def test_money_short_of_a_bag_waits_for_the_next_donation(campaign, donor, staff):
    first, bags_first = give(campaign, donor, staff, amount=600_000)
    second, bags_second = give(campaign, donor, staff, amount=600_000)
    assert bags_first == []
    assert len(bags_second) == 1
    assert parts_of(bags_second[0]) == {first.pk: 600_000, second.pk: 400_000}
    assert campaign_money(campaign)["remainder"] == 200_000


def test_the_seed_story_funds_four_hundred_bags(campaign, donor, staff):
    give(campaign, donor, staff, amount=49_000_000)
    give(campaign, donor, staff, amount=51_000_000)
    give(campaign, donor, staff, amount=300_000_000)
    assert Bag.objects.filter(campaign=campaign).count() == 400
    assert BagFunding.objects.aggregate(total=Sum("amount"))["total"] == 400 * MILLION


def test_every_cash_bag_is_paid_exactly_its_value(campaign, donor, staff):
    for amount in (350_000, 1_250_000, 999_999, 2_400_001, 1):
        give(campaign, donor, staff, amount=amount)
    for bag in Bag.objects.filter(campaign=campaign):
        assert sum(parts_of(bag).values()) == campaign.bag_value
    assert Bag.objects.filter(campaign=campaign).count() == 5_000_000 // MILLION


def test_bags_given_in_kind_are_added_directly_and_traced_to_their_donation(campaign, donor, staff):
    donation, bags = give(campaign, donor, staff, bags=25)
    assert len(bags) == 25
    assert all(bag.source == Bag.Source.IN_KIND for bag in bags)
    assert BagFunding.objects.filter(donation=donation).count() == 25


def test_receipts_are_numbered_in_sequence_per_campaign(campaign, donor, staff):
    numbers = [give(campaign, donor, staff, amount=MILLION)[0].receipt_number for _ in range(3)]
    assert numbers == ["Q5-2021-BN000001", "Q5-2021-BN000002", "Q5-2021-BN000003"]


def test_bag_serials_are_numbered_in_sequence_across_cash_and_kind(campaign, donor, staff):
    give(campaign, donor, staff, amount=2 * MILLION)
    give(campaign, donor, staff, bags=1)
    assert list(Bag.objects.order_by("number").values_list("serial", flat=True)) == [
        "Q5-2021-T000001",
        "Q5-2021-T000002",
        "Q5-2021-T000003",
    ]


def test_the_same_submission_key_records_a_donation_only_once(campaign, donor, staff):
    import uuid

    key = uuid.uuid4()
    first, _bags = give(campaign, donor, staff, amount=3 * MILLION, submission_key=key)
    again, bags_again = give(campaign, donor, staff, amount=3 * MILLION, submission_key=key)
    assert again.pk == first.pk
    assert bags_again is None
    assert Donation.objects.count() == 1
    assert Bag.objects.count() == 3


def test_a_closed_campaign_takes_no_donation(campaign, donor, staff):
    campaign.is_open = False
    campaign.save()
    with pytest.raises(ValidationError):
        give(campaign, donor, staff, amount=MILLION)
    assert Donation.objects.count() == 0


def test_a_recorded_donation_cannot_be_changed_by_the_model(campaign, donor, staff):
    donation, _ = give(campaign, donor, staff, amount=MILLION)
    donation.amount = 10
    with pytest.raises(ValidationError):
        donation.save()
    with pytest.raises(ValidationError):
        donation.delete()


def test_a_recorded_donation_cannot_be_changed_even_by_a_raw_update(campaign, donor, staff):
    donation, _ = give(campaign, donor, staff, amount=MILLION)
    with pytest.raises(DatabaseError), transaction.atomic():
        Donation.objects.filter(pk=donation.pk).update(amount=10)
    donation.refresh_from_db()
    assert donation.amount == MILLION


def test_the_database_refuses_a_negative_donation_without_a_reversal(campaign, donor, staff):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(
            campaign=campaign,
            donor=donor,
            amount=-5,
            received_on="2021-08-20",
            receipt_seq=99,
            receipt_number="X-99",
            recorded_by=staff,
        )


class TestReversal:
    def test_a_reversal_voids_the_bags_it_leaves_unpaid_while_they_are_at_the_district(self, campaign, donor, staff):
        donation, _bags = give(campaign, donor, staff, amount=3 * MILLION)
        reversal, voided = donation_reverse(donation=donation, recorded_by=staff, reason="Nhập nhầm số tiền")
        assert reversal.amount == -3 * MILLION
        assert reversal.reverses == donation
        assert len(voided) == 3
        assert Bag.objects.filter(state=Bag.State.VOID, unfunded=True).count() == 3
        assert BagFunding.objects.count() == 0
        assert campaign_money(campaign) == {"net_cash": 0, "in_bags": 0, "funding": 0, "surplus": 0, "remainder": 0}

    def test_a_reversal_keeps_bags_that_other_money_still_pays_and_repays_them(self, campaign, donor, staff):
        first, _ = give(campaign, donor, staff, amount=1_500_000)
        second, _ = give(campaign, donor, staff, amount=1_500_000)
        allocation_create(campaign=campaign, ward=_ward(campaign), quantity=1, created_by=staff)
        _reversal, voided = donation_reverse(donation=first, recorded_by=staff, reason="Chuyển khoản bị trả lại")
        assert sorted(bag.number for bag in voided) == [2, 3]
        kept = Bag.objects.get(number=1)
        assert kept.state == Bag.State.ALLOCATED
        assert parts_of(kept) == {second.pk: MILLION}
        assert campaign_money(campaign)["remainder"] == 500_000

    def test_a_reversal_that_would_unpay_bags_already_in_wards_is_refused(self, campaign, donor, staff):
        donation, _ = give(campaign, donor, staff, amount=2 * MILLION)
        allocation_create(campaign=campaign, ward=_ward(campaign), quantity=2, created_by=staff)
        with pytest.raises(ValidationError, match="đã phân bổ"):
            donation_reverse(donation=donation, recorded_by=staff, reason="Nhầm")
        assert Donation.objects.count() == 1
        assert Bag.objects.filter(state=Bag.State.ALLOCATED).count() == 2

    def test_a_reversal_needs_a_reason(self, campaign, donor, staff):
        donation, _ = give(campaign, donor, staff, amount=MILLION)
        with pytest.raises(ValidationError):
            donation_reverse(donation=donation, recorded_by=staff, reason="  ")
        assert Donation.objects.count() == 1

    def test_a_donation_is_reversed_at_most_once(self, campaign, donor, staff):
        donation, _ = give(campaign, donor, staff, amount=MILLION)
        reversal, _ = donation_reverse(donation=donation, recorded_by=staff, reason="Nhầm")
        with pytest.raises(ValidationError):
            donation_reverse(donation=donation, recorded_by=staff, reason="Lần nữa")
        with pytest.raises(ValidationError):
            donation_reverse(donation=reversal, recorded_by=staff, reason="Đảo lại")
        assert Donation.objects.count() == 2

    def test_money_freed_by_a_reversal_funds_the_next_bag(self, campaign, donor, staff):
        first, _ = give(campaign, donor, staff, amount=600_000)
        second, _ = give(campaign, donor, staff, amount=600_000)
        donation_reverse(donation=first, recorded_by=staff, reason="Nhầm")
        third, bags = give(campaign, donor, staff, amount=400_000)
        assert len(bags) == 1
        assert parts_of(bags[0]) == {second.pk: 600_000, third.pk: 400_000}

    def test_reversing_bags_in_kind_voids_them_while_at_the_district(self, campaign, donor, staff):
        donation, _ = give(campaign, donor, staff, bags=5)
        _, voided = donation_reverse(donation=donation, recorded_by=staff, reason="Hàng chưa về")
        assert len(voided) == 5
        assert Bag.objects.exclude(state=Bag.State.VOID).count() == 0


def _ward(campaign):
    from relief.models import Ward

    return Ward.objects.get_or_create(district=campaign.district, code="q5-p09", defaults={"name": "Phường 9"})[0]


def test_reversing_bags_in_kind_keeps_the_reason_of_a_bag_already_lost_in_a_ward(campaign, donor, staff):
    from relief.services import bag_void

    donation, _ = give(campaign, donor, staff, bags=2)
    ward = _ward(campaign)
    allocation_create(campaign=campaign, ward=ward, quantity=1, created_by=staff)
    lost = Bag.objects.get(ward=ward)
    bag_void(bag=lost, voided_by=staff, reason="Mất khi vận chuyển")
    donation_reverse(donation=donation, recorded_by=staff, reason="Hàng không về")
    lost.refresh_from_db()
    assert (lost.state, lost.void_reason, lost.ward, lost.unfunded) == (
        Bag.State.VOID,
        "Mất khi vận chuyển",
        ward,
        True,
    )
    assert Bag.objects.filter(unfunded=True).count() == 2
