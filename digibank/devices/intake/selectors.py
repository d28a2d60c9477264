"""Intake's reads: a digibank's donors."""

from __future__ import annotations

from django.db.models import QuerySet

from digibank.core.tenancy import Tenancy
from digibank.devices.intake.models import Donor


def donors_of(tenancy: Tenancy) -> QuerySet[Donor]:
    """The digibank's donors by name, for the intake form."""
    return Donor.objects.visible_to(tenancy).order_by("name")
