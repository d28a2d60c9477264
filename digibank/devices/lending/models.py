"""A digibank's lending rules and agreement texts, loans with their items, incidents and reminders.
One device is on at most one open loan or reservation: a partial unique index on LoanItem."""

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
from digibank.devices.register.models import Condition, Device
from digibank.devices.tags import new_loan_number
from digibank.network.models import Digibank, Hub, Partner


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
