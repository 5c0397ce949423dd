from django.db import migrations

from households.models import CATEGORIES


def load(apps, schema_editor):
    Category = apps.get_model("households", "Category")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("households", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
