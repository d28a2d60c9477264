"""Guidance at the hubs of the bench network (bench/generate.py calls it): for every digibank three
digihelpers and three partner workers, about 33,300 past help contacts (2,000,000 in all) with their
e-services, follow-ups and client events, and about 3,300 referrals (200,000 in all) in every state;
the coming two weeks (slots, appointments, today's queue) are bench/guidance_days.py's.

Written past the services (COPY and bulk_create), but each row is what the services would write for
the same story: a contact at a hub of the digibank that helps with e-services, on a day and in the
hours it is open, for a client registered before it or an anonymous visitor with an age band; its
follow-up task when the outcome asks one; the client's timeline events with the summary the services
write; a referral that went through the steps its life cycle allows. No simple-history rows.

The past (2024-01-08 to 2026-11-30) comes from `random.Random("2026-guidance-N")` per digibank and is
the same in every run."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import random
from zoneinfo import ZoneInfo

from stock import copy_rows, reserve_ids

SEED = 2026
CONTACTS = 2_000_000
REFERRALS = 200_000
DIGIBANKS = 60
HELPERS_PER_DIGIBANK = 3
PARTNER_WORKERS_PER_DIGIBANK = 3
FIRST_DAY, LAST_DAY = dt.date(2024, 1, 8), dt.date(2026, 11, 30)  # the clients' first and last registration
NOW = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)  # the end of the generated past
BRUSSELS = ZoneInfo("Europe/Brussels")

# The Flanders-wide catalogue (migration 0002), weighted by how often people ask: the four most asked first.
E_SERVICE_WEIGHTS = {
    "itsme": 20, "MyMinfin / Tax-on-web": 16, "Mijn Burgerprofiel": 14, "Jobbonus": 12, "Online bankieren": 7,
    "eBox": 6, "CSAM / eID met kaartlezer": 6, "Mijn VDAB": 5, "Portaal van het ziekenfonds": 5, "Groeipakket": 4,
    "Mijn Gezondheid": 4, "MyPension": 4, "E-loket van de gemeente": 4,
}  # fmt: skip
TAX_SEASON = {5, 6, 7}  # the tax return is filed in May to July: Tax-on-web triples
SERVICE_COUNT = {1: 55, 2: 32, 3: 13}
TOPIC_WEIGHTS = {"login": 35, "forms": 25, "documents": 12, "safety": 10, "device": 10, "payments": 5, "other": 3}
OUTCOME_WEIGHTS = {"solved": 62, "partly": 18, "referred": 8, "follow_up": 12}
CHANNEL_WEIGHTS = {"walk_in": 55, "appointment": 30, "phone": 12, "home_visit": 3}
AGE_BAND_WEIGHTS = {"0-24": 5, "25-44": 18, "45-64": 27, "65-79": 35, "80+": 15}
MINUTES = [5, 10, 15, 20, 25, 30, 40, 45, 60, 75, 90, 120]
MINUTE_WEIGHTS = [4, 12, 18, 17, 10, 14, 7, 6, 7, 2, 2, 1]
NOTES = [
    "Samen ingelogd met itsme",
    "Kaartlezer geïnstalleerd en getest",
    "Brief uit de eBox samen gelezen",
    "Komt terug met de eID-kaart",
    "Rekeningnummer geregistreerd in Mijn Burgerprofiel",
    "Aangifte samen nagekeken",
    "itsme opnieuw geactiveerd op de nieuwe telefoon",
    "Uitgelegd hoe een document opladen werkt",
    "Wachtwoord vergeten: nieuw aangevraagd",
]
OLD_STATES = {"completed": 65, "declined": 15, "withdrawn": 8, "open": 2}  # after 45 days: closed, but a few
RECENT_STATES = {"sent": 30, "accepted": 25, "planned": 20, "completed": 15, "declined": 6, "withdrawn": 4}
SERVICE_WEIGHTS = {"guidance": 45, "device": 25, "training": 25, "other": 5}
REASONS = {
    "guidance": ["Hulp nodig bij Tax-on-web", "Kan itsme niet installeren", "Zoekt werk, moet Mijn VDAB gebruiken",
                 "Krijgt brieven in de eBox en kan ze niet openen", "Wil de Jobbonus aanvragen"],
    "device": ["Heeft geen toestel om online te gaan", "Laptop nodig voor een opleiding",
               "Kinderen hebben een laptop nodig voor school"],
    "training": ["Wil leren veilig online bankieren", "Wil een cursus smartphone volgen",
                 "Na hulp met Tax-on-web: vorming online veiligheid"],
    "other": ["Vraag over internet thuis", "Zoekt een plek om te printen"],
}  # fmt: skip
OUTCOMES = {
    "guidance": ["Samen de aangifte ingediend", "itsme geactiveerd", "Account in Mijn VDAB gemaakt"],
    "device": ["Laptop uitgeleend", "Op de wachtlijst voor een laptop, daarna uitgeleend"],
    "training": ["Ingeschreven voor de cursus", "Cursus gevolgd"],
    "other": ["Doorverwezen naar de bibliotheek", "Geholpen aan het onthaal"],
}
DECLINES = ["Woont buiten ons werkingsgebied", "Persoon niet bereikbaar na drie pogingen",
            "Cursus volzet, volgende reeks in het voorjaar", "Geen toestellen meer: op de wachtlijst"]  # fmt: skip
INTERNAL_NOTES = ["Belde op maandag, komt donderdag", "Tolk Arabisch nodig", "Liefst in de voormiddag"]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def local(day: dt.date, minute: int) -> dt.datetime:
    """Minute `minute` of the day in Brussels, as an aware datetime (summer and winter time right)."""
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=BRUSSELS)


class Bank:
    """What the contacts and referrals of one digibank draw from, loaded once."""

    def __init__(self, digibank, staff: dict, e_services: dict[str, int], labels: dict[str, dict[str, str]]):
        from digibank.clients.models import Client
        from digibank.network.models import Hub, HubException

        self.id, self.n, self.staff = digibank.pk, staff["n"], staff
        self.e_services, self.labels = e_services, labels
        rows = Client.objects.filter(digibank=digibank, status="active").order_by("registered_at", "pk")
        self.clients = list(rows.values_list("pk", "registered_at", "number"))
        self.registered = [c[1] for c in self.clients]
        self.area = sorted(digibank.service_area.values_list("nis_code", flat=True))
        hubs = list(Hub.objects.filter(digibank=digibank).prefetch_related("opening_hours").order_by("pk"))
        closures: dict[int, set[dt.date]] = {}
        for e in HubException.objects.filter(hub__digibank=digibank, opens__isnull=True):
            days = (e.ends_on - e.starts_on).days + 1
            closures.setdefault(e.hub_id, set()).update(e.starts_on + dt.timedelta(d) for d in range(days))
        every = []  # (id, name, [(weekday, opens, closes) in minutes], closed_on, closed days)
        for hub in hubs:
            periods = [(o.weekday, o.opens.hour * 60 + o.opens.minute, o.closes.hour * 60 + o.closes.minute)
                       for o in sorted(hub.opening_hours.all(), key=lambda o: (o.weekday, o.opens))]  # fmt: skip
            every.append((hub.pk, hub.name, periods, hub.closed_on, closures.get(hub.pk, set())))
        self.kinds = {h.pk: h for h in hubs}
        self.hubs = [h for h in every if h[2] and self.kinds[h[0]].offers_guidance]  # where contacts happen
        self.open_hubs = [h for h in every if h[3] is None]  # where a referral may go

    def helper(self, rng: random.Random) -> int:
        """Who helped: the desk worker, a digihelper, now and then the coordinator."""
        r = rng.random()
        return self.staff["desk"] if r < 0.4 else self.staff["coord"] if r < 0.55 else rng.choice(self.staff["helpers"])

    def client_before(self, rng: random.Random, moment: dt.datetime) -> tuple[int, dt.datetime, str] | None:
        known = bisect.bisect_left(self.registered, moment)
        return self.clients[rng.randrange(known)] if known else None


class Contacts:
    """Help contacts as services.contact_log writes them: the row, its e-services, its follow-up and
    the client's event; collected, then written with COPY."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self.rows: list[list] = []

    def add(self, rng: random.Random, hub: tuple, started: dt.datetime, minutes: int, channel: str,
            client: tuple | None, helper: int, done_before: dt.datetime) -> None:  # fmt: skip
        bank = self.bank
        age_band, municipality = "", None
        if client is None:
            age_band = pick(rng, AGE_BAND_WEIGHTS)
            municipality = rng.choice(bank.area) if rng.random() < 0.85 else None
        weights = dict(E_SERVICE_WEIGHTS)
        if started.month in TAX_SEASON:
            weights["MyMinfin / Tax-on-web"] *= 3
        count = int(pick(rng, SERVICE_COUNT))
        chosen: list[str] = []
        while len(chosen) < count:
            name = pick(rng, weights)
            if name not in chosen:
                chosen.append(name)
        topics = {pick(rng, TOPIC_WEIGHTS) for _ in range(rng.choice([1, 1, 1, 2]))}
        outcome = pick(rng, OUTCOME_WEIGHTS)
        follow_up_on = None
        if outcome == "follow_up":
            follow_up_on = started.astimezone(BRUSSELS).date() + dt.timedelta(days=rng.choice([1, 2, 3, 7, 7, 14]))
        cancelled = outcome != "follow_up" and rng.random() < 0.004
        logged_at = started + dt.timedelta(minutes=minutes + rng.randint(0, 10))
        done = None
        if follow_up_on is not None:  # most tasks are done on their day; the last weeks' are still open
            due = local(follow_up_on, rng.randint(9 * 60, 16 * 60))
            if due < done_before - dt.timedelta(days=14) and rng.random() < 0.97:
                done = due
        self.rows.append([
            hub[0], helper, client[0] if client else None, age_band, municipality, started, minutes, channel,
            json.dumps([t for t in TOPIC_WEIGHTS if t in topics]), outcome, follow_up_on,
            rng.choice(NOTES) if rng.random() < 0.12 else "", "cancelled" if cancelled else "logged", helper,
            logged_at, logged_at + dt.timedelta(minutes=3) if cancelled else None, helper if cancelled else None,
            done, chosen,
        ])  # fmt: skip

    def write(self, cursor) -> dict[str, int]:
        from digibank.clients.models import ClientEvent
        from digibank.guidance.contacts.models import FollowUp, HelpContact

        bank = self.bank
        ids = reserve_ids(cursor, HelpContact, len(self.rows))
        counts = {
            "help contacts": copy_rows(
                cursor, HelpContact,
                ["id", "digibank_id", "hub_id", "helper_id", "client_id", "age_band", "municipality_id", "started_at",
                 "duration_minutes", "channel", "topics", "outcome", "follow_up_on", "note", "status", "logged_by_id",
                 "logged_at", "cancelled_at", "cancelled_by_id"],
                ([pk, bank.id, *row[:17]] for pk, row in zip(ids, self.rows, strict=True)),
            )
        }  # fmt: skip
        through = HelpContact.e_services.through
        counts["contact e-services"] = copy_rows(
            cursor, through, ["helpcontact_id", "eservice_id"],
            ((pk, bank.e_services[name]) for pk, row in zip(ids, self.rows, strict=True) for name in row[18]),
        )  # fmt: skip
        counts["follow-ups"] = copy_rows(
            cursor, FollowUp, ["hub_id", "contact_id", "due_on", "done_at", "done_by_id"],
            ((row[0], pk, row[10], row[17], row[1] if row[17] else None)
             for pk, row in zip(ids, self.rows, strict=True) if row[10] is not None),
        )  # fmt: skip
        events = []
        outcome_label = bank.labels["outcome"]
        for pk, row in zip(ids, self.rows, strict=True):
            if row[2] is None:
                continue
            ref, summary = f"guidance.contact:{pk}", f"{', '.join(row[18])} · {outcome_label[row[9]]}"
            events.append((row[2], "help_contact", row[5], row[13], summary, ref))
            if row[12] == "cancelled":
                events.append((row[2], "help_contact_cancelled", row[15], row[13], "", ref))
        counts["client events"] = write_events(cursor, ClientEvent, events)
        return counts


