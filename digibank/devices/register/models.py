"""A device and its events: every move, with who and when, never changed."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.clients.models import Client
from digibank.core.tenancy import ScopedManager
from digibank.core.validators import multi_line_text, single_line_text
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.tags import new_asset_tag
from digibank.network.models import Digibank, Hub


class Grade(models.TextChoices):
    A = "A", _("A: as good as new")
    B = "B", _("B: traces of use")
    C = "C", _("C: clearly used, works well")


class Condition(models.TextChoices):
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")
    BROKEN = "broken", _("broken")


class Device(models.Model):
    """One item of equipment, from the donor's hands to its last state. Its state changes only
    through the services, along lifecycle.TRANSITIONS, each change a DeviceEvent."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="devices")
    batch = models.ForeignKey(
        "devices.IntakeBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("batch"),
    )
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("hub"))
    asset_tag = models.CharField(_("asset tag"), max_length=11, unique=True, default=new_asset_tag, editable=False)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    make = models.CharField(_("make"), max_length=60, blank=True, validators=[single_line_text])
    model_name = models.CharField(_("model"), max_length=100, blank=True, validators=[single_line_text])
    serial_number = models.CharField(_("serial number"), max_length=80, blank=True, validators=[single_line_text])
    processor = models.CharField(_("processor"), max_length=80, blank=True, validators=[single_line_text])
    memory_gb = models.PositiveSmallIntegerField(
        _("memory (GB)"), null=True, blank=True, validators=[MaxValueValidator(1024)]
    )
    storage_gb = models.PositiveIntegerField(
        _("storage (GB)"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    storage_serial = models.CharField(
        _("disk serial number"),
        max_length=80,
        blank=True,
        help_text=_("As the erasure tool shows it."),
        validators=[single_line_text],
    )
    screen_inches = models.DecimalField(
        _("screen size (inch)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("99"))],
    )
    battery_health = models.PositiveSmallIntegerField(
        _("battery health (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    condition = models.CharField(_("condition"), max_length=8, choices=Condition.choices, default=Condition.GOOD)
    notes = models.TextField(_("notes"), blank=True, validators=[multi_line_text])
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED, editable=False)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True, editable=False)
    software_profile = models.ForeignKey(
        "devices.SoftwareProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("software profile"),
        editable=False,
    )
    # Set at intake and at every return, cleared by a passed erasure: a device holding data is
    # always wiped again between two clients.
    needs_erasure = models.BooleanField(default=True, editable=False)
    ready_checked = models.BooleanField(default=False, editable=False)
    state_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )
    collection = models.ForeignKey(
        "devices.CollectionBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        editable=False,
    )
    owner = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )  # set when handed over for good

    history = HistoricalRecords(excluded_fields=["state_changed_at"])
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["asset_tag"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        indexes = [
            models.Index(fields=["digibank", "state", "kind"]),
            models.Index(fields=["hub", "state", "kind"]),
            models.Index(fields=["digibank", "serial_number"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="device_state_known"),
            models.CheckConstraint(
                condition=~Q(state="recycled") | Q(weight_kg__gt=0, collection__isnull=False),
                name="device_recycled_has_weight_and_collection",
            ),
            # A device is wiped between two clients: one that still needs it is never lendable.
            models.CheckConstraint(
                condition=Q(needs_erasure=False) | ~Q(state__in=["ready", "reserved", "on_loan"]),
                name="device_lendable_only_when_wiped",
            ),
        ]

    def __str__(self) -> str:
        label = " ".join(part for part in (self.make, self.model_name) if part) or self.get_kind_display()
        return f"{self.asset_tag} {label}"

    @property
    def description(self) -> str:
        return " ".join(part for part in (self.get_kind_display(), self.make, self.model_name) if part)


class DeviceEvent(models.Model):
    """The device's own history: every transition, transfer, erasure, repair and check, with who
    and when. Append-only."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("taken in")
        TRANSITION = "transition", _("state changed")
        TRANSFER = "transfer", _("moved to another hub")
        ERASURE = "erasure", _("erasure recorded")
        REPAIR = "repair", _("repair")
        CHECK = "check", _("ready check")
        EDIT = "edit", _("details changed")
        SCAN = "scan", _("scanned in a stock-take")

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    from_hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    ref = models.CharField(max_length=60, blank=True)  # e.g. "devices.loan:12"
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    occurred_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()
    tenant_path = "device__digibank_id"

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["device", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.device_id} {self.kind} {self.occurred_at:%Y-%m-%d}"
