"""One campaign's money: donors, the stream of donations with its receipts, and the bags that money funds.

The stream is replayed through the same rule as ``donations.services.campaign_fund_bags``: each whole bag value
of free money funds the next bag at once, paid from the oldest donation first. So every cash bag's parts add up to
the bag value, the money left over sits in the newest donations, and a real donation recorded afterwards continues
exactly where the generator stopped. Reversed donations never reach a bag: their reversal comes before any bag is
funded from them, which is the one order in which the real services would leave their money untouched too.
"""

import datetime
from collections import deque
from dataclasses import dataclass, field

from citygen.people import SAIGON, Weighted
from donations.models import Donation, Donor
from relief import demo
from relief.models import Bag

BAG_VALUE = 1_000_000
GIFTS_START = datetime.datetime(2021, 8, 17, 8, 0, tzinfo=SAIGON)  # the day of Conclusion 492-KL/QU
IN_KIND_SHARE, REVERSED_SHARE, REPEAT_DONOR = 0.004, 0.002, 0.25
# Typical gifts by kind of donor, in đồng. The large givers are scaled afterwards so the campaign's cash comes out
# at exactly the planned number of bags; the small gifts keep their round amounts.
GIFTS = {
    Donor.Kind.INDIVIDUAL: [200_000, 300_000, 500_000, 500_000, 1_000_000, 1_000_000, 2_000_000, 3_000_000,
                            5_000_000, 10_000_000],
    Donor.Kind.STAFF: [200_000, 300_000, 500_000, 1_000_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000],
    Donor.Kind.BENEFACTOR: [10_000_000, 20_000_000, 30_000_000, 50_000_000, 100_000_000],
    Donor.Kind.BUSINESS: [50_000_000, 100_000_000, 100_000_000, 200_000_000, 300_000_000, 500_000_000],
    Donor.Kind.ORGANISATION: [20_000_000, 50_000_000, 100_000_000, 200_000_000, 300_000_000],
}  # fmt: skip
KINDS = Weighted({
    Donor.Kind.INDIVIDUAL: 58, Donor.Kind.STAFF: 22, Donor.Kind.BENEFACTOR: 12, Donor.Kind.BUSINESS: 5,
    Donor.Kind.ORGANISATION: 3,
})  # fmt: skip
LARGE = {Donor.Kind.BENEFACTOR, Donor.Kind.BUSINESS, Donor.Kind.ORGANISATION}
REVERSAL_REASONS = [
    "Ghi nhầm số tiền", "Chuyển khoản bị ngân hàng hoàn trả", "Trùng biên nhận với khoản đã ghi",
    "Nhập nhầm chương trình",
]  # fmt: skip
DONOR_COLUMNS = [
    "id", "kind", "name", "organisation", "phone", "address", "anonymous", "district_id", "created_by_id",
    "created_at",
]  # fmt: skip
DONATION_COLUMNS = [
    "id", "campaign_id", "donor_id", "method", "amount", "bags_in_kind", "received_on", "receipt_seq",
    "receipt_number", "reverses_id", "reason", "note", "recorded_by_id", "recorded_at", "submission_key",
]  # fmt: skip


@dataclass
class Gift:
    """One entry of the stream before it has a receipt: a gift, or the reversal of ``reverses``."""

    donor: list  # the donor's row, as DonorBook made it: id first, kind second
    method: str
    recorded_at: datetime.datetime
    amount: int = 0
    bags_in_kind: int = 0
    reverses: "Gift | None" = None
    reason: str = ""
    reversed: bool = False
    id: int = 0

    @property
    def received_on(self):
        return self.recorded_at.date()


@dataclass
class CampaignMoney:
    """What the money phase hands on: rows to write, and each bag's source and funding time by bag number."""

    donors: list = field(default_factory=list)
    donations: list = field(default_factory=list)
    bags: list = field(default_factory=list)  # (source, created_at) for bag number 1, 2, …
    parts: list = field(default_factory=list)  # (bag number, donation id, amount)