def write_events(cursor, model, events: list[tuple]) -> int:
    """The client events (client, kind, at, actor, summary, ref), and each client's last activity, as
    clients.services.record_event keeps it (for retention)."""
    written = copy_rows(cursor, model, ["client_id", "kind", "occurred_at", "actor_id", "summary", "ref"], events)
    last: dict[int, dt.datetime] = {}
    for client_id, _, at, *_ in events:
        if client_id not in last or at > last[client_id]:
            last[client_id] = at
    cursor.execute(
        """UPDATE clients_client c SET last_activity_at = v.last
           FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, last)
           WHERE c.id = v.id AND c.last_activity_at < v.last""",
        [list(last), list(last.values())],
    )
    return written


def past_contacts(bank: Bank, rng: random.Random, count: int) -> Contacts:
    """`count` contacts from FIRST_DAY to LAST_DAY, in each hub's hours, more as the digibank grows."""
    contacts = Contacts(bank)
    weeks = (LAST_DAY - FIRST_DAY).days // 7 + 1
    cumulative = list(itertools.accumulate(1 + week / weeks for week in range(weeks)))  # twice as busy by the end
    hub_weights = list(itertools.accumulate(rng.uniform(0.3, 1.5) for _ in bank.hubs))
    first_monday = FIRST_DAY - dt.timedelta(days=FIRST_DAY.weekday())
    while len(contacts.rows) < count:
        hub = rng.choices(bank.hubs, cum_weights=hub_weights)[0]
        weekday, opens, closes = rng.choices(hub[2], weights=[c - o for _, o, c in hub[2]])[0]
        week = rng.choices(range(weeks), cum_weights=cumulative)[0]
        day = first_monday + dt.timedelta(days=7 * week + weekday)
        if not FIRST_DAY <= day <= LAST_DAY or day in hub[4] or (hub[3] is not None and day >= hub[3]):
            continue
        minutes = rng.choices(MINUTES, weights=MINUTE_WEIGHTS)[0]
        start = opens + rng.randrange(0, max(1, closes - opens - minutes))
        started = local(day, start)
        client = bank.client_before(rng, started) if rng.random() < 0.6 else None
        channel = pick(rng, CHANNEL_WEIGHTS)
        contacts.add(rng, hub, started, minutes, channel, client, bank.helper(rng), NOW)
    return contacts


