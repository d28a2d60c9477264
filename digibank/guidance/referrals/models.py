"""Referrals, the chain between partners: a warm hand-over of a person to a service of the digibank (a
device, a training, guidance), with the person's recorded consent, from a partner organisation or from
another service of the digibank itself. The receiving hub accepts, plans, completes or declines; the
referrer follows the status and the outcome, nothing more."""

from __future__ import annotations

import secrets

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
from digibank.guidance.contacts.note_guard import no_sensitive_data
from digibank.guidance.e_services.models import EService
from digibank.network.models import Digibank, Hub, Partner

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: a code read aloud over the phone or typed from a crumpled slip is
# still the same code.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def new_referral_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """The code as typed or scanned: any case, with spaces or a dash in the middle."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


class Service(models.TextChoices):
    DEVICE = "device", _("A device")
    TRAINING = "training", _("A training")
    GUIDANCE = "guidance", _("Help with e-services")
    OTHER = "other", _("Other")


class ConsentHow(models.TextChoices):
    SPOKEN = "spoken", _("Agreed out loud")
    SIGNED = "signed", _("Signed the referral form")


class Status(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    PLANNED = "planned", _("planned")
    COMPLETED = "completed", _("completed")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN = (Status.SENT, Status.ACCEPTED, Status.PLANNED)

# The one table of allowed steps. A planned referral may be planned again (another date); the final states
# lead nowhere.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SENT: frozenset({Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset({Status.PLANNED, Status.COMPLETED, Status.DECLINED, Status.WITHDRAWN}),
    Status.PLANNED: frozenset({Status.PLANNED, Status.COMPLETED, Status.DECLINED, Status.WITHDRAWN}),
    Status.COMPLETED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


class Referral(models.Model):
    """A person referred to a service at a hub of the digibank. The person is a client (by card number) or,
    when not yet one, a name and a phone number only, until the desk links the referral to the client they
    become. Nothing is deleted: a referral ends completed, declined or withdrawn, with its history."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="referrals", editable=False)
    code = models.CharField(_("referral code"), max_length=CODE_LENGTH, unique=True, editable=False)
    to_hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("to hub"))
    service = models.CharField(_("service"), max_length=10, choices=Service.choices)
    e_service = models.ForeignKey(
        EService, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("e-service")
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals", verbose_name=_("client")
    )
    person_name = models.CharField(_("name"), max_length=120, blank=True, validators=[single_line_text])
    person_phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[single_line_text])
    consent_how = models.CharField(_("consent to be referred"), max_length=10, choices=ConsentHow.choices)
    consent_at = models.DateTimeField(default=timezone.now, editable=False)
    reason = models.CharField(
        _("reason"), max_length=300, validators=[multi_line_text, no_sensitive_data], help_text=_("Short, no details.")
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        verbose_name=_("from partner"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True, validators=[multi_line_text])
    decline_reason = models.CharField(
        _("reason for declining"), max_length=300, blank=True, validators=[multi_line_text]
    )
    internal_notes = models.TextField(
        _("internal notes"), max_length=2000, blank=True, validators=[multi_line_text, no_sensitive_data]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the name and phone of a person who never became a client were erased (30 days after closing).
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_hub", "status", "created_at"]),
            models.Index(fields=["digibank", "status", "created_at"]),
            models.Index(fields=["client", "service", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False) | Q(erased_at__isnull=False) | ~Q(person_name=""),
                name="referral_names_a_person",
                violation_error_message=_("Give the client's card number, or the name of a person not yet a client."),
            ),
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(planned_on__isnull=False),
                name="planned_referral_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_referral_says_why",
            ),
            models.CheckConstraint(condition=~Q(consent_how=""), name="referral_has_consent"),
        ]

    def __str__(self) -> str:
        return self.code_display

    @property
    def code_display(self) -> str:
        """The code in two groups of four, as printed on the slip."""
        return f"{self.code[:4]}-{self.code[4:]}" if len(self.code) == CODE_LENGTH else self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_internal(self) -> bool:
        return self.from_partner_id is None

    @property
    def person_display(self) -> str:
        return str(self.client) if self.client_id else self.person_name

    def may_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


class ReferralSettings(models.Model):
    """A digibank's rules for referrals: after how many days an open referral is flagged to the
    coordinator. Without a row, DEFAULT_STALE_DAYS applies."""

    DEFAULT_STALE_DAYS = 14

    digibank = models.OneToOneField(
        Digibank, on_delete=models.PROTECT, related_name="referral_settings", editable=False
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("flag open referrals after (days)"),
        default=DEFAULT_STALE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        verbose_name = _("referral settings")
        verbose_name_plural = _("referral settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(stale_after_days__gte=1) & Q(stale_after_days__lte=365), name="referral_stale_days_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.digibank_id}: {self.stale_after_days}"
