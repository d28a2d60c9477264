"""The guidance targets of bench/run.py: logging a help contact through the API, booking a slot on the
public booking endpoint, and the hub day view. What each round sends is picked here at start-up from
the bench database (bench/guidance.py made it), untimed; bench/queries.py counts the same requests.

Public bookings are limited per address (appointments.ratelimit, 10 an hour, not a setting the
environment changes): each round books from its own loopback address, 127.0.1.1 and on, as residents
book from their own connections, so every booking passes the same limit check and none is refused."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter

DESK_USERNAME = "bench-desk-1"  # made by bench/stock.py, in bench-coord-1's digibank
E_SERVICES = ["itsme", "MyMinfin / Tax-on-web"]  # two of the Flanders-wide catalogue (migration 0002)
DAY_VIEW = "/staff/begeleiding/vandaag/"
CONTACTS_API = "/api/v1/help-contacts/"
BOOKING_API = "/api/v1/public/appointments/"


class Abort(Exception):
    """A write got an answer it should not have: the run stops, with the answer (as run.Abort)."""


@dataclass(frozen=True)
class ContactCase:
    """One round's help contact: a desk worker's token, their digibank, a hub of it that helps with
    e-services, and a client of it by card number."""

    token: str
    digibank_id: int
    hub_id: int
    client_number: str


def desks():
    from digibank.core.roles import Role
    from digibank.network.models import Membership

    found = Membership.objects.filter(role=Role.DESK, is_active=True, user__username__regex=r"^bench-desk-\d+$")
    return sorted(found.select_related("user"), key=lambda m: int(m.user.username.rsplit("-", 1)[1]))


def contact_cases(count: int) -> tuple[list[ContactCase], list[int]]:
    """`count` contacts round robin over the digibanks, each at the next guidance hub and for the next
    client (pk order), and the ids of the two e-services every contact names."""
    from rest_framework.authtoken.models import Token

    from digibank.clients.models import Client
    from digibank.guidance.e_services.models import EService
    from digibank.network.models import Hub

    e_services = [EService.objects.get(digibank__isnull=True, name=name).pk for name in E_SERVICES]
    per_digibank = -(-count // max(1, len(desks())))
    lanes = []
    for membership in desks():
        token = Token.objects.get_or_create(user=membership.user)[0].key
        hubs = list(
            Hub.objects.filter(digibank_id=membership.digibank_id, offers_guidance=True, closed_on__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        numbers = Client.objects.filter(digibank_id=membership.digibank_id, status=Client.Status.ACTIVE)
        numbers = list(numbers.order_by("pk").values_list("number", flat=True)[:per_digibank])
        if not hubs or len(numbers) < per_digibank:
            raise RuntimeError(f"digibank {membership.digibank_id} has no guidance hub or too few clients")
        lanes.append(
            [ContactCase(token, membership.digibank_id, hubs[i % len(hubs)], n) for i, n in enumerate(numbers)]
        )
    return [lanes[i % len(lanes)][i // len(lanes)] for i in range(count)], e_services


def booking_slots(count: int) -> list[int]:
    """`count` free slots (open, unbooked, from tomorrow on, at a hub that takes bookings), round robin
    over the digibanks, in each in pk order: a run books them, so the next run takes the next ones."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from digibank.guidance.appointments.models import Appointment, Slot

    taken = Appointment.objects.filter(slot=OuterRef("pk")).exclude(status=Appointment.Status.CANCELLED)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    free = Slot.objects.filter(
        status=Slot.Status.OPEN,
        starts_at__date__gte=tomorrow,
        hub__offers_guidance=True,
        hub__closed_on__isnull=True,
    ).exclude(Exists(taken))
    per_digibank = -(-count // max(1, len(desks())))
    lanes = []
    for membership in desks():
        slots = list(free.filter(digibank_id=membership.digibank_id).order_by("pk").values_list("pk", flat=True))
        if len(slots) < per_digibank:
            raise RuntimeError(
                f"digibank {membership.digibank_id} has {len(slots)} free slots from tomorrow, {per_digibank} "
                "needed: run bench/generate.py (it adds the coming two weeks' slots)"
            )
        lanes.append(slots[:per_digibank])
    return [lanes[i % len(lanes)][i // len(lanes)] for i in range(count)]


def day_view_hub() -> tuple[int, dict[str, int]]:
    """The busiest hub of bench-desk-1's digibank today (appointments and queue), and what its day holds."""
    from django.db.models import Count, F, Q
    from django.utils import timezone

    from digibank.guidance.appointments.models import Appointment
    from digibank.guidance.contacts.models import FollowUp, HelpContact
    from digibank.guidance.queue.models import QueueTicket
    from digibank.guidance.referrals.models import OPEN, Referral
    from digibank.network.models import Hub, Membership

    today = timezone.localdate()
    digibank_id = Membership.objects.filter(user__username=DESK_USERNAME).values_list("digibank_id", flat=True).first()
    active = Q(slots__appointments__status__in=Appointment.ACTIVE, slots__starts_at__date=today)
    hub = (
        Hub.objects.filter(digibank_id=digibank_id, offers_guidance=True, closed_on__isnull=True)
        .annotate(
            n=Count("slots__appointments", filter=active, distinct=True),
            queue=Count("queue_tickets", filter=Q(queue_tickets__day=today), distinct=True),
        )
        .order_by(F("n") + F("queue"), "pk")
        .reverse()
        .first()
    )
    if hub is None or not hub.n:
        raise RuntimeError("no hub of bench-desk-1's digibank has appointments today: run bench/generate.py")
    holds = {
        "appointments today": hub.n,
        "queue tickets today": QueueTicket.objects.filter(hub=hub, day=today).count(),
        "contacts today": HelpContact.objects.filter(hub=hub, started_at__date=today).count(),
        "open follow-ups": FollowUp.objects.filter(hub=hub, done_at__isnull=True).count(),
        "open referrals to it": Referral.objects.filter(to_hub=hub, status__in=OPEN).count(),
    }
    return hub.pk, holds


class SourceAddress(HTTPAdapter):
    """Connects from a given local address (any of 127.0.0.0/8 reaches the server on 127.0.0.1)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def post(session: requests.Session, url: str, payload: dict, headers: dict[str, str]) -> tuple[int, float, str]:
    headers = {"Content-Type": "application/json", "Accept": "application/json", "X-Forwarded-Proto": "https",
               "Accept-Language": "nl-BE", **headers}  # fmt: skip
    body = json.dumps(payload)
    started = time.perf_counter()
    response = session.post(url, data=body, headers=headers, allow_redirects=False, timeout=30)
    return response.status_code, (time.perf_counter() - started) * 1000, response.text


@dataclass
class Guidance:
    """The two writes: a help contact logged by a desk worker (token), and a public booking of a free
    slot (no token, from its own address)."""

    base: str
    contacts: list[ContactCase]
    e_services: list[int]
    slots: list[int]
    session: requests.Session = field(default_factory=requests.Session)

    def log_contact(self, i: int) -> tuple[str, int, float]:
        case = self.contacts[i]
        payload = {"hub": case.hub_id, "client": case.client_number, "e_services": self.e_services,
                   "outcome": "solved", "duration_minutes": 15}  # fmt: skip
        headers = {"Authorization": f"Token {case.token}", "X-Digibank": str(case.digibank_id)}
        status, elapsed, body = post(self.session, self.base + CONTACTS_API, payload, headers)
        if status != 201:
            raise Abort(f"log a contact: POST {CONTACTS_API} answered {status}, not 201:\n{body[:4000]}")
        contact = json.loads(body)
        if contact.get("client") != case.client_number or sorted(contact["e_services"]) != sorted(self.e_services):
            raise Abort(f"log a contact: the contact is not the one sent:\n{body[:4000]}")
        return CONTACTS_API, status, elapsed

    def book(self, i: int) -> tuple[str, int, float]:
        session = requests.Session()
        session.mount("http://", SourceAddress(f"127.0.{1 + i // 250}.{1 + i % 250}"))
        payload = {"slot": self.slots[i], "name": "Bench Bezoeker", "phone": f"0470 {i // 10000 % 100:02d} "
                   f"{i // 100 % 100:02d} {i % 100:02d}"}  # fmt: skip
        status, elapsed, body = post(session, self.base + BOOKING_API, payload, {})
        session.close()
        if status != 201:
            raise Abort(f"book a slot: POST {BOOKING_API} answered {status}, not 201:\n{body[:4000]}")
        if "link" not in json.loads(body):
            raise Abort(f"book a slot: no link to the booking in the answer:\n{body[:4000]}")
        return BOOKING_API, status, elapsed