def referral_rows(bank: Bank, rng: random.Random, count: int, codes: set[str]) -> list[dict]:
    """`count` referrals from partners (a partner worker) and internal ones (staff), each walked through
    its life cycle: sent, accepted, planned, then completed, declined or withdrawn; the recent ones open."""
    import names

    from digibank.guidance.referrals.models import CODE_ALPHABET

    hubs = {kind: [h for h in bank.open_hubs if getattr(bank.kinds[h[0]], f"offers_{kind}")] or bank.open_hubs
            for kind in ("lending", "training", "guidance")}  # fmt: skip
    span = (NOW - local(FIRST_DAY, 9 * 60)).total_seconds()
    rows = []
    for _ in range(count):
        created = local(FIRST_DAY, 9 * 60) + dt.timedelta(seconds=span * rng.random() ** 0.8)  # more lately
        created = created.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59))
        created = min(created, NOW)
        service = pick(rng, SERVICE_WEIGHTS)
        hub = rng.choice(hubs[{"device": "lending", "training": "training"}.get(service, "guidance")])
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        while code in codes:
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        codes.add(code)
        if rng.random() < 0.7:
            referrer, partner = rng.choice(bank.staff["partners"])
        else:
            referrer, partner = rng.choice([bank.staff["desk"], bank.staff["coord"], *bank.staff["helpers"]]), None
        client = bank.client_before(rng, created) if rng.random() < 0.7 else None
        person, phone = "", ""
        if client is None:
            person = f"{rng.choice(names.FIRST_NAMES_MIDDLE)} {rng.choice(names.SURNAMES[:120])}"
            phone = f"+324{rng.choice([7, 8, 9])}{rng.randint(0, 9_999_999):07d}"
        age = (NOW - created).days
        final = pick(rng, OLD_STATES if age > 45 else RECENT_STATES)
        if final == "open":
            final = rng.choice(["sent", "accepted", "planned"])  # forgotten: the coordinator sees it flagged
        steps = [("sent", created, referrer)]
        at = created
        path = {"sent": [], "accepted": ["accepted"], "planned": ["accepted", "planned"],
                "completed": ["accepted", "planned", "completed"] if rng.random() < 0.6 else ["accepted", "completed"],
                "declined": ["declined"] if rng.random() < 0.5 else ["accepted", "declined"],
                "withdrawn": ["withdrawn"]}[final]  # fmt: skip
        planned_on = None
        for step in path:
            room = max(60.0, (NOW - at).total_seconds() / (len(path) + 1))
            at = min(NOW, at + dt.timedelta(seconds=rng.uniform(0.2, 1.0) * min(room, 10 * 86400)))
            if step == "planned":
                planned_on = at.astimezone(BRUSSELS).date() + dt.timedelta(days=rng.randint(2, 21))
            steps.append((step, at, referrer if step == "withdrawn" else bank.staff["desk"]))
        erased = None  # the daily job erases a non-client's name and phone 30 days after the close
        if client is None and final in ("completed", "declined", "withdrawn"):
            run = local((steps[-1][1] + dt.timedelta(days=31)).astimezone(BRUSSELS).date(), 3 * 60)
            erased, person, phone = (run, "", "") if run <= NOW else (None, person, phone)
        rows.append({
            "code": code, "hub": hub, "service": service, "client": client, "person": person, "phone": phone,
            "referrer": referrer, "partner": partner, "status": final, "planned_on": planned_on, "steps": steps,
            "e_service": bank.e_services[pick(rng, E_SERVICE_WEIGHTS)] if service == "guidance" and rng.random() < 0.7
            else None,
            "consent": "signed" if rng.random() < 0.4 else "spoken",
            "reason": rng.choice(REASONS[service]),
            "outcome": rng.choice(OUTCOMES[service]) if final == "completed" else "",
            "decline": rng.choice(DECLINES) if final == "declined" else "",
            "notes": rng.choice(INTERNAL_NOTES) if rng.random() < 0.15 else "",
            "erased": erased,
        })  # fmt: skip
    return rows


