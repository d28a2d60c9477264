from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "digibank.devices"
    verbose_name = _("Device bank")

    def ready(self):
        from digibank.devices import anonymisation  # noqa: F401 - connects the receiver for anonymised clients
