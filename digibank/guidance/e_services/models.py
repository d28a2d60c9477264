"""The catalogue of essential e-services people come to a hub for help with: kept by the Department for
all of Flanders (no digibank), with a digibank's own local services next to them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from digibank.core.tenancy import ScopedQuerySet, Tenancy
from digibank.core.validators import single_line_text
from digibank.network.models import Digibank


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity and logging in")
    TAXES = "taxes", _("Taxes")
    WORK = "work", _("Work")
    FAMILY = "family", _("Family and allowances")
    HEALTH = "health", _("Health")
    PENSION = "pension", _("Pension")
    BANKING = "banking", _("Banking")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    """What a person needs to use a service (several may apply)."""

    EID_READER = "eid_reader", _("eID and card reader")
    ITSME = "itsme", _("itsme")
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Phone number")


def validate_needs(value) -> None:
    """A list of needs, each one known and named once."""
    if not isinstance(value, list) or any(item not in Need.values for item in value):
        raise ValidationError(_("Choose what a person needs from the list."), code="invalid_need")
    if len(set(value)) != len(value):
        raise ValidationError(_("Name each need once."), code="duplicate_need")


class EServiceQuerySet(ScopedQuerySet):
    def visible_to(self, tenancy: Tenancy) -> EServiceQuerySet:
        """A digibank sees the Flanders-wide services and its own local ones, never another's; the
        Department (without a digibank chosen) reads them all: a catalogue, no people in it."""
        if tenancy.is_superuser or (tenancy.department_role and tenancy.digibank_id is None):
            return self
        if tenancy.digibank_id is None:
            return self.none()
        return self.filter(Q(digibank__isnull=True) | Q(digibank_id=tenancy.digibank_id))

    def active(self) -> EServiceQuerySet:
        return self.filter(active=True)


class EService(models.Model):
    """An online service of an agency (itsme, Tax-on-web, Mijn VDAB …). `digibank` empty: Flanders-wide,
    kept by the Department; set: a digibank's own local service, kept by its coordinator. Nothing is
    deleted: a service that is no longer offered is made inactive, so past help contacts keep it."""

    digibank = models.ForeignKey(
        Digibank, on_delete=models.PROTECT, null=True, blank=True, related_name="e_services", editable=False
    )
    name = models.CharField(_("name"), max_length=120, validators=[single_line_text])
    provider = models.CharField(
        _("provider"), max_length=150, validators=[single_line_text], help_text=_("The agency that owns the service.")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    link = models.URLField(_("web address"), max_length=200)
    needs = models.JSONField(_("what a person needs"), default=list, blank=True, validators=[validate_needs])
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords()
    objects = EServiceQuerySet.as_manager()
    tenant_path = "digibank_id"
    department_reads = True

    class Meta:
        ordering = ["category", "name", "pk"]
        verbose_name = _("e-service")
        verbose_name_plural = _("e-services")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(digibank__isnull=True),
                name="e_service_name_unique_in_flanders",
                violation_error_message=_("Flanders already has an e-service with this name."),
            ),
            models.UniqueConstraint(
                fields=["digibank", "name"],
                condition=Q(digibank__isnull=False),
                name="e_service_name_unique_per_digibank",
                violation_error_message=_("Your digibank already has an e-service with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_flanders_wide(self) -> bool:
        return self.digibank_id is None

    def get_needs_display(self) -> list[str]:
        return [str(Need(n).label) for n in self.needs if n in Need.values]
