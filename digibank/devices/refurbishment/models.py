"""Software profiles, erasure records (never changed), repair tickets, ready checks and collections
for recycling."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.core.tenancy import ScopedManager
from digibank.core.validators import multi_line_text, single_line_text
from digibank.devices.register.models import Device
from digibank.devices.tags import new_certificate_number
from digibank.network.models import Digibank


class SoftwareProfile(models.Model):
    """What a refurbished device gets installed: operating system and office software."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="software_profiles")
    name = models.CharField(_("name"), max_length=80, validators=[single_line_text])
    operating_system = models.CharField(_("operating system"), max_length=80, validators=[single_line_text])
    office_software = models.CharField(_("office software"), max_length=80, blank=True, validators=[single_line_text])
    other_software = models.CharField(_("other software"), max_length=200, blank=True, validators=[single_line_text])
    active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("software profile")
        verbose_name_plural = _("software profiles")
        constraints = [
            models.UniqueConstraint(fields=["digibank", "name"], name="software_profile_unique_per_digibank"),
        ]

    def __str__(self) -> str:
        return self.name


class ErasureRecord(models.Model):
    """One erasure of a device's storage, per NIST SP 800-88 Rev. 1, with the tool's own report
    when it was imported. Never changed after it is recorded."""

    class Level(models.TextChoices):
        CLEAR = "clear", _("Clear")
        PURGE = "purge", _("Purge")
        DESTROY = "destroy", _("Destroy")

    class Medium(models.TextChoices):
        HDD = "hdd", _("hard disk (HDD)")
        SSD = "ssd", _("SSD (SATA)")
        NVME = "nvme", _("SSD (NVMe)")
        EMMC = "emmc", _("eMMC or flash memory")
        PHONE = "phone", _("phone or tablet storage")

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")

    class Verification(models.TextChoices):
        NONE = "none", _("not verified")
        LAST = "last", _("last pass verified")
        ALL = "all", _("every pass verified")
        VISUAL = "visual", _("checked by sight (destroyed)")

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="erasures")
    number = models.CharField(max_length=11, unique=True, default=new_certificate_number, editable=False)
    level = models.CharField(_("NIST SP 800-88 level"), max_length=8, choices=Level.choices)
    method = models.CharField(_("method"), max_length=80, validators=[single_line_text])
    tool = models.CharField(_("tool"), max_length=80, validators=[single_line_text])
    medium = models.CharField(_("medium"), max_length=6, choices=Medium.choices)
    medium_serial = models.CharField(_("disk serial number"), max_length=80, blank=True, validators=[single_line_text])
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    performed_on = models.DateField(_("date"), default=timezone.localdate)
    result = models.CharField(_("result"), max_length=6, choices=Result.choices)
    verification = models.CharField(_("verification"), max_length=6, choices=Verification.choices)
    report = models.TextField(_("tool report"), blank=True)  # the nwipe log, as the tool wrote it
    report_sha256 = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager()
    tenant_path = "device__digibank_id"

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return self.number


class RepairTicket(models.Model):
    """Work on a device: the fault, what was done, the parts, the time, and who did it (a
    technician, or a trainee learning on the job)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="repairs")
    fault = models.TextField(_("fault"), validators=[multi_line_text])
    work_done = models.TextField(_("work done"), blank=True, validators=[multi_line_text])
    parts_used = models.CharField(_("parts used"), max_length=300, blank=True, validators=[multi_line_text])
    minutes_spent = models.PositiveIntegerField(
        _("time spent (minutes)"), default=0, validators=[MaxValueValidator(10_000)]
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("technician")
    )
    trainee = models.CharField(
        _("trainee"),
        max_length=120,
        blank=True,
        help_text=_("A technical-skills trainee who did the work."),
        validators=[single_line_text],
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "device__digibank_id"

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")

    def __str__(self) -> str:
        return f"#{self.pk} {self.fault[:40]}"


READY_CHECKLIST = {
    "powers_on": _("Starts up and shuts down normally"),
    "screen": _("Screen without dead pixels or cracks"),
    "keyboard": _("Keyboard and touchpad or mouse work"),
    "battery": _("Battery holds a charge, or the charger works"),
    "network": _("Wi-Fi connects"),
    "camera_audio": _("Webcam, microphone and sound work"),
    "updates": _("Operating system up to date"),
    "fresh_account": _("No data or account of a previous user"),
}


class ReadyCheck(models.Model):
    """The checklist a data-holding device passes before it may become ready."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="ready_checks")
    software_profile = models.ForeignKey(SoftwareProfile, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(default=dict)  # READY_CHECKLIST key -> True
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()
    tenant_path = "device__digibank_id"

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.device_id} {self.checked_at:%Y-%m-%d}"


class CollectionBatch(models.Model):
    """Retired devices handed to a recycler together, under one WEEE/Recupel reference."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="collections")
    recycler = models.CharField(_("recycler"), max_length=150, validators=[single_line_text])
    reference = models.CharField(_("WEEE/Recupel reference"), max_length=80, validators=[single_line_text])
    handed_over_on = models.DateField(_("handed over on"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-handed_over_on", "-pk"]
        verbose_name = _("collection for recycling")
        verbose_name_plural = _("collections for recycling")

    def __str__(self) -> str:
        return f"{self.recycler} {self.reference}"
