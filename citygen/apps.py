from django.apps import AppConfig


class CitygenConfig(AppConfig):
    name = "citygen"
    verbose_name = "Dữ liệu mẫu"
