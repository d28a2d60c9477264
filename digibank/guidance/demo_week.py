"""A living week at the demo's Digibank Gent: the help contacts of the past week, the appointments of the
coming one (some booked on the public site), today's walk-in queue, follow-ups and referrals from OCMW Gent
and between the digibank's own services, all made through the services the desk uses. A partner worker of
OCMW Gent (`ocmw.gent`) sees what became of the referrals. Made once: running the demo again changes
nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from digibank.clients.models import Client
from digibank.core.roles import Role
from digibank.guidance.appointments import services as appointment_services
from digibank.guidance.appointments.models import Appointment, Slot
from digibank.guidance.contacts import services as contact_services
from digibank.guidance.contacts.models import AgeBand, Channel, HelpContact, Outcome, Topic
from digibank.guidance.e_services.models import EService
from digibank.guidance.queue import services as queue_services
from digibank.guidance.referrals import services as referral_services
from digibank.guidance.referrals.models import ConsentHow, Service
from digibank.network import services as network_services
from digibank.network.models import Digibank, Hub, Partner

DEMO_DIGIBANK = "gent"
PARTNER = "OCMW Gent"
PARTNER_WORKER = ("ocmw.gent", "Karim", "El Amrani")
# The e-services people ask most about in Flanders first: they come up most in the demo too.
ASKED = [
    ("itsme", 6),
    ("Jobbonus", 4),
    ("Mijn Burgerprofiel", 4),
    ("MyMinfin / Tax-on-web", 4),
    ("eBox", 2),
    ("Mijn VDAB", 2),
    ("MyPension", 1),
    ("Online bankieren", 2),
]
WALK_IN_NAMES = [("Fatima Benali", "0470 11 22 33"), ("Luc De Wilde", ""), ("Nadia Haddad", "")]


def partner_worker(digibank: Digibank, actor):
    """The OCMW's worker who refers people to the digibank (a demo log-in)."""
    User = get_user_model()
    username, first, last = PARTNER_WORKER
    user = User.objects.filter(username=username).first()
    if user is None:
        from digibank.network.demo import DEMO_PASSWORD

        user = User.objects.create_user(
            username, f"{username}@digibank.example", DEMO_PASSWORD, first_name=first, last_name=last
        )
        partner = Partner.objects.get(digibank=digibank, name=PARTNER)
        network_services.membership_grant(
            digibank=digibank, user=user, role=Role.PARTNER_WORKER, actor=actor, partner=partner
        )
    return user


def _e_services(rng: random.Random, catalogue: dict[str, EService]) -> list[EService]:
    names = [name for name, _ in ASKED if name in catalogue]
    weights = [weight for name, weight in ASKED if name in catalogue]
    chosen = {rng.choices(names, weights)[0] for _ in range(rng.choice([1, 1, 2]))}
    return [catalogue[name] for name in sorted(chosen)]


def _contacts(rng, digibank, hubs, helpers, clients, catalogue, today) -> None:
    """The past week's help contacts (not on Sundays), in the hubs' opening hours."""
    for days_ago in range(7, 0, -1):
        day = today - dt.timedelta(days=days_ago)
        for hub in hubs:
            hours = hub.hours_on(day)
            periods = getattr(hours, "periods", None) or []
            if not periods:
                continue
            opens, _closes = periods[0]
            for n in range(rng.randint(2, 4)):
                moment = dt.datetime.combine(day, opens) + dt.timedelta(minutes=20 + 35 * n)
                client = rng.choice(clients) if rng.random() < 0.6 else None
                outcome = rng.choices(
                    [Outcome.SOLVED, Outcome.PARTLY, Outcome.REFERRED, Outcome.FOLLOW_UP], [6, 2, 1, 1]
                )[0]
                contact_services.contact_log(
                    digibank=digibank,
                    actor=rng.choice(helpers),
                    hub=hub,
                    client=client,
                    age_band="" if client else rng.choice(list(AgeBand.values)),
                    municipality=None if client else hub.municipality,
                    started_at=timezone.make_aware(moment),
                    duration_minutes=rng.choice([10, 15, 20, 30, 45]),
                    channel=rng.choice([Channel.WALK_IN, Channel.WALK_IN, Channel.APPOINTMENT, Channel.PHONE]),
                    e_services=_e_services(rng, catalogue),
                    topics=rng.sample([Topic.LOGIN, Topic.FORMS, Topic.DOCUMENTS, Topic.SAFETY], 1),
                    outcome=outcome,
                    follow_up_on=today + dt.timedelta(days=rng.randint(0, 5)) if outcome == Outcome.FOLLOW_UP else None,
                )


