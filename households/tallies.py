"""New households counted in the leaders' tallies (``relief.tallies``) all at once, as an import writes them.

Row triggers count every household and category link one by one; for a hundred thousand new households that is a
few statements each. On PostgreSQL an import inserts inside ``households_counted_together``, where the two INSERT
triggers stand aside for its transaction (the setting below, which relief migration 0007 has them read), and then
counts what it inserted with ``add_households``: the same counts, set-based. Elsewhere the triggers count row by
row and ``add_households`` does nothing.
"""

from contextlib import contextmanager

from relief.tallies import CategoryTally, HouseholdTally

from .models import Household

DEFERRED_SETTING = "ansinh.tallies_deferred"


@contextmanager
def households_counted_together(connection):
    """Insert new households and their categories inside this block, then ``add_households`` their ids. Must run
    inside the caller's transaction: the setting is the transaction's own."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [DEFERRED_SETTING])
    yield  # an error rolls the transaction (or savepoint) back, and the setting with it
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'off', true)", [DEFERRED_SETTING])


def _upsert(tally, select):
    """Add the counts ``select`` yields (the tally's keys, then n) to ``tally``: ``INSERT … ON CONFLICT`` adds to a
    counter that exists, which the ORM cannot say."""
    table, keys = tally._meta.db_table, ", ".join(tally.KEYS)
    return f"INSERT INTO {table} ({keys}, n) {select} ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"


def _add_households_sql():
    """What new households (``id = ANY(%(ids)s)``) and their categories add to the tallies: households by ward,
    status and residence (the tally's keys are the household's columns), and the approved ones by category, 0 for
    none. Served counts are not theirs: a hand-out's own trigger counts it, deferred or not."""
    households = Household._meta.db_table
    links = Household.categories.through._meta
    link_household, link_category = links.get_field("household").column, links.get_field("category").column
    keys = ", ".join(f"h.{key}" for key in HouseholdTally.KEYS)
    return [
        _upsert(
            HouseholdTally,
            f"SELECT {keys}, COUNT(*) FROM {households} h WHERE h.id = ANY(%(ids)s) GROUP BY {keys}",
        ),
        _upsert(
            CategoryTally,
            f"SELECT h.ward_id, COALESCE(k.{link_category}, 0), COUNT(*) FROM {households} h "
            f"LEFT JOIN {links.db_table} k ON k.{link_household} = h.id "
            "WHERE h.id = ANY(%(ids)s) AND h.status = %(approved)s GROUP BY 1, 2",
        ),
    ]


def add_households(connection, ids):
    """Count the households ``ids`` inserted in a ``households_counted_together`` block (PostgreSQL)."""
    if connection.vendor != "postgresql" or not ids:
        return
    with connection.cursor() as cursor:
        for statement in _add_households_sql():
            cursor.execute(statement, {"ids": list(ids), "approved": Household.Status.APPROVED.value})
