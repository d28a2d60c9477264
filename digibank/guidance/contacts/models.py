"""Help contacts: one guidance moment at a hub, for a client or an anonymous walk-in (counted with only
an age band and a municipality), with the e-services and topics it was about and how it ended. A
contact that needs more work makes a dated follow-up task for the hub. Nothing is deleted: a contact
logged by mistake is cancelled, a follow-up is marked done."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.clients.models import Client
from digibank.core.tenancy import ScopedQuerySet
from digibank.core.validators import multi_line_text
from digibank.guidance.contacts.note_guard import no_sensitive_data
from digibank.guidance.e_services.models import EService
from digibank.network.models import Digibank, Hub, Municipality

MIN_MINUTES = 1
MAX_MINUTES = 480  # a whole working day; a longer "contact" is a typing error
NOTE_LENGTH = 500
# A clock at the desk may run a little ahead of the server's: that is not "in the future".
CLOCK_SLACK = dt.timedelta(minutes=5)


class AgeBand(models.TextChoices):
    UNDER_25 = "0-24", _("under 25")
    FROM_25 = "25-44", _("25 to 44")
    FROM_45 = "45-64", _("45 to 64")
    FROM_65 = "65-79", _("65 to 79")
    FROM_80 = "80+", _("80 or older")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("walk-in")
    APPOINTMENT = "appointment", _("appointment")
    PHONE = "phone", _("by phone")
    HOME_VISIT = "home_visit", _("home visit")


class Topic(models.TextChoices):
    """What the help was about, next to the e-services (several may apply)."""

    LOGIN = "login", _("account or logging in")
    FORMS = "forms", _("filling in a form")
    DOCUMENTS = "documents", _("documents or uploading")
    SAFETY = "safety", _("privacy and safety")
    DEVICE = "device", _("using a device")
    PAYMENTS = "payments", _("payments")
    OTHER = "other", _("other")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("solved")
    PARTLY = "partly", _("partly solved")
    REFERRED = "referred", _("referred")
    FOLLOW_UP = "follow_up", _("follow-up needed")


class Status(models.TextChoices):
    LOGGED = "logged", _("logged")
    CANCELLED = "cancelled", _("cancelled")


def validate_topics(value) -> None:
    """A list of topics, each one known and named once (as `EService.needs`)."""
    if not isinstance(value, list) or any(item not in Topic.values for item in value):
        raise ValidationError(_("Choose the topics from the list."), code="invalid_topic")
    if len(set(value)) != len(value):
        raise ValidationError(_("Name each topic once."), code="duplicate_topic")


class HelpContact(models.Model):
    """One guidance moment. `client` or, for an anonymous walk-in, `age_band` (and perhaps the
    municipality): never both, never neither. A cancelled contact stays, out of every count."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="help_contacts", editable=False)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="help_contacts", verbose_name=_("hub"))
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_contacts", verbose_name=_("helper")
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="help_contacts", verbose_name=_("client")
    )
    age_band = models.CharField(_("age"), max_length=5, choices=AgeBand.choices, blank=True, default="")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lives in")
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(MIN_MINUTES, message=_("A help contact lasts at least 1 minute.")),
            MaxValueValidator(MAX_MINUTES, message=_("A help contact lasts at most 480 minutes (8 hours).")),
        ],
    )
    channel = models.CharField(_("how"), max_length=12, choices=Channel.choices, default=Channel.WALK_IN)
    e_services = models.ManyToManyField(
        EService, blank=True, related_name="help_contacts", verbose_name=_("e-services")
    )
    topics = models.JSONField(_("topics"), default=list, blank=True, validators=[validate_topics])
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    note = models.CharField(
        _("note"), max_length=NOTE_LENGTH, blank=True, default="", validators=[multi_line_text, no_sensitive_data]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LOGGED, editable=False)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    logged_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("help contact")
        verbose_name_plural = _("help contacts")
        indexes = [
            models.Index(fields=["digibank", "-started_at"], name="contact_digibank_started"),
            models.Index(fields=["hub", "-started_at"], name="contact_hub_started"),
            models.Index(fields=["helper", "started_at"], name="contact_helper_started"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_MINUTES) & Q(duration_minutes__lte=MAX_MINUTES),
                name="contact_duration_1_to_480_minutes",
                violation_error_message=_("A help contact lasts from 1 to 480 minutes (8 hours)."),
            ),
            models.CheckConstraint(
                condition=(Q(client__isnull=False) & Q(age_band="") & Q(municipality__isnull=True))
                | (Q(client__isnull=True) & ~Q(age_band="")),
                name="contact_client_or_anonymous",
                violation_error_message=_("Give a client, or the age of an anonymous visitor: not both."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="follow_up") | Q(follow_up_on__isnull=False),
                name="contact_follow_up_has_date",
                violation_error_message=_("A follow-up needs a date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub} {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def is_anonymous(self) -> bool:
        return self.client_id is None

    def get_topics_display(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics if t in Topic.values]

    def clean(self) -> None:
        """The rules a form and the API answer next to the field; the database holds the first ones too."""
        errors: dict[str, list] = {}
        in_future = bool(self.started_at) and self.started_at > timezone.now() + CLOCK_SLACK
        if in_future:
            errors["started_at"] = [_("A help contact cannot start in the future.")]
        # The day of the contact in Brussels; a moment in the future (year 9999 even) has none to compare.
        day = timezone.localdate(self.started_at) if self.started_at and not in_future else timezone.localdate()
        if self.hub_id is not None and self.digibank_id is not None:
            if self.hub.digibank_id != self.digibank_id:
                errors["hub"] = [_("Choose a hub of your digibank.")]
            elif not self.hub.offers_guidance:
                errors["hub"] = [_("This hub does not help with e-services: choose another hub.")]
            elif self.hub.closed_on is not None and self.hub.closed_on <= day:
                errors["hub"] = [_("This hub was closed on that day.")]
        client = self.client if self.client_id is not None else None
        if client is not None and self.digibank_id is not None and client.digibank_id != self.digibank_id:
            errors["client"] = [_("No client of your digibank has this number.")]
        if self.client_id is None and not self.age_band:
            errors["age_band"] = [_("Scan the client's card, or give the age of an anonymous visitor.")]
        if self.client_id is not None and (self.age_band or self.municipality_id):
            errors["age_band"] = [_("Age and municipality are only asked of an anonymous visitor.")]
        if self.outcome == Outcome.FOLLOW_UP and self.follow_up_on is None:
            errors["follow_up_on"] = [_("Give the date of the follow-up.")]
        if self.outcome != Outcome.FOLLOW_UP and self.follow_up_on is not None:
            errors["follow_up_on"] = [_("A date is only given when a follow-up is needed.")]
        if self.follow_up_on is not None and self.follow_up_on < day:
            errors["follow_up_on"] = [_("The follow-up cannot be before the contact.")]
        if errors:
            raise ValidationError(errors)


class FollowUp(models.Model):
    """A dated task for the hub, made by a contact whose outcome is "follow-up needed"; done once."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="follow_ups")
    contact = models.OneToOneField(HelpContact, on_delete=models.PROTECT, related_name="follow_up")
    due_on = models.DateField(_("follow up on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    tenant_path = "hub__digibank_id"

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["hub", "due_on"], condition=Q(done_at__isnull=True), name="follow_up_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
                name="follow_up_done_by_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hub} {self.due_on:%d/%m/%Y}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