class DonorBook:
    """The donors of one district, made as gifts arrive; some people give more than once."""

    def __init__(self, rng, ids, district, district_id, staff_id):
        self.rng, self.ids, self.district = rng, ids, district
        self.district_id, self.staff_id = district_id, staff_id
        self.rows = []

    def new(self, kind, name=None, organisation=""):
        rng = self.rng
        if name is None:
            name, organisation = self._name(kind)
        anonymous = kind in (Donor.Kind.INDIVIDUAL, Donor.Kind.BENEFACTOR) and rng.random() < 0.1
        phone = demo.mobile(rng) if rng.random() < 0.5 else ""
        address = demo.street_address(rng, demo.HCMC_STREETS) if rng.random() < 0.3 else ""
        row = [self.ids.take(Donor), kind, name, organisation, phone, address, anonymous, self.district_id,
               self.staff_id, None]  # fmt: skip
        self.rows.append(row)
        return row

    def any(self):
        if self.rows and self.rng.random() < REPEAT_DONOR:
            return self.rng.choice(self.rows)
        return self.new(KINDS.pick(self.rng))

    def _name(self, kind):
        rng = self.rng
        if kind == Donor.Kind.BUSINESS:
            return demo.business_name(rng), ""
        if kind == Donor.Kind.ORGANISATION:
            return demo.agency_name(rng, self.district.name), ""
        name, female = demo.person_name(rng)
        if kind == Donor.Kind.STAFF:
            return name, demo.agency_name(rng, self.district.name)
        if kind == Donor.Kind.BENEFACTOR:
            return ("Bà " if female else "Ông ") + name, ""
        return name, ""


def campaign_money(rng, ids, district, *, campaign, district_id, staff_id):
    """Donors, donations (with receipts), bags by number and their funding parts for one district's campaign."""
    book = DonorBook(rng, ids, district, district_id, staff_id)
    n_kind = max(1, round(district.donations * IN_KIND_SHARE))
    n_reversed = max(1, round(district.donations * REVERSED_SHARE))
    n_cash = district.donations - n_kind - 2 * n_reversed
    in_kind = _in_kind_gifts(rng, book, n_kind, district.bags)
    cash_bags = district.bags - sum(gift.bags_in_kind for gift in in_kind)
    cash = _cash_gifts(rng, book, n_cash, cash_bags * BAG_VALUE + rng.randrange(0, BAG_VALUE, 1000))
    reversed_ = [_cash_gift(rng, book.any()) for _ in range(n_reversed)]
    for gift in reversed_:
        gift.reversed = True
    reversals = [_reversal(rng, gift) for gift in reversed_]
    stream = sorted(cash + in_kind + reversed_ + reversals, key=lambda gift: gift.recorded_at)
    money = CampaignMoney(donors=book.rows)
    money.donations = _receipts(stream, ids, campaign, staff_id)
    _fund(stream, money)
    _date_donors(book.rows, money.donations)
    return money


