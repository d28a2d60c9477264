"""The people a digibank serves, with as little data as the service needs, their consents, the
events of their journey and a log of every staff read. Names and contact details live only on
Client; everything else points to it, so erasing a client erases the person and keeps the counts."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.core.models import VersionedText
from digibank.core.tenancy import ScopedManager
from digibank.core.text import fold, fold_joined
from digibank.core.validators import multi_line_text, single_line_text
from digibank.network.models import Digibank, Municipality, Partner

from .numbers import new_client_number

ADULT_AGE = 18


def search_words(first_name: str, last_name: str) -> str:
    """What the search box matches: the name's words folded, then each name of several words once
    more as one word: ("Jan", "Van den Broeck") gives 'jan van den broeck vandenbroeck'."""
    joined = [fold_joined(name) for name in (first_name, last_name) if " " in fold(name)]
    return " ".join(part for part in (fold(f"{first_name} {last_name}"), *joined) if part)


def name_key(first_name: str, last_name: str) -> str:
    """Each name folded into one word, so spaces and apostrophes make no difference:
    ("Jan", "Van den Broeck") and ("Jan", "Vandenbroeck") both give 'jan vandenbroeck'."""
    return " ".join(part for part in (fold_joined(first_name), fold_joined(last_name)) if part)


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    UKRAINIAN = "uk", _("Ukrainian")
    OTHER = "other", _("Other")


class FoundVia(models.TextChoices):
    WALK_IN = "walk_in", _("Walked in")
    PARTNER = "partner", _("Referred by a partner")
    WEBSITE = "website", _("Website")
    FRIENDS = "friends", _("Family or friends")
    EVENT = "event", _("Event or flyer")
    OTHER = "other", _("Other")


class Client(models.Model):
    """A resident served by one digibank. The same person at two digibanks is two clients."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ANONYMISED = "anonymised", _("anonymised")

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="clients")
    number = models.CharField(_("client number"), max_length=9, unique=True, default=new_client_number)
    reporting_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    first_name = models.CharField(_("first name"), max_length=100, blank=True, validators=[single_line_text])
    last_name = models.CharField(_("last name"), max_length=100, blank=True, validators=[single_line_text])
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("Optional."))
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Optional."))
    language = models.CharField(_("preferred language"), max_length=5, choices=Language.choices, default=Language.DUTCH)
    found_via = models.CharField(
        _("found the digibank through"), max_length=10, choices=FoundVia.choices, default=FoundVia.WALK_IN
    )
    referred_by = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by partner"),
    )
    search_text = models.CharField(max_length=500, blank=True, editable=False)  # see search_words()
    name_key = models.CharField(max_length=220, blank=True, editable=False)  # see name_key()
    registered_at = models.DateTimeField(default=timezone.now, editable=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_activity_at = models.DateTimeField(default=timezone.now)
    retention_postponed_until = models.DateField(null=True, blank=True)
    retention_postponed_reason = models.CharField(max_length=300, blank=True, validators=[multi_line_text])
    anonymised_at = models.DateTimeField(null=True, blank=True)
    age_band = models.CharField(max_length=8, blank=True, editable=False)  # kept after anonymisation

    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(fields=["digibank", "search_text"]),
            models.Index(fields=["digibank", "name_key"]),
            models.Index(fields=["digibank", "phone"]),
            models.Index(fields=["digibank", "status", "last_activity_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                name="client_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(status="anonymised") | ~Q(first_name="") | ~Q(last_name=""),
                name="client_active_has_a_name",
            ),
        ]

    def __str__(self) -> str:
        if self.status == self.Status.ANONYMISED:
            return str(_("anonymised client %(number)s") % {"number": self.number})
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_anonymised(self) -> bool:
        return self.status == self.Status.ANONYMISED

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date:
            return (
                day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
            )
        if self.birth_year:
            return day.year - self.birth_year
        return None


class Traits(models.Model):
    """Optional target-group traits: only with the client's consent, only used in aggregate.
    Withdrawing the consent deletes this row."""

    class Education(models.TextChoices):
        NONE_OR_PRIMARY = "primary", _("No diploma or primary school")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary")
        HIGHER = "higher", _("Higher education")

    class Income(models.TextChoices):
        LEEFLOON = "leefloon", _("Living wage (leefloon)")
        INCREASED_ALLOWANCE = "verhoogde_tegemoetkoming", _("Increased allowance (verhoogde tegemoetkoming)")
        OTHER_BENEFIT = "benefit", _("Other benefit")
        WORK = "work", _("Income from work or pension")

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="traits")
    education = models.CharField(_("education level"), max_length=20, choices=Education.choices, blank=True)
    income = models.CharField(_("income situation"), max_length=30, choices=Income.choices, blank=True)
    home_language = models.CharField(_("language at home"), max_length=5, choices=Language.choices, blank=True)
    reading_difficulty = models.BooleanField(_("difficulty reading"), null=True, blank=True)
    lives_alone = models.BooleanField(_("lives alone"), null=True, blank=True)
    disability = models.BooleanField(_("disability"), null=True, blank=True)

    objects = ScopedManager()
    tenant_path = "client__digibank_id"

    def __str__(self) -> str:
        return f"traits of {self.client_id}"


