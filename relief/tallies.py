"""Exact counters the leaders' figures read instead of aggregating a district's rows on every request.

Each tally holds ``n``, the number of rows of one kind, keyed by what the dashboard groups by. Nothing in Python writes
them as rows change: row triggers on bags, households, their categories and hand-outs (created by migration 0005 on
PostgreSQL and SQLite, changed only by later migrations) add and subtract in the same transaction as the change, so
services, the admin, imports, ``bulk_create`` and ``QuerySet.update`` all keep them right. ``check_ledger`` recounts
every tally from the rows and reports any difference.

Keys are plain integers, not foreign keys: ``ward_id`` 0 is "no ward" (a bag at the district) and ``category_id`` 0
is "no category", which a unique key with NULLs could not hold (NULLs never conflict, so ON CONFLICT would not add
up). A row whose count fell back to 0 stays; readers sum, so it is harmless.

A flush may empty the tallies before or after the rows they count (SQLite's deletes row by row, the triggers
firing): the DELETE triggers take a count only from a counter above zero (migration ``tallies_survive_a_flush``),
so whatever the order, every counter ends at zero with the rows. PostgreSQL's TRUNCATE fires no row trigger.
"""

from django.db import models
from django.db.models import Q


class Tally(models.Model):
    n = models.BigIntegerField("số lượng", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return ", ".join(f"{key}={getattr(self, key)}" for key in self.KEYS) + f": {self.n}"


def _meta(table, keys, verbose_name):
    return type(
        "Meta",
        (),
        {
            "db_table": table,
            "verbose_name": verbose_name,
            "verbose_name_plural": verbose_name,
            "constraints": [
                models.UniqueConstraint(fields=keys, name=f"{table}_key"),
                models.CheckConstraint(condition=Q(n__gte=0), name=f"{table}_not_negative"),
            ],
        },
    )


class BagTally(Tally):
    """Bags of a campaign per ward (0: at the district), state, source and whether their money was reversed."""

    KEYS = ["campaign_id", "ward_id", "state", "source", "unfunded"]
    campaign_id = models.IntegerField()
    ward_id = models.IntegerField()
    state = models.CharField(max_length=12)
    source = models.CharField(max_length=10)
    unfunded = models.BooleanField()
    Meta = _meta("relief_tally_bag", KEYS, "bộ đếm túi")


class HouseholdTally(Tally):
    """Households per ward, status and kind of residence."""

    KEYS = ["ward_id", "status", "residence"]
    ward_id = models.IntegerField()
    status = models.CharField(max_length=10)
    residence = models.CharField(max_length=20)
    Meta = _meta("relief_tally_household", KEYS, "bộ đếm hộ")


class CategoryTally(Tally):
    """Approved households per ward and category (0: none); a household in two categories counts in both."""

    KEYS = ["ward_id", "category_id"]
    ward_id = models.IntegerField()
    category_id = models.IntegerField()
    Meta = _meta("relief_tally_category", KEYS, "bộ đếm hộ theo diện")


class ServedTally(Tally):
    """Approved households served by a campaign (holding at least one active hand-out), per ward and residence."""

    KEYS = ["campaign_id", "ward_id", "residence"]
    campaign_id = models.IntegerField()
    ward_id = models.IntegerField()
    residence = models.CharField(max_length=20)
    Meta = _meta("relief_tally_served", KEYS, "bộ đếm hộ đã nhận")


class ServedCategoryTally(Tally):
    """Approved households served by a campaign, per ward and category (0: none)."""

    KEYS = ["campaign_id", "ward_id", "category_id"]
    campaign_id = models.IntegerField()
    ward_id = models.IntegerField()
    category_id = models.IntegerField()
    Meta = _meta("relief_tally_served_category", KEYS, "bộ đếm hộ đã nhận theo diện")


class HandOutDayTally(Tally):
    """Active hand-outs of a campaign per ward (the hand-out's) and local day (Asia/Ho_Chi_Minh)."""

    KEYS = ["campaign_id", "ward_id", "day"]
    campaign_id = models.IntegerField()
    ward_id = models.IntegerField()
    day = models.DateField()
    Meta = _meta("relief_tally_hand_out_day", KEYS, "bộ đếm lượt trao theo ngày")


TALLIES = [BagTally, HouseholdTally, CategoryTally, ServedTally, ServedCategoryTally, HandOutDayTally]