def _in_kind_gifts(rng, book, count, planned_bags):
    """Gifts of ready-made bags, together at most a tenth of the campaign's bags."""
    most = max(1, min(200, planned_bags // (10 * count)))
    return [
        Gift(
            donor=book.new(Donor.Kind.BUSINESS),
            method=Donation.Method.IN_KIND,
            recorded_at=_gift_moment(rng),
            bags_in_kind=rng.randint(max(1, most // 5), most),
        )
        for _ in range(count)
    ]


def _cash_gifts(rng, book, count, total):
    """``count`` cash gifts adding up to exactly ``total`` đồng, opened by the district agencies' joint gift."""
    opening = Gift(
        donor=book.new(Donor.Kind.ORGANISATION, f"Lãnh đạo các cơ quan khối nội chính {book.district.name}"),
        method=Donation.Method.TRANSFER,
        recorded_at=GIFTS_START,
        amount=300_000_000,
    )
    gifts = [opening] + [_cash_gift(rng, book.any()) for _ in range(count - 1)]
    large = [gift for gift in gifts if gift.donor[1] in LARGE]
    small_total = sum(gift.amount for gift in gifts if gift.donor[1] not in LARGE)
    factor = (total - small_total) / sum(gift.amount for gift in large)
    if factor <= 0:
        raise ValueError("Quy mô quá nhỏ: không đủ khoản ủng hộ lớn để đạt số túi dự kiến.")
    for gift in large:
        gift.amount = max(BAG_VALUE, round(gift.amount * factor / BAG_VALUE) * BAG_VALUE)
    biggest = max(large, key=lambda gift: gift.amount)
    biggest.amount += total - sum(gift.amount for gift in gifts)  # the rounding, and the odd đồng below a bag
    if biggest.amount <= 0:
        raise ValueError("Quy mô quá nhỏ: không chia được số tiền cho các khoản ủng hộ.")
    return gifts


def _cash_gift(rng, donor):
    kind = donor[1]
    transfer = rng.random() < (0.85 if kind in (Donor.Kind.BUSINESS, Donor.Kind.ORGANISATION) else 0.4)
    method = Donation.Method.TRANSFER if transfer else Donation.Method.CASH
    return Gift(donor=donor, method=method, recorded_at=_gift_moment(rng), amount=rng.choice(GIFTS[kind]))


def _reversal(rng, original):
    return Gift(
        donor=original.donor,
        method=original.method,
        amount=-original.amount,
        reverses=original,
        recorded_at=original.recorded_at + datetime.timedelta(days=rng.randint(1, 3)),
        reason=rng.choice(REVERSAL_REASONS),
    )


def _gift_moment(rng):
    """Most money comes in the first weeks of a campaign, then it tails off over six weeks; office hours, and
    never before the opening gift."""
    day = min(45, int(rng.expovariate(1 / 8)))
    return GIFTS_START + datetime.timedelta(days=day, minutes=rng.randrange(1, 600))


def _receipts(stream, ids, campaign, staff_id):
    """Give each gift its key and receipt number in stream order, and return the donation rows."""
    first = ids.take(Donation, len(stream))
    rows = []
    for seq, gift in enumerate(stream, start=1):
        gift.id = first + seq - 1
        rows.append((
            gift.id, campaign.pk, gift.donor[0], gift.method, gift.amount, gift.bags_in_kind, gift.received_on, seq,
            campaign.receipt_number(seq), gift.reverses.id if gift.reverses else None, gift.reason, "", staff_id,
            gift.recorded_at, None,
        ))  # fmt: skip
    return rows


def _fund(stream, money):
    """Replay the stream through the services' funding rule: free money, oldest first, a bag per bag value."""
    free, free_total = deque(), 0
    for gift in stream:
        recorded_at = gift.recorded_at
        if gift.bags_in_kind:
            for _ in range(gift.bags_in_kind):
                money.bags.append((Bag.Source.IN_KIND, recorded_at))
                money.parts.append((len(money.bags), gift.id, 0))
            continue
        if gift.amount <= 0 or gift.reversed:
            continue
        free.append([gift.id, gift.amount])
        free_total += gift.amount
        while free_total >= BAG_VALUE:
            money.bags.append((Bag.Source.CASH, recorded_at))
            _pay(len(money.bags), free, money.parts)
            free_total -= BAG_VALUE


def _pay(number, free, parts):
    needed = BAG_VALUE
    while needed:
        donation = free[0]
        take = min(needed, donation[1])
        parts.append((number, donation[0], take))
        donation[1] -= take
        needed -= take
        if not donation[1]:
            free.popleft()


def _date_donors(donors, donations):
    """A donor is entered when their first gift is recorded."""
    first_gift = {}
    for row in donations:
        first_gift.setdefault(row[2], row[13])
    for donor in donors:
        donor[9] = first_gift[donor[0]]
