"""Fewer indexes to write on every household insert: an import of 100,000 rows wrote seven that no query needs.

- The household's numbers keep one index each, in the pattern operator class, which serves both equality (the
  duplicate checks) and prefix (the search); ``db_index`` gave PostgreSQL a second, plain one.
- The ward's own index goes: the composite indexes ``household_ward_status`` and ``household_ward_name`` start with
  the ward.
- The history's copies of the number indexes go: the history is read by household, never searched by number.

Only indexes change, so the database side drops them by what it finds on the table instead of letting
``AlterField`` rebuild the table on SQLite (which would trip the tally triggers that name it).
"""

import django.db.models.deletion
from django.db import migrations, models

NUMBERS = ("national_id", "phone")


def _single_column_indexes(schema_editor, table, column):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, about in constraints.items()
        if about["index"] and not about["unique"] and not about["primary_key"] and about["columns"] == [column]
    ]


def drop_indexes(apps, schema_editor):
    household = apps.get_model("households", "Household")
    history = apps.get_model("households", "HistoricalHousehold")
    for model, columns in ((household, (*NUMBERS, "ward_id")), (history, NUMBERS)):
        for column in columns:
            for name in _single_column_indexes(schema_editor, model._meta.db_table, column):
                schema_editor.execute(schema_editor._delete_index_sql(model, name))


def restore_indexes(apps, schema_editor):
    """The indexes ``db_index`` made: one plain index per column, and on PostgreSQL a pattern-class one for each of
    the register's numbers, which the search's prefix needs."""
    household = apps.get_model("households", "Household")
    history = apps.get_model("households", "HistoricalHousehold")
    restored = ((household, "household", ("ward", *NUMBERS)), (history, "historicalhousehold", NUMBERS))
    for model, prefix, columns in restored:
        for column in columns:
            schema_editor.add_index(model, models.Index(fields=[column], name=f"{prefix}_{column}_was"))
    if schema_editor.connection.vendor == "postgresql":
        for column in NUMBERS:
            pattern = models.Index(
                fields=[column], name=f"household_{column}_like_was", opclasses=["varchar_pattern_ops"]
            )
            schema_editor.add_index(household, pattern)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0008_household_search_words_plpgsql"),
        ("relief", "0007_tallies_deferred_for_bulk_inserts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalhousehold",
                    name="national_id",
                    field=models.CharField(blank=True, max_length=12, verbose_name="số CCCD / CMND"),
                ),
                migrations.AlterField(
                    model_name="historicalhousehold",
                    name="phone",
                    field=models.CharField(blank=True, max_length=10, verbose_name="số điện thoại"),
                ),
                migrations.AlterField(
                    model_name="household",
                    name="national_id",
                    field=models.CharField(blank=True, max_length=12, verbose_name="số CCCD / CMND"),
                ),
                migrations.AlterField(
                    model_name="household",
                    name="phone",
                    field=models.CharField(blank=True, max_length=10, verbose_name="số điện thoại"),
                ),
                migrations.AlterField(
                    model_name="household",
                    name="ward",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="households",
                        to="relief.ward",
                        verbose_name="phường",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["national_id"], name="household_national_id", opclasses=["varchar_pattern_ops"]),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["phone"], name="household_phone", opclasses=["varchar_pattern_ops"]),
        ),
    ]
