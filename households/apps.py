from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def ensure_categories(using, apps=global_apps, **kwargs):
    """Put the program's categories back into an emptied table.

    Migration 0003 loads them once. Django's ``flush`` (between transactional tests, or an operator's) empties every
    table and then announces post_migrate, as ``migrate`` does; this refills the table only when it is empty, so an
    administrator's renames and order survive every later ``migrate``.
    """
    from .models import CATEGORIES  # apps.py is read before the models can be, so not at the top

    Category = apps.get_model("households", "Category")
    if Category.objects.using(using).exists():
        return
    Category.objects.using(using).bulk_create(
        Category(code=code, name=name, order=order) for order, (code, name) in enumerate(CATEGORIES, start=1)
    )


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "Hộ gia đình"

    def ready(self):
        post_migrate.connect(ensure_categories, sender=self, dispatch_uid="households_categories")
