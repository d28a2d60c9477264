"""The Department's own data behind the figures: the CO2e factor per type of device."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.core.validators import single_line_text
from digibank.devices.register.lifecycle import Kind


class EmissionFactor(models.Model):
    """The greenhouse gas a reused device of this type avoids (kg CO2e), set by the Department,
    each with the public source it comes from. Network-wide, not a digibank's.

    Moved here from the device bank without copying a row (impact migrations 0001 and 0002)."""

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, unique=True)
    kg_co2e = models.DecimalField(
        _("kg CO2e avoided per reuse"), max_digits=7, decimal_places=1, validators=[MinValueValidator(0)]
    )
    source = models.CharField(_("source"), max_length=300, validators=[single_line_text])
    source_url = models.URLField(_("source address"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.kg_co2e} kg"
