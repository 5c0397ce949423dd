"""Make the history of money and hand-outs append-only on PostgreSQL: nobody rewrites or erases who did what.

A row trigger refuses UPDATE and DELETE on the historical tables of donations and distributions. TRUNCATE (the test
runner's flush, ``generate_city --replace``) is a statement, not row changes, and is not affected. SQLite keeps no
such trigger: its test runner empties tables with DELETE.
"""

from django.db import migrations

TABLES = ["donations_historicaldonation", "relief_historicaldistribution"]

PG_UP = """
CREATE OR REPLACE FUNCTION history_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'The history of money and hand-outs is append-only; it is never changed or deleted.';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION history_refuse_change();\n"
    for table in TABLES
)
PG_DOWN = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS history_refuse_change();"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("relief", "0003_user_session_generation"), ("donations", "0003_donation_immutable")]
    operations = [migrations.RunPython(forwards, backwards)]
