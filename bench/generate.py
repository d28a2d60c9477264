"""Fill a PostgreSQL database with a Flanders-scale network for the benchmark (bench/run.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digibank_bench \\
        .venv/bin/python bench/generate.py [--reset]

Creates the database when it is missing, migrates it, loads the reference data (285 municipalities)
and generates 60 digibanks, 600 hubs with their opening hours, 2,000 partners, a coordinator per
digibank (`bench-coord-N`, password `bench-password-1`), 300,000 clients, 5,000 per digibank, and
the device bank (bench/stock.py): a desk worker and a technician per digibank (`bench-desk-N`,
`bench-tech-N`, the same password), 60,000 devices with their history and 600,000 past loans.
Deterministic: the same seed gives the same rows. Run twice, it skips what is there: a database made
before the clients (or the devices) existed gets only those. `--reset` drops and recreates the
database first.

This is a generator, not a user action: it writes with bulk_create and COPY, past the services, and
leaves no simple-history rows. Do not point it at a database you care about."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import itertools
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/digibank_bench"
SEED = 2026
PASSWORD = "bench-password-1"

DIGIBANKS = 60
HUBS_PER_DIGIBANK = 10
PARTNERS = 2_000
CLIENTS_PER_DIGIBANK = 5_000
UNCOVERED_SHARE = 0.08  # a few municipalities lie in no service area, as in reality; never a city:
CITIES = {  # the thirteen centrumsteden, and the towns bench/run.py searches for
    "Aalst",
    "Antwerpen",
    "Brugge",
    "Genk",
    "Gent",
    "Hasselt",
    "Kortrijk",
    "Leuven",
    "Mechelen",
    "Oostende",
    "Roeselare",
    "Sint-Niklaas",
    "Turnhout",
    "Vilvoorde",
    "Sint-Truiden",
    "Lier",
    "Dendermonde",
    "Diest",
    "Ieper",
    "Halle",
    "Oudenaarde",
    "Tongeren-Borgloon",
    "Mol",
    "Aartselaar",
    "Beveren-Kruibeke-Zwijndrecht",
}

STREETS = [
    "Kerkstraat",
    "Stationsstraat",
    "Dorpsstraat",
    "Markt",
    "Grote Markt",
    "Schoolstraat",
    "Molenstraat",
    "Nieuwstraat",
    "Kapelstraat",
    "Beekstraat",
    "Gemeenteplein",
    "Bibliotheekstraat",
    "Lindelaan",
    "Kloosterstraat",
    "Vaartstraat",
    "Stationsplein",
    "Pastorijstraat",
    "Hoogstraat",
]
HUB_KINDS = [
    "Bibliotheek {m}",
    "Sociaal Huis {m}",
    "Digipunt {m}",
    "Dienstencentrum {m}",
    "Buurthuis {m}",
    "OCMW {m}",
    "Gemeentehuis {m}",
    "Digipunt {m} {street}",
    "Lokaal dienstencentrum De {tree}",
]
FIRST_NAMES = ["An", "Bart", "Els", "Jan", "Lies", "Tom", "Sofie", "Karim", "Nadia", "Pieter"]
TREES = ["Linde", "Eik", "Beuk", "Wilg", "Es", "Kastanje", "Berk", "Populier"]
SURNAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Hermans",
    "Aerts",
    "Michiels",
    "Lambrechts",
    "Vermeulen",
    "Pauwels",
    "Van Damme",
]
PROVINCE_CENTRES = {  # rough centre and spread (latitude, longitude) per province, for plausible pins
    "10000": (51.20, 4.60, 0.12, 0.35),
    "20001": (50.88, 4.55, 0.08, 0.40),
    "30000": (51.00, 3.05, 0.18, 0.35),
    "40000": (51.03, 3.80, 0.12, 0.35),
    "70000": (50.98, 5.40, 0.18, 0.25),
}
# Disjoint periods, so two exceptions of one hub never cover the same day (services refuse that).
EXCEPTIONS = [
    (dt.date(2026, 11, 11), dt.date(2026, 11, 11), None, None, "Wapenstilstand"),
    (dt.date(2026, 12, 8), dt.date(2026, 12, 8), dt.time(9, 0), dt.time(12, 0), "Personeelsvergadering"),
    (dt.date(2026, 12, 24), dt.date(2027, 1, 1), None, None, "Kerstvakantie"),
    (dt.date(2027, 1, 20), dt.date(2027, 1, 20), dt.time(13, 0), dt.time(19, 0), "Digidag: langer open"),
    (dt.date(2027, 2, 8), dt.date(2027, 2, 12), None, None, "Krokusvakantie"),
    (dt.date(2027, 3, 29), dt.date(2027, 3, 29), None, None, "Paasmaandag"),
    (dt.date(2027, 7, 19), dt.date(2027, 8, 6), None, None, "Zomersluiting"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    return parser.parse_args()


def prepare_database(url: str, *, reset: bool) -> None:
    """Create the database when it is missing (or drop it first with --reset), before Django connects."""
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit(f"bench/generate.py needs PostgreSQL, not {parts.scheme!r}")
    name = parts.path.lstrip("/")
    if reset and "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: --reset only drops a database whose name contains 'bench'")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            print(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digibank.settings")
    import django

    django.setup()


def phone_number(rng: random.Random) -> str:
    return f"0{rng.randint(2, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def split_evenly(items: list, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def weekly_hours(rng: random.Random) -> list[tuple[int, dt.time, dt.time]]:
    """2 to 8 periods: weekday mornings and afternoons mostly, a few evenings, now and then Saturday.
    Mornings end by 12:30, afternoons start at 13:00 and evenings at 18:00, so periods never overlap."""
    slots = [(day, part) for day in range(5) for part in ("morning", "afternoon", "evening")]
    slots.append((5, "morning"))
    weights = {"morning": 6, "afternoon": 5, "evening": 1}
    chosen: list[tuple[int, str]] = []
    for _ in range(rng.randint(2, 8)):
        pool = [s for s in slots if s not in chosen]
        chosen.append(rng.choices(pool, weights=[weights[p] * (1 if d < 5 else 0.5) for d, p in pool])[0])
    periods = []
    for day, part in sorted(chosen):
        if part == "morning":
            opens, closes = rng.choice([(8, 30), (9, 0), (9, 30), (10, 0)]), rng.choice([(12, 0), (12, 30)])
        elif part == "afternoon":
            opens, closes = rng.choice([(13, 0), (13, 30), (14, 0)]), rng.choice([(16, 0), (16, 30), (17, 0)])
        else:
            opens, closes = rng.choice([(18, 0), (18, 30)]), rng.choice([(20, 0), (21, 0)])
        periods.append((day, dt.time(*opens), dt.time(*closes)))
    return periods


# Belgian mobile numbers: +32 4xx and six digits, on prefixes that phonenumbers accepts (checked below).
MOBILE_PREFIXES = [
    "460", "465", "466", "467", "468", "470", "471", "472", "473", "474", "475", "476", "477", "478",
    "479", "483", "484", "485", "486", "487", "488", "489", "490", "491", "492", "493", "494", "495",
    "496", "497", "498", "499",
]  # fmt: skip
EMAIL_DOMAINS = ["example.be", "example.com", "example.org", "example.net"]  # reserved: nobody's mailbox
LANGUAGES = {"nl": 82, "fr": 5, "en": 3, "ar": 4, "tr": 3, "uk": 2, "other": 1}  # preferred language
FOUND_VIA = {"walk_in": 40, "partner": 30, "friends": 15, "website": 7, "event": 6, "other": 2}
CLIENTS_FROM = dt.datetime(2024, 1, 8, 9, 0, tzinfo=dt.UTC)  # registrations spread over three years
CLIENTS_UNTIL = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)
ACTIVE_SINCE = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)  # within the default retention (24 months)


def already_generated() -> bool:
    from django.contrib.auth import get_user_model

    from digibank.network.models import Digibank

    return (
        Digibank.objects.count() == DIGIBANKS
        and get_user_model().objects.filter(username=f"bench-coord-{DIGIBANKS}").exists()
    )


def summary() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from digibank.clients.models import Client, ClientEvent
    from digibank.devices.lending.models import Loan, LoanItem
    from digibank.devices.refurbishment.models import ErasureRecord
    from digibank.devices.register.models import Device, DeviceEvent
    from digibank.network.models import (
        Digibank,
        Hub,
        HubException,
        Membership,
        Municipality,
        OpeningHours,
        Partner,
    )

    counts = {
        "municipalities": Municipality.objects.count(),
        "covered municipalities": Municipality.objects.filter(digibanks__isnull=False).distinct().count(),
        "digibanks": Digibank.objects.count(),
        "hubs": Hub.objects.count(),
        "opening hours": OpeningHours.objects.count(),
        "hub exceptions": HubException.objects.count(),
        "partners": Partner.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "clients": Client.objects.count(),
        "clients with a phone": Client.objects.exclude(phone="").count(),
        "clients with an e-mail": Client.objects.exclude(email="").count(),
        "client events": ClientEvent.objects.count(),
        "devices": Device.objects.count(),
        "ready laptops": Device.objects.filter(kind="laptop", state="ready").count(),
        "devices on loan": Device.objects.filter(state="on_loan").count(),
        "device events": DeviceEvent.objects.count(),
        "erasures": ErasureRecord.objects.count(),
        "loans returned": Loan.objects.filter(status="returned").count(),
        "loans open": Loan.objects.filter(status="on_loan").count(),
        "loan items": LoanItem.objects.count(),
    }
    return counts


def generate(rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils.text import slugify

    from digibank.core.roles import Role
    from digibank.network.models import (
        Digibank,
        Hub,
        HubException,
        Membership,
        Municipality,
        OpeningHours,
        Partner,
        PostalCode,
        enterprise_number_for,
    )

    municipalities = list(Municipality.objects.order_by("nis_code"))
    postal_codes: dict[str, list[str]] = {}
    for code, nis in PostalCode.objects.order_by("code").values_list("code", "municipality_id"):
        postal_codes.setdefault(nis, []).append(code)

    # Service areas: consecutive NIS codes lie in one arrondissement, so consecutive runs are
    # neighbouring municipalities (contiguous-ish), and no run crosses a province.
    rural = [m.pk for m in municipalities if m.name not in CITIES]
    uncovered = set(rng.sample(rural, round(len(municipalities) * UNCOVERED_SHARE)))
    covered = [m for m in municipalities if m.pk not in uncovered]
    by_province: dict[str, list[Municipality]] = {}
    for m in covered:
        by_province.setdefault(m.province, []).append(m)
    shares = {p: max(1, round(DIGIBANKS * len(ms) / len(covered))) for p, ms in by_province.items()}
    largest = max(shares, key=lambda p: len(by_province[p]))
    shares[largest] += DIGIBANKS - sum(shares.values())
    areas = [chunk for p in sorted(by_province) for chunk in split_evenly(by_province[p], shares[p])]
    assert len(areas) == DIGIBANKS and all(areas), [len(a) for a in areas]

    phases = [Digibank.Phase.IMPLEMENTATION] * 50 + [Digibank.Phase.PRE_TRAJECTORY] * 8 + [Digibank.Phase.COMPLETED] * 2
    rng.shuffle(phases)
    # bench-coord-1 logs in for the staff pages: its digibank must be one that is running.
    first_running = phases.index(Digibank.Phase.IMPLEMENTATION)
    phases[0], phases[first_running] = phases[first_running], phases[0]

    digibanks = []
    for index, area in enumerate(areas):
        name = f"Digibank Regio {area[0].name}"
        slug = slugify(name)
        digibanks.append(
            Digibank(
                name=name,
                slug=slug,
                phase=phases[index],
                email=f"info@{slug}.be",
                phone=phone_number(rng),
                website=f"https://{slug}.be",
                description=f"Samenwerking van lokale partners in {len(area)} gemeenten.",
            )
        )

    hubs: list[Hub] = []
    hub_area: list[tuple[int, list[tuple[int, dt.time, dt.time]]]] = []
    for index, area in enumerate(areas):
        for number in range(HUBS_PER_DIGIBANK):
            municipality = area[0] if number == 0 else rng.choice(area)
            street = rng.choice(STREETS)
            lat, lon, dlat, dlon = PROVINCE_CENTRES[municipality.province]
            hubs.append(
                Hub(
                    name=rng.choice(HUB_KINDS).format(m=municipality.name, street=street, tree=rng.choice(TREES)),
                    street=f"{street} {rng.randint(1, 180)}",
                    postal_code=rng.choice(postal_codes[municipality.nis_code]),
                    municipality=municipality,
                    latitude=Decimal(f"{lat + rng.uniform(-dlat, dlat):.6f}"),
                    longitude=Decimal(f"{lon + rng.uniform(-dlon, dlon):.6f}"),
                    offers_guidance=rng.random() < 0.9,
                    offers_lending=rng.random() < 0.5,
                    offers_training=rng.random() < 0.4,
                    offers_repair=rng.random() < 0.15,
                    wheelchair_accessible=rng.random() < 0.7,
                    phone=phone_number(rng),
                    email=f"digipunt{number + 1}@{digibanks[index].slug}.be",
                    closed_on=dt.date(2026, 6, 30) if number and rng.random() < 0.03 else None,
                )
            )
            hub_area.append((index, weekly_hours(rng)))

    kinds = list(Partner.Kind)
    partner_digibank = [i for i in range(DIGIBANKS) for _ in range(20)]
    partner_digibank += rng.choices(
        range(DIGIBANKS), weights=[len(a) for a in areas], k=PARTNERS - len(partner_digibank)
    )
    numbers = rng.sample(range(2_000_000, 9_999_999), PARTNERS)  # first digit 0: eight digits 0xxxxxxx
    partners = []
    seen: set[tuple[int, str]] = set()
    for n, index in enumerate(sorted(partner_digibank)):
        place = rng.choice(areas[index]).name
        kind = rng.choice(kinds)
        name = {
            Partner.Kind.LOCAL_GOVERNMENT: f"Gemeente {place}",
            Partner.Kind.OCMW: f"OCMW {place}",
            Partner.Kind.COMPANY: f"{rng.choice(SURNAMES)} IT bv",
            Partner.Kind.KNOWLEDGE: f"CVO {place}",
            Partner.Kind.CIVIL_SOCIETY: f"vzw Samen {place}",
            Partner.Kind.SOCIAL_ECONOMY: f"Kringwinkel {place}",
            Partner.Kind.VDAB: f"VDAB {place}",
            Partner.Kind.LIBRARY: f"Bibliotheek {place}",
            Partner.Kind.OTHER: f"Wijkwerking {place}",
        }[kind]
        while (index, name) in seen:  # a second library in one digibank gets a branch name
            name = f"{name.split(' – ')[0]} – {rng.choice(TREES)}{rng.choice(['laan', 'hof', 'wijk'])}"
        seen.add((index, name))
        joined = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))
        left = joined + dt.timedelta(days=rng.randint(90, 600)) if rng.random() < 0.08 else None
        partners.append(
            Partner(
                name=name,
                kind=kind,
                enterprise_number=enterprise_number_for(numbers[n]) if rng.random() < 0.9 else "",
                role=rng.choice(
                    [
                        "Onthaal en doorverwijzing",
                        "Uitlenen van toestellen",
                        "Vormingen",
                        "Herstellingen",
                        "Hulp bij e-loketten",
                        "Financiering",
                        "Vrijwilligerswerking",
                    ]
                ),
                contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                email=f"contact{n + 1}@partner.example.be",
                joined_on=joined,
                left_on=left,
            )
        )

    # Check each row against its model's field rules before writing; the database checks constraints.
    for obj in [*hubs, *partners]:
        obj.full_clean(exclude=["digibank", "municipality"], validate_unique=False, validate_constraints=False)

    password = make_password(PASSWORD)  # hashed once: sixty hashes of one password would take half a minute
    User = get_user_model()
    with transaction.atomic():
        Digibank.objects.bulk_create(digibanks)
        Through = Digibank.service_area.through
        Through.objects.bulk_create(
            [
                Through(digibank_id=d.pk, municipality_id=m.pk)
                for d, area in zip(digibanks, areas, strict=True)
                for m in area
            ]
        )
        for hub, (index, _) in zip(hubs, hub_area, strict=True):
            hub.digibank = digibanks[index]
        Hub.objects.bulk_create(hubs, batch_size=1000)
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(hub=hub, weekday=d, opens=o, closes=c)
                for hub, (_, week) in zip(hubs, hub_area, strict=True)
                for d, o, c in week
            ],
            batch_size=2000,
        )
        exceptions = []
        for hub in hubs:
            for starts, ends, opens, closes, reason in rng.sample(EXCEPTIONS, rng.choice([0, 1, 1, 2, 2, 3])):
                exceptions.append(
                    HubException(hub=hub, starts_on=starts, ends_on=ends, opens=opens, closes=closes, reason=reason)
                )
        HubException.objects.bulk_create(exceptions, batch_size=2000)
        for partner, index in zip(partners, sorted(partner_digibank), strict=True):
            partner.digibank = digibanks[index]
        Partner.objects.bulk_create(partners, batch_size=1000)
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench-coord-{n}",
                    password=password,
                    first_name="Coördinator",
                    last_name=str(n),
                    email=f"bench-coord-{n}@example.be",
                )
                for n in range(1, DIGIBANKS + 1)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(user=u, digibank=d, role=Role.COORDINATOR) for u, d in zip(users, digibanks, strict=True)]
        )


def client_number(rng: random.Random) -> str:
    """As digibank.clients.numbers.new_client_number, but from the seeded generator."""
    from digibank.clients.numbers import ALPHABET, check_character

    body = "".join(rng.choice(ALPHABET) for _ in range(7))
    number = body + check_character(body)
    return f"{number[:4]}-{number[4:]}"


@functools.cache
def rank_weights(count: int, offset: int) -> list[float]:
    """Cumulative weights for a list with the most frequent name first: they fall with the rank."""
    return list(itertools.accumulate(1 / (rank + offset) for rank in range(count)))


def pick_name(rng: random.Random, names: list[str], offset: int) -> str:
    return rng.choices(names, cum_weights=rank_weights(len(names), offset))[0]


def client_first_name(rng: random.Random, birth_year: int) -> str:
    import names

    if rng.random() < 0.15:
        pool = names.FIRST_NAMES_INTERNATIONAL
    else:
        generation = 0 if birth_year < 1960 else 1 if birth_year < 1986 else 2
        if rng.random() < 0.1:  # names cross generations now and then
            generation = min(2, max(0, generation + rng.choice([-1, 1])))
        pool = [names.FIRST_NAMES_OLDER, names.FIRST_NAMES_MIDDLE, names.FIRST_NAMES_YOUNGER][generation]
    return pick_name(rng, pool, 15)


def moment_between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment on a day from start to end, in desk hours (8:00 to 17:00 UTC), not before start."""
    day = start.date() + dt.timedelta(days=rng.randint(0, (end.date() - start.date()).days))
    moment = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC) + dt.timedelta(seconds=rng.randint(0, 9 * 3600))
    return min(max(moment, start), end)


