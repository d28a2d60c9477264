from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "digibank.core"
    label = "core"
    verbose_name = "digibank"
