"""A stock-take of a hub and every scan in it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.core.tenancy import ScopedManager
from digibank.devices.register.models import Device
from digibank.network.models import Hub


class StockTake(models.Model):
    """Scan every label at a hub, then compare with what the records say is there."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("hub"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    tenant_path = "hub__digibank_id"

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.hub_id} {self.started_at:%Y-%m-%d}"


class StockTakeScan(models.Model):
    stocktake = models.ForeignKey(StockTake, on_delete=models.PROTECT, related_name="scans")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    scanned = models.CharField(max_length=40)  # what the scanner typed
    scanned_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()
    tenant_path = "stocktake__hub__digibank_id"

    class Meta:
        ordering = ["-scanned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "scanned"], name="stocktake_scan_once"),
        ]

    def __str__(self) -> str:
        return self.scanned
