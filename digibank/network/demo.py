"""A believable demo network on real municipalities. The organisations and people are made up;
their enterprise numbers are generated (valid check digits, belonging to nobody we know of)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from digibank.core.roles import DepartmentRole, Role

from . import services
from .models import Digibank, Municipality, Partner, enterprise_number_for

DEMO_PASSWORD = "demo-digibank"

T = dt.time


def _hours(*spec: tuple[int, str, str]) -> list[tuple[int, dt.time, dt.time]]:
    return [(day, T.fromisoformat(opens), T.fromisoformat(closes)) for day, opens, closes in spec]


WEEKDAY_MORNINGS = _hours((0, "09:00", "12:00"), (1, "09:00", "12:00"), (3, "09:00", "12:00"), (4, "09:00", "12:00"))
LIBRARY = _hours((1, "13:30", "17:00"), (2, "10:00", "12:00"), (2, "13:30", "18:00"), (5, "10:00", "12:30"))
FULL_DAYS = _hours(
    (0, "09:00", "12:00"), (0, "13:00", "16:30"), (2, "09:00", "12:00"), (2, "13:00", "16:30"), (4, "09:00", "12:00")
)
REPAIR_SHOP = _hours((1, "09:00", "16:00"), (3, "09:00", "16:00"), (5, "10:00", "13:00"))

DIGIBANKS: list[dict[str, Any]] = [
    {
        "slug": "gent",
        "name": "Digibank Gent",
        "phase": Digibank.Phase.IMPLEMENTATION,
        "email": "info@digibank-gent.example",
        "area": ["Gent", "Merelbeke-Melle", "Lochristi", "Destelbergen"],
        "partners": [
            ("OCMW Gent", Partner.Kind.OCMW, "Toeleiding van cliënten en eerste onthaal"),
            ("Bibliotheek De Krook", Partner.Kind.LIBRARY, "Digipunt en lessen"),
            ("Kringloop Ateljee Oost", Partner.Kind.SOCIAL_ECONOMY, "Opknappen, wissen en herstellen van laptops"),
            ("Hogeschool Scheldeland", Partner.Kind.KNOWLEDGE, "Studenten als digicoach, impactmeting"),
            ("Telecom Vlaanderen nv", Partner.Kind.COMPANY, "Schenkt afgeschreven laptops"),
        ],
        "hubs": [
            ("Digipunt De Krook", "Miriam Makebaplein 1", "9000", "Gent", LIBRARY, True, True, False),
            ("Buurtcentrum Brugse Poort", "Phoenixstraat 14", "9000", "Gent", WEEKDAY_MORNINGS, True, False, False),
            ("Hersteltafel Ateljee", "Wiedauwkaai 40", "9000", "Gent", REPAIR_SHOP, False, False, True),
            ("Digipunt Melle", "Brusselsesteenweg 395", "9090", "Merelbeke-Melle", FULL_DAYS, True, True, False),
        ],
    },
    {
        "slug": "kempen",
        "name": "Digibank Kempen",
        "phase": Digibank.Phase.IMPLEMENTATION,
        "email": "hallo@digibank-kempen.example",
        "area": ["Turnhout", "Geel", "Mol", "Herentals", "Kasterlee"],
        "partners": [
            ("Stad Turnhout", Partner.Kind.LOCAL_GOVERNMENT, "Trekker van het partnerschap"),
            ("VDAB Turnhout", Partner.Kind.VDAB, "Werkzoekenden toeleiden, digitale basisvaardigheden"),
            ("De Kringwinkel Kempen", Partner.Kind.SOCIAL_ECONOMY, "Refurbishing en recyclage"),
            ("vzw Samen Digitaal", Partner.Kind.CIVIL_SOCIETY, "Vrijwillige digihelpers"),
        ],
        "hubs": [
            ("Digipunt Turnhout", "Grote Markt 1", "2300", "Turnhout", FULL_DAYS, True, True, False),
            ("Bibliotheek Geel", "Werft 22", "2440", "Geel", LIBRARY, False, True, False),
            ("Dienstencentrum Mol", "Molderdijk 4", "2400", "Mol", WEEKDAY_MORNINGS, True, False, False),
        ],
    },
    {
        "slug": "hasselt-genk",
        "name": "Digibank Hasselt-Genk",
        "phase": Digibank.Phase.IMPLEMENTATION,
        "email": "digibank@hasselt-genk.example",
        "area": ["Hasselt", "Genk", "Diepenbeek", "Zonhoven"],
        "partners": [
            ("OCMW Genk", Partner.Kind.OCMW, "Toeleiding en opvolging"),
            ("Universiteit aan de Demer", Partner.Kind.KNOWLEDGE, "Onderzoek en impactmeting"),
            ("Bibliotheek Hasselt", Partner.Kind.LIBRARY, "Digipunt"),
        ],
        "hubs": [
            ("Digipunt Hasselt", "Limburgplein 1", "3500", "Hasselt", FULL_DAYS, True, True, False),
            ("Digipunt Genk Centrum", "Stadsplein 1", "3600", "Genk", WEEKDAY_MORNINGS, True, True, False),
        ],
    },
    {
        "slug": "westhoek",
        "name": "Digibank Westhoek",
        "phase": Digibank.Phase.PRE_TRAJECTORY,
        "email": "info@digibank-westhoek.example",
        "area": ["Ieper", "Poperinge", "Heuvelland"],
        "partners": [
            ("Stad Ieper", Partner.Kind.LOCAL_GOVERNMENT, "Trekker van het voortraject"),
            ("Welzijnshuis Westhoek", Partner.Kind.CIVIL_SOCIETY, "Doelgroepbereik"),
        ],
        "hubs": [
            ("Digipunt Ieper", "Grote Markt 34", "8900", "Ieper", WEEKDAY_MORNINGS, False, True, False),
        ],
    },
]

# How to reach each hub, and where it is (WGS 84, for the map). The phone numbers are made up:
# no Belgian subscriber number starts with 0 after the zone number.
HUB_CONTACTS: dict[str, tuple[str, str, str, str]] = {
    "Digipunt De Krook": ("09 000 10 01", "krook@digibank-gent.example", "51.048290", "3.727460"),
    "Buurtcentrum Brugse Poort": ("09 000 10 02", "brugsepoort@digibank-gent.example", "51.056950", "3.703620"),
    "Hersteltafel Ateljee": ("09 000 10 03", "ateljee@digibank-gent.example", "51.066930", "3.739800"),
    "Digipunt Melle": ("09 000 10 04", "melle@digibank-gent.example", "51.002330", "3.788850"),
    "Digipunt Turnhout": ("014 00 20 01", "turnhout@digibank-kempen.example", "51.322700", "4.944700"),
    "Bibliotheek Geel": ("014 00 20 02", "geel@digibank-kempen.example", "51.162400", "4.990300"),
    "Dienstencentrum Mol": ("014 00 20 03", "mol@digibank-kempen.example", "51.191200", "5.116300"),
    "Digipunt Hasselt": ("011 00 30 01", "hasselt@hasselt-genk.example", "50.929200", "5.338400"),
    "Digipunt Genk Centrum": ("089 00 30 02", "genk@hasselt-genk.example", "50.965300", "5.500800"),
    "Digipunt Ieper": ("057 00 40 01", "ieper@digibank-westhoek.example", "50.851000", "2.885600"),
}

STAFF = [  # username, first, last, digibank slug, role
    ("coordinator.gent", "Els", "De Smet", "gent", Role.COORDINATOR),
    ("balie.gent", "Marc", "Verhoeven", "gent", Role.DESK),
    ("technicus.gent", "Yusuf", "Demir", "gent", Role.TECHNICIAN),
    ("lesgever.gent", "Ann", "Martens", "gent", Role.TRAINER),
    ("digihelper.gent", "Rita", "Claes", "gent", Role.VOLUNTEER),
    ("coordinator.kempen", "Tom", "Jacobs", "kempen", Role.COORDINATOR),
    ("balie.kempen", "Lotte", "Mertens", "kempen", Role.DESK),
    ("coordinator.hasselt", "Sofie", "Willems", "hasselt-genk", Role.COORDINATOR),
    ("coordinator.westhoek", "Pieter", "Vandamme", "westhoek", Role.COORDINATOR),
]


@transaction.atomic
def seed_demo() -> list[tuple[str, str]]:
    """Create the demo network once; returns (username, what they are) for the demo logins."""
    User = get_user_model()
    logins: list[tuple[str, str]] = []
    if not Digibank.objects.filter(slug="gent").exists():
        admin = User.objects.create_superuser(
            "admin", "admin@digibank.example", DEMO_PASSWORD, first_name="Beheer", last_name="digibank"
        )
        by_name = {m.name: m for m in Municipality.objects.all()}
        number = 0
        for spec in DIGIBANKS:
            digibank = services.digibank_create(
                actor=admin,
                name=spec["name"],
                slug=spec["slug"],
                phase=spec["phase"],
                email=spec["email"],
                service_area=[by_name[n] for n in spec["area"]],
            )
            for name, kind, role in spec["partners"]:
                number += 1
                services.partner_create(
                    digibank=digibank,
                    actor=admin,
                    name=name,
                    kind=kind,
                    role=role,
                    enterprise_number=enterprise_number_for(7000000 + number * 7919),
                    joined_on=dt.date(2022, 3, 1),
                )
            for name, street, postcode, place, hours, lending, training, repair in spec["hubs"]:
                phone, email, latitude, longitude = HUB_CONTACTS[name]
                services.hub_create(
                    digibank=digibank,
                    actor=admin,
                    opening_hours=hours,
                    name=name,
                    street=street,
                    postal_code=postcode,
                    municipality=by_name[place],
                    offers_lending=lending,
                    offers_training=training,
                    offers_repair=repair,
                    offers_guidance=not repair,
                    wheelchair_accessible=training,
                    accessibility_notes="Ingang gelijkvloers, aangepast toilet." if training else "",
                    phone=phone,
                    email=email,
                    latitude=Decimal(latitude),
                    longitude=Decimal(longitude),
                )
        for username, first, last, slug, role in STAFF:
            user = User.objects.create_user(
                username, f"{username}@digibank.example", DEMO_PASSWORD, first_name=first, last_name=last
            )
            services.membership_grant(digibank=Digibank.objects.get(slug=slug), user=user, role=role, actor=admin)
        User.objects.create_user(
            "departement",
            "wse@digibank.example",
            DEMO_PASSWORD,
            first_name="Hilde",
            last_name="Peeters",
            department_role="programme_officer",
        )
    for username, _first, _last, slug, role in STAFF:
        logins.append((username, f"{Role(role).label} – {Digibank.objects.get(slug=slug).name}"))
    logins.append(("departement", f"{DepartmentRole.PROGRAMME_OFFICER.label} – Departement WSE"))
    logins.append(("admin", "superuser"))
    return logins