def write_referrals(bank: Bank, rows: list[dict], cursor) -> dict[str, int]:
    from digibank.clients.models import ClientEvent
    from digibank.guidance.referrals.models import Referral

    ids = reserve_ids(cursor, Referral, len(rows))
    final = {"completed", "declined", "withdrawn"}
    written = copy_rows(
        cursor, Referral,
        ["id", "digibank_id", "code", "to_hub_id", "service", "e_service_id", "client_id", "person_name",
         "person_phone", "consent_how", "consent_at", "reason", "referred_by_id", "from_partner_id", "status",
         "planned_on", "outcome", "decline_reason", "internal_notes", "created_at", "changed_at", "closed_at",
         "erased_at"],
        ((pk, bank.id, r["code"], r["hub"][0], r["service"], r["e_service"], r["client"][0] if r["client"] else None,
          r["person"], r["phone"], r["consent"], r["steps"][0][1], r["reason"], r["referrer"], r["partner"],
          r["status"], r["planned_on"], r["outcome"], r["decline"], r["notes"], r["steps"][0][1], r["steps"][-1][1],
          r["steps"][-1][1] if r["status"] in final else None, r["erased"])
         for pk, r in zip(ids, rows, strict=True)),
    )  # fmt: skip
    labels, service_label = bank.labels["referral"], bank.labels["service"]
    events = [
        (r["client"][0], "referral", at, actor, f"{labels[step]}: {service_label[r['service']]}, {r['hub'][1]}"[:200],
         f"guidance.referral:{pk}")
        for pk, r in zip(ids, rows, strict=True) if r["client"] for step, at, actor in r["steps"]
    ]  # fmt: skip
    return {"referrals": written, "client events": write_events(cursor, ClientEvent, events)}


