"""Make the database itself refuse to change a recorded donation (invariant 1).

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE; deletes there are left to the model, because Django's
test runner empties SQLite tables with DELETE between transactional tests (PostgreSQL uses TRUNCATE, which row
triggers do not see).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION donations_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'A recorded donation is never changed or deleted; record a reversal instead.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER donation_is_immutable BEFORE UPDATE OR DELETE ON donations_donation
  FOR EACH ROW EXECUTE FUNCTION donations_refuse_change();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS donation_is_immutable ON donations_donation;
DROP FUNCTION IF EXISTS donations_refuse_change();
"""
SQLITE_UP = """
CREATE TRIGGER donation_is_immutable BEFORE UPDATE ON donations_donation
BEGIN
  SELECT RAISE(ABORT, 'A recorded donation is never changed; record a reversal instead.');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS donation_is_immutable;"


def forwards(apps, schema_editor):
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("donations", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
