"""What the money pages read, each in a fixed number of queries whatever the number of donations or bags."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from relief.models import Bag, Campaign, Ward
from relief.selectors import ward_figures
from relief.text import fold

from .models import BagFunding, Donation, Donor
from .services import campaign_money


def _matching_donor_ids(donors, text):
    """Ids of ``donors`` whose name or organisation contains ``text`` with or without diacritics, or whose phone
    starts with the digits typed.

    Donor names carry no folded search key, so the folding is done here over (id, name, organisation, phone) rows:
    one query, and a district has at most a few thousand donors.
    """
    folded = fold(text)
    digits = "".join(ch for ch in text if ch.isdigit())
    phone_search = len(digits) >= 3 and len(digits) == len(text.replace(" ", "").replace(".", "").replace("+", ""))
    if text.strip().startswith("+84"):
        digits = "0" + digits[2:]
    starts, contains = [], []
    for pk, name, organisation, phone in donors.values_list("pk", "name", "organisation", "phone").order_by("name"):
        folded_name = fold(name)
        if folded_name.startswith(folded) or (phone_search and phone.startswith(digits)):
            starts.append(pk)
        elif folded in folded_name or folded in fold(organisation):
            contains.append(pk)
    return starts + contains


def donor_suggestions(user, text, limit=8):
    """The donors staff may pick while typing a name: those starting with the text first, then the rest."""
    text = (text or "").strip()
    if not text:
        return []
    ids = _matching_donor_ids(Donor.objects.visible_to(user), text)[:limit]
    by_id = Donor.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids]


def donors_with_totals(user, text=""):
    """Donors ``user`` sees, each with what they gave to the campaigns ``user`` sees (reversals subtracted)."""
    donors = Donor.objects.visible_to(user)
    if text and text.strip():
        donors = donors.filter(pk__in=_matching_donor_ids(donors, text.strip()))
    # A donor without a district may also have given to another district's campaign: that money is not ours to show.
    visible = Q(donations__campaign__in=Campaign.objects.visible_to(user))
    return donors.annotate(
        total_cash=Sum("donations__amount", filter=visible, default=0),
        total_bags_in_kind=Sum("donations__bags_in_kind", filter=visible, default=0),
        donation_count=Count("donations", filter=visible & Q(donations__reverses__isnull=True)),
    ).order_by("name", "pk")


def donations_for(user):
    """Donations ``user`` sees, with everything a row of the receipt list shows."""
    return Donation.objects.visible_to(user).select_related("campaign", "donor", "recorded_by", "reverses", "reversal")


def search_donations(donations, text):
    """Donations whose receipt number contains ``text`` or whose donor's name matches it (diacritics optional)."""
    donor_ids = _matching_donor_ids(Donor.objects.filter(donations__in=donations).distinct(), text)
    return donations.filter(Q(receipt_number__icontains=text) | Q(donor_id__in=donor_ids))


@dataclass
class BagTrace:
    """Where the bags a donation paid for (wholly or in part) are now."""

    bags: int = 0
    money_in_bags: int = 0
    at_district: int = 0
    handed_out: int = 0
    void: int = 0
    wards: dict = field(default_factory=dict)  # ward name → {"allocated": n, "handed_out": n}

    @property
    def ward_rows(self):
        return sorted(self.wards.items())


def bag_traces(donations):
    """``{donation id: BagTrace}`` for the given donations, in one query."""
    traces = defaultdict(BagTrace)
    rows = (
        BagFunding.objects.filter(donation__in=donations)
        .values("donation_id", "bag__state", "bag__ward__name")
        .annotate(bags=Count("bag_id"), money=Sum("amount"))
        .order_by()
    )
    for row in rows:
        trace = traces[row["donation_id"]]
        trace.bags += row["bags"]
        trace.money_in_bags += row["money"]
        state, ward = row["bag__state"], row["bag__ward__name"]
        if state == Bag.State.AT_DISTRICT:
            trace.at_district += row["bags"]
        elif state == Bag.State.VOID:
            trace.void += row["bags"]
        else:
            place = trace.wards.setdefault(ward, {"allocated": 0, "handed_out": 0})
            place["allocated"] += row["bags"]
            if state == Bag.State.HANDED_OUT:
                place["handed_out"] += row["bags"]
                trace.handed_out += row["bags"]
    return traces


def donor_page(user, donor):
    """The donor's donations to campaigns ``user`` sees, each with the trace of the bags it paid for."""
    donations = list(donations_for(user).filter(donor=donor).order_by("-received_on", "-pk"))
    traces = bag_traces([d.pk for d in donations])
    rows = [(donation, traces.get(donation.pk, BagTrace())) for donation in donations]
    totals = {
        "cash": sum(d.amount for d in donations),
        "bags_in_kind": sum(d.bags_in_kind for d in donations),
        "bags": sum(t.bags for _, t in rows),
        "handed_out": sum(t.handed_out for _, t in rows),
    }
    return {"rows": rows, "totals": totals}


@dataclass
class CampaignOverview:
    campaign: Campaign
    money: dict
    bags: dict
    in_kind: int
    donations: int
    reversals: int
    ward_rows: list

    @property
    def funded(self):
        """Bags that exist and are paid for: every bag except those voided because their money was reversed."""
        return sum(self.bags[state] for state in Bag.State.values) - self.bags["unfunded"]

    @property
    def money_percent(self):
        target = self.campaign.target_amount
        return min(100.0, 100.0 * max(self.money["net_cash"], 0) / target) if target else 0.0

    @property
    def bags_percent(self):
        target = self.campaign.target_bags
        return min(100.0, 100.0 * self.funded / target) if target else 0.0

    @property
    def allocated(self):
        return self.bags[Bag.State.ALLOCATED] + self.bags[Bag.State.HANDED_OUT]

    @property
    def lost(self):
        """Bags voided after they were funded (lost, damaged), as opposed to bags whose money was reversed."""
        return self.bags[Bag.State.VOID] - self.bags["unfunded"]


def campaign_overview(campaign):
    """Money against the target, bags by state and the figures of each of the district's wards."""
    bag_rows = Bag.objects.filter(campaign=campaign).values_list("state", "unfunded", "source").annotate(n=Count("pk"))
    bags = dict.fromkeys([*Bag.State.values, "unfunded"], 0)
    in_kind = 0
    for state, unfunded, source, n in bag_rows.order_by():
        bags[state] += n
        if unfunded:
            bags["unfunded"] += n
        elif source == Bag.Source.IN_KIND and state != Bag.State.VOID:
            in_kind += n
    counts = Donation.objects.filter(campaign=campaign).aggregate(
        donations=Count("pk", filter=Q(reverses__isnull=True)), reversals=Count("pk", filter=Q(reverses__isnull=False))
    )
    wards = list(Ward.objects.filter(district_id=campaign.district_id).order_by("code"))
    figures = ward_figures(campaign, wards)
    return CampaignOverview(
        campaign=campaign,
        money=campaign_money(campaign),
        bags=bags,
        in_kind=in_kind,
        donations=counts["donations"],
        reversals=counts["reversals"],
        ward_rows=[(ward, figures[ward.pk]) for ward in wards],
    )
