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
    VOLUNTEER = "volunteer", _("Digihelper (volunteer)")


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
    DEVICES_VIEW = "devices.view"  # the stock, devices and their history (no borrowers' names)
    DEVICES_MANAGE = "devices.manage"  # intake, erasure, repair, ready, transfer, retire, recycle
    LOANS_MANAGE = "devices.loans"  # lend, take back, extend, incidents, offers (sees borrowers)
    REQUESTS_MANAGE = "devices.requests"  # put a client on the waiting list, mark a need urgent
    LENDING_RULES = "devices.rules"  # the digibank's lending rules and agreement text
    DEPARTMENT_FACTORS = "department.factors"  # the CO2e factors behind the circularity figures
    GUIDANCE_VIEW = "guidance.view"  # the catalogue of e-services (no people in it)
    E_SERVICES_MANAGE = "guidance.e_services"  # the digibank's own local e-services
    DEPARTMENT_E_SERVICES = "department.e_services"  # the Flanders-wide catalogue of e-services
    CONTACTS_LOG = "guidance.contacts"  # log help contacts and read them (shows who was helped)
    APPOINTMENTS_MANAGE = "guidance.appointments"  # slots, bookings for clients, the hub's agenda
    QUEUE_MANAGE = "guidance.queue"  # hand out numbers, call the next person
    HELPERS_MANAGE = "guidance.helpers"  # the digihelpers, their hubs, skills and hours
    REFERRALS_HANDLE = "guidance.referrals"  # accept, plan, complete or decline incoming referrals
    REFERRALS_MAKE = "guidance.refer"  # refer a person to a digibank service (sees status and outcome only)


_DIGIBANK_STAFF = {Perm.NETWORK_VIEW, Perm.DEVICES_VIEW, Perm.GUIDANCE_VIEW}
# A technician works on devices and never needs to see who borrowed one.
_SERVES_CLIENTS = {Perm.CLIENTS_VIEW}
# Whoever helps people at a hub: contacts, appointments and the queue.
_HELPS_AT_HUB = {Perm.CONTACTS_LOG, Perm.APPOINTMENTS_MANAGE, Perm.QUEUE_MANAGE}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.COORDINATOR: _DIGIBANK_STAFF
    | _SERVES_CLIENTS
    | {
        Perm.NETWORK_MANAGE,
        Perm.MEMBERS_MANAGE,
        Perm.CLIENTS_MANAGE,
        Perm.CLIENTS_AUDIT,
        Perm.DEVICES_MANAGE,
        Perm.LOANS_MANAGE,
        Perm.REQUESTS_MANAGE,
        Perm.LENDING_RULES,
        Perm.E_SERVICES_MANAGE,
        Perm.HELPERS_MANAGE,
        Perm.REFERRALS_HANDLE,
        Perm.REFERRALS_MAKE,
    }
    | _HELPS_AT_HUB,
    Role.DESK: _DIGIBANK_STAFF
    | _SERVES_CLIENTS
    | _HELPS_AT_HUB
    | {Perm.CLIENTS_MANAGE, Perm.LOANS_MANAGE, Perm.REQUESTS_MANAGE, Perm.REFERRALS_HANDLE, Perm.REFERRALS_MAKE},
    Role.TECHNICIAN: _DIGIBANK_STAFF | {Perm.DEVICES_MANAGE},
    Role.TRAINER: _DIGIBANK_STAFF | _SERVES_CLIENTS | {Perm.REFERRALS_MAKE},
    Role.PARTNER_WORKER: _DIGIBANK_STAFF | _SERVES_CLIENTS | {Perm.REQUESTS_MANAGE, Perm.REFERRALS_MAKE},
    Role.VOLUNTEER: _DIGIBANK_STAFF | _SERVES_CLIENTS | _HELPS_AT_HUB,
    DepartmentRole.PROGRAMME_OFFICER: {
        Perm.DEPARTMENT_VIEW,
        Perm.DEPARTMENT_DIGIBANKS,
        Perm.DEPARTMENT_FACTORS,
        Perm.DEPARTMENT_E_SERVICES,
    },
    DepartmentRole.REVIEWER: {Perm.DEPARTMENT_VIEW},
}
