"""Reads for the leaders' dashboard, its ward pages, exports and report.

Per-ward figures come from ``relief.selectors.ward_figures``, the selector the ward and district pages use, so a
leader reads exactly the numbers a ward officer reads. Everything here adds a fixed number of queries on top of it,
whatever the number of wards, households or hand-outs. Bags, households, categories, served households and
hand-outs per day are read from the counters the database keeps (``relief.tallies``), a few rows per ward; money is
summed from the donations (a few thousand per campaign).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from django.db.models import OuterRef, Q, Subquery, Sum
from django.template.defaultfilters import floatformat

from donations.models import Donation, Donor
from donations.services import campaign_money
from households.models import Category, Household
from households.selectors import add_report_counts
from relief.db_router import ReadSource, read_source, replica_reads
from relief.models import Bag, Campaign, Ward, scope_of
from relief.selectors import WardFigures, campaign_bags, sum_figures, ward_figures
from relief.tallies import BagTally, CategoryTally, HandOutDayTally, HouseholdTally, ServedCategoryTally, ServedTally
from relief.templatetags.relief_format import format_count


@dataclass(frozen=True)
class FigureColumn:
    """A column of figures of the per-ward table, on the dashboard and the printed report: its ``?sort=`` key, its
    heading ("{Unit}" and "{unit}" stand for the receiving units' level), the figure it sorts by, the text its cells
    show (the figure as a count unless said) and when a cell asks for attention."""

    key: str
    heading: str
    value: Callable
    text: Callable = None
    attention: Callable = None

    def cell(self, figures):
        """``(text, asks for attention)`` of this column's cell for ``figures``."""
        text = self.text(figures) if self.text else format_count(self.value(figures))
        return text, bool(self.attention and self.attention(figures))


def _reports_text(figures):
    return " / ".join(
        format_count(n) for n in (figures.reports_open, figures.reports_overdue, figures.reports_resolved)
    )


FIGURE_COLUMNS = [
    FigureColumn("approved", "Hộ được duyệt", attrgetter("households_approved")),
    FigureColumn("served", "Hộ đã nhận", attrgetter("households_served")),
    FigureColumn("waiting", "Hộ còn chờ", attrgetter("households_waiting"), attention=attrgetter("households_waiting")),
    FigureColumn("allocated", "Túi đã phân bổ", attrgetter("allocated")),
    FigureColumn("handed_out", "Túi đã trao", attrgetter("handed_out")),
    FigureColumn("in_stock", "Túi còn tại {unit}", attrgetter("in_stock")),
    FigureColumn("voided", "Túi hủy (mất, hỏng)", attrgetter("voided")),
    FigureColumn("coverage", "Tỷ lệ bao phủ", attrgetter("coverage"), text=lambda f: f"{floatformat(f.coverage, 0)} %"),
    FigureColumn("pending", "Đề nghị chờ duyệt", attrgetter("pending_requests")),
    FigureColumn(
        "reports",
        "Báo bỏ sót: chờ / quá hạn / đã xử lý",
        lambda f: (f.reports_overdue, f.reports_open),
        text=_reports_text,
        attention=attrgetter("reports_overdue"),
    ),
]


def figure_cells(figures):
    """The cells of one row of the per-ward table (a ward's figures or the totals), column by column."""
    return [column.cell(figures) for column in FIGURE_COLUMNS]


# ?sort= keys of the per-ward table → how to read the value from a row.
SORT_KEYS = {
    "ward": lambda row: row.ward.code,
    **{column.key: (lambda row, column=column: column.value(row.figures)) for column in FIGURE_COLUMNS},
}


# The most bars the chart of hand-outs over time draws: a period longer than this many days is drawn by week,
# longer than this many weeks by month, then by year, so a stray hand-out years after the others never draws
# thousands of hair-thin bars.
MOST_BARS = 62


@dataclass
class HandOutBars:
    """Hand-outs over a period in at most ``MOST_BARS`` bars of one unit: ``day``, ``week``, ``month`` or ``year``.

    ``bars`` is ``[(first day of the bar, hand-outs)]``, every bar of the period included, empty ones as 0.
    """

    unit: str
    bars: list

    UNIT_WORDS = {"day": "ngày", "week": "tuần", "month": "tháng", "year": "năm"}

    @property
    def unit_word(self):
        return self.UNIT_WORDS[self.unit]


@dataclass
class WardRow:
    ward: object
    figures: WardFigures

    @cached_property
    def cells(self):
        return figure_cells(self.figures)


@dataclass
class Breakdown:
    """Approved and served households of one group (a category, a kind of residence)."""

    label: str
    approved: int = 0
    served: int = 0

    @property
    def waiting(self):
        return self.approved - self.served

    @property
    def coverage(self):
        return 100.0 * self.served / self.approved if self.approved else 0.0


@dataclass
class Dashboard:
    """The figures of the leaders' dashboard. The headline and the per-ward table are read at once; what only the
    charts, the export and the report show is read when first used, so a chart kept in the cache costs no query
    (``leaders.charts``)."""

    campaign: object
    rows: list
    totals: WardFigures
    money: dict
    bags: dict
    date_from: object = None
    date_to: object = None
    source: ReadSource = field(default_factory=ReadSource)

    @property
    def ward_ids(self):
        return [row.ward.pk for row in self.rows]

    @cached_property
    def handouts_per_day(self):
        with replica_reads():
            return handouts_per_day(self.campaign, self.ward_ids, self.date_from, self.date_to)

    @cached_property
    def handout_bars(self):
        period = (self.date_from or self.campaign.starts_on, self.date_to or self.campaign.ends_on)
        return handout_bars(self.handouts_per_day, *period)

    @cached_property
    def money_by_kind(self):
        with replica_reads():
            return money_by_donor_kind(self.campaign)

    @cached_property
    def by_category(self):
        with replica_reads():
            return households_by_category(self.campaign, self.ward_ids)

    @cached_property
    def by_residence(self):
        with replica_reads():
            return households_by_residence(self.campaign, self.ward_ids)

    @cached_property
    def money_in_period(self):
        """Money received in the filter's dates; ``None`` without a filter."""
        if not (self.date_from or self.date_to):
            return None
        with replica_reads():
            return money_received_between(self.campaign, self.date_from, self.date_to)

    @cached_property
    def total_cells(self):
        return figure_cells(self.totals)

    @property
    def wards_behind(self):
        """Wards with approved households still waiting, the most waiting first: where to push next."""
        behind = [row for row in self.rows if row.figures.households_waiting > 0]
        return sorted(behind, key=lambda row: (-row.figures.households_waiting, row.ward.code))

    @property
    def handed_out_in_period(self):
        return sum(n for _, n in self.handouts_per_day)

    @property
    def money_share(self):
        target = self.campaign.target_amount
        return 100.0 * self.money["net_cash"] / target if target else 0.0

    @property
    def handed_out_share(self):
        target = self.campaign.target_bags
        return 100.0 * self.bags["handed_out"] / target if target else 0.0


def ward_rows(campaign, wards, sort="ward"):
    """The per-ward table, sorted by a SORT_KEYS key (``-`` in front for largest first), with its totals.

    The totals' reports include those no ward holds yet (``totals.extra["reports_unrouted"]`` of them open)."""
    wards = list(wards)
    figures = ward_figures(campaign, wards)
    unrouted = add_report_counts(campaign, figures)
    rows = [WardRow(ward, figures[ward.pk]) for ward in wards]
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["ward"])
    rows.sort(key=lambda row: (key(row), row.ward.code), reverse=descending)
    totals = sum_figures([*figures.values(), unrouted])
    totals.extra["reports_unrouted"] = unrouted.reports_open
    return rows, totals


