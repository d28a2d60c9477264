"""Guidance in the demo network: the digihelpers of Digibank Gent (Rita logs in as digihelper.gent; Jef,
retired, does not), with their hubs, what they help with, when they are there and the hours they gave.
Made once through the services: running the demo again changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers import services as helper_services
from digibank.guidance.helpers.models import Digihelper
from digibank.network.models import Digibank, Hub

DEMO_DIGIBANK = "gent"

# name (None: the account digihelper.gent), hubs, e-services, weekly times (weekday, from, until, hub)
HELPERS = [
    (
        None,
        ["Digipunt De Krook", "Buurtcentrum Brugse Poort"],
        ["itsme", "Mijn Burgerprofiel", "MyMinfin / Tax-on-web", "Jobbonus"],
        [
            (1, dt.time(13, 30), dt.time(16, 30), "Digipunt De Krook"),
            (3, dt.time(9, 30), dt.time(12), "Buurtcentrum Brugse Poort"),
        ],
    ),
    (
        "Jef Van Damme",
        ["Digipunt Melle"],
        ["eBox", "MyPension", "Online bankieren", "itsme"],
        [(2, dt.time(9), dt.time(12), "Digipunt Melle")],
    ),
]
# helper index, days ago, hub, minutes, note
HOURS = [
    (0, 21, "Digipunt De Krook", 180, "Infosessie itsme voor senioren"),
    (0, 9, "Buurtcentrum Brugse Poort", 150, ""),
    (1, 14, "Digipunt Melle", 120, "Huisbezoek: hulp met MyPension"),
    (1, 7, "Digipunt Melle", 90, ""),
]


@transaction.atomic
def seed_guidance_demo() -> None:
    """The digihelpers of the demo's Digibank Gent; nothing when they are there already."""
    digibank = Digibank.objects.filter(slug=DEMO_DIGIBANK).first()
    account = get_user_model().objects.filter(username="digihelper.gent").first()
    coordinator = get_user_model().objects.filter(username="coordinator.gent").first()
    if digibank is None or account is None or coordinator is None:
        return
    if Digihelper.objects.filter(digibank=digibank, user=account).exists():
        return
    hubs = {hub.name: hub for hub in Hub.objects.filter(digibank=digibank, closed_on__isnull=True)}
    services = {s.name: s for s in EService.objects.filter(digibank__isnull=True, active=True)}
    today = timezone.localdate()
    helpers = []
    for name, hub_names, skill_names, times in HELPERS:
        helper = helper_services.helper_create(
            digibank=digibank,
            actor=coordinator,
            user=None if name else account,
            name=name or "",
            hubs=[hubs[n] for n in hub_names if n in hubs],
            skills=[services[n] for n in skill_names if n in services],
            since=today - dt.timedelta(days=400),
        )
        for weekday, starts, ends, hub_name in times:
            if hub_name in hubs:
                helper_services.availability_add(
                    helper=helper, actor=coordinator, hub=hubs[hub_name], weekday=weekday, starts=starts, ends=ends
                )
        helpers.append(helper)
    for index, days_ago, hub_name, minutes, note in HOURS:
        if hub_name in hubs:
            helper_services.hours_record(
                helper=helpers[index],
                actor=coordinator,
                day=today - dt.timedelta(days=days_ago),
                hub=hubs[hub_name],
                minutes=minutes,
                note=note,
            )