class PrivacyNotice(VersionedText):
    """A digibank's privacy notice in plain Dutch. Versions are never changed once published."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="privacy_notices")
    text = models.TextField(_("text"), validators=[multi_line_text])

    class Meta(VersionedText.Meta):
        constraints = [models.UniqueConstraint(fields=["digibank", "version"], name="privacy_notice_version_once")]

    def __str__(self) -> str:
        return f"{self.digibank} v{self.version}"


class Consent(models.Model):
    """What a client agreed to, under which notice, recorded by whom. Withdrawn, never deleted."""

    class Scope(models.TextChoices):
        REGISTRATION = "registration", _("Registration and service")
        TRAITS = "traits", _("Target-group traits for statistics")
        CONTACT = "contact", _("Contact by SMS or e-mail")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()
    tenant_path = "client__digibank_id"

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "scope"], condition=Q(withdrawn_at__isnull=True), name="consent_active_once_per_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.client_id})"


class ClientEvent(models.Model):
    """One event of a client's journey. Domains add their own kinds (loan, contact, enrolment,
    referral) through clients.services.record_event; events outlive the person's identity."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40)
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    summary = models.CharField(max_length=200, blank=True)  # never a name or contact detail
    ref = models.CharField(max_length=60, blank=True)  # e.g. "devices.loan:123"

    objects = ScopedManager()
    tenant_path = "client__digibank_id"

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["client", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"


class AccessLog(models.Model):
    """Every staff read of a client record, every export, search and change. Append-only: the
    model refuses updates and deletes, and on PostgreSQL a trigger refuses them too."""

    class Action(models.TextChoices):
        READ = "read", _("read")
        SEARCH = "search", _("search")
        CHANGE = "change", _("change")
        EXPORT = "export", _("export")
        ERASE = "erase", _("erasure")
        CREATE = "create", _("registration")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    what = models.CharField(max_length=200, blank=True)  # which screen or endpoint, never personal data

    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["digibank", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be changed.")


class RetentionPolicy(models.Model):
    """How long a digibank keeps the personal data of a client who no longer comes. Without a row,
    DEFAULT_MONTHS applies."""

    DEFAULT_MONTHS = 24
    MAX_MONTHS = 120

    digibank = models.OneToOneField(Digibank, on_delete=models.CASCADE, related_name="retention_policy")
    months = models.PositiveSmallIntegerField(
        _("months without activity"),
        default=DEFAULT_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text=_("After this many months without a visit, the name and contact details are removed."),
    )

    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        verbose_name = _("retention policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=120), name="retention_policy_months_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.digibank_id}: {self.months} months"
