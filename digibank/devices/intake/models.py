"""A donor (a partner, company, city or person) and the batches of devices it gives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.core.tenancy import ScopedManager
from digibank.core.validators import multi_line_text, single_line_text
from digibank.network.models import Digibank, Hub, Partner, validate_enterprise_number


class Donor(models.Model):
    """Who hands over equipment: a partner of the digibank or another organisation."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="donors")
    name = models.CharField(_("name"), max_length=150, validators=[single_line_text])
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("partner")
    )
    enterprise_number = models.CharField(
        _("enterprise number"), max_length=12, blank=True, validators=[validate_enterprise_number]
    )
    email = models.EmailField(_("e-mail for certificates"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        constraints = [
            models.UniqueConstraint(fields=["digibank", "name"], name="donor_name_unique_per_digibank"),
        ]

    def __str__(self) -> str:
        return self.name


class IntakeBatch(models.Model):
    """One hand-over by a donor: the items are its devices; the donor gets one summary certificate."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="intake_batches")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="batches", verbose_name=_("donor"))
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("received at hub"))
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    reference = models.CharField(_("donor's reference"), max_length=80, blank=True, validators=[single_line_text])
    note = models.TextField(_("note"), blank=True, validators=[multi_line_text])
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("intake batch")
        verbose_name_plural = _("intake batches")

    def __str__(self) -> str:
        return f"{self.donor} {self.received_on:%d/%m/%Y}"
