"""Roles and what each may do. One table, read by every view and API permission check."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    DESK = "desk", _("Desk worker")
    TECHNICIAN = "technician", _("Technician")
    TRAINER = "trainer", _("Trainer")
    PARTNER_WORKER = "partner_worker", _("Partner worker")


class DepartmentRole(models.TextChoices):
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    REVIEWER = "reviewer", _("Reviewer")


class Perm:
    """Capabilities, named for what they allow. Strings so domains can add their own."""

    NETWORK_VIEW = "network.view"
    NETWORK_MANAGE = "network.manage"
    MEMBERS_MANAGE = "network.members"
    DEPARTMENT_VIEW = "department.view"
    DEPARTMENT_DIGIBANKS = "department.digibanks"  # start a digibank, change its phase
    CLIENTS_VIEW = "clients.view"  # find a client and read their record (every read is logged)
    CLIENTS_MANAGE = "clients.manage"  # register, change, record consent, erase
    CLIENTS_AUDIT = "clients.audit"  # the access log of the digibank


_DIGIBANK_STAFF = {Perm.NETWORK_VIEW}
# A technician works on devices and never needs to see who borrowed one.
_SERVES_CLIENTS = {Perm.CLIENTS_VIEW}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.COORDINATOR: _DIGIBANK_STAFF
    | _SERVES_CLIENTS
    | {Perm.NETWORK_MANAGE, Perm.MEMBERS_MANAGE, Perm.CLIENTS_MANAGE, Perm.CLIENTS_AUDIT},
    Role.DESK: _DIGIBANK_STAFF | _SERVES_CLIENTS | {Perm.CLIENTS_MANAGE},
    Role.TECHNICIAN: set(_DIGIBANK_STAFF),
    Role.TRAINER: _DIGIBANK_STAFF | _SERVES_CLIENTS,
    Role.PARTNER_WORKER: _DIGIBANK_STAFF | _SERVES_CLIENTS,
    DepartmentRole.PROGRAMME_OFFICER: {Perm.DEPARTMENT_VIEW, Perm.DEPARTMENT_DIGIBANKS},
    DepartmentRole.REVIEWER: {Perm.DEPARTMENT_VIEW},
}
