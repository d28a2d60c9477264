"""The coming two weeks at the hubs of the bench network (bench/generate.py calls it after
bench/guidance.py): slots from each hub's opening hours (the desk's, and a digihelper's at three hubs
of each digibank), appointments in a share of them, and for today the walk-in queue and a help
contact for everyone served so far.

Unlike the past, this depends on the day the generator runs (slots and bookings must lie ahead, the
queue is today's): each run adds the slots that are missing and books an agenda's day, or fills a
hub's queue, only when it has none yet, so generate.py can be run again another day to bring them
up to date. Written past the services, as the services would write them; no simple-history rows."""

from __future__ import annotations

import datetime as dt
import random

from guidance import BRUSSELS, SEED, Bank, Contacts, ensure_guidance_staff, labels, local, pick, write_events

DAYS_AHEAD = 14
SLOT_MINUTES = 30


def book_day(bank: Bank, rng: random.Random, slots: list[tuple], offset: int, now: dt.datetime) -> list:
    """Appointments in a share of one hub-day's slots (the nearer the day, the fuller): half for clients
    booked by the desk, half from the public site with a name and a phone number or e-mail address."""
    import names

    from digibank.core.text import fold
    from digibank.guidance.appointments.models import Appointment

    appointments = []
    for pk, hub_id, hub_name, starts, ends in sorted(rng.sample(slots, round(len(slots) * (0.65 - 0.03 * offset)))):
        client = rng.choice(bank.clients) if rng.random() < 0.45 else None
        created = min(now, starts) - dt.timedelta(hours=rng.uniform(2, 200))
        status = "booked" if ends > now else "attended" if rng.random() < 0.82 else "no_show"
        if rng.random() < 0.05:
            status = "cancelled"
        eve = local(starts.astimezone(BRUSSELS).date() - dt.timedelta(days=1), 18 * 60)
        first = f"{rng.choice(names.FIRST_NAMES_OLDER + names.FIRST_NAMES_MIDDLE)} {rng.choice(names.SURNAMES[:150])}"
        by_mail = client is None and rng.random() < 0.3
        appointment = Appointment(
            digibank_id=bank.id, slot_id=pk, client_id=client[0] if client else None,
            name="" if client else first,
            phone="" if client or by_mail else f"+324{rng.choice([7, 8, 9])}{rng.randint(0, 9_999_999):07d}",
            email=f"{fold(first.split()[0]).replace(' ', '')}{rng.randint(1, 99)}@example.be" if by_mail else "",
            booked_via="staff" if client else "public", status=status, created_at=created,
            booked_by_id=bank.staff["desk"] if client else None,
            reminded_at=eve if created < eve < now and status != "cancelled" else None,
        )  # fmt: skip
        appointment.person, appointment.starts, appointment.hub_pk = client, starts, hub_id
        appointment.summary = f"{hub_name} {starts.astimezone(BRUSSELS):%d/%m/%Y %H:%M}"  # str(slot)
        appointments.append(appointment)
    return appointments


def queue_day(bank: Bank, rng: random.Random, hub, today: dt.date, now: dt.datetime) -> list:
    """Today's numbers at a hub, taken from opening time until now, served in turn at two desks: the
    earlier ones served (or gone), one or two at a desk now, the last ones waiting."""
    from digibank.guidance.queue.models import QueueTicket

    tickets: list = []
    free = [dt.datetime.min.replace(tzinfo=dt.UTC)] * 2
    for opens, closes in hub.hours_on(today).periods:
        taken, end = local(today, opens.hour * 60 + opens.minute), local(today, closes.hour * 60 + closes.minute)
        while True:
            taken += dt.timedelta(minutes=rng.expovariate(1 / 14))
            if taken >= min(end, now):
                break
            desk = min(range(2), key=lambda d: free[d])
            called = max(taken, free[desk]) + dt.timedelta(minutes=rng.uniform(0.5, 3))
            served = called + dt.timedelta(minutes=rng.uniform(8, 30))
            ticket = QueueTicket(
                digibank_id=bank.id, hub_id=hub.pk, day=today, number=len(tickets) + 1, taken_at=taken,
                purpose=pick(rng, {"e_services": 70, "device": 20, "other": 10}),
                taken_by_id=bank.staff["desk"] if rng.random() < 0.5 else None,
            )  # fmt: skip
            if called > now:
                ticket.status = "waiting"
            elif rng.random() < 0.08:  # gone before their turn
                ticket.status, ticket.finished_at = "left", called
            else:
                free[desk] = served
                ticket.called_at, ticket.called_by_id, ticket.desk = called, bank.helper(rng), f"Balie {desk + 1}"
                ticket.status = "called" if served > now else "served"
                ticket.finished_at = served if served <= now else None
            tickets.append(ticket)
    return tickets


