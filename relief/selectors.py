"""Figures per ward, read in a fixed number of queries whatever the number of wards or rows.

The ward page, the district pages and the leaders' dashboard all read their figures here, so the numbers a ward
officer sees are the numbers a leader sees.
"""

from dataclasses import dataclass, field, fields

from django.db import connections, router
from django.db.models import Sum

from .models import Bag, HouseholdStatus, WardRequest
from .tallies import BagTally, HouseholdTally, ServedTally


@dataclass
class WardFigures:
    ward_id: int
    allocated: int = 0  # bags ever sent to the ward and not voided: in stock + handed out
    handed_out: int = 0
    in_stock: int = 0
    voided: int = 0  # bags lost or damaged after they reached the ward
    households_approved: int = 0
    households_proposed: int = 0
    households_served: int = 0
    pending_requests: int = 0
    # Reports of households the lists missed: still open, open past their deadline, and resolved. The pages that
    # show them fill these (``households.selectors.add_report_counts``); they stay 0 elsewhere.
    reports_open: int = 0
    reports_overdue: int = 0
    reports_resolved: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def households_waiting(self):
        """Approved households still without a bag: the "no one left behind" figure."""
        return self.households_approved - self.households_served

    @property
    def shortfall(self):
        """Approved households waiting beyond the bags the ward holds: the bags it still needs for them."""
        return max(self.households_waiting - self.in_stock, 0)

    @property
    def suggested_bags(self):
        """The bags to suggest the ward receive: its approved households waiting and its open reports of missed
        households (each most likely a household about to be registered), beyond the bags it holds. Counts the
        reports only where they were filled in (``households.selectors.ward_figures_with_reports``)."""
        return max(self.households_waiting + self.reports_open - self.in_stock, 0)

    @property
    def coverage(self):
        """Share of approved households served, in percent (0 when the ward has none approved)."""
        if not self.households_approved:
            return 0.0
        return 100.0 * self.households_served / self.households_approved


def ward_stock_query(connection, campaign_id, ward_id=None, *, ward_column=None):
    """``(sql, params)`` of the number of bags of a campaign in a ward's stock (allocated, not handed out), from
    the bag counters that ``ward_figures`` reads for ``in_stock``: one small sum instead of counting the ward's
    thousands of bags. The ward is ``ward_id``, or the column ``ward_column`` of an enclosing statement. Written
    out because the hand-out reads it as a column of its own statement."""
    table = connection.ops.quote_name(BagTally._meta.db_table)
    ward = ward_column or "%s"
    sql = f"SELECT COALESCE(SUM(n), 0) FROM {table} WHERE campaign_id = %s AND state = %s AND ward_id = {ward}"
    return sql, [campaign_id, Bag.State.ALLOCATED] + ([] if ward_column else [ward_id])


def _figures_sql(connection, ward_count):
    """The statement of ``ward_figures``: ``(kind, ward_id, key, n)`` rows from the bag, household and served counters
    and the waiting requests, grouped by ward, in one round trip.

    Written out rather than four ORM queries: on a hand-out day the leaders' pages wait behind the hand-outs at
    every round trip, and compiling an aggregate query takes longer than PostgreSQL takes to answer it from the
    small counter tables."""
    q = connection.ops.quote_name
    wards = ", ".join(["%s"] * ward_count)
    bags, households, served = (q(model._meta.db_table) for model in (BagTally, HouseholdTally, ServedTally))
    requests = q(WardRequest._meta.db_table)
    return (
        f"SELECT 'bag', ward_id, state, SUM(n) FROM {bags}"
        f" WHERE campaign_id = %s AND ward_id IN ({wards}) GROUP BY ward_id, state"
        f" UNION ALL SELECT 'household', ward_id, status, SUM(n) FROM {households}"
        f" WHERE ward_id IN ({wards}) GROUP BY ward_id, status"
        f" UNION ALL SELECT 'served', ward_id, '', SUM(n) FROM {served}"
        f" WHERE campaign_id = %s AND ward_id IN ({wards}) GROUP BY ward_id"
        f" UNION ALL SELECT 'request', ward_id, '', COUNT(*) FROM {requests}"
        f" WHERE campaign_id = %s AND status = %s AND ward_id IN ({wards}) GROUP BY ward_id"
    )


