from django.apps import AppConfig


class LeadersConfig(AppConfig):
    name = "leaders"
    verbose_name = "Trang của lãnh đạo"
