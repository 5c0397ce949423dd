"""Reads behind the ward officer's pages, each in a small fixed number of queries.

The figures themselves come from ``relief.selectors.ward_figures`` so the ward page and the leaders' dashboard
never disagree.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from relief.models import Bag, Campaign, Distribution, Ward, WardRequest
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
    previous_before: int | None = None  # the first row's pk when a page comes before it
    matches: int | None = None  # how many households match, counted up to MATCHES_COUNTED


def _name_order_page(households, scope, *, size, after=None, before=None):
    """The page of ``households`` in (folded name, pk) order that follows the row ``after`` or precedes ``before``.

    Keyset pagination: the cursor is a household's pk, looked up in ``scope`` (one query; a pk outside it is
    ignored and the first page comes back), and the page starts where that row's name sorts, so the hundredth
    page costs what the first does. ``name_key >= last`` is spelled out beside the tie-break on pk so that
    PostgreSQL can start its walk of the name index there.
    """
    pk = after or before
    key = scope.filter(pk=pk).values_list("name_key", flat=True).first() if pk else None
    if key is None:
        after = before = None
    elif after:
        households = households.filter(Q(name_key__gte=key), Q(name_key__gt=key) | Q(pk__gt=after))
    else:
        households = households.filter(Q(name_key__lte=key), Q(name_key__lt=key) | Q(pk__lt=before))
        rows = list(households.order_by("-name_key", "-pk")[: size + 1])
        earlier = len(rows) > size
        rows = rows[:size][::-1]
        return HouseholdPage(rows, rows[-1].pk if rows else None, rows[0].pk if earlier else None)
    rows = list(households.order_by("name_key", "pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return HouseholdPage(rows, rows[-1].pk if more else None, rows[0].pk if after and rows else None)


def household_page(user, *, campaign=None, text="", category=None, status="", residence="", served="", after=None):
    """One page of the officer's register, ordered by folded name, in two queries (rows, then categories), plus
    one to find where the page starts when it follows another."""
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
    households = households.prefetch_related("categories")
    return _name_order_page(households, Household.objects.visible_to(user), size=PAGE_SIZE, after=after)


DISTRICT_PAGE_SIZE = 50
MATCHES_COUNTED = 1000


def district_household_page(user, *, ward=None, status="", category=None, text="", after=None, before=None):
    """One page of the households of the wards ``user`` may see (or of ``ward``), ordered by folded name, with how
    many match (up to ``MATCHES_COUNTED``; the page says "more than" past it): four queries, five when paging.

    The wards are read first and the households filtered by their ids, not by a join on the district: PostgreSQL
    then intersects the search index with one scan of the wards' index, where the join made it repeat the search
    once per ward (19 times the work in a city district). The rows get their ward from that first read.
    """
    wards = {ward.pk: ward} if ward else {item.pk: item for item in Ward.objects.visible_to(user)}
    scope = Household.objects.filter(ward_id__in=list(wards))
    households = scope.search(text)
    if status:
        households = households.filter(status=status)
    if category:
        households = households.filter(categories=category)
    matches = households.order_by()[: MATCHES_COUNTED + 1].count()
    page = _name_order_page(
        households.prefetch_related("categories"), scope, size=DISTRICT_PAGE_SIZE, after=after, before=before
    )
    for household in page.rows:
        household.ward = wards[household.ward_id]
    page.matches = matches
    return page


def household_for_item(user, pk, campaign):
    """One household annotated as the register's rows are, to redraw its row after a hand-out."""
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


@dataclass
class Change:
    when: datetime.datetime
    who: str
    kind: str
    fields: list


HISTORY_KINDS = {"+": "Tạo", "~": "Sửa", "-": "Xóa"}
# What a person changes; the search keys derived from them would only repeat the same change.
SHOWN_FIELDS = ("head_name", "national_id", "phone", "address", "members", "residence", "notes", "status")


def household_changes(household, *, limit=50):
    """Who changed the household, when, and which fields (by name only: the page never repeats old ID numbers)."""
    records = list(household.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    changes = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        fields = []
        if previous is not None and record.history_type == "~":
            diff = record.diff_against(previous, included_fields=SHOWN_FIELDS)
            fields = [str(Household._meta.get_field(change.field).verbose_name) for change in diff.changes]
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else "hệ thống"
        changes.append(Change(record.history_date, who, HISTORY_KINDS[record.history_type], fields))
    return changes
