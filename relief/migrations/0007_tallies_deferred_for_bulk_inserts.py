"""The household and category INSERT triggers of the tallies stand aside while a transaction has set
``ansinh.tallies_deferred`` (PostgreSQL): an import then counts its new households set-based
(``relief.tally_sql.households_counted_together`` and ``add_households``). The functions are replaced in place."""

from django.db import migrations

from relief import tally_sql


def replace(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in tally_sql.function_sql(tally_sql.DEFERRABLE):
            schema_editor.execute(statement)


def restore(apps, schema_editor):
    """Back to the functions without the check: the same bodies minus their first statement."""
    if schema_editor.connection.vendor == "postgresql":
        for statement in tally_sql.function_sql(tally_sql.DEFERRABLE):
            schema_editor.execute(statement.replace(tally_sql.deferred_check("NEW") + ";\n", "", 1))


class Migration(migrations.Migration):
    dependencies = [("relief", "0006_drop_household_trigram_indexes")]

    operations = [migrations.RunPython(replace, restore)]
