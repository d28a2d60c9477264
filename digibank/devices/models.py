"""The device bank: donors and their batches, devices and their lifecycle, erasures, repairs, the
lending rules of a digibank, loans with their items, incidents, requests on the waiting list with
their offers, stock-takes and collections for recycling.

Nothing here is ever deleted: a device ends recycled or handed over, a loan returned or cancelled,
an incident closed. The invariant that matters most, one device on at most one open loan or
reservation, is a partial unique index on LoanItem."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from digibank.clients.models import Client
from digibank.core.models import VersionedText
from digibank.core.tenancy import ScopedManager
from digibank.core.validators import multi_line_text, single_line_text
from digibank.network.models import Digibank, Hub, Partner, validate_enterprise_number

from .lifecycle import Kind, State
from .tags import new_asset_tag, new_certificate_number, new_loan_number


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
        IntakeBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="devices", verbose_name=_("batch")
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
        SoftwareProfile,
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
        "CollectionBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="devices", editable=False
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


class AgreementText(VersionedText):
    """The loan agreement a client signs, versioned: each loan keeps the version it was signed under."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="agreements")
    text = models.TextField(_("agreement text"), validators=[multi_line_text])

    class Meta(VersionedText.Meta):
        constraints = [
            models.UniqueConstraint(fields=["digibank", "version"], name="agreement_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class LendingRules(models.Model):
    """How one digibank lends: its local choices, within the one rule of all (adults only)."""

    class Training(models.TextChoices):
        NONE = "", _("no training asked")
        BEFORE = "before", _("completed before the loan")
        DURING = "during", _("followed during the loan")

    class Income(models.TextChoices):
        NONE = "", _("no income condition")
        INCREASED_ALLOWANCE = "verhoogde_tegemoetkoming", _("increased allowance (verhoogde tegemoetkoming)")
        THRESHOLD = "threshold", _("income below a threshold per household size")
        EITHER = "either", _("increased allowance or income below the threshold")

    class Period(models.TextChoices):
        YEAR = "year", _("per year")
        MONTH = "month", _("per month")

    digibank = models.OneToOneField(Digibank, on_delete=models.PROTECT, related_name="lending_rules")
    residents_only = models.BooleanField(_("only residents of the service area"), default=True)
    referral_required = models.BooleanField(_("referral by a partner required"), default=False)
    max_devices_per_client = models.PositiveSmallIntegerField(
        _("devices per client at a time"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    loan_days = models.PositiveSmallIntegerField(
        _("loan period (days)"), default=91, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    extensions_allowed = models.PositiveSmallIntegerField(
        _("extensions allowed"), default=1, validators=[MaxValueValidator(12)]
    )
    extension_days = models.PositiveSmallIntegerField(
        _("days per extension"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    deposit = models.DecimalField(
        _("deposit (EUR)"), max_digits=7, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    training = models.CharField(_("training"), max_length=8, choices=Training.choices, blank=True, default="")
    training_name = models.CharField(_("which training"), max_length=120, blank=True, validators=[single_line_text])
    income_condition = models.CharField(
        _("income condition"), max_length=24, choices=Income.choices, blank=True, default=""
    )
    income_threshold = models.DecimalField(
        _("income limit for one person (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    income_per_member = models.DecimalField(
        _("added per extra household member (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    # Published limits are yearly household incomes; rules made before this choice were monthly.
    income_period = models.CharField(
        _("the income limit is"), max_length=5, choices=Period.choices, default=Period.YEAR
    )
    goals_plan_required = models.BooleanField(_("a goals plan is agreed"), default=False)
    max_loans_per_year = models.PositiveSmallIntegerField(
        _("loans per client per year"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    max_weeks_per_year = models.PositiveSmallIntegerField(
        _("weeks on loan per client per year"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    offer_days = models.PositiveSmallIntegerField(
        _("days to take up an offer"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days before the due date"), default=3, validators=[MaxValueValidator(30)]
    )
    lends_to_partners = models.BooleanField(_("lends sets to partner organisations"), default=False)
    partner_max_devices = models.PositiveSmallIntegerField(
        _("devices per partner loan"), default=12, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    partner_max_loans_per_year = models.PositiveSmallIntegerField(
        _("loans per partner per year"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    partner_book_days_ahead = models.PositiveSmallIntegerField(
        _("partners book at least this many days ahead"), default=7, validators=[MaxValueValidator(365)]
    )
    partner_loan_days = models.PositiveSmallIntegerField(
        _("partner loan period (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        verbose_name = _("lending rules")
        verbose_name_plural = _("lending rules")

    def __str__(self) -> str:
        return str(self.digibank)

    def income_limit(self, household_size: int) -> Decimal | None:
        """The income limit for a household of this size, in `income_period`, or None without a threshold."""
        if self.income_threshold is None:
            return None
        return self.income_threshold + self.income_per_member * max(household_size - 1, 0)

    @property
    def asks_income_amount(self) -> bool:
        return self.income_condition in (self.Income.THRESHOLD, self.Income.EITHER)

    def conditions_to_attest(self) -> list[str]:
        """What the desk must still establish with the client before a loan, beyond what the
        records say: the income, a training completed before, a goals plan."""
        todo = []
        if self.income_condition:
            todo.append(str(_("the income condition")))
        if self.training == self.Training.BEFORE:
            todo.append(str(_("the training “%(name)s”") % {"name": self.training_name}))
        if self.goals_plan_required:
            todo.append(str(_("a goals plan")))
        if self.deposit > 0:
            todo.append(str(_("the deposit")))
        return todo


class Loan(models.Model):
    """Devices lent to one client (or, as a set, to a partner organisation), from check-out to
    check-in. A reservation is a loan not yet checked out: an offer from the waiting list or a
    partner's booking. Ends returned or cancelled, never deleted."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("reserved")
        ON_LOAN = "on_loan", _("on loan")
        RETURNED = "returned", pgettext_lazy("loan status", "returned")
        HANDED_OVER = "handed_over", _("handed over for good")
        CANCELLED = "cancelled", _("cancelled")

    class Deposit(models.TextChoices):
        NONE = "none", _("no deposit")
        HELD = "held", _("held")
        RETURNED = "returned", pgettext_lazy("deposit", "returned")
        KEPT = "kept", _("kept")

    class DepositPayment(models.TextChoices):
        """What the client did with the deposit at check-out, asked at the desk."""

        NONE = "", _("no deposit")
        PAID = "paid", _("paid")
        WAIVED = "waived", _("waived")
        OWED = "owed", _("still to pay")

    OPEN_STATUSES = (Status.RESERVED, Status.ON_LOAN)

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="loans")
    number = models.CharField(max_length=11, unique=True, default=new_loan_number, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, blank=True, related_name="loans")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="loans")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ON_LOAN)
    starts_on = models.DateField()
    due_on = models.DateField()
    extensions = models.PositiveSmallIntegerField(default=0)
    deposit = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    deposit_status = models.CharField(max_length=8, choices=Deposit.choices, default=Deposit.NONE)
    deposit_payment = models.CharField(
        _("deposit"), max_length=6, choices=DepositPayment.choices, blank=True, default=DepositPayment.NONE
    )
    agreement = models.ForeignKey(AgreementText, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by_name = models.CharField(
        max_length=200, blank=True, validators=[single_line_text]
    )  # as the person wrote it on screen
    conditions = models.JSONField(default=dict)  # the rules as they applied at check-out
    goals_plan = models.TextField(blank=True, validators=[multi_line_text])
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_out_at = models.DateTimeField(null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [
            models.Index(fields=["digibank", "status", "due_on"]),
            models.Index(fields=["client", "status"]),
            models.Index(fields=["partner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False, partner__isnull=True) | Q(client__isnull=True, partner__isnull=False),
                name="loan_has_one_borrower",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="loan_due_after_start"),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="loan_deposit_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.status == self.Status.ON_LOAN and self.due_on < (today or timezone.localdate())

    @property
    def borrower(self):
        return self.client or self.partner

    @property
    def deposit_held(self) -> Decimal:
        """What the digibank holds of the deposit: nothing when it was waived or is still owed."""
        return self.deposit if self.deposit_status == self.Deposit.HELD else Decimal("0")


class LoanItem(models.Model):
    """One device in a loan. `open` is true from reservation or check-out until check-in or
    cancellation; the database allows one open item per device, whatever two desks do at once."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="items")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="loan_items")
    open = models.BooleanField(default=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_condition = models.CharField(max_length=8, choices=Condition.choices, blank=True)
    missing = models.BooleanField(default=False)

    objects = ScopedManager()
    tenant_path = "loan__digibank_id"

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["device"], condition=Q(open=True), name="device_on_one_open_loan"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}:{self.device_id}"


class Incident(models.Model):
    """Damage, a missing part, a loss or a theft, noted at check-in or when it is reported."""

    class Kind(models.TextChoices):
        DAMAGED = "damaged", _("damaged")
        MISSING_PART = "missing_part", _("missing part")
        LOST = "lost", _("lost")
        STOLEN = "stolen", _("stolen")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="incidents")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("what happened"), max_length=14, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=500, blank=True, validators=[multi_line_text])
    deposit_kept = models.DecimalField(
        _("deposit kept (EUR)"), max_digits=7, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=300, blank=True, validators=[multi_line_text])

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.CheckConstraint(condition=Q(deposit_kept__gte=0), name="incident_deposit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.device_id}"


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


class Reminder(models.Model):
    """A reminder sent for a loan: once per loan, kind and day, so a job run twice sends once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_on = models.DateField()
    channel = models.CharField(max_length=8, blank=True)

    objects = ScopedManager()
    tenant_path = "loan__digibank_id"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["loan", "kind", "sent_on"], name="one_reminder_per_loan_kind_day"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.kind} {self.sent_on}"


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