# --- the step ------------------------------------------------------------------------------------


def ensure_guidance_staff(password_hash: str) -> dict[int, dict]:
    """Beside `bench-desk-N` and `bench-coord-N`: digihelpers `bench-helper-N-K` (volunteer role) and
    partner workers `bench-partner-N-K`, each of one of the digibank's first partners still in it."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from digibank.core.roles import Role
    from digibank.network.models import Membership, Partner

    User = get_user_model()
    staff: dict[int, dict] = {}
    for m in Membership.objects.filter(user__username__regex=r"^bench-(coord|desk)-\d+$").select_related("user"):
        kind, n = m.user.username.split("-")[1:]
        staff.setdefault(m.digibank_id, {"n": int(n)})[kind] = m.user_id
    existing = {u.username: u.pk for u in User.objects.filter(username__regex=r"^bench-(helper|partner)-\d+-\d+$")}
    with transaction.atomic():
        for digibank_id, s in sorted(staff.items(), key=lambda i: i[1]["n"]):
            partners = list(Partner.objects.filter(digibank_id=digibank_id, left_on__isnull=True).order_by("pk"))
            s["helpers"], s["partners"] = [], []
            for k in range(1, HELPERS_PER_DIGIBANK + PARTNER_WORKERS_PER_DIGIBANK + 1):
                helper = k <= HELPERS_PER_DIGIBANK
                number = k if helper else k - HELPERS_PER_DIGIBANK
                username = f"bench-{'helper' if helper else 'partner'}-{s['n']}-{number}"
                partner = None if helper else partners[(number - 1) % len(partners)]
                if username not in existing:
                    user = User.objects.create(
                        username=username, password=password_hash, email=f"{username}@example.be",
                        first_name="Digihelper" if helper else "Partnerwerker", last_name=f"{s['n']}-{number}",
                    )  # fmt: skip
                    Membership.objects.create(
                        user=user, digibank_id=digibank_id, role=Role.VOLUNTEER if helper else Role.PARTNER_WORKER,
                        partner=partner,
                    )  # fmt: skip
                    existing[username] = user.pk
                if helper:
                    s["helpers"].append(existing[username])
                else:
                    s["partners"].append((existing[username], partner.pk))
    return staff


def labels() -> dict[str, dict[str, str]]:
    """The words the services put in the client's timeline, in the language of a request at the desk."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    from digibank.guidance.contacts.models import Outcome
    from digibank.guidance.referrals.models import Service, Status

    with translation.override(settings.LANGUAGE_CODE):
        steps = {s: str(Status(s).label).capitalize() for s in Status.values}
        return {
            "outcome": {o: str(Outcome(o).label) for o in Outcome.values},
            "service": {s: str(Service(s).label) for s in Service.values},
            "referral": {**steps, "sent": gettext("Referred")},
        }


