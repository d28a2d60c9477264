"""Every write of the Department's figures goes through these functions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.core.services import save_checked
from digibank.devices.register.lifecycle import Kind

from .models import EmissionFactor


@transaction.atomic
def emission_factor_set(*, kind: str, kg_co2e: Decimal, source: str, actor, source_url: str = "") -> EmissionFactor:
    """Set the CO2e a reused device of this type avoids, with the public source it comes from (a
    factor without a source is refused). Each change is kept in the factor's history."""
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a type of device.")]
    if not (source or "").strip():
        errors["source"] = [_("Name the public source of this figure: its title, publisher and year.")]
    if kg_co2e is None or kg_co2e < 0:
        errors["kg_co2e"] = [_("Give the kg CO2e: 0 or more.")]
    if errors:
        raise ValidationError(errors)
    factor = EmissionFactor.objects.select_for_update().filter(kind=kind).first() or EmissionFactor(kind=kind)
    factor.kg_co2e, factor.source, factor.source_url = kg_co2e, source.strip(), (source_url or "").strip()
    factor.updated_at, factor.updated_by = timezone.now(), actor
    save_checked(factor, actor=actor)
    return factor
