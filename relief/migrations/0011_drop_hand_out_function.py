"""The hand-out has one path on every database (households/hand_outs.py): the PL/pgSQL function that repeated it
on PostgreSQL, installed after every migrate until now, is dropped. Going back leaves it dropped: the code of that
time installed it again after its own migrate."""

from django.db import migrations


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS relief_hand_out_next_bag")


class Migration(migrations.Migration):
    dependencies = [("relief", "0010_allocation_submission_key")]

    operations = [migrations.RunPython(drop_function, migrations.RunPython.noop)]
