from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_categories(**kwargs):
    """Keep the program's beneficiary categories (docs/ARCHITECTURE.md) in the database.

    A data migration loads them once; this puts them back after anything that empties tables and then announces
    post_migrate, as Django's ``flush`` does between transactional tests.
    """
    from .models import CATEGORIES, Category

    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "Hộ gia đình"

    def ready(self):
        post_migrate.connect(ensure_categories, sender=self, dispatch_uid="households_categories")
