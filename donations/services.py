"""Money in, bags out: recording donations and reversals, and funding bags as the money arrives.

Every function here locks the campaign row first, so receipt numbers, bag numbers and the funding of bags are
decided one donation at a time per campaign, whatever the number of staff typing at once.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from simple_history.utils import bulk_create_with_history

from relief.models import Bag, Campaign
from relief.tallies import BagTally

from .models import BagFunding, Donation


def _lock_campaign(campaign):
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _next_receipt(campaign):
    campaign.last_receipt_seq += 1
    Campaign.objects.filter(pk=campaign.pk).update(last_receipt_seq=campaign.last_receipt_seq)
    return campaign.last_receipt_seq, campaign.receipt_number(campaign.last_receipt_seq)


def _new_bags(campaign, count, source, created_by):
    """Create ``count`` bags at the district with the next numbers of the campaign, each in the history as
    created by the person who recorded the money that funds it (invariant 6)."""
    first = campaign.last_bag_number + 1
    campaign.last_bag_number += count
    Campaign.objects.filter(pk=campaign.pk).update(last_bag_number=campaign.last_bag_number)
    bags = [
        Bag(campaign=campaign, number=n, serial=campaign.bag_serial(n), source=source)
        for n in range(first, first + count)
    ]
    return bulk_create_with_history(bags, Bag, default_user=created_by)


def _free_money(campaign):
    """Cash donations that still hold money not yet in a bag, oldest first, with how much each holds."""
    donations = (
        Donation.objects.filter(campaign=campaign, amount__gt=0, reversal__isnull=True)
        .annotate(used=Sum("fundings__amount", default=0))
        .filter(amount__gt=F("used"))
        .order_by("pk")
        .values_list("pk", "amount", "used")
    )
    return [[pk, amount - used] for pk, amount, used in donations]


def _fill(bag_needs, free):
    """Pay each (bag, amount still needed) from the free money, oldest donation first; return the parts."""
    parts = []
    for bag_id, needed in bag_needs:
        while needed:
            donation = free[0]
            take = min(needed, donation[1])
            parts.append(BagFunding(bag_id=bag_id, donation_id=donation[0], amount=take))
            donation[1] -= take
            needed -= take
            if not donation[1]:
                free.pop(0)
    return parts


def campaign_fund_bags(campaign, *, recorded_by, underfunded=()):
    """Bring the campaign's cash bags in line with its money; return the bags newly funded.

    ``underfunded`` lists (bag id, đồng missing) for bags whose part from a reversed donation was just taken away:
    they are paid again first, then every whole bag value of money still free funds a new bag (invariant 2).
    The caller holds the campaign's lock.
    """
    free = _free_money(campaign)
    available = sum(amount for _, amount in free)
    missing = sum(amount for _, amount in underfunded)
    if available < missing:
        raise ValidationError("Không đủ tiền để giữ các túi đã phân bổ.")  # _plan_reversal rules this out
    parts = _fill(underfunded, free)
    count = (available - missing) // campaign.bag_value
    bags = _new_bags(campaign, count, Bag.Source.CASH, recorded_by) if count else []
    parts += _fill([(bag.pk, campaign.bag_value) for bag in bags], free)
    BagFunding.objects.bulk_create(parts)
    return bags


@transaction.atomic
def donation_record(
    *, campaign, donor, recorded_by, received_on, method, amount=0, bags_in_kind=0, note="", submission_key=None
):
    """Record a donation, issue its receipt number and fund the bags it completes.

    Returns ``(donation, bags)``: ``bags`` are the bags this donation funded (for cash, those whose value it
    completed; for a gift in kind, the bags it brought). A repeated ``submission_key`` returns the donation
    already recorded and no bags, so a double click never records twice.
    """
    if submission_key:
        existing = Donation.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing, []
    campaign = _lock_campaign(campaign)
    if not campaign.is_open:
        raise ValidationError("Chương trình “%(name)s” đã đóng, không nhận thêm ủng hộ.", params={"name": campaign})
    seq, number = _next_receipt(campaign)
    donation = Donation(
        campaign=campaign,
        donor=donor,
        method=method,
        amount=amount if method != Donation.Method.IN_KIND else 0,
        bags_in_kind=bags_in_kind if method == Donation.Method.IN_KIND else 0,
        received_on=received_on,
        receipt_seq=seq,
        receipt_number=number,
        note=note,
        recorded_by=recorded_by,
        submission_key=submission_key,
    )
    donation._history_user = recorded_by
    try:
        with transaction.atomic():
            donation.save(force_insert=True)
    except IntegrityError as exc:
        if submission_key and Donation.objects.filter(submission_key=submission_key).exists():
            return Donation.objects.get(submission_key=submission_key), []
        raise ValidationError("Số tiền hoặc số túi không hợp lệ.") from exc
    if donation.method == Donation.Method.IN_KIND:
        bags = _new_bags(campaign, donation.bags_in_kind, Bag.Source.IN_KIND, recorded_by)
        BagFunding.objects.bulk_create([BagFunding(bag=bag, donation=donation, amount=0) for bag in bags])
    else:
        bags = campaign_fund_bags(campaign, recorded_by=recorded_by)
    return donation, bags


def _plan_reversal(campaign, original):
    """Decide which bags a reversal voids, or refuse it.

    Policy (docs/ARCHITECTURE.md, "Corrections"): a reversal may only take back money or bags that are still at the
    district. The bags it leaves unpaid are voided, newest first, among those at the district; if bags already sent
    to wards or handed out would be left without money, the reversal is refused and nothing changes.
    """
    if original.method == Donation.Method.IN_KIND:
        bags = list(Bag.objects.filter(fundings__donation=original).select_for_update())
        away = [bag for bag in bags if bag.state in (Bag.State.ALLOCATED, Bag.State.HANDED_OUT)]
        if away:
            raise ValidationError(
                "Không thể điều chỉnh: %(n)s túi của khoản này đã phân bổ cho phường hoặc đã trao.",
                params={"n": len(away)},
            )
        return bags
    funded_cash_bags = Bag.objects.filter(campaign=campaign, source=Bag.Source.CASH, unfunded=False)
    money_after = Donation.objects.filter(campaign=campaign).net_cash() - original.amount
    to_void = funded_cash_bags.count() - money_after // campaign.bag_value
    if to_void <= 0:
        return []
    at_district = list(
        funded_cash_bags.filter(state=Bag.State.AT_DISTRICT).select_for_update().order_by("-number")[:to_void]
    )
    if len(at_district) < to_void:
        raise ValidationError(
            "Không thể điều chỉnh: sau điều chỉnh chỉ còn đủ tiền cho %(keep)s túi, nhưng %(away)s túi đã phân bổ "
            "cho phường hoặc đã trao. Hãy thu hồi túi tại phường trước.",
            params={"keep": money_after // campaign.bag_value, "away": funded_cash_bags.count() - len(at_district)},
        )
    return at_district


@transaction.atomic
def donation_reverse(*, donation, recorded_by, reason, received_on=None, submission_key=None):
    """Record the reversal of ``donation`` with a reason, void the bags it leaves unpaid and re-pay the rest.

    Returns ``(reversal, voided_bags)``.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Hãy ghi lý do điều chỉnh.")
    campaign = _lock_campaign(donation.campaign)
    original = Donation.objects.select_for_update().get(pk=donation.pk)
    if original.is_reversal:
        raise ValidationError("Đây là một bút toán điều chỉnh; không điều chỉnh nó thêm lần nữa.")
    if Donation.objects.filter(reverses=original).exists():
        raise ValidationError("Khoản %(number)s đã được điều chỉnh rồi.", params={"number": original.receipt_number})
    if submission_key and Donation.objects.filter(submission_key=submission_key).exists():
        # The view answers a repeat of this very reversal; a key already spent on another entry is a stale form.
        raise ValidationError("Biểu mẫu này đã được dùng cho một khoản khác. Hãy tải lại trang rồi thử lại.")
    to_void = _plan_reversal(campaign, original)
    seq, number = _next_receipt(campaign)
    reversal = Donation(
        campaign=campaign,
        donor=original.donor,
        method=original.method,
        amount=-original.amount,
        bags_in_kind=-original.bags_in_kind,
        received_on=received_on or original.received_on,
        receipt_seq=seq,
        receipt_number=number,
        reverses=original,
        reason=reason,
        recorded_by=recorded_by,
        submission_key=submission_key,
    )
    reversal._history_user = recorded_by
    reversal.save(force_insert=True)
    void_reason = f"Khoản {original.receipt_number} được điều chỉnh ({reversal.receipt_number}): {reason}"[:300]
    for bag in to_void:
        if bag.state != Bag.State.VOID:  # a bag already lost keeps where and why it was lost
            bag.state, bag.ward, bag.allocation, bag.void_reason = Bag.State.VOID, None, None, void_reason
        bag.unfunded = True
        bag._history_user = recorded_by
        bag.save()
    BagFunding.objects.filter(bag__in=to_void).delete()
    if original.method != Donation.Method.IN_KIND:
        taken = BagFunding.objects.filter(donation=original)
        underfunded = list(taken.values_list("bag_id", "amount"))
        taken.delete()
        campaign_fund_bags(campaign, recorded_by=recorded_by, underfunded=underfunded)
    return reversal, to_void


def campaign_money(campaign):
    """The campaign's money at a glance: received, in bags, and the remainder not yet making a whole bag.

    Money in bags is the funded cash bags (from the bag counters) times the bag value: every funded cash bag is
    paid exactly its value by its ``BagFunding`` parts (invariant 2, which ``check_ledger`` verifies bag by bag).
    Summing the funding parts instead would read a row per part of every bag, millions on a city, on every page.
    """
    net = Donation.objects.filter(campaign=campaign).net_cash()
    cash_bags = BagTally.objects.filter(campaign_id=campaign.pk, source=Bag.Source.CASH, unfunded=False)
    in_bags = cash_bags.aggregate(total=Sum("n", default=0))["total"] * campaign.bag_value
    return {"net_cash": net, "in_bags": in_bags, "remainder": net - in_bags}