def generate_guidance(password_hash: str) -> dict[str, int]:
    """Past contacts and referrals for every digibank that has no contacts yet, each in its own
    transaction, from its own seeded generator. Returns the counts written."""
    from django.db import connection, transaction
    from django.db.models import Count

    from digibank.guidance.contacts.note_guard import no_sensitive_data
    from digibank.guidance.e_services.models import EService
    from digibank.guidance.referrals.models import Referral
    from digibank.network.models import Digibank

    for text in NOTES + [t for texts in REASONS.values() for t in texts] + INTERNAL_NOTES:
        no_sensitive_data(text)  # what a helper may write: the guard lets it through
    staff = ensure_guidance_staff(password_hash)
    e_services = dict(EService.objects.filter(digibank__isnull=True).values_list("name", "pk"))
    missing = [name for name in E_SERVICE_WEIGHTS if name not in e_services]
    assert not missing, f"the Flanders-wide catalogue lacks {missing}"
    words = labels()
    digibanks = list(Digibank.objects.order_by("pk").annotate(n_contacts=Count("help_contacts")))
    totals: dict[str, int] = {}
    codes = set(Referral.objects.values_list("code", flat=True))
    for index, digibank in enumerate(digibanks):
        if digibank.n_contacts or digibank.pk not in staff:
            continue
        n = staff[digibank.pk]["n"]
        rng = random.Random(f"{SEED}-guidance-{n}")
        bank = Bank(digibank, staff[digibank.pk], e_services, words)
        share = CONTACTS // DIGIBANKS + (1 if n <= CONTACTS % DIGIBANKS else 0)
        referral_share = REFERRALS // DIGIBANKS + (1 if n <= REFERRALS % DIGIBANKS else 0)
        contacts = past_contacts(bank, rng, share)
        referrals = referral_rows(bank, rng, referral_share, codes)
        with transaction.atomic(), connection.cursor() as cursor:
            written = contacts.write(cursor.cursor)
            for name, value in write_referrals(bank, referrals, cursor.cursor).items():
                written[name] = written.get(name, 0) + value
        for name, value in written.items():
            totals[name] = totals.get(name, 0) + value
        if (index + 1) % 10 == 0:
            print(f"  guidance of {index + 1} digibanks")
    return totals


