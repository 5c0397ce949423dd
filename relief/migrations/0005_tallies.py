"""Exact counters for the leaders' figures (``relief.tallies``), kept by row triggers and filled from the rows.

The triggers come before the back-fill, and on PostgreSQL the counted tables are locked against writes (SHARE:
reads go on) for the migration's transaction, so no change slips between the count and the first trigger.
The SQL lives in ``relief.tally_sql``, shared with ``generate_city``'s bulk load and read by ``check_ledger``'s tests.
"""

from django.db import migrations, models

from relief import tally_sql


def create_triggers_and_fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"LOCK TABLE {', '.join(tally_sql.COUNTED)} IN SHARE MODE")
    for statement in tally_sql.create_sql(vendor) + tally_sql.refill_sql(vendor):
        schema_editor.execute(statement)
    if vendor == "postgresql":  # statistics for the planner, so it reads the small tallies by their keys
        schema_editor.execute(f"ANALYZE {', '.join(tally_sql.TALLY_TABLES)}")


def drop_triggers(apps, schema_editor):
    for statement in tally_sql.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('relief', '0004_money_and_hand_out_history_append_only'),
        ('households', '0004_personal_data_view'),
    ]

    operations = [
        migrations.CreateModel(
            name='BagTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('campaign_id', models.IntegerField()),
                ('ward_id', models.IntegerField()),
                ('state', models.CharField(max_length=12)),
                ('source', models.CharField(max_length=10)),
                ('unfunded', models.BooleanField()),
            ],
            options={
                'verbose_name': 'bộ đếm túi',
                'verbose_name_plural': 'bộ đếm túi',
                'db_table': 'relief_tally_bag',
                'constraints': [models.UniqueConstraint(fields=('campaign_id', 'ward_id', 'state', 'source', 'unfunded'), name='relief_tally_bag_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_bag_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='CategoryTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('ward_id', models.IntegerField()),
                ('category_id', models.IntegerField()),
            ],
            options={
                'verbose_name': 'bộ đếm hộ theo diện',
                'verbose_name_plural': 'bộ đếm hộ theo diện',
                'db_table': 'relief_tally_category',
                'constraints': [models.UniqueConstraint(fields=('ward_id', 'category_id'), name='relief_tally_category_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_category_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='HandOutDayTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('campaign_id', models.IntegerField()),
                ('ward_id', models.IntegerField()),
                ('day', models.DateField()),
            ],
            options={
                'verbose_name': 'bộ đếm lượt trao theo ngày',
                'verbose_name_plural': 'bộ đếm lượt trao theo ngày',
                'db_table': 'relief_tally_hand_out_day',
                'constraints': [models.UniqueConstraint(fields=('campaign_id', 'ward_id', 'day'), name='relief_tally_hand_out_day_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_hand_out_day_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='HouseholdTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('ward_id', models.IntegerField()),
                ('status', models.CharField(max_length=10)),
                ('residence', models.CharField(max_length=20)),
            ],
            options={
                'verbose_name': 'bộ đếm hộ',
                'verbose_name_plural': 'bộ đếm hộ',
                'db_table': 'relief_tally_household',
                'constraints': [models.UniqueConstraint(fields=('ward_id', 'status', 'residence'), name='relief_tally_household_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_household_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='ServedCategoryTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('campaign_id', models.IntegerField()),
                ('ward_id', models.IntegerField()),
                ('category_id', models.IntegerField()),
            ],
            options={
                'verbose_name': 'bộ đếm hộ đã nhận theo diện',
                'verbose_name_plural': 'bộ đếm hộ đã nhận theo diện',
                'db_table': 'relief_tally_served_category',
                'constraints': [models.UniqueConstraint(fields=('campaign_id', 'ward_id', 'category_id'), name='relief_tally_served_category_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_served_category_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='ServedTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('campaign_id', models.IntegerField()),
                ('ward_id', models.IntegerField()),
                ('residence', models.CharField(max_length=20)),
            ],
            options={
                'verbose_name': 'bộ đếm hộ đã nhận',
                'verbose_name_plural': 'bộ đếm hộ đã nhận',
                'db_table': 'relief_tally_served',
                'constraints': [models.UniqueConstraint(fields=('campaign_id', 'ward_id', 'residence'), name='relief_tally_served_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_served_not_negative')],
            },
        ),
        migrations.RunPython(create_triggers_and_fill, drop_triggers),
    ]