def handouts_per_day(campaign, ward_ids, date_from=None, date_to=None):
    """``[(date, hand-outs)]`` for each day in the range that had hand-outs, oldest first.

    Days are local (Asia/Ho_Chi_Minh), as the officers wrote them down; cancelled hand-outs do not count. Days
    without hand-outs are left out: ``handout_bars`` spreads the days over the period the chart shows.
    """
    days = HandOutDayTally.objects.filter(campaign_id=campaign.pk, ward_id__in=ward_ids, n__gt=0)
    if date_from:
        days = days.filter(day__gte=date_from)
    if date_to:
        days = days.filter(day__lte=date_to)
    return sorted(days.values_list("day").annotate(total=Sum("n")).order_by())


def _bar_start(day, unit):
    if unit == "week":
        return day - datetime.timedelta(day.weekday())  # weeks start on Monday, as Vietnamese calendars do
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


def _next_bar(start, unit):
    if unit == "week":
        return start + datetime.timedelta(7)
    if unit == "month":
        return (start + datetime.timedelta(32)).replace(day=1)
    if unit == "year":
        return start.replace(year=start.year + 1)
    return start + datetime.timedelta(1)


def _bar_starts(first, last, unit, most=MOST_BARS):
    """The first day of every bar from ``first`` to ``last``, or ``[]`` if there would be more than ``most``."""
    starts = [_bar_start(first, unit)]
    while _next_bar(starts[-1], unit) <= last:
        starts.append(_next_bar(starts[-1], unit))
        if most and len(starts) > most:
            return []
    return starts


