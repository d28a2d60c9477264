from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "digibank.core"
    label = "core"
    verbose_name = "digibank"

    def ready(self) -> None:
        from digibank.core import checks  # noqa: F401  (registers the system checks)
