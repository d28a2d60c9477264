"""The partnership network: municipalities (reference data), digibanks, partners, hubs, hours, roles."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.be import vat
from stdnum.exceptions import ValidationError as StdnumError

from digibank.core.roles import Role
from digibank.core.tenancy import ScopedManager, ScopedQuerySet
from digibank.core.validators import multi_line_text, single_line_text

from . import hours


class Province(models.TextChoices):
    ANTWERPEN = "10000", "Antwerpen"
    VLAAMS_BRABANT = "20001", "Vlaams-Brabant"
    WEST_VLAANDEREN = "30000", "West-Vlaanderen"
    OOST_VLAANDEREN = "40000", "Oost-Vlaanderen"
    LIMBURG = "70000", "Limburg"


class Municipality(models.Model):
    """A Flemish municipality as it stands since 1 January 2025, keyed by its NIS (REFNIS) code."""

    nis_code = models.CharField(_("NIS code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_fr = models.CharField(_("French name"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=5, choices=Province.choices)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class PostalCode(models.Model):
    code = models.CharField(_("postal code"), max_length=4, db_index=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="postal_codes")

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "municipality"], name="postal_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.municipality.name}"


class FormerMunicipality(models.Model):
    """A municipality merged away on 1 January 2025; its NIS code and name still find the new one."""

    nis_code = models.CharField(_("NIS code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="former")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.municipality.name}"


class Place(models.Model):
    """A named place inside a municipality (a deelgemeente such as Mariakerke, or a municipality
    merged before 2025 such as Zingem), with its postal code: residents search by these names."""

    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    postal_code = models.CharField(_("postal code"), max_length=4)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="places")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["search_name", "postal_code"], name="place_once")]

    def __str__(self) -> str:
        return f"{self.postal_code} {self.name} ({self.municipality.name})"


class Digibank(models.Model):
    """One local partnership: the tenant. Everything staff do happens inside one digibank."""

    class Phase(models.TextChoices):
        PRE_TRAJECTORY = "voortraject", _("Pre-trajectory")
        IMPLEMENTATION = "implementatie", _("Implementation")
        COMPLETED = "afgerond", _("Completed")

    name = models.CharField(_("name"), max_length=120, unique=True, validators=[single_line_text])
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PRE_TRAJECTORY)
    service_area = models.ManyToManyField(
        Municipality, verbose_name=_("service area"), related_name="digibanks", blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[single_line_text])
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, validators=[multi_line_text])
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[service_area])
    objects = ScopedManager()
    tenant_path = "pk"
    department_reads = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("digibank")
        verbose_name_plural = _("digibanks")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.phase != self.Phase.COMPLETED


def validate_enterprise_number(value: str) -> None:
    try:
        vat.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This is not a valid enterprise number: check the ten digits (for example 0403.170.701)."),
            code="invalid",
        ) from None


def enterprise_number_for(first_eight: int) -> str:
    """The valid enterprise number that starts with these eight digits (check digits: 97 minus them
    modulo 97). For demo and test data: it may belong to a real organisation."""
    return f"{first_eight:08d}{97 - first_eight % 97:02d}"


def format_enterprise_number(value: str) -> str:
    digits = vat.compact(value)
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else value


class Partner(models.Model):
    """An organisation in a digibank's partnership, with its role there in writing."""

    class Kind(models.TextChoices):
        LOCAL_GOVERNMENT = "lokaal_bestuur", _("Local government")
        OCMW = "ocmw", _("OCMW / social services")
        COMPANY = "bedrijf", _("Company")
        KNOWLEDGE = "kennisinstelling", _("Knowledge institution")
        CIVIL_SOCIETY = "middenveld", _("Civil society / non-profit")
        SOCIAL_ECONOMY = "sociale_economie", _("Social-economy enterprise")
        VDAB = "vdab", _("VDAB")
        LIBRARY = "bibliotheek", _("Library")
        OTHER = "andere", _("Other")

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="partners")
    name = models.CharField(_("name"), max_length=150, validators=[single_line_text])
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    enterprise_number = models.CharField(
        _("enterprise number"),
        max_length=12,
        blank=True,
        validators=[validate_enterprise_number],
        help_text=_("Ten digits, as in the Crossroads Bank for Enterprises (KBO)."),
    )
    role = models.CharField(_("role in the digibank"), max_length=200, validators=[single_line_text])
    responsibilities = models.TextField(_("responsibilities"), blank=True, validators=[multi_line_text])
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True, validators=[single_line_text])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[single_line_text])
    joined_on = models.DateField(_("joined on"), default=dt.date.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"
    department_reads = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["digibank", "enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="partner_enterprise_once_per_digibank",
                violation_error_message=_("This organisation is already a partner of this digibank."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="partner_leaves_after_joining",
                violation_error_message=_("A partner cannot leave before it joined."),
            ),
        ]
        indexes = [models.Index(fields=["digibank", "name"])]

    def __str__(self) -> str:
        return self.name

    def normalise(self) -> None:
        """Store the enterprise number as its ten digits, however it was typed."""
        if self.enterprise_number:
            self.enterprise_number = vat.compact(self.enterprise_number)

    @property
    def enterprise_number_display(self) -> str:
        return format_enterprise_number(self.enterprise_number) if self.enterprise_number else ""

    @property
    def is_active(self) -> bool:
        return self.left_on is None or self.left_on >= timezone.localdate()


class HubQuerySet(ScopedQuerySet):
    def open_to_public(self):
        return self.filter(closed_on__isnull=True)

    def with_hours(self, since: dt.date | None = None):
        """The week and the exceptions from `since` on (today by default), prefetched: past closures
        are history and would only grow the page's work year after year."""
        since = since or timezone.localdate()
        return self.select_related("municipality").prefetch_related(
            "opening_hours", models.Prefetch("exceptions", queryset=HubException.objects.filter(ends_on__gte=since))
        )


class Hub(models.Model):
    """A physical place where residents are served (a 'knooppunt')."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="hubs")
    name = models.CharField(_("name"), max_length=150, validators=[single_line_text])
    street = models.CharField(_("street and number"), max_length=200, validators=[single_line_text])
    postal_code = models.CharField(_("postal code"), max_length=4)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="hubs", verbose_name=_("municipality")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=6, null=True, blank=True)
    offers_lending = models.BooleanField(_("lends devices"), default=False)
    offers_training = models.BooleanField(_("gives trainings"), default=False)
    offers_guidance = models.BooleanField(_("helps with e-services"), default=True)
    offers_repair = models.BooleanField(_("repairs devices"), default=False)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    accessibility_notes = models.TextField(_("accessibility"), blank=True, validators=[multi_line_text])
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[single_line_text])
    email = models.EmailField(_("e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True, validators=[multi_line_text])
    closed_on = models.DateField(_("closed for good on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = HubQuerySet.as_manager()
    tenant_path = "digibank_id"
    department_reads = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        indexes = [models.Index(fields=["municipality", "closed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=49) & Q(latitude__lte=52),
                name="hub_latitude_in_belgium",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=2) & Q(longitude__lte=7),
                name="hub_longitude_in_belgium",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def services(self) -> list[str]:
        offered = [
            (self.offers_guidance, _("help with e-services")),
            (self.offers_lending, _("lending devices")),
            (self.offers_training, _("trainings")),
            (self.offers_repair, _("repair")),
        ]
        return [str(label) for on, label in offered if on]

    # The hours below read the prefetched rows (HubQuerySet.with_hours) and never query per day.
    def hours_on(self, day: dt.date) -> hours.DayHours:
        return hours.hours_on(day, self.opening_hours.all(), self.exceptions.all())

    def is_open_at(self, moment: dt.datetime) -> bool:
        return hours.is_open_at(moment, self.opening_hours.all(), self.exceptions.all())

    def week(self, start: dt.date) -> list[hours.DayHours]:
        return [self.hours_on(start + dt.timedelta(days=i)) for i in range(7)]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening period in the regular week: Monday 9:00–12:00. A day may have several."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "hub__digibank_id"
    department_reads = True

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message=_("The closing time must be later than the opening time."),
            ),
            models.UniqueConstraint(fields=["hub", "weekday", "opens"], name="opening_hours_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be later than the opening time.")})


class HubException(models.Model):
    """A closure (no times) or other hours (with times) on the days from starts_on to ends_on."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="exceptions")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=150, blank=True, validators=[single_line_text])

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "hub__digibank_id"
    department_reads = True

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("exception to the opening hours")
        verbose_name_plural = _("exceptions to the opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="hub_exception_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")),
                name="hub_exception_times_valid",
                violation_error_message=_("Give both times, with closing later than opening, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on} {self.reason}"

    @property
    def is_closure(self) -> bool:
        return self.opens is None

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot be before the first day.")
        if (self.opens is None) != (self.closes is None):
            errors["closes"] = _("Give both times, or neither for a closure.")
        elif self.opens and self.closes and self.closes <= self.opens:
            errors["closes"] = _("The closing time must be later than the opening time.")
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """A staff member's role in one digibank. Ended, never deleted, so who could do what stays known."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workers",
        verbose_name=_("works for partner"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["user__last_name", "user__first_name", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "digibank", "role"],
                condition=Q(is_active=True),
                name="membership_active_once",
                violation_error_message=_("This person already has this role in this digibank."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.digibank})"
