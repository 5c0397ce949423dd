from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = "Chương trình túi an sinh"

    def ready(self):
        from .roles import ensure_role_groups

        # Not tied to this app's signal: permissions of apps listed after relief exist only once theirs has run.
        post_migrate.connect(ensure_role_groups, dispatch_uid="relief_role_groups")
