"""Every write of the catalogue of e-services goes through these functions. Nothing is deleted: a
service no longer offered is made inactive."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from digibank.core.services import save_checked
from digibank.guidance.e_services.models import EService, Need
from digibank.network.models import Digibank

EDITABLE = ("name", "provider", "category", "link", "needs", "active")


def _check_name_free(service: EService) -> None:
    """The name next to the field: the database's constraint (its backstop) would name no field."""
    others = EService.objects.filter(digibank=service.digibank, name=service.name).exclude(pk=service.pk)
    if service.name and others.exists():
        if service.digibank_id is None:
            raise ValidationError({"name": [_("Flanders already has an e-service with this name.")]})
        raise ValidationError({"name": [_("Your digibank already has an e-service with this name.")]})


def _clean_needs(needs) -> list[str]:
    """The needs in the order of their choices, each once (a form or the API may send them in any order)."""
    chosen = list(needs or [])
    known = [n for n in Need.values if n in chosen]
    return known + [n for n in chosen if n not in Need.values]  # unknown ones stay, for the validator to refuse


@transaction.atomic
def e_service_create(
    *,
    digibank: Digibank | None,
    actor,
    name: str,
    provider: str,
    category: str,
    link: str,
    needs=(),
    active: bool = True,
) -> EService:
    """A new service: local to `digibank`, or Flanders-wide when it is None (the Department's)."""
    service = EService(
        digibank=digibank,
        name=(name or "").strip(),
        provider=(provider or "").strip(),
        category=category,
        link=(link or "").strip(),
        needs=_clean_needs(needs),
        active=active,
        updated_by=actor,
    )
    _check_name_free(service)
    save_checked(service, actor=actor)
    return service


@transaction.atomic
def e_service_update(service: EService, *, actor, **changes) -> EService:
    """Change what is given of `EDITABLE` (`active=False` takes a service out of use); kept in its history."""
    service = EService.objects.select_for_update().get(pk=service.pk)
    for name, value in changes.items():
        if name not in EDITABLE:
            raise TypeError(f"{name} cannot be changed")
        if name == "needs":
            value = _clean_needs(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(service, name, value)
    service.updated_by = actor
    _check_name_free(service)
    save_checked(service, actor=actor)
    return service
