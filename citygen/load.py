"""Writing generated rows into the real tables, and the database chores around it.

Two writers take the same rows (tuples in a table's column order): ``CopyWriter`` streams them through
PostgreSQL's COPY, which is what makes a million households load in seconds; ``InsertWriter`` inserts them row by
row so the small cities of the tests load on SQLite too. Primary keys are chosen by the generator,
so the rows can point at each other before anything is written; the sequences are moved past them afterwards.
"""

import datetime
import io
from collections import Counter

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection

from donations.models import BagFunding, Donation, Donor
from households.models import Household, MissedReport, PersonalDataView
from households.tally_check import refill
from relief.models import (
    Allocation,
    Bag,
    Campaign,
    Distribution,
    District,
    Recall,
    User,
    Ward,
    WardRequest,
    WriteOff,
)
from relief.tallies import TALLIES

# Parents before children: each table only points at tables earlier in the list.
PROGRAM_MODELS = [
    District, Ward, Campaign, Donor, Donation, WardRequest, Allocation, Bag, BagFunding, Household,
    Household.categories.through, Distribution,
]  # fmt: skip
WRITTEN_MODELS = [*PROGRAM_MODELS, User, User.groups.through]
PROGRAM_APPS = ["relief", "households", "donations"]


class Ids:
    """The next free primary key of each table, so the generator can link rows before writing them."""

    def __init__(self, models):
        self._next = {model: _max_id(model) + 1 for model in models}

    def take(self, model, count=1):
        """Reserve ``count`` consecutive keys of ``model``'s table and return the first."""
        first = self._next[model]
        self._next[model] += count
        return first


def _max_id(model):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _copy_text(value):
    """One value in COPY's text format: \\N for NULL, t/f for booleans, ISO dates, backslash-escaped text."""
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        return value
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class CopyWriter:
    """Streams rows into PostgreSQL with COPY … FROM STDIN, one buffer per call.

    ``prepare`` drops the program tables' secondary indexes, unique constraints and foreign keys, and ``finish``
    puts back exactly the definitions it dropped: PostgreSQL's own advice for populating a database, since one
    index build and one set-based check per key are far cheaper than millions of per-row updates and lookups.
    Re-adding a constraint validates every row, so the database still vouches for the data. In the same spirit the
    dashboard's counting triggers are off during the load (without the indexes each would scan the hand-outs) and
    ``finish`` recounts every counter from the rows, one grouped query each, as ``check_ledger`` counts them. All of it
    happens in the caller's transaction: a failure rolls the definitions, the triggers and the counters back along with
    the rows.
    """

    def __init__(self):
        self.counts = Counter()
        self.dropped_constraints = []
        self.dropped_indexes = []
        self.tally_triggers = []

    def prepare(self):
        tables = [model._meta.db_table for model in PROGRAM_MODELS]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # Checks still queued from --replace's deletes would block ALTER TABLE; run them now, and check the
            # few rows written with their keys in place (users) as they go.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(_CONSTRAINTS_SQL, [tables])
            self.dropped_constraints = cursor.fetchall()
            cursor.execute(_INDEXES_SQL, [tables])
            self.dropped_indexes = cursor.fetchall()
            for table, name, _ in self.dropped_constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in self.dropped_indexes:
                cursor.execute(f"DROP INDEX {name}")
            self.tally_triggers = _tally_triggers(cursor)
            for table, trigger in self.tally_triggers:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")

    def finish(self):
        with connection.cursor() as cursor:
            for _, definition in self.dropped_indexes:
                cursor.execute(definition)
            for table, name, definition in self.dropped_constraints:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for table, trigger in self.tally_triggers:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        refill()

    def write(self, model, columns, rows):
        buffer = io.StringIO()
        n = 0
        for row in rows:
            buffer.write("\t".join([_copy_text(value) for value in row]))
            buffer.write("\n")
            n += 1
        if not n:
            return
        buffer.seek(0)
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor:
            cursor.copy_expert(sql, buffer)
        self.counts[model._meta.db_table] += n


def _tally_triggers(cursor):
    """``[(table, trigger)]``: the tallies' row triggers, found by the ``tally_`` prefix their migrations give them,
    so a trigger a later migration adds or renames is switched off with the rest."""
    cursor.execute(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND t.tgname LIKE 'tally\\_%' ORDER BY 1, 2"
    )
    return cursor.fetchall()


