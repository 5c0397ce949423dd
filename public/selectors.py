"""Reads for the public disclosure page and the receipt check: what anyone may see, never a donor's phone or address.

Ward figures and bag counts come from ``relief.selectors``, the selectors the leaders' dashboard reads, so the public
sees the numbers a leader sees.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Sum

from donations.models import Donation
from donations.services import campaign_money
from households.selectors import add_report_counts
from relief.selectors import campaign_bags, campaigns_bags, sum_figures, ward_figures


@dataclass
class PublicDonors:
    named: list  # [(public name, đồng, bags in kind)], the largest gift first
    anonymous_count: int = 0
    anonymous_amount: int = 0
    anonymous_bags: int = 0

    @property
    def any_in_kind(self):
        """Whether anyone gave bags in kind: a column of zeros is left off the table."""
        return bool(self.anonymous_bags or any(bags for _name, _amount, bags in self.named))


def public_donors(campaign):
    """Who gave what, net of reversals, as the public may see it: names and amounts only, never a phone or address.

    Donors who asked to stay anonymous are added up into one line; a gift fully reversed disappears.
    """
    rows = (
        Donation.objects.filter(campaign=campaign)
        .values("donor_id", "donor__name", "donor__organisation", "donor__anonymous")
        .annotate(amount=Sum("amount"), bags=Sum("bags_in_kind"))
        .order_by()
    )
    result = PublicDonors(named=[])
    for row in rows:
        if not (row["amount"] or row["bags"]):
            continue
        if row["donor__anonymous"]:
            result.anonymous_count += 1
            result.anonymous_amount += row["amount"]
            result.anonymous_bags += row["bags"]
        else:
            name = row["donor__name"]  # written as Donor.__str__ does, without loading the donor's phone or address
            if row["donor__organisation"]:
                name = f"{name} ({row['donor__organisation']})"
            result.named.append((name, row["amount"], row["bags"]))
    result.named.sort(key=lambda item: (-item[1], -item[2], item[0]))
    return result


def public_campaign(campaign):
    """The disclosure page's figures: money received, bags funded, bags sent to and handed out in each ward, and how
    many reports of missed households each ward has resolved and still holds (counts only, never a person)."""
    wards = list(campaign.district.wards.all())
    figures = ward_figures(campaign, wards)
    unrouted = add_report_counts(campaign, figures)
    bags = campaign_bags(campaign)
    return {
        "money": campaign_money(campaign, bags),
        "bags": bags,
        "wards": [(ward, figures[ward.pk]) for ward in wards],
        "totals": sum_figures([*figures.values(), unrouted]),
        "donors": public_donors(campaign),
    }


def public_index(campaigns):
    """Each campaign with its headline figures (money received, bags funded, bags handed out), as
    ``[(campaign, net cash, bags)]``, in two queries however many campaigns there are."""
    ids = [campaign.pk for campaign in campaigns]
    money = Donation.objects.filter(campaign_id__in=ids).net_cash_by_campaign()
    bags = campaigns_bags(ids)
    return [(campaign, money.get(campaign.pk, 0), bags[campaign.pk]) for campaign in campaigns]


def receipt_lookup(number):
    """What anyone may learn from a receipt number: its amount or bags, its date and campaign, and whether it was
    later corrected. Nothing about the donor, so a guessed number tells no more than the disclosure page does."""
    return (
        Donation.objects.filter(receipt_number__iexact=number)
        .values("receipt_number", "amount", "bags_in_kind", "received_on", "campaign__name", "reverses_id")
        .annotate(corrected=Exists(Donation.objects.filter(reverses=OuterRef("pk"))))
        .first()
    )
