"""Money in, bags out: recording donors, donations and reversals, and funding bags as the money arrives.

Every function here locks the campaign row first, so receipt numbers, bag numbers and the funding of bags are
decided one donation at a time per campaign, whatever the number of staff typing at once. A receipt number is taken
in the savepoint that inserts the entry with its one-time key (``relief.submissions``), so a repeated submission
rolls it back and receipts run without gaps.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from relief.models import Bag
from relief.selectors import campaign_bags
from relief.services import bags_unfund
from relief.submissions import submit_once

from .funding import FUNDING_BATCH, bring_in_kind, campaign_fund_bags, lock_campaign, queue_funding
from .models import BagFunding, Donation, Donor


def _next_receipt(campaign):
    campaign.last_receipt_seq += 1
    type(campaign).objects.filter(pk=campaign.pk).update(last_receipt_seq=campaign.last_receipt_seq)
    return campaign.last_receipt_seq, campaign.receipt_number(campaign.last_receipt_seq)


def donor_create(*, created_by, district, name, kind=Donor.Kind.INDIVIDUAL, organisation="", phone="", anonymous=False):
    """Add a donor to ``district``'s list, recorded in the history as added by ``created_by``."""
    donor = Donor(
        name=name,
        kind=kind or Donor.Kind.INDIVIDUAL,
        organisation=organisation,
        phone=phone,
        anonymous=anonymous,
        district=district,
        created_by=created_by,
    )
    donor._history_user = created_by
    donor.save()
    return donor


@transaction.atomic
def donation_record(
    *,
    campaign,
    recorded_by,
    received_on,
    method,
    donor=None,
    new_donor=None,
    amount=0,
    bags_in_kind=0,
    note="",
    submission_key=None,
):
    """Record a donation, issue its receipt number and fund the bags it completes.

    The giver is ``donor``, or a donor made from ``new_donor`` (the keyword arguments of ``donor_create``) in the
    same savepoint, so a repeated submission adds no donor either. Returns ``(donation, bags)``: ``bags`` are the
    bags this donation funded (for cash, those whose value it completed, one batch at most; for a gift in kind,
    the bags it brought). A ``submission_key`` already recorded returns that donation and ``None`` for the bags:
    nothing was recorded this time; the same key with other content is refused.
    """
    amount = amount if method != Donation.Method.IN_KIND else 0
    bags_in_kind = bags_in_kind if method == Donation.Method.IN_KIND else 0
    campaign = lock_campaign(campaign)
    funded = []

    def same(earlier):
        return (
            earlier.reverses_id is None
            and earlier.campaign_id == campaign.pk
            and (donor is None or earlier.donor_id == donor.pk)
            and (earlier.method, earlier.amount, earlier.bags_in_kind) == (method, amount, bags_in_kind)
        )

    def create():
        if not campaign.is_open:
            raise ValidationError("Chương trình “%(name)s” đã đóng, không nhận thêm ủng hộ.", params={"name": campaign})
        giver = donor or donor_create(created_by=recorded_by, district=campaign.district, **new_donor)
        seq, number = _next_receipt(campaign)
        donation = Donation(
            campaign=campaign,
            donor=giver,
            method=method,
            amount=amount,
            bags_in_kind=bags_in_kind,
            received_on=received_on,
            receipt_seq=seq,
            receipt_number=number,
            note=note,
            recorded_by=recorded_by,
            submission_key=submission_key,
        )
        donation._history_user = recorded_by
        donation.save(force_insert=True)
        if method == Donation.Method.IN_KIND:
            bags = bring_in_kind(campaign, donation.pk, min(bags_in_kind, FUNDING_BATCH), recorded_by)
            if bags_in_kind > FUNDING_BATCH:
                queue_funding(campaign, recorded_by)
        else:
            bags = campaign_fund_bags(campaign, recorded_by=recorded_by)
        funded.extend(bags)
        return donation

    try:
        donation, created = submit_once(Donation, key=submission_key, same=same, create=create)
    except IntegrityError as exc:
        raise ValidationError("Số tiền hoặc số túi không hợp lệ.") from exc
    return donation, (funded if created else None)


