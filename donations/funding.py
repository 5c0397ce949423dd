"""Turning a campaign's money and gifts in kind into bags, a bounded batch at a time.

A donation funds (or, in kind, brings) at most ``FUNDING_BATCH`` bags in the transaction that records it, so no
request holds the campaign's lock for long whatever amount is accepted; the bags still owed come from a background
task (``campaign_funding_task``), one batch per short transaction, each under the campaign's lock like any
donation. How many cash bags the money owes is ``Campaign.cash_bags_for`` (whole bag values, up to the target).
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django_tasks import task
from simple_history.utils import bulk_create_with_history

from relief.models import Bag, Campaign, User

from .models import BagFunding, Donation

# Half a second or so of inserts (bags, their history rows, their funding parts) per transaction.
FUNDING_BATCH = 500


def lock_campaign(campaign):
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def new_bags(campaign, count, source, created_by):
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


def cash_bags_owed(campaign):
    """Cash bags the campaign's money pays for but that do not exist yet (0 when the books balance)."""
    net_cash = Donation.objects.filter(campaign=campaign).net_cash()
    funded = Bag.objects.filter(campaign=campaign, source=Bag.Source.CASH, unfunded=False).count()
    return campaign.cash_bags_for(net_cash) - funded


def _in_kind_owed(campaign):
    """In-kind gifts (not reversed) that brought fewer bags than they give, oldest first: (donation id, missing)."""
    gifts = (
        Donation.objects.filter(campaign=campaign, bags_in_kind__gt=0, reversal__isnull=True)
        .annotate(brought=Count("fundings"))
        .filter(bags_in_kind__gt=F("brought"))
        .order_by("pk")
        .values_list("pk", "bags_in_kind", "brought")
    )
    return [(pk, wanted - brought) for pk, wanted, brought in gifts]


def bring_in_kind(campaign, donation_id, count, recorded_by):
    """Put ``count`` bags of the in-kind gift ``donation_id`` into the district's stock, each traced to the gift
    by a part of 0 đồng (invariant 2); return the bags."""
    bags = new_bags(campaign, count, Bag.Source.IN_KIND, recorded_by)
    BagFunding.objects.bulk_create([BagFunding(bag=bag, donation_id=donation_id, amount=0) for bag in bags])
    return bags


def _bring_in_kind_batch(campaign, recorded_by):
    """Bring one batch of the in-kind bags still owed, oldest gift first; return how many it brought."""
    room = FUNDING_BATCH
    for donation_id, missing in _in_kind_owed(campaign):
        take = min(missing, room)
        if not take:
            break
        bring_in_kind(campaign, donation_id, take, recorded_by)
        room -= take
    return FUNDING_BATCH - room


def _fund(campaign, recorded_by, underfunded=()):
    """Pay the ``underfunded`` bags again, then fund one batch of the bags owed; return (new bags, still owed)."""
    free = _free_money(campaign)
    missing = sum(amount for _, amount in underfunded)
    if sum(amount for _, amount in free) < missing:
        raise ValidationError("Không đủ tiền để giữ các túi đã phân bổ.")  # the reversal's plan rules this out
    parts = _fill(underfunded, free)
    owed = cash_bags_owed(campaign)
    count = max(0, min(owed, FUNDING_BATCH))
    bags = new_bags(campaign, count, Bag.Source.CASH, recorded_by) if count else []
    parts += _fill([(bag.pk, campaign.bag_value) for bag in bags], free)
    BagFunding.objects.bulk_create(parts)
    return bags, owed - count


def campaign_fund_bags(campaign, *, recorded_by, underfunded=()):
    """Bring the campaign's cash bags towards its money, one batch at most; return the bags newly funded.

    ``underfunded`` lists (bag id, đồng missing) for bags whose part from a reversed donation was just taken away:
    they are paid again first, then new bags are funded from the free money, oldest donation first, as many as
    ``Campaign.cash_bags_for`` owes (invariant 2) but at most ``FUNDING_BATCH``. When more are owed, the
    background task is queued for once this transaction commits. The caller holds the campaign's lock.
    """
    bags, still_owed = _fund(campaign, recorded_by, underfunded)
    if still_owed > 0:
        queue_funding(campaign, recorded_by)
    return bags


@task()
def campaign_funding_task(campaign_id, recorded_by_id):
    """Bring the bags large donations still owe (gifts in kind first, then cash), one batch per transaction, until
    the books balance.

    Each batch takes and releases the campaign's lock, so other donations of the district go through in between;
    a second task queued meanwhile finds nothing owed and stops.
    """
    recorded_by = User.objects.get(pk=recorded_by_id)
    while _funding_round(campaign_id, recorded_by):
        pass


@transaction.atomic
def _funding_round(campaign_id, recorded_by):
    """One batch under the campaign's lock, gifts in kind first, then cash; True while more may be owed."""
    campaign = lock_campaign(Campaign(pk=campaign_id))
    if _bring_in_kind_batch(campaign, recorded_by):
        return True
    _, still_owed = _fund(campaign, recorded_by)
    return still_owed > 0


def queue_funding(campaign, recorded_by):
    """Have the background task bring the bags still owed, once this transaction commits."""
    transaction.on_commit(partial(campaign_funding_task.enqueue, campaign.pk, recorded_by.pk))
