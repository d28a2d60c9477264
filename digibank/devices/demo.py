"""The device bank of the demo network: a donor's batch of laptops and accessories at Digibank
Gent, taken through the services the way a technician and a desk would: wiped, checked and graded,
lent (one loan overdue), taken back, in repair, given away, retired and recycled, a waiting list,
and the digibank's lending rules. Made once: running the demo again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from digibank.clients import services as client_services
from digibank.clients.models import Client
from digibank.devices.intake import services as intake_services
from digibank.devices.intake.models import Donor
from digibank.devices.lending import eligibility as lending_eligibility
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import services as lending_services
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.models import READY_CHECKLIST
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device
from digibank.devices.stock import services as stock_services
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.network.models import Digibank, Hub, Partner

DONOR = "Telecom Vlaanderen nv"
DEMO_DIGIBANK = "gent"

# make, model, processor, memory, storage, screen, battery health, grade
LAPTOPS = [
    ("Lenovo", "ThinkPad T480", "Intel Core i5-8350U", 8, 256, "14.0", 88, "A"),
    ("Lenovo", "ThinkPad T480", "Intel Core i5-8350U", 8, 256, "14.0", 81, "B"),
    ("Lenovo", "ThinkPad T480", "Intel Core i5-8250U", 8, 256, "14.0", 76, "B"),
    ("Lenovo", "ThinkPad L490", "Intel Core i5-8265U", 8, 256, "14.0", 84, "A"),
    ("Dell", "Latitude 5490", "Intel Core i5-8250U", 8, 256, "14.0", 79, "B"),
    ("Dell", "Latitude 5490", "Intel Core i5-8350U", 16, 512, "14.0", 90, "A"),
    ("Dell", "Latitude 5590", "Intel Core i5-8250U", 8, 256, "15.6", 68, "C"),
    ("Dell", "Latitude 7490", "Intel Core i7-8650U", 16, 512, "14.0", 83, "B"),
    ("HP", "EliteBook 840 G5", "Intel Core i5-8250U", 8, 256, "14.0", 74, "B"),
    ("HP", "EliteBook 840 G5", "Intel Core i5-8350U", 8, 256, "14.0", 80, ""),
    ("HP", "ProBook 450 G6", "Intel Core i5-8265U", 8, 256, "15.6", 71, ""),
    ("HP", "EliteBook 830 G5", "Intel Core i5-8250U", 8, 256, "13.3", 0, ""),
]
ACCESSORIES = [
    (Kind.CHARGER, "Lenovo", "65W USB-C"),
    (Kind.CHARGER, "Lenovo", "65W USB-C"),
    (Kind.CHARGER, "Dell", "65W (4,5 mm)"),
    (Kind.CHARGER, "Dell", "65W (4,5 mm)"),
    (Kind.CHARGER, "HP", "65W USB-C"),
    (Kind.MOUSE, "Logitech", "M185"),
    (Kind.MOUSE, "Logitech", "M185"),
    (Kind.BAG, "Targus", "15,6 inch draagtas"),
    (Kind.BAG, "Targus", "15,6 inch draagtas"),
]
CLIENTS = [  # first name, last name, birth date, postal code, registered so many days ago
    ("Fatima", "El Amrani", dt.date(1971, 6, 2), "9000", 30),
    ("Dirk", "Van Hecke", dt.date(1953, 11, 19), "9040", 120),
    ("Oksana", "Melnyk", dt.date(1988, 2, 27), "9000", 45),
    ("Roger", "De Wilde", dt.date(1946, 8, 8), "9050", 200),
    ("Ilse", "Verstraete", dt.date(1979, 4, 14), "9000", 14),
]
WIPE: dict[str, Any] = dict(
    level="clear", method="PRNG Stream", tool="nwipe 0.37", medium="ssd", result="passed", verification="last"
)


@transaction.atomic
def seed_demo_devices() -> None:
    """The device bank of the demo's Digibank Gent, with its people: its hubs, its coordinator,
    desk worker and technician, and a few demo clients registered at the desk."""
    digibank = Digibank.objects.filter(slug=DEMO_DIGIBANK).first()
    if digibank is None or Donor.objects.filter(digibank=digibank, name=DONOR).exists():
        return
    users = get_user_model().objects
    staff = {
        "coordinator": users.get(username="coordinator.gent"),
        "desk": users.get(username="balie.gent"),
        "technician": users.get(username="technicus.gent"),
    }
    clients = []
    now = timezone.now()
    for first, last, born, postcode, days_ago in CLIENTS:
        client = client_services.client_register(
            digibank=digibank,
            actor=staff["desk"],
            first_name=first,
            last_name=last,
            birth_date=born,
            postal_code=postcode,
        )
        # The demo's loans started weeks ago: their clients were registered before them. The
        # registration date is not editable through the services, so the demo sets its own.
        client.registered_at = now - dt.timedelta(days=days_ago)
        Client.objects.filter(pk=client.pk).update(registered_at=client.registered_at)
        clients.append(client)
    seed_devices(digibank, list(Hub.objects.filter(digibank=digibank).order_by("pk")), staff, clients)


def seed_devices(digibank: Digibank, hubs: Sequence[Hub], staff: Mapping[str, object], clients: Sequence[Client]):
    """The device bank of one digibank, through the services. `hubs`: its hubs (the first that
    repairs takes the batch in, the first that lends lends); `staff`: users by role ("coordinator",
    "desk", "technician"); `clients`: at least five registered clients living in its area."""
    if Donor.objects.filter(digibank=digibank, name=DONOR).exists():
        return
    coordinator, desk, technician = staff["coordinator"], staff["desk"], staff["technician"]
    workshop = next((h for h in hubs if h.offers_repair), hubs[0])
    lending = [h for h in hubs if h.offers_lending] or list(hubs)
    desk_hub, other_hub = lending[0], lending[-1]
    # A loan is handed over at a hub that lends; without one, where its device is (services.loan_hub).
    loan_hub = desk_hub if desk_hub.offers_lending and desk_hub.closed_on is None else None
    today = timezone.localdate()

    lending_services.rules_update(
        digibank=digibank,
        actor=coordinator,
        residents_only=True,
        max_devices_per_client=1,
        loan_days=91,
        extensions_allowed=1,
        extension_days=30,
        deposit=Decimal("20.00"),
        income_condition="verhoogde_tegemoetkoming",
        max_loans_per_year=2,
        offer_days=5,
        reminder_days=3,
        lends_to_partners=True,
        partner_max_devices=10,
        partner_book_days_ahead=7,
        partner_loan_days=14,
    )
    lending_services.current_agreement(digibank=digibank, actor=coordinator)
    partner = Partner.objects.filter(digibank=digibank, name=DONOR).first()
    donor = intake_services.donor_create(
        digibank=digibank,
        actor=coordinator,
        name=DONOR,
        partner=partner,
        enterprise_number=partner.enterprise_number if partner else "",
        email="it-afschrijving@telecom-vlaanderen.example",
    )
    batch = intake_services.batch_receive(
        digibank=digibank,
        donor=donor,
        hub=workshop,
        actor=technician,
        received_on=today - dt.timedelta(days=150),  # before the oldest demo loan
        reference="AFS-2025-014",
        note="Afgeschreven bedrijfslaptops met laders, muizen en tassen.",
    )
    profile = refurbishment_services.software_profile_create(
        digibank=digibank,
        actor=technician,
        name="Linux Mint met LibreOffice",
        operating_system="Linux Mint 22",
        office_software="LibreOffice 24.2",
        other_software="Firefox, eID-middleware",
    )

    laptops = []
    for n, (make, model, cpu, memory, storage, screen, battery, _grade) in enumerate(LAPTOPS, start=1):
        laptops.append(
            intake_services.device_intake(
                batch=batch,
                actor=technician,
                kind=Kind.LAPTOP,
                make=make,
                model_name=model,
                serial_number=f"DEMO-{make[:2].upper()}{n:04d}",
                storage_serial=f"S4EN{n:06d}",
                processor=cpu,
                memory_gb=memory,
                storage_gb=storage,
                screen_inches=Decimal(screen),
                battery_health=battery or None,
                condition="good" if battery else "broken",
            )
        )
    accessories = [
        intake_services.device_intake(batch=batch, actor=technician, kind=kind, make=make, model_name=model)
        for kind, make, model in ACCESSORIES
    ]

    def make_ready(device: Device, grade: str) -> Device:
        refurbishment_services.erasure_record(device=device, actor=technician, **WIPE)
        refurbishment_services.ready_check_record(
            device=device, actor=technician, software_profile=profile, items=READY_CHECKLIST
        )
        device = refurbishment_services.device_transition(
            device=device, target=State.READY, actor=technician, grade=grade
        )
        return stock_services.device_transfer(
            device=device, hub=desk_hub, actor=technician, note="Naar de uitleenbalie"
        )

    ready = [make_ready(device, spec[-1]) for device, spec in zip(laptops[:9], LAPTOPS[:9])]
    extras = []
    for device in accessories:
        device = refurbishment_services.device_transition(
            device=device, target=State.READY, actor=technician, grade="B"
        )
        extras.append(stock_services.device_transfer(device=device, hub=desk_hub, actor=technician))
    chargers = extras[:5]

    # Two loans running, one of them overdue; one taken back; one laptop given to keep.
    allowed = lending_eligibility.Attestation(increased_allowance=True)
    lending_services.loan_check_out(
        digibank=digibank,
        hub=loan_hub,
        client=clients[0],
        devices=[ready[0], chargers[0], extras[5]],
        actor=desk,
        attestation=allowed,
        deposit_payment="paid",
        today=today - dt.timedelta(days=20),
    )
    lending_services.loan_check_out(
        digibank=digibank,
        hub=loan_hub,
        client=clients[1],
        devices=[ready[4], chargers[2]],
        actor=desk,
        attestation=allowed,
        deposit_payment="owed",
        today=today - dt.timedelta(days=100),
    )
    back = lending_services.loan_check_out(
        digibank=digibank,
        hub=loan_hub,
        client=clients[2],
        devices=[ready[1], chargers[1]],
        actor=desk,
        attestation=allowed,
        deposit_payment="paid",
        today=today - dt.timedelta(days=40),
    )
    lending_services.loan_check_in(
        loan=back,
        actor=desk,
        items=[lending_services.ReturnedItem(device=ready[1]), lending_services.ReturnedItem(device=chargers[1])],
    )
    lending_incidents.device_hand_over(
        device=ready[7], client=clients[3], actor=coordinator, note="Blijvend geschonken na afgerond traject"
    )

    # The workshop: one in repair, one wiped and waiting for its check, one beyond repair and recycled.
    refurbishment_services.repair_open(
        device=laptops[9],
        actor=technician,
        fault="Enkele toetsen reageren niet (E, R, T)",
        trainee="Jonas, cursist IT-technieken",
    )
    refurbishment_services.erasure_record(device=laptops[10], actor=technician, **WIPE)
    broken = refurbishment_services.device_transition(
        device=laptops[11], target=State.RETIRED, actor=technician, note="Moederbord defect en scherm gebarsten"
    )
    collection = refurbishment_services.collection_create(
        digibank=digibank,
        actor=technician,
        recycler="Recupel, inzamelpunt Kringloop Ateljee",
        reference="RCP-2025-0317",
        handed_over_on=today - dt.timedelta(days=3),
    )
    refurbishment_services.device_recycle(
        device=broken, collection=collection, weight_kg=Decimal("1.48"), actor=technician
    )

    # Someone waits for a laptop at the other lending hub, where none is ready yet.
    waiting_list_services.request_create(
        digibank=digibank, client=clients[4], hub=other_hub, kind=Kind.LAPTOP, actor=desk
    )
