"""Figures per ward, read in a fixed number of queries whatever the number of wards or rows.

The ward page, the district pages and the leaders' dashboard all read their figures here, so the numbers a ward
officer sees are the numbers a leader sees.
"""

from dataclasses import dataclass, field, fields

from django.db.models import Count, Q, Sum

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
        """Approved households waiting beyond the bags the ward holds: the bags it still needs, what the district's
        allocation and the ward's request suggest."""
        return max(self.households_waiting - self.in_stock, 0)

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


def ward_figures(campaign, wards):
    """``{ward_id: WardFigures}`` for ``campaign`` and the given wards (a QuerySet or a list), in four queries.

    Bags, households and served households are read from the counters the database keeps (``relief.tallies``):
    a few rows per ward, whatever the number of households or bags.
    """
    ward_ids = [ward.pk for ward in wards]
    figures = {ward_id: WardFigures(ward_id) for ward_id in ward_ids}

    bags = (
        BagTally.objects.filter(campaign_id=campaign.pk, ward_id__in=ward_ids)
        .values("ward_id")
        .annotate(
            in_stock=Sum("n", filter=Q(state=Bag.State.ALLOCATED), default=0),
            handed_out=Sum("n", filter=Q(state=Bag.State.HANDED_OUT), default=0),
            voided=Sum("n", filter=Q(state=Bag.State.VOID), default=0),
        )
        .order_by()
    )
    for row in bags:
        item = figures[row["ward_id"]]
        item.in_stock, item.handed_out, item.voided = row["in_stock"], row["handed_out"], row["voided"]
        item.allocated = item.in_stock + item.handed_out

    households = (
        HouseholdTally.objects.filter(ward_id__in=ward_ids)
        .values("ward_id")
        .annotate(
            approved=Sum("n", filter=Q(status=HouseholdStatus.APPROVED), default=0),
            proposed=Sum("n", filter=Q(status=HouseholdStatus.PROPOSED), default=0),
        )
        .order_by()
    )
    for row in households:
        figures[row["ward_id"]].households_approved = row["approved"]
        figures[row["ward_id"]].households_proposed = row["proposed"]

    served_rows = (
        ServedTally.objects.filter(campaign_id=campaign.pk, ward_id__in=ward_ids)
        .values("ward_id")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for row in served_rows:
        figures[row["ward_id"]].households_served = row["n"]

    requests = (
        WardRequest.objects.filter(campaign=campaign, ward_id__in=ward_ids, status=WardRequest.Status.WAITING)
        .values("ward_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in requests:
        figures[row["ward_id"]].pending_requests = row["n"]
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


def _bag_figures():
    states = Bag.State
    return {
        "funded": Sum("n", filter=Q(unfunded=False), default=0),
        "in_kind": Sum("n", filter=Q(unfunded=False, source=Bag.Source.IN_KIND), default=0),
        "at_district": Sum("n", filter=Q(state=states.AT_DISTRICT), default=0),
        "in_wards": Sum("n", filter=Q(state__in=[states.ALLOCATED, states.HANDED_OUT]), default=0),
        "handed_out": Sum("n", filter=Q(state=states.HANDED_OUT), default=0),
        "voided": Sum("n", filter=Q(state=states.VOID, unfunded=False), default=0),
    }


def campaign_bags(campaign):
    """The campaign's bags by state, read independently of the wards: the district total the ward rows must reach.

    ``funded`` leaves out bags voided because their money was reversed (they were never really paid for).
    """
    return BagTally.objects.filter(campaign_id=campaign.pk).aggregate(**_bag_figures())


def campaigns_bags(campaign_ids):
    """``campaign_bags`` of several campaigns in one query, as {campaign id: figures}; a campaign without bags has
    zeros."""
    rows = BagTally.objects.filter(campaign_id__in=campaign_ids).values("campaign_id").annotate(**_bag_figures())
    found = {row.pop("campaign_id"): row for row in rows.order_by()}
    zeros = dict.fromkeys(_bag_figures(), 0)
    return {campaign_id: found.get(campaign_id, zeros) for campaign_id in campaign_ids}
