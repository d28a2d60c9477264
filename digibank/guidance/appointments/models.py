"""Appointments at a hub: the slots a hub publishes, the bookings in them, and the secret calendar
feeds staff subscribe to. One active booking per slot is the database's rule, not the code's."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.clients.models import Client
from digibank.core.tenancy import ScopedQuerySet
from digibank.core.validators import single_line_text
from digibank.network.models import Digibank, Hub


class Kind(models.TextChoices):
    """The kind of help a slot is for."""

    E_SERVICES = "e_services", _("Help with e-services")
    DEVICE = "device", _("A device or a loan")
    OTHER = "other", _("Other help")


class Slot(models.Model):
    """A time at a hub someone can book: with a helper, or at the desk (no helper). Withdrawn, not
    deleted: a slot that was booked keeps its history."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        WITHDRAWN = "withdrawn", _("withdrawn")

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="+", editable=False)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="slots", verbose_name=_("hub"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    kind = models.CharField(_("kind of help"), max_length=12, choices=Kind.choices, default=Kind.E_SERVICES)
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("helper"),
        help_text=_("Empty: whoever is at the desk."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        indexes = [models.Index(fields=["hub", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_it_starts"),
            # One slot per desk (or helper) and start: generating twice adds nothing.
            models.UniqueConstraint(
                fields=["hub", "starts_at"],
                condition=Q(helper__isnull=True),
                name="slot_once_per_desk_and_start",
                violation_error_message=_("The desk already has a slot at this time."),
            ),
            models.UniqueConstraint(
                fields=["hub", "helper", "starts_at"],
                condition=Q(helper__isnull=False),
                name="slot_once_per_helper_and_start",
                violation_error_message=_("This helper already has a slot at this time."),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.hub} {local:%d/%m/%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Appointment(models.Model):
    """A booking of a slot: for a client of the digibank (staff book by card number), or from the public
    site with only a name and a phone number or e-mail address. Cancelled, attended and no-show are
    final; a cancelled booking frees its slot."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")
        ATTENDED = "attended", _("attended")
        NO_SHOW = "no_show", _("did not come")

    class Via(models.TextChoices):
        PUBLIC = "public", _("public site")
        STAFF = "staff", _("staff")

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="+", editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("time"))
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, validators=[single_line_text])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    booked_via = models.CharField(_("booked via"), max_length=8, choices=Via.choices, default=Via.STAFF)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the name and contact details given on the public site were erased (30 days after the time).
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    tenant_path = "digibank_id"

    ACTIVE = (Status.BOOKED, Status.ATTENDED, Status.NO_SHOW)  # the states that hold the slot

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [models.Index(fields=["status", "reminded_at"])]
        constraints = [
            # A slot is never booked twice: whatever two people do at the same second.
            models.UniqueConstraint(
                fields=["slot"],
                condition=~Q(status="cancelled"),
                name="appointment_one_active_per_slot",
                violation_error_code="unique",
                violation_error_message=_("Someone else has just booked this time. Choose another time."),
            ),
            models.CheckConstraint(
                condition=Q(client__isnull=False)
                | Q(erased_at__isnull=False)
                | (~Q(name="") & (~Q(phone="") | ~Q(email=""))),
                name="appointment_names_who_comes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} ({self.get_status_display()})"

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def who(self) -> str:
        """The name the agenda shows: the client's, or the one given on the public site."""
        return str(self.client) if self.client_id else self.name


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class AgendaFeed(models.Model):
    """A secret address of a calendar feed of a hub's or a helper's appointments, for a calendar app.
    Whoever has the address reads the times (never who comes); revoking it ends that."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="+", editable=False)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(hub__isnull=False, helper__isnull=True) | Q(hub__isnull=True, helper__isnull=False),
                name="agenda_feed_of_a_hub_or_a_helper",
            )
        ]

    def __str__(self) -> str:
        return str(self.hub) if self.hub_id else str(self.helper)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
