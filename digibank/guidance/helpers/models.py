"""Digihelpers: the volunteers who help people at the hubs, with where and when they help, what they
can help with, and the hours they gave. A helper is ended, never deleted, so past hours keep a name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.core.tenancy import ScopedManager
from digibank.core.validators import multi_line_text, single_line_text
from digibank.guidance.contacts.note_guard import no_sensitive_data
from digibank.guidance.e_services.models import EService
from digibank.network.models import Digibank, Hub, Weekday

MOST_MINUTES = 720  # twelve hours: more on one day at one hub is a typing error, not a volunteer's day


class Digihelper(models.Model):
    """A volunteer of a digibank: a staff account (normally with the volunteer role), or, for someone
    who never logs in, a name the coordinator records. `active` off: the helper stopped; the row stays."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="digihelpers", editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="digihelpers",
        verbose_name=_("staff account"),
    )
    name = models.CharField(
        _("name"),
        max_length=150,
        blank=True,
        validators=[single_line_text],
        help_text=_("For a helper without a log-in; a staff account brings its own name."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    hubs = models.ManyToManyField(Hub, related_name="digihelpers", blank=True, verbose_name=_("hubs"))
    skills = models.ManyToManyField(
        EService, related_name="digihelpers", blank=True, verbose_name=_("helps with these e-services")
    )
    active = models.BooleanField(_("active"), default=True)
    since = models.DateField(_("helps since"), default=timezone.localdate)
    ended_on = models.DateField(_("stopped on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(m2m_fields=[hubs, skills])
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-active", "name", "pk"]
        verbose_name = _("digihelper")
        verbose_name_plural = _("digihelpers")
        constraints = [
            models.UniqueConstraint(
                fields=["digibank", "user"],
                condition=Q(user__isnull=False),
                name="digihelper_account_once_per_digibank",
                violation_error_message=_("This staff member is already a digihelper of your digibank."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="digihelper_has_account_or_name",
                violation_error_message=_("Choose a staff account or type the helper's name."),
            ),
        ]
        indexes = [models.Index(fields=["digibank", "active"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        user = self.user if self.user_id is not None else None
        if user is not None:
            return user.get_full_name() or user.get_username()
        return self.name

    def clean(self) -> None:
        if self.user_id is None and not self.name.strip():
            raise ValidationError({"name": _("Choose a staff account or type the helper's name.")})


class Availability(models.Model):
    """When a helper usually helps at a hub: Tuesday 13:30–16:30 at Digipunt Zuid. A day may have several."""

    helper = models.ForeignKey(Digihelper, on_delete=models.CASCADE, related_name="availability")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("hub"))
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "helper__digibank_id"

    class Meta:
        ordering = ["weekday", "starts", "pk"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")),
                name="availability_ends_after_start",
                violation_error_message=_("The end time must be later than the start time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def clean(self) -> None:
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": _("The end time must be later than the start time.")})


class HelperHours(models.Model):
    """Time a helper gave on one day at one hub, recorded by the coordinator: for a helper without a
    log-in, or for work outside help contacts (preparing a session, a home visit, tidying the stock)."""

    helper = models.ForeignKey(Digihelper, on_delete=models.PROTECT, related_name="hours")
    day = models.DateField(_("day"))
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("hub"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MOST_MINUTES)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[multi_line_text, no_sensitive_data])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "helper__digibank_id"

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("hours given")
        verbose_name_plural = _("hours given")
        indexes = [models.Index(fields=["helper", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MOST_MINUTES),
                name="helper_hours_minutes_in_range",
                violation_error_message=_("Give from 1 to 720 minutes (12 hours) for one day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper} {self.day:%d/%m/%Y} {self.minutes} min"