def generate_clients() -> int:
    """5,000 clients for every digibank that has none yet, each digibank from its own seeded
    generator and in its own transaction: an interrupted run leaves whole digibanks, and the next
    run adds the missing ones with the same rows. Returns how many it wrote."""
    import names
    import phonenumbers
    from django.db import transaction
    from django.db.models import Count

    from digibank.clients.models import Client, name_key, search_words
    from digibank.core.roles import Role
    from digibank.core.text import fold
    from digibank.network.models import Digibank, Membership, Partner, PostalCode

    for prefix in MOBILE_PREFIXES:  # the lowest and highest number of each prefix
        for rest in ("000000", "999999"):
            assert phonenumbers.is_valid_number(phonenumbers.parse(f"+32{prefix}{rest}")), prefix

    digibanks = list(Digibank.objects.order_by("pk").annotate(n_clients=Count("clients")))
    missing = [(i, d) for i, d in enumerate(digibanks) if d.n_clients == 0]
    partial = [d for d in digibanks if 0 < d.n_clients < CLIENTS_PER_DIGIBANK]
    if partial:
        print(f"note: {len(partial)} digibanks hold some clients, not {CLIENTS_PER_DIGIBANK:,}: left as they are")
    if not missing:
        return 0
    coordinators = {
        m.digibank_id: m.user_id
        for m in Membership.objects.filter(role=Role.COORDINATOR, user__username__startswith="bench-coord-")
    }
    areas: dict[int, list[str]] = {}
    for digibank_id, nis in Digibank.service_area.through.objects.values_list("digibank_id", "municipality_id"):
        areas.setdefault(digibank_id, []).append(nis)
    codes: dict[str, list[str]] = {}
    for code, nis in PostalCode.objects.order_by("code").values_list("code", "municipality_id"):
        codes.setdefault(nis, []).append(code)
    partners: dict[int, list[int]] = {}
    for pk, digibank_id in Partner.objects.order_by("pk").values_list("pk", "digibank_id"):
        partners.setdefault(digibank_id, []).append(pk)
    # Numbers are unique over the whole table; phones are unique too, so a phone search finds one person.
    numbers, phones = set(), set()
    for number, phone in Client.objects.values_list("number", "phone"):
        numbers.add(number)
        phones.add(phone)

    languages, found_via = list(LANGUAGES), list(FOUND_VIA)
    written = 0
    for index, digibank in missing:
        rng = random.Random(f"{SEED}-clients-{index + 1}")
        area = sorted(areas[digibank.pk])
        clients = []
        for _ in range(CLIENTS_PER_DIGIBANK):
            birth_year = min(2006, int(rng.triangular(1935, 2007, 1952)))
            birth_date = None
            if rng.random() < 0.88:  # most give the full date; some only the year
                birth_date = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            first_name = client_first_name(rng, birth_year)
            last_name = pick_name(rng, names.SURNAMES, 30)
            nis = rng.choice(area)
            number = client_number(rng)
            while number in numbers:
                number = client_number(rng)
            numbers.add(number)
            phone = ""
            if rng.random() < 0.7:
                while not phone or phone in phones:
                    phone = f"+32{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 999_999):06d}"
                phones.add(phone)
            email = ""
            if rng.random() < 0.4:
                local = f"{fold(first_name).replace(' ', '')}.{fold(last_name).replace(' ', '')}"
                email = f"{local}{rng.randint(1, 99)}@{rng.choice(EMAIL_DOMAINS)}"
            via = rng.choices(found_via, weights=list(FOUND_VIA.values()))[0]
            # Registered as an adult: from the year after they turned 18, to be safe.
            adult = dt.datetime(birth_year + 19, 1, 1, 9, 0, tzinfo=dt.UTC)
            registered_at = moment_between(rng, max(CLIENTS_FROM, adult), CLIENTS_UNTIL)
            clients.append(
                Client(
                    digibank_id=digibank.pk,
                    number=number,
                    reporting_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    first_name=first_name,
                    last_name=last_name,
                    birth_date=birth_date,
                    birth_year=birth_year,
                    postal_code=rng.choice(codes[nis]),
                    municipality_id=nis,
                    phone=phone,
                    email=email,
                    language=rng.choices(languages, weights=list(LANGUAGES.values()))[0],
                    found_via=via,
                    referred_by_id=rng.choice(partners[digibank.pk])
                    if via == "partner" and partners.get(digibank.pk)
                    else None,
                    search_text=search_words(first_name, last_name),
                    name_key=name_key(first_name, last_name),
                    registered_at=registered_at,
                    registered_by_id=coordinators[digibank.pk],
                    last_activity_at=moment_between(rng, max(registered_at, ACTIVE_SINCE), CLIENTS_UNTIL),
                )
            )
        # Every phone as the desk would store it, and a sample of whole rows against the model's rules.
        for client in clients:
            if client.phone:
                assert phonenumbers.is_valid_number(phonenumbers.parse(client.phone)), client.phone
        for client in clients[::250]:
            client.full_clean(exclude=["digibank", "registered_by"], validate_unique=False)
        with transaction.atomic():
            Client.objects.bulk_create(clients, batch_size=CLIENTS_PER_DIGIBANK)
        written += len(clients)
        if (index + 1) % 10 == 0:
            print(f"  clients of {index + 1} digibanks")
    return written


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    url = os.environ["DATABASE_URL"]
    print(f"database: {url}")
    prepare_database(url, reset=args.reset)
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from digibank.network.models import Digibank
    from digibank.network.reference import load_reference_data

    call_command("migrate", interactive=False, verbosity=0)
    print("reference data:", load_reference_data())
    if already_generated():
        print("network already generated: skipped (use --reset to drop the database and generate again)")
    elif Digibank.objects.exists():
        sys.exit("the database holds other digibanks: run with --reset to drop it and generate from scratch")
    else:
        started = time.perf_counter()
        generate(random.Random(SEED))
        print(f"generated the network in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    written = generate_clients()  # also when the network was there already: it predates the clients
    if written:
        print(f"generated {written:,} clients in {time.perf_counter() - started:.1f} s")
    else:
        print("clients already generated: skipped")
    import stock
    from django.contrib.auth.hashers import make_password

    started = time.perf_counter()
    stocked = stock.generate_stock(make_password(PASSWORD))
    if stocked:
        print(f"generated the stock in {time.perf_counter() - started:.1f} s:")
        for name, count in stocked.items():
            print(f"  {name:24} {count:>9,}")
        started = time.perf_counter()
        problems = stock.check_stock()
        for problem in problems:
            print(f"  PROBLEM: {problem}", file=sys.stderr)
        if problems:
            sys.exit("the generated stock breaks what the services guarantee (above)")
        print(f"checked the stock against the services' rules in {time.perf_counter() - started:.1f} s")
    else:
        print("stock already generated: skipped")
    import guidance

    started = time.perf_counter()
    guided = guidance.generate_guidance(make_password(PASSWORD))
    if guided:
        print(f"generated the guidance in {time.perf_counter() - started:.1f} s:")
        for name, count in guided.items():
            print(f"  {name:24} {count:>9,}")
    else:
        print("guidance already generated: skipped")
    import guidance_days

    started = time.perf_counter()
    coming = guidance_days.generate_days(make_password(PASSWORD))
    print(f"generated the coming {guidance_days.DAYS_AHEAD} days in {time.perf_counter() - started:.1f} s:")
    for name, count in coming.items():
        print(f"  {name:24} {count:>9,}")
    started = time.perf_counter()
    problems = guidance.check_guidance()
    for problem in problems:
        print(f"  PROBLEM: {problem}", file=sys.stderr)
    if problems:
        sys.exit("the generated guidance breaks what the services guarantee (above)")
    print(f"checked the guidance against the services' rules in {time.perf_counter() - started:.1f} s")
    # Fresh bulk inserts have no planner statistics until autovacuum comes by; production tables do.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for name, count in summary().items():
        print(f"  {name:24} {count:>9}")


if __name__ == "__main__":
    main()
