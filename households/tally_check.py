"""Recount every tally of ``relief.tallies`` from the rows, with the ORM, and list where the counters differ.

Deliberately a second, independent way of counting: the triggers are SQL (relief migrations from 0005 on); this is
the dashboard's definitions written as QuerySets. When both agree, the counters are right. A bulk load that writes
with the triggers off (``generate_city``) fills the counters from this recount with ``refill``.
"""

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncDate

from relief.models import Bag, Distribution
from relief.tallies import (
    TALLIES,
    BagTally,
    CategoryTally,
    HandOutDayTally,
    HouseholdTally,
    ServedCategoryTally,
    ServedTally,
)

from .models import Household

MAX_LINES = 20


def _counts(rows, keys):
    """``{key tuple: n}`` from rows of ``values(*keys).annotate(n=…)``, with no ward and no category as 0."""
    return {tuple(row[key] or 0 for key in keys): row["n"] for row in rows if row["n"]}


def recount():
    """``{tally model: {key tuple: n}}`` counted from bags, households, categories and hand-outs."""
    served = Household.objects.approved().filter(distributions__isnull=False, distributions__cancelled_at__isnull=True)
    distinct_households = Count("pk", distinct=True)
    return {
        BagTally: _counts(Bag.objects.values(*BagTally.KEYS).annotate(n=Count("pk")).order_by(), BagTally.KEYS),
        HouseholdTally: _counts(
            Household.objects.values(*HouseholdTally.KEYS).annotate(n=Count("pk")).order_by(), HouseholdTally.KEYS
        ),
        CategoryTally: _counts(
            Household.objects.approved()
            .values("ward_id", category_id=F("categories"))
            .annotate(n=Count("pk"))
            .order_by(),
            CategoryTally.KEYS,
        ),
        ServedTally: _counts(
            served.values("ward_id", "residence", campaign_id=F("distributions__campaign_id"))
            .annotate(n=distinct_households)
            .order_by(),
            ServedTally.KEYS,
        ),
        ServedCategoryTally: _counts(
            served.values("ward_id", campaign_id=F("distributions__campaign_id"), category_id=F("categories"))
            .annotate(n=distinct_households)
            .order_by(),
            ServedCategoryTally.KEYS,
        ),
        HandOutDayTally: _counts(
            Distribution.objects.active()
            .values("campaign_id", "ward_id", day=TruncDate("handed_out_at"))
            .annotate(n=Count("pk"))
            .order_by(),
            HandOutDayTally.KEYS,
        ),
    }


@transaction.atomic
def refill():
    """Empty every tally and write its recount: one grouped query per tally, so it costs what the rows cost to read
    once, whatever their number."""
    for model, counts in recount().items():
        model.objects.all().delete()
        model.objects.bulk_create(model(**dict(zip(model.KEYS, key, strict=True)), n=n) for key, n in counts.items())


def stored():
    """``{tally model: {key tuple: n}}`` as the counters hold them (rows at 0 left out)."""
    return {model: _counts(model.objects.values(*model.KEYS, "n"), model.KEYS) for model in TALLIES}


def tally_problems():
    """One Vietnamese line per counter that differs from its recount (at most ``MAX_LINES`` per tally)."""
    problems = []
    held = stored()
    for model, counted in recount().items():
        kept = held[model]
        wrong = sorted(key for key in kept.keys() | counted.keys() if kept.get(key, 0) != counted.get(key, 0))
        problems += [
            f"Bộ đếm “{model._meta.verbose_name}” {dict(zip(model.KEYS, key, strict=True))}: "
            f"ghi {kept.get(key, 0)} nhưng đếm lại được {counted.get(key, 0)}"
            for key in wrong[:MAX_LINES]
        ]
    return problems