CHECKS = {
    "a contact for a client of another digibank, or before the client registered": """
        SELECT count(*) FROM guidance_helpcontact h JOIN clients_client c ON c.id = h.client_id
        WHERE c.digibank_id <> h.digibank_id OR h.started_at < c.registered_at""",
    "a contact at another digibank's hub, at one that does not help, or after it closed": """
        SELECT count(*) FROM guidance_helpcontact h JOIN network_hub b ON b.id = h.hub_id WHERE b.digibank_id <>
        h.digibank_id OR NOT b.offers_guidance OR b.closed_on <= (h.started_at AT TIME ZONE 'Europe/Brussels')::date""",
    "a follow-up outcome without its task, or a task without one": """
        SELECT count(*) FROM guidance_helpcontact h LEFT JOIN guidance_followup f ON f.contact_id = h.id
        WHERE (h.outcome = 'follow_up') <> (f.id IS NOT NULL) OR f.hub_id <> h.hub_id""",
    "a contact with another digibank's e-service, or none": """
        SELECT (SELECT count(*) FROM guidance_helpcontact_e_services t JOIN guidance_eservice e ON e.id = t.eservice_id
                JOIN guidance_helpcontact h ON h.id = t.helpcontact_id WHERE e.digibank_id <> h.digibank_id)
             + (SELECT count(*) FROM guidance_helpcontact h WHERE NOT EXISTS
                (SELECT 1 FROM guidance_helpcontact_e_services t WHERE t.helpcontact_id = h.id))""",
    "a referral to another digibank's hub, from its partner, or for its client": """
        SELECT count(*) FROM guidance_referral r JOIN network_hub b ON b.id = r.to_hub_id
        LEFT JOIN network_partner p ON p.id = r.from_partner_id LEFT JOIN clients_client c ON c.id = r.client_id
        WHERE b.digibank_id <> r.digibank_id OR p.digibank_id <> r.digibank_id OR c.digibank_id <> r.digibank_id
           OR r.created_at < c.registered_at""",
    "a final referral without its closing time, or an open one with it": """
        SELECT count(*) FROM guidance_referral
        WHERE (status IN ('completed', 'declined', 'withdrawn')) <> (closed_at IS NOT NULL)""",
    "an appointment in another digibank's slot": """
        SELECT count(*) FROM guidance_appointment a JOIN guidance_slot s ON s.id = a.slot_id
        WHERE s.digibank_id <> a.digibank_id""",
}


def check_guidance() -> list[str]:
    """What the services guarantee, checked on the generated rows, and the totals asked for."""
    from django.db import connection

    problems = []
    with connection.cursor() as cursor:
        for what, sql in CHECKS.items():
            cursor.execute(sql)
            if found := cursor.fetchone()[0]:
                problems.append(f"{found} × {what}")
        cursor.execute("SELECT count(*) FROM guidance_helpcontact WHERE started_at < %s", [LAST_DAY + dt.timedelta(1)])
        past = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM guidance_referral")
        referrals = cursor.fetchone()[0]
    if (past, referrals) != (CONTACTS, REFERRALS):
        problems.append(f"{past:,} past contacts and {referrals:,} referrals, not {CONTACTS:,} and {REFERRALS:,}")
    return problems
