"""The hub day view's reads: which hub, and the day's five parts from the features that own them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from digibank.clients.models import Client
from digibank.core.roles import Perm
from digibank.core.tenancy import Tenancy
from digibank.guidance.appointments.models import Appointment
from digibank.guidance.appointments.selectors import appointments_on
from digibank.guidance.contacts.models import FollowUp, HelpContact
from digibank.guidance.contacts.selectors import contacts_on, default_hub, open_follow_ups
from digibank.guidance.queue.models import QueueTicket
from digibank.guidance.queue.selectors import queue_of
from digibank.guidance.referrals.models import Referral
from digibank.guidance.referrals.selectors import incoming_referrals
from digibank.guidance.selectors import guidance_hubs
from digibank.network.models import Hub

# Follow-ups and referrals are open work, not the day's: the view shows the most urgent ones and how
# many there are in all, with a link to the whole list.
SHOWN = 10


@dataclass
class HubDay:
    hub: Hub
    day: dt.date
    appointments: list[Appointment] = field(default_factory=list)
    tickets: list[QueueTicket] = field(default_factory=list)
    contacts: list[HelpContact] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    follow_ups_total: int = 0
    referrals: list[Referral] = field(default_factory=list)
    referrals_total: int = 0

    @property
    def waiting(self) -> list[QueueTicket]:
        return [ticket for ticket in self.tickets if ticket.status == "waiting"]

    @property
    def clients(self) -> list[Client]:
        """Everyone the page names, for the access log."""
        found = [a.client for a in self.appointments] + [c.client for c in self.contacts]
        found += [f.contact.client for f in self.follow_ups] + [r.client for r in self.referrals]
        return [client for client in found if client is not None]


def hub_choice(tenancy: Tenancy, user, wished: str | None) -> tuple[list[Hub], Hub | None]:
    """The digibank's hubs that help with e-services, and the one to show: the one asked for, else where
    the person last helped someone, else the first."""
    hubs = list(guidance_hubs(tenancy))
    asked = next((hub for hub in hubs if wished and str(hub.pk) == wished), None)
    return hubs, asked or default_hub(tenancy, user, hubs) or (hubs[0] if hubs else None)


def _first(queryset) -> tuple[list, int]:
    shown = list(queryset[:SHOWN])
    return shown, len(shown) if len(shown) < SHOWN else queryset.count()


def hub_day(tenancy: Tenancy, hub: Hub, day: dt.date) -> HubDay:
    """What happens at the hub on the day; each part only when the person may see it."""
    found = HubDay(hub=hub, day=day)
    if tenancy.can(Perm.APPOINTMENTS_MANAGE):
        found.appointments = list(appointments_on(tenancy, hub, day))
    if tenancy.can(Perm.QUEUE_MANAGE):
        found.tickets = list(queue_of(tenancy, hub, day))
    if tenancy.can(Perm.CONTACTS_LOG):
        found.contacts = list(contacts_on(tenancy, hub, day).prefetch_related("e_services"))
        found.follow_ups, found.follow_ups_total = _first(open_follow_ups(tenancy, hub))
    if tenancy.can(Perm.REFERRALS_HANDLE):
        found.referrals, found.referrals_total = _first(incoming_referrals(tenancy, hub))
    return found
