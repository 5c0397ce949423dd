from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReliefConfig(AppConfig):
    # This module holds django-axes' config too: ``default`` tells Django which one is relief's.
    default = True
    name = "relief"
    verbose_name = "Chương trình túi an sinh"

    def ready(self):
        from .roles import ensure_role_groups

        # Not tied to this app's signal: permissions of apps listed after relief exist only once theirs has run.
        post_migrate.connect(ensure_role_groups, dispatch_uid="relief_role_groups")


class LoginAttemptsConfig(AxesConfig):
    """django-axes, which counts failed logins and locks the login out, under a Vietnamese name in the admin:
    its own is "Axes" and it ships no Vietnamese. Listed in INSTALLED_APPS in place of "axes"."""

    verbose_name = "Đăng nhập sai"
