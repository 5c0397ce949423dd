"""Checks that money and bags balance over the whole database (the invariants of DOMAIN.md).

The database's constraints refuse most breaks as they happen; this looks at what constraints cannot see across
rows and tables (bags against money, hand-outs against bags) and reports every break it finds, each as one line.
Each check is an aggregate query (a few per campaign), so it runs at city scale. The dashboard's counters
(``relief.tallies``) are recounted from the rows and compared too.
"""

from django.db.models import Count, F, Max, Q, Sum

from donations.models import BagFunding, Donation
from relief.models import Bag, Campaign, Distribution
from relief.tally_check import tally_problems


def _campaign_money(campaign):
    problems = []
    donations = Donation.objects.filter(campaign=campaign)
    net_cash = donations.net_cash()
    net_kind = donations.net_bags_in_kind()
    bags = Bag.objects.filter(campaign=campaign, unfunded=False)
    cash_bags = bags.filter(source=Bag.Source.CASH).count()
    kind_bags = bags.filter(source=Bag.Source.IN_KIND).count()
    if cash_bags != campaign.cash_bags_for(net_cash):
        problems.append(
            f"{campaign.code}: {cash_bags} túi mua bằng tiền nhưng số tiền {net_cash} đ đủ cho "
            f"{campaign.cash_bags_for(net_cash)} túi"
        )
    if kind_bags != net_kind:
        problems.append(f"{campaign.code}: {kind_bags} túi hiện vật nhưng sổ ghi nhận {net_kind} túi")
    return problems + _receipt_gaps(campaign, donations)


def _receipt_gaps(campaign, donations):
    """Receipts run 1, 2, 3 … without a gap up to the campaign's counter: an accountant reads a gap as a lost
    receipt (the sequence is unique per campaign, so count and highest number tell)."""
    numbers = donations.aggregate(n=Count("pk"), highest=Max("receipt_seq", default=0))
    if numbers["n"] == numbers["highest"] == campaign.last_receipt_seq:
        return []
    return [
        f"{campaign.code}: số biên nhận không liền mạch ({numbers['n']} biên nhận, số lớn nhất "
        f"{numbers['highest']}, bộ đếm {campaign.last_receipt_seq})"
    ]


def _funding_parts():
    problems = []
    wrongly_paid = (
        Bag.objects.filter(source=Bag.Source.CASH, unfunded=False)
        .annotate(paid=Sum("fundings__amount", default=0))
        .exclude(paid=F("campaign__bag_value"))
        .values_list("serial", "paid")[:20]
    )
    problems += [f"Túi {serial} được trả {paid} đ, khác giá trị túi" for serial, paid in wrongly_paid]
    kind_parts = (
        Bag.objects.filter(source=Bag.Source.IN_KIND, unfunded=False)
        .annotate(n=Count("fundings"))
        .exclude(n=1)
        .values_list("serial", flat=True)[:20]
    )
    problems += [f"Túi hiện vật {serial} không truy được đúng một khoản ủng hộ" for serial in kind_parts]
    orphans = BagFunding.objects.filter(bag__unfunded=True).values_list("bag__serial", flat=True)[:20]
    problems += [f"Túi {serial} đã hủy vì không còn tiền nhưng vẫn có nguồn tiền" for serial in orphans]
    overdrawn = (
        Donation.objects.filter(amount__gt=0)
        .annotate(used=Sum("fundings__amount", default=0))
        .filter(Q(used__gt=F("amount")) | Q(reversal__isnull=False, used__gt=0))
        .values_list("receipt_number", flat=True)[:20]
    )
    problems += [f"Khoản {number} đã chi cho túi nhiều hơn số tiền còn hiệu lực" for number in overdrawn]
    return problems


def _reversals():
    mismatched = (
        Donation.objects.filter(reverses__isnull=False)
        .exclude(amount=-F("reverses__amount"), bags_in_kind=-F("reverses__bags_in_kind"))
        .values_list("receipt_number", flat=True)[:20]
    )
    chained = Donation.objects.filter(reverses__reverses__isnull=False).values_list("receipt_number", flat=True)
    return [f"Bút toán điều chỉnh {n} không đối ứng đúng khoản gốc" for n in mismatched] + [
        f"Bút toán {n} điều chỉnh một bút toán điều chỉnh" for n in chained[:20]
    ]


def _bags_and_hand_outs():
    problems = []
    active = Distribution.objects.active()
    handed_without = (
        Bag.objects.filter(state=Bag.State.HANDED_OUT)
        .annotate(n=Count("distributions", filter=Q(distributions__cancelled_at__isnull=True)))
        .exclude(n=1)
        .values_list("serial", flat=True)[:20]
    )
    problems += [f"Túi {serial} ở trạng thái đã trao nhưng không có đúng một lượt trao" for serial in handed_without]
    not_handed = active.exclude(bag__state=Bag.State.HANDED_OUT).values_list("bag__serial", flat=True)[:20]
    problems += [f"Túi {serial} có lượt trao nhưng không ở trạng thái đã trao" for serial in not_handed]
    wrong_ward = active.exclude(bag__ward=F("ward")).values_list("bag__serial", flat=True)[:20]
    problems += [f"Túi {serial} được trao ở phường khác phường giữ túi" for serial in wrong_ward]
    wrong_household = active.exclude(household__ward=F("ward")).values_list("bag__serial", flat=True)[:20]
    problems += [f"Túi {serial} được trao cho hộ của phường khác" for serial in wrong_household]
    foreign = (
        Bag.objects.filter(ward__isnull=False)
        .exclude(ward__district=F("campaign__district"))
        .values_list("serial", flat=True)[:20]
    )
    problems += [f"Túi {serial} nằm ở phường ngoài quận của chương trình" for serial in foreign]
    over_limit = (
        active.values("household_id", "campaign_id", "campaign__household_limit")
        .annotate(n=Count("pk"))
        .filter(n__gt=F("campaign__household_limit"))
        .order_by()[:20]
    )
    problems += [f"Hộ #{row['household_id']} nhận {row['n']} túi, quá giới hạn" for row in over_limit]
    return problems


def ledger_problems():
    """Every break of the invariants found in the database, as Vietnamese sentences; empty when all balance."""
    problems = []
    for campaign in Campaign.objects.all():
        problems += _campaign_money(campaign)
    return problems + _funding_parts() + _reversals() + _bags_and_hand_outs() + tally_problems()