# (kind, key) of a ``_figures_sql`` row → the WardFigures field it fills.
FIGURE_FIELDS = {
    ("bag", Bag.State.ALLOCATED): "in_stock",
    ("bag", Bag.State.HANDED_OUT): "handed_out",
    ("bag", Bag.State.VOID): "voided",
    ("household", HouseholdStatus.APPROVED): "households_approved",
    ("household", HouseholdStatus.PROPOSED): "households_proposed",
    ("served", ""): "households_served",
    ("request", ""): "pending_requests",
}


def ward_figures(campaign, wards):
    """``{ward_id: WardFigures}`` for ``campaign`` and the given wards (a QuerySet or a list), in one query.

    Bags, households and served households are read from the counters the database keeps (``relief.tallies``):
    a few rows per ward, whatever the number of households or bags.
    """
    ward_ids = [ward.pk for ward in wards]
    figures = {ward_id: WardFigures(ward_id) for ward_id in ward_ids}
    if not ward_ids:
        return figures
    connection = connections[router.db_for_read(BagTally)]
    params = [campaign.pk, *ward_ids, *ward_ids, campaign.pk, *ward_ids]
    params += [campaign.pk, WardRequest.Status.WAITING, *ward_ids]
    with connection.cursor() as cursor:
        cursor.execute(_figures_sql(connection, len(ward_ids)), params)
        rows = cursor.fetchall()
    for kind, ward_id, key, n in rows:
        name = FIGURE_FIELDS.get((kind, key))
        if name:
            setattr(figures[ward_id], name, int(n))
    for item in figures.values():
        item.allocated = item.in_stock + item.handed_out
    return figures


# The WardFigures counters that add up across wards (coverage and waiting are derived, so they are recomputed).
SUMMED = [f.name for f in fields(WardFigures) if f.name not in ("ward_id", "extra")]


def sum_figures(figures):
    """One WardFigures holding the sum of the given ones; coverage then follows from the sums, not an average."""
    total = WardFigures(ward_id=None)
    for item in figures:
        for name in SUMMED:
            setattr(total, name, getattr(total, name) + getattr(item, name))
    return total


# The figures ``campaign_bags`` gives, each a test of a bag counter's (state, source, unfunded).
BAG_FIGURES = {
    "funded": lambda state, source, unfunded: not unfunded,
    "in_kind": lambda state, source, unfunded: not unfunded and source == Bag.Source.IN_KIND,
    "at_district": lambda state, source, unfunded: state == Bag.State.AT_DISTRICT,
    "in_wards": lambda state, source, unfunded: state in (Bag.State.ALLOCATED, Bag.State.HANDED_OUT),
    "handed_out": lambda state, source, unfunded: state == Bag.State.HANDED_OUT,
    "voided": lambda state, source, unfunded: state == Bag.State.VOID and not unfunded,
}


def campaigns_bags(campaign_ids):
    """``{campaign id: figures}``: each campaign's bags by state (``BAG_FIGURES``), read from the bag counters in one
    query; a campaign without bags has zeros.

    ``funded`` leaves out bags voided because their money was reversed (they were never really paid for).
    The counters are summed here rather than by six filtered sums in SQL, which take longer to build than to run.
    """
    figures = {campaign_id: dict.fromkeys(BAG_FIGURES, 0) for campaign_id in campaign_ids}
    rows = (
        BagTally.objects.filter(campaign_id__in=campaign_ids)
        .values_list("campaign_id", "state", "source", "unfunded")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for campaign_id, state, source, unfunded, n in rows:
        for name, counts in BAG_FIGURES.items():
            if counts(state, source, unfunded):
                figures[campaign_id][name] += n
    return figures


def campaign_bags(campaign):
    """The campaign's bags by state, read independently of the wards: the district total the ward rows must reach."""
    return campaigns_bags([campaign.pk])[campaign.pk]
