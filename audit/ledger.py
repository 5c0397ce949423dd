"""Checks that money and bags balance over the whole database (the invariants of docs/ARCHITECTURE.md).

The database's constraints refuse most breaks as they happen; this looks at what constraints cannot see across
rows and tables (bags against money, hand-outs against bags) and reports every break it finds, each as one line.
Each check is an aggregate query (a few per campaign), so it runs at city scale. The dashboard's counters
(``relief.tallies``) are recounted from the rows and compared too.

It is also the auditor of what a write outside the services could leave behind (the admin, a hand-made SQL fix):
a campaign's counters against its receipts and bags, receipt numbers with a gap, a bag's state against its
allocation and hand-out, and records of one district pointing at another district's campaign, ward or donor.
"""

from django.db.models import Count, F, Max, Min, Q, Sum

from donations.models import BagFunding, Donation
from households.tally_check import tally_problems
from relief.models import Allocation, Bag, Campaign, Distribution, Recall, WardRequest, WriteOff

MAX_LINES = 20


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
    return problems


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


def _numbering(rows, campaign, counter, what):
    """A campaign's numbers (receipts or bags) run 1…n without a gap, and its counter stands at the last one.

    The numbers are unique per campaign (a constraint), so n numbers from 1 to n leave no gap; a counter behind the
    last number would hand out a number again, one ahead leaves a gap at the next.
    """
    row = rows.get(campaign.pk, {"n": 0, "low": None, "top": None})
    top = row["top"] or 0
    problems = []
    if getattr(campaign, counter) != top:
        problems.append(f"{campaign.code}: bộ đếm {what} ghi {getattr(campaign, counter)} nhưng số cuối là {top}")
    if row["n"] and (row["low"] != 1 or row["n"] != top):
        problems.append(f"{campaign.code}: số {what} bị hở: có {row['n']} số nhưng chạy từ {row['low']} đến {top}")
    return problems


def _numbers_by_campaign(queryset, field):
    rows = queryset.values("campaign_id").annotate(n=Count("pk"), low=Min(field), top=Max(field)).order_by()
    return {row["campaign_id"]: row for row in rows}


def _campaign_numbering(campaigns):
    receipts = _numbers_by_campaign(Donation.objects, "receipt_seq")
    bags = _numbers_by_campaign(Bag.objects, "number")
    problems = []
    for campaign in campaigns:
        problems += _numbering(receipts, campaign, "last_receipt_seq", "biên nhận")
        problems += _numbering(bags, campaign, "last_bag_number", "túi")
    return problems


def _lines(rows, template):
    """One line per row of a ``values_list`` (the first ``MAX_LINES``), each filled into ``template``."""
    return [template.format(*row) for row in rows[:MAX_LINES]]


def _allocations():
    """Every allocated or handed-out bag came through an allocation of its own campaign and ward."""
    problems = []
    in_ward = Bag.objects.filter(state__in=[Bag.State.ALLOCATED, Bag.State.HANDED_OUT])
    unallocated = in_ward.filter(allocation__isnull=True).values_list("serial")
    problems += _lines(unallocated, "Túi {} ở phường nhưng không thuộc đợt phân bổ nào")
    at_district = Bag.objects.filter(state=Bag.State.AT_DISTRICT, allocation__isnull=False).values_list("serial")
    problems += _lines(at_district, "Túi {} ở quận nhưng vẫn gắn với một đợt phân bổ")
    mismatched = (
        Bag.objects.filter(allocation__isnull=False)
        .filter(~Q(allocation__campaign=F("campaign")) | (Q(ward__isnull=False) & ~Q(allocation__ward=F("ward"))))
        .values_list("serial")
    )
    problems += _lines(mismatched, "Túi {} không thuộc chương trình hoặc phường của đợt phân bổ của nó")
    overfilled = (
        Allocation.objects.annotate(n=Count("bags")).filter(n__gt=F("quantity")).values_list("pk", "n", "quantity")
    )
    problems += _lines(overfilled, "Đợt phân bổ #{} có {} túi, nhiều hơn {} túi đã phân bổ")
    return problems + _write_offs()


def _write_offs():
    """A write-off the district approved voided its bag."""
    approved = WriteOff.objects.filter(status=WriteOff.Status.APPROVED).exclude(bag__state=Bag.State.VOID)
    return _lines(approved.values_list("bag__serial"), "Túi {} được duyệt hủy nhưng chưa bị hủy")


def _ownership():
    """Records of a campaign point only at that campaign's district, wards, bags and donors."""
    outside = ~Q(ward__district=F("campaign__district"))
    checks = [
        (Allocation.objects.filter(outside).values_list("pk"), "Đợt phân bổ #{} gửi túi cho phường ngoài quận"),
        (WardRequest.objects.filter(outside).values_list("pk"), "Đề nghị #{} của phường ngoài quận của chương trình"),
        (Recall.objects.filter(outside).values_list("pk"), "Đợt thu hồi #{} lấy túi của phường ngoài quận"),
        (
            Recall.objects.filter(transfer__isnull=False).exclude(transfer__campaign=F("campaign")).values_list("pk"),
            "Đợt thu hồi #{} chuyển túi sang chương trình khác",
        ),
        (
            Allocation.objects.filter(request__isnull=False)
            .exclude(request__ward=F("ward"), request__campaign=F("campaign"))
            .values_list("pk"),
            "Đợt phân bổ #{} đáp ứng đề nghị của phường hoặc chương trình khác",
        ),
        (
            Donation.objects.filter(donor__district__isnull=False)
            .exclude(donor__district=F("campaign__district"))
            .values_list("receipt_number"),
            "Khoản {} ghi cho nhà hảo tâm của quận khác",
        ),
        (
            Donation.objects.filter(reverses__isnull=False)
            .exclude(reverses__campaign=F("campaign"))
            .values_list("receipt_number"),
            "Bút toán {} điều chỉnh một khoản của chương trình khác",
        ),
        (
            BagFunding.objects.exclude(donation__campaign=F("bag__campaign")).values_list("bag__serial"),
            "Túi {} được trả bằng khoản ủng hộ của chương trình khác",
        ),
        (
            Distribution.objects.exclude(campaign=F("bag__campaign")).values_list("bag__serial"),
            "Túi {} được trao trong một chương trình khác chương trình của túi",
        ),
    ]
    return [line for queryset, template in checks for line in _lines(queryset, template)]


def ledger_problems():
    """Every break of the invariants found in the database, as Vietnamese sentences; empty when all balance."""
    problems = []
    campaigns = list(Campaign.objects.all())
    for campaign in campaigns:
        problems += _campaign_money(campaign)
    problems += _campaign_numbering(campaigns) + _allocations() + _ownership()
    return problems + _funding_parts() + _reversals() + _bags_and_hand_outs() + tally_problems()
