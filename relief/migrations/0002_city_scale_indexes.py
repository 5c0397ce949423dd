"""Indexes for a city of a million households, on PostgreSQL only (SQLite migrates past them unchanged).

* Trigram GIN indexes on the folded name and address: search matches ``LIKE '%nguyen van an%'``, which no B-tree
  can serve; pg_trgm lets PostgreSQL find the rows by their three-letter pieces.
* ``(campaign_id, household_id)`` of the active hand-outs: "which households of this campaign are served", read by
  every figure of the dashboard, as one index-only scan instead of a probe per household.
* ``(campaign_id, id)`` of bags and ``bag_id`` with ``amount`` of bag fundings: the money already in bags, summed
  from the two indexes alone instead of reading two million funding rows.

Built CONCURRENTLY (hence ``atomic = False``), so a live database keeps taking hand-outs while they build.
Creating the pg_trgm extension needs a role allowed to (the database owner on PostgreSQL 13+).
"""

from django.db import migrations

INDEXES = [
    ("household_name_trgm", "households_household USING gin (name_key gin_trgm_ops)"),
    ("household_address_trgm", "households_household USING gin (address_key gin_trgm_ops)"),
    ("distribution_active_campaign_household", "relief_distribution (campaign_id, household_id) WHERE cancelled_at IS NULL"),
    ("bag_campaign_id", "relief_bag (campaign_id, id)"),
    ("bag_funding_bag_amount", "donations_bagfunding (bag_id) INCLUDE (amount)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in INDEXES:
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("relief", "0001_initial"),
        ("households", "0003_categories"),
        ("donations", "0003_donation_immutable"),
    ]

    operations = [migrations.RunPython(create, drop)]
