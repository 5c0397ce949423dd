"""Reads behind the ward officer's pages, each in a small fixed number of queries.

The figures themselves come from ``relief.selectors.ward_figures`` so the ward page and the leaders' dashboard
never disagree.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from relief.history import record_history
from relief.models import Bag, Campaign, Distribution, WardRequest
from relief.selectors import ward_figures

from .models import Household

PAGE_SIZE = 25
PRINT_LIMIT = 5000


def open_campaigns_for(user):
    """Open campaigns of the user's district, the most recent first."""
    return Campaign.objects.visible_to(user).open().order_by(F("starts_on").desc(nulls_last=True), "-pk")


def campaign_choice(user, wanted=None):
    """``(campaign, campaigns)``: the open campaign the officer asked for (by pk), else the most recent one.

    ``campaign`` is None when the district has no open campaign; a pk the officer may not see is ignored.
    """
    campaigns = list(open_campaigns_for(user)[:20])
    by_pk = {str(campaign.pk): campaign for campaign in campaigns}
    chosen = by_pk.get(str(wanted)) if wanted else None
    return chosen or (campaigns[0] if campaigns else None), campaigns


def _day_bounds(day):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


@dataclass
class WardHome:
    figures: object
    handed_out_today: int
    latest: list
    latest_households: list
    requests: list


def ward_home(user, campaign, *, latest=10):
    """What an officer sees on landing: the ward's figures for ``campaign``, today's count and recent entries."""
    ward = user.ward
    households = Household.objects.visible_to(user)
    latest_households = list(households.order_by("-created_at", "-pk")[:5])
    if campaign is None:
        return WardHome(None, 0, [], latest_households, [])
    figures = ward_figures(campaign, [ward])[ward.pk]
    distributions = Distribution.objects.visible_to(user).filter(campaign=campaign)
    start, end = _day_bounds(timezone.localdate())
    today = distributions.active().filter(handed_out_at__gte=start, handed_out_at__lt=end).count()
    recent = list(
        distributions.select_related("bag", "household", "recorded_by", "cancelled_by").order_by("-handed_out_at")[
            :latest
        ]
    )
    requests = list(WardRequest.objects.visible_to(user).filter(campaign=campaign).order_by("-created_at")[:3])
    return WardHome(figures, today, recent, latest_households, requests)


def ward_stock(user, campaign):
    """Bags of ``campaign`` in the officer's ward stock, shown above every hand-out button.

    One COUNT with the definition ``ward_figures`` uses for ``in_stock`` (bags allocated and not handed out), so the
    counter and the ward page agree without the cost of the full figures on every hand-out.
    """
    if campaign is None:
        return 0
    return Bag.objects.visible_to(user).filter(campaign=campaign, state=Bag.State.ALLOCATED).count()


@dataclass
class HouseholdPage:
    rows: list
    next_after: int | None  # the last row's pk when another page follows (keyset pagination)


def household_page(user, *, campaign=None, text="", category=None, status="", residence="", served="", after=None):
    """One page of the officer's register, ordered by folded name, in two queries (rows, then categories).

    Keyset pagination (``after`` = the last pk seen) instead of OFFSET and a full COUNT, so the hundredth page of
    a ward with tens of thousands of households costs what the first does.
    """
    households = Household.objects.visible_to(user).search(text)
    if category:
        households = households.filter(categories=category)
    if status:
        households = households.filter(status=status)
    if residence:
        households = households.filter(residence=residence)
    if campaign is not None:
        households = households.with_served(campaign)
        if served == "yes":
            households = households.filter(served=True)
        elif served == "no":
            households = households.filter(served=False)
    if after:
        last = Household.objects.visible_to(user).filter(pk=after).values_list("name_key", flat=True).first()
        if last is not None:
            households = households.filter(Q(name_key__gt=last) | Q(name_key=last, pk__gt=after))
    rows = list(households.order_by("name_key", "pk").prefetch_related("categories")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return HouseholdPage(rows, rows[-1].pk if more else None)


def household_for_item(user, pk, campaign, *, handed_out=None):
    """One household annotated as the register's rows are, to redraw its row after a hand-out.

    ``handed_out``, the hand-out of ``campaign`` just recorded for it, spares reading the household again: the
    service read it under its lock, and it is served now.
    """
    if handed_out is not None and handed_out.household_id == pk:
        household = handed_out.household
        household.served = True
        return household
    households = Household.objects.visible_to(user).prefetch_related("categories")
    if campaign is not None:
        households = households.with_served(campaign)
    return households.get(pk=pk)


def household_hand_outs(household):
    """Every hand-out to ``household``, cancelled ones included: the history stays visible."""
    return list(
        household.distributions.select_related("bag", "campaign", "recorded_by", "cancelled_by").order_by(
            "-handed_out_at"
        )
    )


def bag_hand_outs(user, bag):
    """Every hand-out of ``bag`` the user may see, the cancelled ones too."""
    distributions = Distribution.objects.visible_to(user).filter(bag=bag)
    return list(distributions.select_related("household", "recorded_by", "cancelled_by").order_by("-handed_out_at"))


def ward_requests_of(user, *, limit=50):
    """The ward's latest requests to the district, whatever their campaign, newest first."""
    return list(WardRequest.objects.visible_to(user).select_related("campaign").order_by("-created_at")[:limit])


def signature_list(user, campaign, *, served=""):
    """Approved households of the officer's ward in name order, for the printed list people sign."""
    households = Household.objects.visible_to(user).approved()
    if campaign is not None and served in ("yes", "no"):
        households = households.with_served(campaign).filter(served=served == "yes")
    return list(
        households.order_by("name_key", "pk").only("pk", "head_name", "address", "national_id", "members")[:PRINT_LIMIT]
    )


# What a person changes on a household, in the order its page lists them; the search keys would repeat them.
HISTORY_FIELDS = (
    "ward",
    "head_name",
    "national_id",
    "phone",
    "address",
    "members",
    "residence",
    "categories",
    "status",
    "source",
    "notes",
)


def household_changes(household, *, limit=50):
    """Who changed the household, when, and each field's old and new value (ID and phone masked)."""
    return record_history(household, fields=HISTORY_FIELDS, limit=limit)
