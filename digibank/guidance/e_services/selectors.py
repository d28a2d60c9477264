"""The catalogue's reads: which services a digibank sees, and who may keep which."""

from __future__ import annotations

from django.db.models import QuerySet

from digibank.core.roles import Perm
from digibank.core.tenancy import Tenancy
from digibank.guidance.e_services.models import EService
from digibank.network.models import Digibank
from digibank.network.selectors import own_digibank


def e_services_seen_by(tenancy: Tenancy) -> QuerySet[EService]:
    """The services a digibank helps with: the active Flanders-wide ones and its own active local ones,
    by category and name (the choices of a help contact)."""
    return EService.objects.visible_to(tenancy).active().order_by("category", "name", "pk")


def catalogue_of(tenancy: Tenancy) -> QuerySet[EService]:
    """The whole catalogue the tenancy sees, inactive services too (to make one active again):
    active first, then by category and name."""
    return EService.objects.visible_to(tenancy).order_by("-active", "category", "name", "pk")


def may_keep(tenancy: Tenancy, service: EService) -> bool:
    """The Department keeps the Flanders-wide services, a coordinator the digibank's own."""
    if service.is_flanders_wide:
        return tenancy.can(Perm.DEPARTMENT_E_SERVICES)
    return service.digibank_id == tenancy.digibank_id and tenancy.can(Perm.E_SERVICES_MANAGE)


def may_add(tenancy: Tenancy) -> bool:
    return tenancy.can(Perm.E_SERVICES_MANAGE) or tenancy.can(Perm.DEPARTMENT_E_SERVICES)


def digibank_of_new(tenancy: Tenancy) -> Digibank | None:
    """Where a new service goes: the digibank the coordinator works in (a local service), or Flanders
    (None) for the Department. Only asked of a tenancy that `may_add`."""
    if tenancy.digibank_id is not None and tenancy.can(Perm.E_SERVICES_MANAGE):
        return own_digibank(tenancy)
    return None