# Unique constraints before foreign keys (contype 'u' sorts after 'f', hence DESC), so keys are re-added last.
_CONSTRAINTS_SQL = """
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype DESC, conrelid, conname
"""
# Secondary indexes that no constraint owns (a unique constraint's index goes and comes back with it).
_INDEXES_SQL = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
    WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
    ORDER BY i.indrelid, 1
"""


class InsertWriter:
    """Writes rows with plain INSERTs, each value prepared by its model field as the ORM would.

    Slow, but it works on every database (SQLite in the tests), and unlike ``bulk_create`` it keeps the generated
    timestamps, where the ORM would stamp every ``auto_now_add`` field with the current time.
    """

    def __init__(self):
        self.counts = Counter()

    def prepare(self):
        """Nothing to do: the small cities this writes keep their indexes."""

    def finish(self):
        """Nothing to do, see ``prepare``."""

    def write(self, model, columns, rows):
        fields = [model._meta.get_field(column) for column in columns]
        prepared = [
            [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]
            for row in rows
        ]
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
        self.counts[model._meta.db_table] += len(prepared)


def writer_for_database():
    return CopyWriter() if connection.vendor == "postgresql" else InsertWriter()


def program_is_empty():
    return not any(model.objects.exists() for model in PROGRAM_MODELS)


def delete_program():
    """Remove every program row and the logins tied to a district or ward; categories and other users stay.

    PostgreSQL truncates (the donation trigger refuses row deletes, rightly, and TRUNCATE is also far faster);
    SQLite deletes table by table, children first.
    """
    history = [
        model for label in PROGRAM_APPS for model in apps.get_app_config(label).get_models() if _is_history(model)
    ]
    # Records the generator never writes but that point at what it does (the reveal log, reports of missed
    # households, write-offs, recalls) go first.
    doomed = [PersonalDataView, MissedReport, WriteOff, Recall] + [
        model for model in reversed(PROGRAM_MODELS) if model not in (Ward, District)
    ]
    doomed += history
    tables = [model._meta.db_table for model in doomed]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    # Every district here is a generated one (the command checks), so its logins are the generator's too.
    User.objects.filter(district__isnull=False).delete()
    User.objects.filter(ward__isnull=False).delete()
    Ward.objects.all().delete()
    District.objects.all().delete()


def _is_history(model):
    return model.__name__.startswith("Historical")


def reset_sequences():
    """Move each table's key sequence past the keys the generator chose, so the app's next insert works."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), WRITTEN_MODELS):
            cursor.execute(sql)


def vacuum_analyze():
    """Refresh the planner's statistics and mark the new pages all-visible, so the first pages and benchmarks run
    on tables as they would be in a settled database (index-only scans, no autovacuum pass arriving midway).

    VACUUM cannot run inside a transaction; called inside one (the tests), this only analyzes.
    """
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in [model._meta.db_table for model in WRITTEN_MODELS + TALLIES]:
            cursor.execute(f"{command} {table}")


def database_size():
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


# The columns a household's history row copies from the household (what simple-history tracks).
_HOUSEHOLD_HISTORY = (
    "id", "ward_id", "head_name", "national_id", "phone", "address", "members", "residence", "status", "source",
    "notes", "created_by_id", "created_at",
)  # fmt: skip


def write_household_history():
    """Each generated household's creation in its history, as an import writes it (who registered it, when, its
    categories), set-based: the city then looks like one the program made, and a household's page reads the same
    history queries as on the demo data."""
    columns = ", ".join(_HOUSEHOLD_HISTORY)
    households, history = Household._meta.db_table, Household.history.model._meta.db_table
    links = Household.categories.through._meta.db_table
    history_links = apps.get_model("households", "HistoricalHousehold_categories")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history} ({columns}, history_date, history_type, history_user_id) "
            f"SELECT {columns}, created_at, '+', created_by_id FROM {households}"
        )
        cursor.execute(
            f"INSERT INTO {history_links} (id, household_id, category_id, history_id) "
            f"SELECT k.id, k.household_id, k.category_id, h.history_id FROM {links} k "
            f"JOIN {history} h ON h.id = k.household_id"
        )
