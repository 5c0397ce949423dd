"""Reads behind the ward officer's pages, each in a small fixed number of queries.

The figures themselves come from ``relief.selectors.ward_figures`` so the ward page and the leaders' dashboard
never disagree.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import F, Q
from django.utils import timezone

from relief.history import record_history
from relief.models import Campaign, Distribution, Ward, WardRequest
from relief.selectors import WardFigures, ward_figures, ward_stock_query
from relief.tallies import BagTally
from relief.text import fold

from .models import PERSON_FIELDS, Category, Household, MissedReport

PAGE_SIZE = 25
PRINT_LIMIT = 5000


def open_campaigns_for(user):
    """Open campaigns of the user's district, the most recent first."""
    return Campaign.objects.visible_to(user).open().order_by(F("starts_on").desc(nulls_last=True), "-pk")


def campaign_visible_to(user, pk):
    """Campaign ``pk``, open or closed, if ``user`` may see it; else None."""
    return Campaign.objects.visible_to(user).filter(pk=pk).first() if pk else None


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


def ward_figures_of(user, campaign, *, with_reports=False):
    """The officer's ward's figures for ``campaign`` (a ``WardFigures``; all zero without a campaign), with its
    missed-household reports counted if ``with_reports``."""
    if campaign is None:
        return WardFigures(user.ward_id)
    read = ward_figures_with_reports if with_reports else ward_figures
    return read(campaign, [user.ward])[user.ward_id]


def ward_home(user, campaign, *, latest=10):
    """What an officer sees on landing: the ward's figures for ``campaign``, today's count and recent entries."""
    households = Household.objects.visible_to(user)
    latest_households = list(households.order_by("-created_at", "-pk")[:5])
    if campaign is None:
        return WardHome(None, 0, [], latest_households, [])
    figures = ward_figures_of(user, campaign)
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
    """Bags of ``campaign`` in the officer's ward stock, shown above every hand-out button (0 for someone without a
    ward, who holds no stock)."""
    if campaign is None or user.ward_id is None:
        return 0
    connection = connections[router.db_for_read(BagTally)]
    with connection.cursor() as cursor:
        cursor.execute(*ward_stock_query(connection, campaign.pk, user.ward_id))
        return int(cursor.fetchone()[0])  # PostgreSQL sums bigints as numeric


@dataclass
class HouseholdPage:
    rows: list
    next_after: int | None  # the last row's pk when another page follows (keyset pagination)
    previous_before: int | None = None  # the first row's pk when a page comes before it
    matches: int | None = None  # how many households match, counted up to MATCHES_COUNTED


def _beyond(fields, values, direction):
    """Rows after (``"gt"``) or before (``"lt"``) ``values`` in the order of ``fields``, the last being unique.

    Spelled ``a >= x AND (a > x OR …)`` rather than ``a > x OR (a = x AND …)``, so that PostgreSQL can start its
    walk of an index in that order at the cursor instead of filtering from the first row.
    """
    (field, *fields), (value, *values) = fields, values
    if not fields:
        return Q(**{f"{field}__{direction}": value})
    return Q(**{f"{field}__{direction}e": value}) & (
        Q(**{f"{field}__{direction}": value}) | _beyond(fields, values, direction)
    )


