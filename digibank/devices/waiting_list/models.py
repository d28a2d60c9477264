"""A client's request for a device, the moves in the line (each with its reason) and the offers
of ready devices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.clients.models import Client
from digibank.core.tenancy import ScopedManager
from digibank.core.validators import multi_line_text
from digibank.devices.lending.models import Loan
from digibank.devices.register.lifecycle import Kind
from digibank.network.models import Digibank, Hub, Partner


class DeviceRequest(models.Model):
    """A client's place on the waiting list for a type of device at a hub. The queue runs on
    (urgent first, then `queued_at`); a move by staff changes `queued_at` and keeps its reason."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OFFERED = "offered", _("offered a device")
        FULFILLED = "fulfilled", _("received a device")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN_STATUSES = (Status.WAITING, Status.OFFERED)

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="device_requests")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="device_requests")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("hub"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    urgent = models.BooleanField(_("urgent"), default=False)
    urgent_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("urgent according to"),
    )
    urgent_reason = models.CharField(_("why urgent"), max_length=300, blank=True, validators=[multi_line_text])
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    queued_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-urgent", "queued_at", "pk"]
        verbose_name = _("device request")
        verbose_name_plural = _("device requests")
        indexes = [models.Index(fields=["hub", "kind", "status", "urgent", "queued_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind"],
                condition=Q(status__in=["waiting", "offered"]),
                name="one_open_request_per_client_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(urgent=False) | Q(urgent_partner__isnull=False), name="urgent_request_names_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_at:%d/%m/%Y}"


class QueueMove(models.Model):
    """A change of someone's place in the queue by staff, with the written reason, kept for good."""

    request = models.ForeignKey(DeviceRequest, on_delete=models.PROTECT, related_name="moves")
    old_queued_at = models.DateTimeField()
    new_queued_at = models.DateTimeField()
    reason = models.CharField(max_length=500, validators=[multi_line_text])
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()
    tenant_path = "request__digibank_id"

    class Meta:
        ordering = ["-moved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.moved_at:%Y-%m-%d}"


class Offer(models.Model):
    """A ready device offered to the next person in line, held by a reservation until it is taken
    up, declined or expires; then it passes to the next person."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        TAKEN = "taken", _("taken up")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")

    request = models.ForeignKey(DeviceRequest, on_delete=models.PROTECT, related_name="offers")
    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="offer")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    offered_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField()
    notified_by = models.CharField(max_length=8, blank=True)  # "sms", "email" or "" (told at the desk)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    tenant_path = "request__digibank_id"

    class Meta:
        ordering = ["expires_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request"], condition=Q(status="open"), name="one_open_offer_per_request"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.get_status_display()}"
