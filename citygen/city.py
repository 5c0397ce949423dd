"""A synthetic city for load tests: districts, wards, households, money, bags and hand-outs at real scale.

``generate_city`` plans the sizes, then builds the city district by district (each district's rows are made and
written before the next begins, so memory stays flat at a million households) and writes through a writer: COPY on
PostgreSQL, plain INSERTs elsewhere. Every row keeps the app's invariants, so ``check_ledger`` balances and the
services carry on from the generated data. Audit history (django-simple-history) is not written: the synthetic
rows have no one who changed them.
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from citygen import bags, load, money, people, requests
from citygen.plan import DISTRICTS, city_plan
from donations.models import BagFunding, Donation, Donor
from households.models import Household
from relief.models import Allocation, Bag, Campaign, Distribution, WardRequest


@dataclass
class Report:
    """Seconds spent per phase (summed over districts) and rows written per table."""

    seconds: dict = field(default_factory=lambda: defaultdict(float))
    rows: dict = field(default_factory=dict)


class Clock:
    """Charges the time since the last call to the phase named then: ``clock("money")`` starts the money phase."""

    def __init__(self, report):
        self.report = report
        self.phase = None
        self.started = time.perf_counter()

    def __call__(self, phase):
        now = time.perf_counter()
        if self.phase:
            self.report.seconds[self.phase] += now - self.started
        self.phase, self.started = phase, now


@dataclass
class Run:
    """What every district's build shares: the keys handed out so far, the writer, and the city's places and
    users."""

    ids: load.Ids
    writer: object
    clock: Clock
    places: people.Places
    staff: dict
    officers: dict


def generate_city(*, scale, seed, writer, password=None, progress=None, shape=DISTRICTS):
    """Build the city into the (empty) program tables and return a ``Report``.

    ``shape`` is the 2021 city (districts over wards) or today's two-tier one (``citygen.plan.TWO_TIER``).
    Runs inside the caller's transaction. ``password`` is a hash all generated logins share, or None for unusable
    passwords; ``progress`` is called with each district's plan once it is written. Raises ValueError for a scale
    too small to keep the invariants.
    """
    report = Report()
    clock = Clock(report)
    clock("plan")
    plan = city_plan(scale, seed, shape)
    _check(plan)
    ids = load.Ids(load.WRITTEN_MODELS)
    clock("drop indexes and keys")
    writer.prepare()
    clock("places and users")
    places = people.write_places(plan, ids, writer)
    staff, officers = people.write_users(plan, ids, writer, places, password)
    run = Run(ids=ids, writer=writer, clock=clock, places=places, staff=staff, officers=officers)
    for district in plan:
        _district(run, district, random.Random(f"{seed}-{district.code}"))
        if progress:
            progress(district)
    clock("rebuild indexes and keys")
    writer.finish()
    clock(None)
    report.rows = dict(writer.counts)
    return report


def _check(plan):
    for district in plan:
        for ward in district.wards:
            if bags.rounds(ward.hand_outs, people.approved_count(ward.households)) is None:
                raise ValueError(f"{ward.code}: quá ít hộ cho số lượt trao dự kiến; hãy tăng --scale.")


def _district(run, district, rng):
    """Make and write one district: its households, its campaign's money and bags, and its hand-outs.

    One random stream per district (seeded from the city's seed and the district's code) keeps a district's data
    the same whatever is generated before it.
    """
    approved = _households(run, district, rng)
    run.clock("money")
    campaign = Campaign(pk=run.places.campaign_ids[district.code], code=district.campaign_code)
    staff_id = run.staff[district.code]
    district_id = run.places.district_ids[district.code]
    cash = money.campaign_money(rng, run.ids, district, campaign=campaign, district_id=district_id, staff_id=staff_id)
    run.clock("allocations and hand-outs")
    book = bags.BagBook(cash.bags, run.ids.take(Bag, len(cash.bags)))
    wards = [(ward, run.places.ward_ids[ward.code]) for ward in district.wards]
    allocations, numbers_of = bags.allocate(rng, run.ids, book, wards, campaign_id=campaign.pk, staff_id=staff_id)
    officers = {ward_id: run.officers[ward.code] for ward, ward_id in wards}
    asked = requests.ward_requests(
        rng, run.ids, allocations, campaign_id=campaign.pk, staff_id=staff_id, officers_by_ward_id=officers
    )
    hand_outs = []
    for ward, ward_id in wards:
        hand_outs += bags.hand_out(
            rng, run.ids, book, ward, ward_id, numbers_of[ward_id], approved[ward.code],
            campaign_id=campaign.pk, officer_id=run.officers[ward.code],
        )  # fmt: skip
    _write_money_and_bags(run, campaign, cash, asked, allocations, book, hand_outs)


def _households(run, district, rng):
    """Make and write the district's households ward by ward; returns the approved ones' ids by ward code."""
    maker = people.HouseholdMaker(rng, run.ids)
    approved = {}
    for ward in district.wards:
        run.clock("households")
        rows, links, approved[ward.code] = maker.ward(
            run.places.ward_ids[ward.code], ward.households, run.officers[ward.code]
        )
        run.clock("write households")
        run.writer.write(Household, people.HOUSEHOLD_COLUMNS, rows)
        first = run.ids.take(Household.categories.through, len(links))
        run.writer.write(
            Household.categories.through,
            ["id", "household_id", "category_id"],
            ((first + k, *link) for k, link in enumerate(links)),
        )
    return approved


def _write_money_and_bags(run, campaign, cash, asked, allocations, book, hand_outs):
    run.clock("write money")
    run.writer.write(Donor, money.DONOR_COLUMNS, cash.donors)
    run.writer.write(Donation, money.DONATION_COLUMNS, cash.donations)
    run.clock("write bags")
    run.writer.write(WardRequest, requests.REQUEST_COLUMNS, asked)
    run.writer.write(Allocation, bags.ALLOCATION_COLUMNS, allocations)
    run.writer.write(Bag, bags.BAG_COLUMNS, book.rows(campaign))
    first = run.ids.take(BagFunding, len(cash.parts))
    run.writer.write(
        BagFunding,
        ["id", "bag_id", "donation_id", "amount"],
        ((first + k, book.id_of(number), donation, amount) for k, (number, donation, amount) in enumerate(cash.parts)),
    )
    run.clock("write hand-outs")
    run.writer.write(Distribution, bags.DISTRIBUTION_COLUMNS, hand_outs)