def _keyset_page(households, scope, order, *, size, after=None, before=None):
    """The page of ``households`` in ``order`` (ending with "pk") after the row ``after`` or before ``before``.

    Keyset pagination: the cursor is a household's pk, looked up in ``scope`` (one query; a pk outside it is
    ignored and the first page comes back), and the page starts where that row sorts, so the hundredth page costs
    what the first does.
    """
    pk = after or before
    anchor = scope.filter(pk=pk).values_list(*order).first() if pk else None
    if anchor is None:
        after = before = None
    elif after:
        households = households.filter(_beyond(order, anchor, "gt"))
    else:
        households = households.filter(_beyond(order, anchor, "lt"))
        rows = list(households.order_by(*(f"-{field}" for field in order))[: size + 1])
        earlier = len(rows) > size
        rows = rows[:size][::-1]
        return HouseholdPage(rows, rows[-1].pk if rows else None, rows[0].pk if earlier else None)
    rows = list(households.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return HouseholdPage(rows, rows[-1].pk if more else None, rows[0].pk if after and rows else None)


def household_page(user, *, campaign=None, text="", category=None, status="", residence="", served="", after=None):
    """One page of the officer's register, ordered by folded name, in three queries (rows, categories, how many
    bags of ``campaign`` each holds), plus one to find where the page starts when it follows another."""
    households = Household.objects.visible_to(user).search(text)
    if category:
        households = households.filter(categories=category)
    if status:
        households = households.filter(status=status)
    if residence:
        households = households.filter(residence=residence)
    filter_served = campaign is not None and served in ("yes", "no")
    if filter_served:
        households = households.with_served(campaign).filter(served=served == "yes")
    households = households.prefetch_related("categories")
    scope = Household.objects.visible_to(user)
    page = _keyset_page(households, scope, ["name_key", "pk"], size=PAGE_SIZE, after=after)
    if campaign is not None:
        _mark_served(page.rows, campaign)
    return page


SCANNED_ELSEWHERE = "Số CCCD này đã đăng ký ở nơi khác."
SCANNED_NOWHERE = "Chưa có hộ nào đăng ký với số CCCD vừa quét. Nếu đúng người cần hỗ trợ, hãy thêm hộ mới."


def households_scanned(user, campaign, national_id):
    """The households a scanned CCCD names in ``user``'s scope, as cards for ``campaign``, and a message when
    there is none: a household of another unit is said to be registered elsewhere, and nothing more of it.

    A scan is a search by number: the same scope as the register's, its cards as masked.
    """
    households = list(Household.objects.visible_to(user).filter(national_id=national_id).order_by("name_key", "pk"))
    if households:
        if campaign is not None:
            _mark_served(households, campaign)
        return households, ""
    registered = Household.objects.filter(national_id=national_id).exclude(status=Household.Status.REJECTED)
    return [], SCANNED_ELSEWHERE if registered.exists() else SCANNED_NOWHERE


def _mark_served(households, campaign):
    """Set ``bags_received`` (how many bags of ``campaign`` each holds) and ``served`` (at least one) on a page of
    households with one query for the page's hand-outs.

    As an EXISTS in the page's own query it looks cheap per row, but PostgreSQL plans it for every household of
    the ward before the LIMIT and hashes all the campaign's hand-outs (tens of thousands in a city district); one
    query for the page's own households reads only theirs.
    """
    pks = [household.pk for household in households]
    received = Counter(
        Distribution.objects.holding(campaign).filter(household__in=pks).values_list("household", flat=True)
    )
    for household in households:
        household.bags_received = received[household.pk]
        household.served = household.bags_received > 0


DISTRICT_PAGE_SIZE = 50
# Ward by ward (in the order they were created), then by folded name: one walk of the index on these three
# columns finds a page of a common name ("thi", "an") in a district's wards without visiting other districts' rows.
DISTRICT_ORDER = ["ward_id", "name_key", "pk"]
MATCHES_COUNTED = 1000


def district_household_page(user, *, wards=None, ward=None, status="", category=None, text="", after=None, before=None):
    """One page of the households of the wards ``user`` may see (or of ``ward``, one of them), ward by ward and by
    folded name, with how many match (up to ``MATCHES_COUNTED``; the page says "more than" past it): three queries and
    the wards' unless the caller read them (``wards``, ``{pk: ward}`` of ``Ward.objects.visible_to(user)``), one
    more when paging.

    The wards are read first and the households filtered by their ids, not by a join on the district: PostgreSQL
    then intersects the search index with one scan of the wards' index, where the join made it repeat the search
    once per ward (19 times the work in a city district). The rows get their ward from that first read.
    """
    if wards is None:
        wards = {item.pk: item for item in Ward.objects.visible_to(user)}
    if ward is not None:
        wards = {pk: item for pk, item in wards.items() if pk == ward.pk}
    scope = Household.objects.filter(ward_id__in=list(wards))
    households = scope.search(text)
    if status:
        households = households.filter(status=status)
    if category:
        households = households.filter(categories=category)
    matches = households.order_by()[: MATCHES_COUNTED + 1].count()
    page = _keyset_page(households, scope, DISTRICT_ORDER, size=DISTRICT_PAGE_SIZE, after=after, before=before)
    names = _category_names([household.pk for household in page.rows])
    for household in page.rows:
        household.ward = wards[household.ward_id]
        household.category_names = names.get(household.pk, [])
    page.matches = matches
    return page


def _category_names(pks):
    """``{household pk: [category name, …]}`` in the categories' order, in one query: what a page shows of them.

    Prefetched instead, every row's ``categories.all`` builds a manager and a queryset to hand back the cached
    list, for names the template only joins."""
    links = Household.categories.through.objects.filter(household_id__in=pks)
    order = [f"category__{field}" for field in Category._meta.ordering]
    names = defaultdict(list)
    for pk, name in links.order_by(*order).values_list("household_id", "category__name"):
        names[pk].append(name)
    return names


def household_for_item(user, pk, campaign, *, handed_out=None):
    """One household annotated as the register's rows are, to redraw its row after a hand-out.

    ``handed_out``, the hand-out of ``campaign`` just recorded for it, spares reading the household again: the
    service read it under its lock, and it is served now (its card confirms the hand-out and offers no other, so
    it needs no count of its bags).
    """
    if handed_out is not None and handed_out.household_id == pk:
        household = handed_out.household
        household.served = True
        return household
    households = Household.objects.visible_to(user).prefetch_related("categories")
    if campaign is None:
        return households.get(pk=pk)
    household = households.with_bags_received(campaign).get(pk=pk)
    household.served = household.bags_received > 0
    return household


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


HISTORY_FIELDS = PERSON_FIELDS


def household_changes(household, *, limit=50):
    """Who changed the household, when, and each field's old and new value (ID and phone masked)."""
    return record_history(household, fields=HISTORY_FIELDS, limit=limit)


def report_candidates(user, report, *, limit=10):
    """Households of the officer's ward that may be the person ``report`` describes: the same phone number or the
    same name (without diacritics), for the officer to link the report to instead of registering them twice."""
    same = Q(name_key=fold(report.name))
    if report.phone:
        same |= Q(phone=report.phone)
    return list(Household.objects.visible_to(user).filter(same).order_by("name_key", "pk")[:limit])


# The most reports a list shows: a flood of reports leaves the queue pages their size, the oldest first.
REPORTS_SHOWN = 50


def first_reports(reports, *, limit=REPORTS_SHOWN):
    """``(the first reports of ``reports`` in its order, up to ``limit``, how many more there are)``; the count is
    read only when the list is full."""
    shown = list(reports[:limit])
    return shown, (reports.count() - limit if len(shown) == limit else 0)


def open_reports(user, *, limit=5):
    """``(count, the oldest few)`` of the open missed-household reports in the user's scope, for a start page."""
    reports = MissedReport.objects.visible_to(user).open()
    return reports.count(), list(reports.select_related("ward")[:limit])


def add_report_counts(campaign, figures, now=None):
    """Fill each ``WardFigures`` of ``figures`` (``{ward_id: WardFigures}``) with its ward's missed-household
    reports of ``campaign`` (open, overdue, resolved), in one query; return the reports no ward holds yet, which the
    organizing unit routes, as a ``WardFigures`` of no ward, so that ``sum_figures`` counts them in the totals.

    Written out, as ``relief.selectors.ward_figures`` is, for the leaders' dashboard on a hand-out day."""
    now = now or timezone.now()
    connection = connections[router.db_for_read(MissedReport)]
    table = connection.ops.quote_name(MissedReport._meta.db_table)
    wards = ", ".join(["%s"] * len(figures)) or "NULL"
    is_open = "status = %s"
    sql = (
        f"SELECT ward_id, SUM(CASE WHEN {is_open} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {is_open} AND deadline < %s THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {is_open} THEN 0 ELSE 1 END)"
        f" FROM {table} WHERE campaign_id = %s AND (ward_id IN ({wards}) OR ward_id IS NULL) GROUP BY ward_id"
    )
    opened = MissedReport.Status.OPEN
    params = [opened, opened, connection.ops.adapt_datetimefield_value(now), opened, campaign.pk, *figures]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    unrouted = WardFigures(ward_id=None)
    for ward_id, *counts in rows:
        held = unrouted if ward_id is None else figures[ward_id]
        held.reports_open, held.reports_overdue, held.reports_resolved = (int(n) for n in counts)
    return unrouted


def ward_figures_with_reports(campaign, wards):
    """``ward_figures`` with each ward's missed-household reports of ``campaign`` counted, in two queries: what the
    pages that suggest a number of bags (``WardFigures.suggested_bags``) read, the district's allocation screen and
    the ward's request form alike."""
    figures = ward_figures(campaign, wards)
    add_report_counts(campaign, figures)
    return figures