def handout_bars(days, first=None, last=None):
    """The per-day hand-outs ``days`` as bars over the period from ``first`` to ``last`` (the filter's dates, else
    the campaign's own), widened to the days that had hand-outs, in the finest unit that stays within
    ``MOST_BARS`` bars."""
    if days:
        first = min(filter(None, (first, days[0][0])))
        last = max(filter(None, (last, days[-1][0])))
    if not first or not last:
        return HandOutBars("day", [])
    for unit in ("day", "week", "month", "year"):
        starts = _bar_starts(first, last, unit)
        if starts:
            break
    else:  # a typed period of centuries: the years that had hand-outs
        unit, starts = "year", _bar_starts(days[0][0], days[-1][0], "year", most=None) if days else []
    counts = dict.fromkeys(starts, 0)
    for day, n in days:
        counts[_bar_start(day, unit)] += n
    return HandOutBars(unit, list(counts.items()))


def money_by_donor_kind(campaign):
    """``[(kind label, đồng, bags in kind)]`` for each kind of donor who gave; reversals net out under their donor.

    Each gift reads its donor's kind by the donor's key, so the query costs the campaign's gifts, however many donors
    the city has: joined instead, PostgreSQL hashes every donor of the city to sum one campaign's gifts.
    """
    kind = Subquery(Donor.objects.filter(pk=OuterRef("donor_id")).order_by().values("kind")[:1])
    rows = (
        Donation.objects.filter(campaign=campaign)
        .annotate(kind=kind)
        .values("kind")
        .annotate(amount=Sum("amount"), bags=Sum("bags_in_kind"))
        .order_by()
    )
    by_kind = {row["kind"]: row for row in rows}
    return [
        (label, by_kind[kind]["amount"], by_kind[kind]["bags"])
        for kind, label in Donor.Kind.choices
        if kind in by_kind and (by_kind[kind]["amount"] or by_kind[kind]["bags"])
    ]


def money_received_between(campaign, date_from=None, date_to=None):
    donations = Donation.objects.filter(campaign=campaign)
    if date_from:
        donations = donations.filter(received_on__gte=date_from)
    if date_to:
        donations = donations.filter(received_on__lte=date_to)
    return donations.net_cash()


def _approved_and_served(approved, served, group):
    """``{group value: (approved, served)}`` from two tally QuerySets grouped by the same field."""
    counts = {}
    for queryset, index in ((approved, 0), (served, 1)):
        for value, n in queryset.values_list(group).annotate(total=Sum("n")).order_by():
            counts.setdefault(value, [0, 0])[index] = n
    return {value: pair for value, pair in counts.items() if pair[0] or pair[1]}


def households_by_category(campaign, ward_ids):
    """Approved and served households per category, in the categories' order; households with no category last.

    A household can belong to several categories, so the rows can add up to more than the households.
    """
    counts = _approved_and_served(
        CategoryTally.objects.filter(ward_id__in=ward_ids),
        ServedCategoryTally.objects.filter(campaign_id=campaign.pk, ward_id__in=ward_ids),
        "category_id",
    )
    result = [
        Breakdown(category.name, *counts[category.pk]) for category in Category.objects.all() if category.pk in counts
    ]
    if 0 in counts:
        result.append(Breakdown("Chưa xếp diện", *counts[0]))
    return result


def households_by_residence(campaign, ward_ids):
    counts = _approved_and_served(
        HouseholdTally.objects.filter(ward_id__in=ward_ids, status=Household.Status.APPROVED),
        ServedTally.objects.filter(campaign_id=campaign.pk, ward_id__in=ward_ids),
        "residence",
    )
    return [Breakdown(label, *counts[value]) for value, label in Household.Residence.choices if value in counts]


