"""Where one campaign's bags went: allocations to its wards, hand-outs to households, and the few lost.

Bags move as the services move them: an allocation takes the lowest-numbered bags still at the district, and a
ward hands out its lowest-numbered bag in stock first, so hand-outs sorted by time take the ward's bags in number
order. Each bag's row is written once, in its final state.
"""

import datetime

from citygen.people import SAIGON
from citygen.plan import split
from relief.models import Allocation, Bag, Distribution

HAND_OUTS_START = datetime.datetime(2021, 8, 22, 7, 0, tzinfo=SAIGON)
ROUND_ONE_DAYS, ALL_DAYS = 40, 60  # the second round of hand-outs fills the last twenty of the sixty days
ROUND_SHARES = [5, 3, 2]  # three allocation rounds, the first the largest
ALLOCATION_DELAY = datetime.timedelta(hours=2)
VOID_REASONS = [
    "Túi bị hỏng do ngấm nước mưa", "Thất lạc khi vận chuyển về phường", "Hàng trong túi hết hạn sử dụng",
]  # fmt: skip
SERVED_SHARE = 0.85  # of a ward's approved households, those who get a first bag
CANCELLED_SHARE = 0.001
CANCEL_REASONS = ["Ghi nhầm hộ nhận", "Chọn nhầm hộ cùng tên", "Hộ đã nhận ở đợt trước, ghi trùng"]
BAG_COLUMNS = [
    "id", "number", "serial", "source", "state", "void_reason", "unfunded", "created_at", "allocation_id",
    "campaign_id", "ward_id",
]  # fmt: skip
ALLOCATION_COLUMNS = ["id", "campaign_id", "ward_id", "quantity", "request_id", "note", "created_by_id", "created_at"]
DISTRIBUTION_COLUMNS = [
    "id", "bag_id", "household_id", "campaign_id", "ward_id", "slot", "handed_out_at", "received_by",
    "recorded_by_id", "request_key", "cancelled_at", "cancelled_by_id", "cancel_reason",
]  # fmt: skip


class BagBook:
    """The final state of each bag of one campaign, by number, filled in as allocations and hand-outs happen."""

    def __init__(self, funded, first_id):
        self.funded = funded  # (source, created_at) by bag number - 1
        self.first_id = first_id
        self.state = [Bag.State.AT_DISTRICT] * len(funded)
        self.ward = [None] * len(funded)
        self.allocation = [None] * len(funded)
        self.void_reason = [""] * len(funded)
        self.allocated_at = {}  # allocation id → when it reached the ward

    def id_of(self, number):
        return self.first_id + number - 1

    def rows(self, campaign):
        for i, (source, created_at) in enumerate(self.funded):
            yield (self.first_id + i, i + 1, campaign.bag_serial(i + 1), source, self.state[i], self.void_reason[i],
                   False, created_at, self.allocation[i], campaign.pk, self.ward[i])  # fmt: skip


def allocate(rng, ids, book, wards, *, campaign_id, staff_id):
    """Allocate each ward its hand-outs plus spare stock, in three rounds as the money comes in; return the
    allocation rows and each ward's bag numbers (lowest first).

    ``wards`` is a list of (ward plan, ward id). Rounds go ward after ward, each taking the lowest numbers left at
    the district, as ``allocation_create`` does.
    """
    total = len(book.funded)
    wanted = [ward.hand_outs + round(ward.hand_outs * rng.uniform(0.4, 0.8)) for ward, _ in wards]
    rounds = [split(quantity, ROUND_SHARES) for quantity in wanted]
    rows, numbers_of, next_number = [], {ward_id: [] for _, ward_id in wards}, 1
    for r in range(len(ROUND_SHARES)):
        for (_, ward_id), shares in zip(wards, rounds, strict=True):
            quantity = min(shares[r], total + 1 - next_number)
            if quantity <= 0:
                continue
            allocation_id = ids.take(Allocation)
            numbers = range(next_number, next_number + quantity)
            for number in numbers:
                book.state[number - 1] = Bag.State.ALLOCATED
                book.ward[number - 1] = ward_id
                book.allocation[number - 1] = allocation_id
            numbers_of[ward_id] += numbers
            # The district sends bags as soon as the money for them is in: just after its last bag was funded.
            created_at = book.funded[next_number + quantity - 2][1] + ALLOCATION_DELAY
            book.allocated_at[allocation_id] = created_at
            rows.append([allocation_id, campaign_id, ward_id, quantity, None, f"Đợt {r + 1}", staff_id, created_at])
            next_number += quantity
    _void_at_district(rng, book, next_number)
    return rows, numbers_of