def _appointments(rng, hubs, desk, clients, today) -> None:
    """Slots of half an hour for the coming week at the hubs, a third of them booked."""
    for hub in hubs:
        appointment_services.slots_generate(
            hub=hub, actor=desk, first_day=today, last_day=today + dt.timedelta(days=6), length=30
        )
    now = timezone.now()
    free = Slot.objects.filter(hub__in=hubs, starts_at__gt=now, status=Slot.Status.OPEN).order_by("starts_at")
    for n, slot in enumerate(free):
        if n % 3:
            continue
        if rng.random() < 0.5:
            appointment_services.appointment_book(
                slot=slot, via=Appointment.Via.STAFF, actor=desk, client=rng.choice(clients)
            )
        else:
            name, phone = rng.choice(WALK_IN_NAMES)
            appointment_services.appointment_book(
                slot=slot,
                via=Appointment.Via.PUBLIC,
                name=name,
                phone=phone,
                email="" if phone else "bezoeker@example.be",
            )


def _queue(hub, desk) -> None:
    """This morning's walk-ins at the busiest hub: two helped, one at the desk now, three waiting."""
    for _ in range(6):
        queue_services.ticket_take(hub=hub, actor=desk)
    called = [queue_services.ticket_call_next(hub=hub, desk="Balie 1", actor=desk) for _ in range(3)]
    for ticket in called[:2]:
        queue_services.ticket_serve(ticket=ticket, actor=desk)


def _referrals(rng, digibank, hubs, coordinator, desk, worker, clients, catalogue, today) -> None:
    """Referrals from OCMW Gent in every state, and one internal one after help with Tax-on-web."""
    partner = Partner.objects.get(digibank=digibank, name=PARTNER)
    plans = [
        (Service.DEVICE, "Zoekt werk en heeft geen laptop om te solliciteren.", "completed"),
        (Service.TRAINING, "Wil leren mailen met de kinderen.", "planned"),
        (Service.GUIDANCE, "Krijgt brieven in de eBox maar kan niet inloggen.", "accepted"),
        (Service.GUIDANCE, "Hulp nodig bij de Jobbonus.", "sent"),
        (Service.TRAINING, "Eerste stappen op een smartphone.", "declined"),
    ]
    for service, reason, end in plans:
        referral = referral_services.referral_create(
            digibank=digibank,
            actor=worker,
            to_hub=rng.choice(hubs),
            service=service,
            consent_how=ConsentHow.SPOKEN,
            reason=reason,
            client=rng.choice(clients),
            e_service=catalogue.get("Jobbonus") if "Jobbonus" in reason else None,
            from_partner=partner,
        )
        if end in ("accepted", "planned", "completed"):
            referral_services.referral_accept(referral, actor=desk)
        if end in ("planned", "completed"):
            referral_services.referral_plan(referral, actor=desk, planned_on=today + dt.timedelta(days=2))
        if end == "completed":
            referral_services.referral_complete(referral, actor=desk, outcome="Laptop uitgeleend voor drie maanden.")
        if end == "declined":
            referral_services.referral_decline(
                referral, actor=coordinator, reason="Deze les is volzet; volgende reeks in maart."
            )
    referral_services.referral_create(
        digibank=digibank,
        actor=desk,
        to_hub=hubs[0],
        service=Service.TRAINING,
        consent_how=ConsentHow.SPOKEN,
        reason="Na hulp met Tax-on-web: wil een les over veilig online.",
        client=clients[0],
    )


@transaction.atomic
def seed_guidance_week() -> list[tuple[str, str]]:
    """The week at Digibank Gent; returns the demo log-in it adds. Nothing when the week is there."""
    User = get_user_model()
    digibank = Digibank.objects.filter(slug=DEMO_DIGIBANK).first()
    staff = {
        u.username: u for u in User.objects.filter(username__in=["coordinator.gent", "balie.gent", "digihelper.gent"])
    }
    if digibank is None or len(staff) < 3:
        return []
    coordinator, desk, volunteer = staff["coordinator.gent"], staff["balie.gent"], staff["digihelper.gent"]
    worker = partner_worker(digibank, coordinator)
    login = [(PARTNER_WORKER[0], f"{Role.PARTNER_WORKER.label} – {PARTNER}")]
    if HelpContact.objects.filter(digibank=digibank).exists():
        return login
    rng = random.Random(2026)
    today = timezone.localdate()
    hubs = list(Hub.objects.filter(digibank=digibank, offers_guidance=True, closed_on__isnull=True).order_by("pk"))
    clients = list(Client.objects.filter(digibank=digibank, anonymised_at__isnull=True).order_by("pk")[:12])
    catalogue = {s.name: s for s in EService.objects.filter(digibank__isnull=True, active=True)}
    if not hubs or not clients:
        return login
    _contacts(rng, digibank, hubs, [desk, volunteer], clients, catalogue, today)
    _appointments(rng, hubs[:2], desk, clients, today)
    _queue(hubs[0], desk)
    _referrals(rng, digibank, hubs, coordinator, desk, worker, clients, catalogue, today)
    return login
