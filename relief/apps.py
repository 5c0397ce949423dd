from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = "Chương trình túi an sinh"

    def ready(self):
        from . import hand_out_sql
        from .roles import ensure_role_groups

        # Not tied to this app's signal: permissions of apps listed after relief exist only once theirs has run.
        post_migrate.connect(ensure_role_groups, dispatch_uid="relief_role_groups")
        # Written from the models, so written again after every migrate: it follows their fields (hand_out_sql).
        post_migrate.connect(hand_out_sql.install, sender=self, dispatch_uid="relief_hand_out_function")