@replica_reads()
def district_dashboard(campaign, wards, *, date_from=None, date_to=None, sort="ward"):
    """Everything the leaders' dashboard, its export and its printed report show, in a fixed number of queries: the
    headline and the per-ward table now, the rest when first used (``Dashboard``).

    Read from the replica when there is one: these aggregates are the heaviest reads of the program.
    """
    rows, totals = ward_rows(campaign, wards, sort)
    bags = campaign_bags(campaign)
    return Dashboard(
        campaign=campaign,
        rows=rows,
        totals=totals,
        money=campaign_money(campaign, bags),
        bags=bags,
        date_from=date_from,
        date_to=date_to,
        source=read_source(),
    )


@dataclass
class WardPage:
    ward: object
    figures: WardFigures
    by_category: list
    by_residence: list
    handouts_per_day: list
    handout_bars: HandOutBars
    source: ReadSource = field(default_factory=ReadSource)


@replica_reads()
def ward_dashboard(campaign, ward, *, date_from=None, date_to=None):
    """One ward's figures (the same as its row on the dashboard), by category, by residence and per day."""
    days = handouts_per_day(campaign, [ward.pk], date_from, date_to)
    return WardPage(
        ward=ward,
        figures=ward_figures(campaign, [ward])[ward.pk],
        by_category=households_by_category(campaign, [ward.pk]),
        by_residence=households_by_residence(campaign, [ward.pk]),
        handouts_per_day=days,
        handout_bars=handout_bars(days, date_from or campaign.starts_on, date_to or campaign.ends_on),
        source=read_source(),
    )


@dataclass
class CampaignRow:
    """One campaign of the roll-up: the unit that runs it and its headline figures, read from the counters."""

    campaign: object
    funded: int = 0
    handed_out: int = 0
    households_approved: int = 0
    households_served: int = 0

    @property
    def coverage(self):
        if not self.households_approved:
            return 0.0
        return 100.0 * self.households_served / self.households_approved


@replica_reads()
def campaigns_rollup(campaigns):
    """A city leader's view of every campaign in their reach, the city's own first, in five queries however many.

    ``campaigns`` is the leader's scoped QuerySet (``Campaign.objects.visible_to``): the city's campaigns and those
    of the wards and communes under it (``District.parent``). Each row links to that campaign's own dashboard.
    """
    found = campaigns.select_related("district").order_by("district__name", "-starts_on", "-pk")
    rows = {campaign.pk: CampaignRow(campaign) for campaign in found}
    bags = (
        BagTally.objects.filter(campaign_id__in=rows)
        .values("campaign_id")
        .annotate(
            funded=Sum("n", filter=Q(unfunded=False), default=0),
            handed_out=Sum("n", filter=Q(state=Bag.State.HANDED_OUT), default=0),
        )
        .order_by()
    )
    for row in bags:
        rows[row["campaign_id"]].funded, rows[row["campaign_id"]].handed_out = row["funded"], row["handed_out"]
    served = ServedTally.objects.filter(campaign_id__in=rows).values("campaign_id").annotate(n=Sum("n")).order_by()
    for row in served:
        rows[row["campaign_id"]].households_served = row["n"]
    units = {row.campaign.district_id for row in rows.values()}
    unit_of_ward = dict(Ward.objects.filter(district_id__in=units).values_list("pk", "district_id"))
    approved = (
        HouseholdTally.objects.filter(ward_id__in=unit_of_ward, status=Household.Status.APPROVED)
        .values("ward_id")
        .annotate(n=Sum("n"))
        .order_by()
    )
    approved_by_unit = {}
    for row in approved:
        unit = unit_of_ward[row["ward_id"]]
        approved_by_unit[unit] = approved_by_unit.get(unit, 0) + row["n"]
    for row in rows.values():
        row.households_approved = approved_by_unit.get(row.campaign.district_id, 0)
    # The units at the top of the reach (the city) first, then the units under them, each by name.
    return sorted(rows.values(), key=lambda row: row.campaign.district.parent_id is not None)


def rollup_for(user):
    """The roll-up a leader's dashboard shows above the chosen campaign: only for a reach of several units."""
    if len(scope_of(user).district_ids) < 2:
        return []
    return campaigns_rollup(Campaign.objects.visible_to(user))
