from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "digibank.guidance"
    verbose_name = _("Guidance")

    def ready(self) -> None:
        from digibank.guidance import privacy  # noqa: F401 - connects the receiver for anonymised clients