def _void_at_district(rng, book, first_unallocated):
    """A few bags still in the district's store are written off."""
    left = len(book.funded) + 1 - first_unallocated
    for number in rng.sample(range(first_unallocated, first_unallocated + left), min(left, left // 500 + 1)):
        book.state[number - 1] = Bag.State.VOID
        book.void_reason[number - 1] = rng.choice(VOID_REASONS)


def rounds(hand_outs, approved):
    """How many households get a first bag and how many of them a second, or None if the hand-outs do not fit.

    Some approved households are still waiting for their first bag when the sixty days end, as in any real ward,
    so the pages that list them have someone to show.
    """
    first = min(hand_outs, round(approved * SERVED_SHARE))
    second = hand_outs - first
    return (first, second) if second <= first else None


def hand_out(rng, ids, book, ward, ward_id, numbers, approved, *, campaign_id, officer_id):
    """The ward's hand-outs: most approved households a first bag, some of them a second; returns the
    distribution rows. Also writes off a few of the bags the ward keeps in stock."""
    households = list(approved)
    rng.shuffle(households)
    first_round, second_round = rounds(ward.hand_outs, len(households))
    visits = [(_moment(rng, 0, ROUND_ONE_DAYS), household, 1) for household in households[:first_round]]
    visits += [(_moment(rng, ROUND_ONE_DAYS, ALL_DAYS), household, 2) for household in households[:second_round]]
    visits.sort()
    if len(numbers) < len(visits):
        raise ValueError(f"{ward.code}: {len(numbers)} túi được phân bổ không đủ cho {len(visits)} lượt trao.")
    first = ids.take(Distribution, len(visits))
    rows = []
    for k, ((moment, household, slot), number) in enumerate(zip(visits, numbers[: len(visits)], strict=True)):
        book.state[number - 1] = Bag.State.HANDED_OUT
        # A bag cannot go out before it reaches the ward. Later bags reach it no earlier, so this keeps the
        # hand-outs in bag-number order.
        moment = max(moment, book.allocated_at[book.allocation[number - 1]] + ALLOCATION_DELAY)
        received_by = _stand_in(rng)
        rows.append((first + k, book.id_of(number), household, campaign_id, ward_id, slot, moment, received_by,
                     officer_id, None, None, None, ""))  # fmt: skip
    rows += _mistakes(rng, ids, rows, households)
    stock = numbers[len(visits) :]
    for number in rng.sample(stock, min(len(stock), len(stock) // 250 + (rng.random() < 0.3))):
        book.state[number - 1] = Bag.State.VOID
        book.void_reason[number - 1] = rng.choice(VOID_REASONS)
    return rows


def _mistakes(rng, ids, rows, households):
    """A few bags were first recorded against the wrong household and cancelled within the hour, as
    ``distribution_cancel`` allows; the record stays, and the bag then went to the right household."""
    picked = [row for row in rows if rng.random() < CANCELLED_SHARE]
    first = ids.take(Distribution, len(picked))
    mistakes = []
    for k, row in enumerate(picked):
        recorded = row[6] - datetime.timedelta(minutes=40)
        officer = row[8]
        mistakes.append((first + k, row[1], rng.choice(households), row[3], row[4], 1, recorded, "", officer, None,
                         recorded + datetime.timedelta(minutes=15), officer, rng.choice(CANCEL_REASONS)))  # fmt: skip
    return mistakes


def _moment(rng, from_day, to_day):
    day = rng.randrange(from_day, to_day)
    return HAND_OUTS_START + datetime.timedelta(days=day, seconds=rng.randrange(10 * 3600))


def _stand_in(rng):
    """Now and then a relative signs for the household."""
    if rng.random() < 0.04:
        return f"{rng.choice(['Vợ', 'Chồng', 'Con', 'Em'])}: {rng.choice(['Lan', 'Hùng', 'Mai', 'Tuấn', 'Hoa'])}"
    return ""