def generate_days(password_hash: str, now: dt.datetime | None = None) -> dict[str, int]:
    """Slots for today and the next 13 days at every open hub that helps with e-services (30 minutes,
    from its hours, exceptions respected: appointments.services.slot_times), the desk's and at three
    hubs a digihelper's, the ones missing only; appointments on each agenda's day that has none;
    today's queue at each hub without one, and a help contact for everyone served so far today."""
    from django.db import connection, transaction
    from django.utils import timezone

    from digibank.clients.models import ClientEvent
    from digibank.guidance.appointments.models import Appointment, Slot
    from digibank.guidance.appointments.services import slot_times
    from digibank.guidance.e_services.models import EService
    from digibank.guidance.queue.models import QueueTicket
    from digibank.network.models import Digibank, Hub

    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = local(today, 0), local(today + dt.timedelta(days=DAYS_AHEAD), 0)
    hubs = list(Hub.objects.with_hours(today).filter(offers_guidance=True, closed_on__isnull=True).order_by("pk"))
    staff = ensure_guidance_staff(password_hash)
    # The desk's agenda at every hub; a digihelper's too at the first three of a digibank (one each).
    agendas = [(hub, None) for hub in hubs]
    for digibank_id, s in staff.items():
        own = [hub for hub in hubs if hub.digibank_id == digibank_id][: len(s["helpers"])]
        agendas += [(hub, helper) for hub, helper in zip(own, s["helpers"], strict=False)]
    ahead = Slot.objects.filter(starts_at__gte=start, starts_at__lt=end)
    before, made = ahead.count(), now - dt.timedelta(days=30)  # the hub opened its agenda a month ago
    new = [Slot(digibank_id=hub.digibank_id, hub=hub, helper_id=helper, starts_at=s, ends_at=e, kind="e_services",
                created_at=made)
           for hub, helper in agendas for d in range(DAYS_AHEAD)
           for s, e in slot_times(hub, today + dt.timedelta(days=d), SLOT_MINUTES)]  # fmt: skip
    Slot.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)  # the ones there already stay
    counts = {"slots": ahead.count() - before}
    free: dict[tuple, list[tuple]] = {}  # (hub, helper, day): its open slots
    for pk, hub_id, helper_id, hub_name, starts, ends in ahead.filter(hub__in=hubs, status="open").values_list(
        "pk", "hub_id", "helper_id", "hub__name", "starts_at", "ends_at"
    ):
        key = (hub_id, helper_id, starts.astimezone(BRUSSELS).date())
        free.setdefault(key, []).append((pk, hub_id, hub_name, starts, ends))
    booked = Appointment.objects.filter(slot__hub__in=hubs, slot__starts_at__gte=start, slot__starts_at__lt=end)
    booked = {(h, p, s.astimezone(BRUSSELS).date())
              for h, p, s in booked.values_list("slot__hub_id", "slot__helper_id", "slot__starts_at")}  # fmt: skip
    queued = set(QueueTicket.objects.filter(day=today).values_list("hub_id", flat=True))
    e_services = dict(EService.objects.filter(digibank__isnull=True).values_list("name", "pk"))
    words = labels()
    for digibank in Digibank.objects.filter(pk__in=staff).order_by("pk"):
        bank = Bank(digibank, staff[digibank.pk], e_services, words)
        appointments, tickets, contacts = [], [], Contacts(bank)
        for hub in (h for h in hubs if h.digibank_id == digibank.pk):
            for key in sorted((k for k in free if k[0] == hub.pk), key=lambda k: (k[2], k[1] or 0)):
                if key in booked:  # that agenda's day was booked before: left as it is
                    continue
                offset = (key[2] - today).days
                rng = random.Random(f"{SEED}-guidance-{bank.n}-{hub.pk}-{key[1] or 0}-{key[2]}")
                appointments += book_day(bank, rng, free[key], offset, now)
            if hub.pk not in queued:
                tickets += queue_day(bank, random.Random(f"{SEED}-queue-{hub.pk}-{today}"), hub, today, now)
        rng = random.Random(f"{SEED}-guidance-{bank.n}-{today}")
        hub_of = {h[0]: h for h in bank.hubs}
        for a in appointments:  # whoever came by appointment or was served from the queue: a contact
            if a.status == "attended" and a.hub_pk in hub_of:
                contacts.add(rng, hub_of[a.hub_pk], a.starts, rng.choice([20, 25, 30]), "appointment", a.person,
                             bank.helper(rng), now)  # fmt: skip
        for t in tickets:
            if t.status == "served" and t.hub_id in hub_of:
                minutes = max(1, round((t.finished_at - t.called_at).total_seconds() / 60))
                client = bank.client_before(rng, t.called_at) if rng.random() < 0.5 else None
                contacts.add(rng, hub_of[t.hub_id], t.called_at, minutes, "walk_in", client, t.called_by_id, now)
        with transaction.atomic(), connection.cursor() as cursor:
            Appointment.objects.bulk_create(appointments, batch_size=2000)
            QueueTicket.objects.bulk_create(tickets, batch_size=2000)
            events = []
            for a in (a for a in appointments if a.person is not None):
                ref, desk = f"guidance.appointment:{a.pk}", bank.staff["desk"]
                events.append((a.person[0], "appointment_booked", a.created_at, desk, a.summary, ref))
                if a.status != "booked":
                    at = min(now, a.created_at + dt.timedelta(days=1)) if a.status == "cancelled" else a.starts
                    events.append((a.person[0], f"appointment_{a.status}", at, desk, a.summary, ref))
            written = contacts.write(cursor.cursor) if contacts.rows else {}
            booked_events = write_events(cursor.cursor, ClientEvent, events)
            written["client events"] = written.get("client events", 0) + booked_events
        written |= {"appointments": len(appointments), "queue tickets": len(tickets)}
        for name, value in written.items():
            counts[name] = counts.get(name, 0) + value
    return counts