# The code of a reversal refused until bags come back from the wards; its ``needed`` says how many.
NEEDS_RECALL = "needs_recall"


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
                "Không thể điều chỉnh: %(n)s túi của khoản này đã phân bổ cho %(unit)s hoặc đã trao.",
                params={"n": len(away), "unit": campaign.district.units_label.lower()},
            )
        return bags
    funded_cash_bags = Bag.objects.filter(campaign=campaign, source=Bag.Source.CASH, unfunded=False)
    money_after = Donation.objects.filter(campaign=campaign).net_cash() - original.amount
    to_void = funded_cash_bags.count() - campaign.cash_bags_for(money_after)
    if to_void <= 0:
        return []
    at_district = list(
        funded_cash_bags.filter(state=Bag.State.AT_DISTRICT).select_for_update().order_by("-number")[:to_void]
    )
    if len(at_district) < to_void:
        raise ValidationError(
            "Không thể điều chỉnh: sau điều chỉnh chỉ còn đủ tiền cho %(keep)s túi, nhưng %(away)s túi đã phân bổ "
            "cho %(unit)s hoặc đã trao. Hãy thu hồi %(needed)s túi từ %(unit)s về kho trước.",
            code=NEEDS_RECALL,
            params={
                "keep": campaign.cash_bags_for(money_after),
                "away": funded_cash_bags.count() - len(at_district),
                "needed": to_void - len(at_district),
                "unit": campaign.district.units_label.lower(),
            },
        )
    return at_district


@transaction.atomic
def donation_reverse(*, donation, recorded_by, reason, received_on=None, submission_key=None):
    """Record the reversal of ``donation`` with a reason, void the bags it leaves unpaid and re-pay the rest.

    Returns ``(reversal, voided_bags)``; a ``submission_key`` already spent on this reversal returns it and
    ``None`` (nothing done this time), one spent on another entry is refused.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Hãy ghi lý do điều chỉnh.")
    campaign = lock_campaign(donation.campaign)
    voided = []

    def create():
        original = Donation.objects.select_for_update().get(pk=donation.pk)
        if original.is_reversal:
            raise ValidationError("Đây là một bút toán điều chỉnh; không điều chỉnh nó thêm lần nữa.")
        if Donation.objects.filter(reverses=original).exists():
            raise ValidationError(
                "Khoản %(number)s đã được điều chỉnh rồi.", params={"number": original.receipt_number}
            )
        to_void = _plan_reversal(campaign, original)
        reversal = _reversal_save(campaign, original, recorded_by, reason, received_on, submission_key)
        _void_unpaid(original, reversal, to_void, recorded_by, reason)
        if original.method != Donation.Method.IN_KIND:
            taken = BagFunding.objects.filter(donation=original)
            underfunded = list(taken.values_list("bag_id", "amount"))
            taken.delete()
            campaign_fund_bags(campaign, recorded_by=recorded_by, underfunded=underfunded)
        voided.extend(to_void)
        return reversal

    reversal, created = submit_once(
        Donation, key=submission_key, same=lambda earlier: earlier.reverses_id == donation.pk, create=create
    )
    return reversal, (voided if created else None)


def _reversal_save(campaign, original, recorded_by, reason, received_on, submission_key):
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
    return reversal


def _void_unpaid(original, reversal, to_void, recorded_by, reason):
    void_reason = f"Khoản {original.receipt_number} được điều chỉnh ({reversal.receipt_number}): {reason}"[:300]
    bags_unfund(bags=to_void, reason=void_reason, user=recorded_by)
    BagFunding.objects.filter(bag__in=to_void).delete()


def campaign_money(campaign, bags=None):
    """The campaign's money at a glance: received, in bags, on its way into bags, beyond the target, and the
    remainder not yet making a whole bag.

    Money in bags is the funded cash bags (from the bag counters) times the bag value: every funded cash bag is
    paid exactly its value by its ``BagFunding`` parts (invariant 2, which ``check_ledger`` verifies bag by bag),
    so the page reads counters instead of summing every funding part. ``funding`` is money whose bags the
    background task is still making; ``surplus`` is the whole bag values beyond the target, recorded but not
    turned into bags (``Campaign.cash_bags_for``).

    ``bags`` is the campaign's ``relief.selectors.campaign_bags``, when the caller has read them already.
    """
    net = Donation.objects.filter(campaign=campaign).net_cash()
    bags = bags or campaign_bags(campaign)
    funded = bags["funded"] - bags["in_kind"]  # funded cash bags: a bag is paid in cash or brought in kind
    owed = campaign.cash_bags_for(net)
    in_bags = funded * campaign.bag_value
    funding = max(owed - funded, 0) * campaign.bag_value
    surplus = (max(net, 0) // campaign.bag_value - owed) * campaign.bag_value
    return {
        "net_cash": net,
        "in_bags": in_bags,
        "funding": funding,
        "surplus": surplus,
        "remainder": net - in_bags - funding - surplus,
    }
