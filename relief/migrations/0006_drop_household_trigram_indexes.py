"""Drop the trigram indexes of 0002 on the folded name and address (PostgreSQL only).

Search now matches the start of a word through ``households.0005``'s ``search_words`` column and its GIN index;
no query reads the trigram indexes any more, and every household an import writes still had to enter both (about
a twentieth of a 100,000-row import's database time). Dropped CONCURRENTLY, so hand-outs go on meanwhile.
"""

from django.db import migrations

INDEXES = [
    ("household_name_trgm", "households_household USING gin (name_key gin_trgm_ops)"),
    ("household_address_trgm", "households_household USING gin (address_key gin_trgm_ops)"),
]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES:
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {target}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("relief", "0005_tallies"),
        ("households", "0006_household_ward_name"),
    ]

    operations = [migrations.RunPython(drop, create)]
