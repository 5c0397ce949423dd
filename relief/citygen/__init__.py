"""A synthetic city for load tests: districts, wards, households, money, bags and hand-outs at real scale.

``generate_city`` plans the sizes, then builds the city district by district (each district's rows are made and
written before the next begins, so memory stays flat at a million households) and writes through a writer: COPY on
PostgreSQL, ``bulk_create`` elsewhere. Every row keeps the app's invariants, so ``check_ledger`` balances and the
services carry on from the generated data. Audit history (django-simple-history) is not written: the synthetic
rows have no one who changed them.
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from donations.models import BagFunding, Donation, Donor
from households.models import Household
from relief.citygen import bags, load, money, people
from relief.citygen.plan import city_plan
from relief.models import Allocation, Bag, Campaign, Distribution


@dataclass
class Report:
    """Seconds spent per phase (summed over districts) and rows written per table."""

    seconds: dict = field(default_factory=lambda: defaultdict(float))
    rows: dict = field(default_factory=dict)


class _Clock:
    def __init__(self, report):
        self.report = report
        self.phase = None
        self.started = time.perf_counter()

    def __call__(self, phase):
        now = time.perf_counter()
        if self.phase:
            self.report.seconds[self.phase] += now - self.started
        self.phase, self.started = phase, now


def generate_city(*, scale, seed, writer, password=None, progress=None):
    """Build the city into the (empty) program tables and return a ``Report``. Runs inside the caller's
    transaction; ``password`` is a hash all generated logins share, or None for unusable passwords."""
    report = Report()
    clock = _Clock(report)
    clock("plan")
    plan = city_plan(scale, seed)
    for district in plan:
        for ward in district.wards:
            if not people.approved_share_fits(ward):
                raise ValueError(f"{ward.code}: quá ít hộ cho số lượt trao dự kiến; hãy tăng --scale.")
    ids = load.Ids(load.WRITTEN_MODELS)
    clock("drop indexes and keys")
    writer.prepare()
    clock("places and users")
    ward_ids, campaign_ids = people.write_places(plan, ids, writer)
    staff, officers = people.write_users(plan, ids, writer, ward_ids, campaign_ids, password)
    for district in plan:
        _district(district, random.Random(f"{seed}-{district.code}"), ids, writer, clock,
                  ward_ids=ward_ids, district_id=campaign_ids[district.code][0],
                  campaign=Campaign(pk=campaign_ids[district.code][1], code=district.campaign_code),
                  staff_id=staff[district.code], officers=officers)  # fmt: skip
        if progress:
            progress(district)
    clock("rebuild indexes and keys")
    writer.finish()
    clock(None)
    report.rows = dict(writer.counts)
    return report


def _district(district, rng, ids, writer, clock, *, ward_ids, district_id, campaign, staff_id, officers):
    """Make and write one district: its households, its campaign's money and bags, and its hand-outs."""
    clock("households")
    maker = people.HouseholdMaker(rng, ids)
    approved = {}
    for ward in district.wards:
        rows, links, approved[ward.code] = maker.ward(ward_ids[ward.code], ward.households, officers[ward.code])
        clock("write households")
        writer.write(Household, people.HOUSEHOLD_COLUMNS, rows)
        first_link = ids.take(Household.categories.through, len(links))
        writer.write(Household.categories.through, ["id", "household_id", "category_id"],
                     ((first_link + k, *link) for k, link in enumerate(links)))  # fmt: skip
        clock("households")
    clock("money")
    cash = money.campaign_money(rng, ids, district, campaign=campaign, district_id=district_id, staff_id=staff_id)
    clock("allocations and hand-outs")
    book = bags.BagBook(cash.bags, ids.take(Bag, len(cash.bags)))
    wards = [(ward, ward_ids[ward.code]) for ward in district.wards]
    allocations, numbers_of = bags.allocate(rng, ids, book, wards, campaign_id=campaign.pk, staff_id=staff_id)
    hand_outs = []
    for ward, ward_id in wards:
        hand_outs += bags.hand_out(rng, ids, book, ward, ward_id, numbers_of[ward_id], approved[ward.code],
                                   campaign_id=campaign.pk, officer_id=officers[ward.code])  # fmt: skip
    bags.date_allocations(allocations, bags.first_hand_out_times(hand_outs, book))
    clock("write money")
    writer.write(Donor, money.DONOR_COLUMNS, cash.donors)
    writer.write(Donation, money.DONATION_COLUMNS, cash.donations)
    clock("write bags")
    writer.write(Allocation, bags.ALLOCATION_COLUMNS, allocations)
    writer.write(Bag, bags.BAG_COLUMNS, book.rows(campaign))
    first_part = ids.take(BagFunding, len(cash.parts))
    writer.write(BagFunding, ["id", "bag_id", "donation_id", "amount"],
                 ((first_part + k, book.id_of(number), donation, amount)
                  for k, (number, donation, amount) in enumerate(cash.parts)))  # fmt: skip
    clock("write hand-outs")
    writer.write(Distribution, bags.DISTRIBUTION_COLUMNS, hand_outs)
