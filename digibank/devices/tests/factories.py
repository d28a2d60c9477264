"""Factories and helpers for the device bank's tests. Devices are made through the intake service
where the test is about the lifecycle; these make the rows directly, for a given state, where it is
not. Below them, the helpers the feature test files share."""

from __future__ import annotations

from pathlib import Path

import factory
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from digibank.clients.numbers import check_character
from digibank.clients.tests.factories import ClientFactory
from digibank.devices.intake import services as intake_services
from digibank.devices.intake.models import Donor, IntakeBatch
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import LendingRules
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.models import READY_CHECKLIST, SoftwareProfile
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device
from digibank.network.tests.factories import DigibankFactory, HubFactory, UserFactory


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor

    digibank = factory.SubFactory(DigibankFactory)
    name = factory.Sequence(lambda n: f"Schenker {n}")


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeBatch

    digibank = factory.SubFactory(DigibankFactory)
    donor = factory.SubFactory(DonorFactory, digibank=factory.SelfAttribute("..digibank"))
    hub = factory.SubFactory(HubFactory, digibank=factory.SelfAttribute("..digibank"))
    received_by = factory.SubFactory(UserFactory)


class SoftwareProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SoftwareProfile
        django_get_or_create = ("digibank", "name")

    digibank = factory.SubFactory(DigibankFactory)
    name = "Linux Mint"
    operating_system = "Linux Mint 22"
    office_software = "LibreOffice"


class DeviceFactory(factory.django.DjangoModelFactory):
    """A device in a given state; `ready` makes a lendable laptop (wiped, checked, graded B)."""

    class Meta:
        model = Device

    digibank = factory.SubFactory(DigibankFactory)
    hub = factory.SubFactory(HubFactory, digibank=factory.SelfAttribute("..digibank"))
    kind = Kind.LAPTOP
    make = "Lenovo"
    model_name = "ThinkPad T480"
    serial_number = factory.Sequence(lambda n: f"PF{n:06d}")
    storage_serial = factory.Sequence(lambda n: f"S3Z{n:07d}")

    class Params:
        ready = factory.Trait(state=State.READY, grade="B", needs_erasure=False, ready_checked=True)
        accessory = factory.Trait(
            kind=Kind.CHARGER,
            make="Lenovo",
            model_name="65W USB-C",
            serial_number="",
            storage_serial="",
            needs_erasure=False,
        )


def device_world(digibank, coordinator, hub, client) -> dict:
    """One object of each device-bank model in a digibank, made through the services, for the
    tenancy walk: a batch from a donor, a lent laptop with its erasure, a repair, an incident from a
    returned loan, a request with an offer, a stock-take and a collection."""
    from decimal import Decimal

    from digibank.devices.intake import services as intake_services
    from digibank.devices.lending import services as lending_services
    from digibank.devices.lending.models import AgreementText, Incident, Loan
    from digibank.devices.refurbishment import services as refurbishment_services
    from digibank.devices.refurbishment.models import READY_CHECKLIST, CollectionBatch, ErasureRecord, RepairTicket
    from digibank.devices.stock import services as stock_services
    from digibank.devices.stock.models import StockTake
    from digibank.devices.waiting_list import services as waiting_list_services
    from digibank.devices.waiting_list.models import DeviceRequest, Offer

    donor = intake_services.donor_create(digibank=digibank, actor=coordinator, name=f"Schenker van {digibank.name}")
    batch = intake_services.batch_receive(digibank=digibank, donor=donor, hub=hub, actor=coordinator)
    profile: SoftwareProfile = SoftwareProfileFactory(digibank=digibank)  # type: ignore[assignment]

    def ready_laptop(serial):
        device = intake_services.device_intake(batch=batch, actor=coordinator, kind=Kind.LAPTOP, serial_number=serial)
        refurbishment_services.erasure_record(
            device=device,
            actor=coordinator,
            level="clear",
            method="PRNG Stream",
            tool="nwipe 0.37",
            medium="ssd",
            result="passed",
            verification="last",
        )
        refurbishment_services.ready_check_record(
            device=device, actor=coordinator, software_profile=profile, items=READY_CHECKLIST
        )
        return refurbishment_services.device_transition(device=device, target=State.READY, actor=coordinator, grade="A")

    returned = ready_laptop(f"SN-BACK-{digibank.slug}")
    old = lending_services.loan_check_out(
        digibank=digibank, hub=hub, client=client, devices=[returned], actor=coordinator
    )
    lending_services.loan_check_in(
        loan=old,
        actor=coordinator,
        items=[lending_services.ReturnedItem(device=returned, condition="poor", damage="Kras")],
    )
    lent = ready_laptop(f"SN-LENT-{digibank.slug}")
    loan = lending_services.loan_check_out(digibank=digibank, hub=hub, client=client, devices=[lent], actor=coordinator)
    repaired = intake_services.device_intake(batch=batch, actor=coordinator, kind=Kind.DESKTOP, serial_number="")
    refurbishment_services.repair_open(device=repaired, actor=coordinator, fault="Voeding defect")
    request = waiting_list_services.request_create(
        digibank=digibank, client=client, hub=hub, kind=Kind.TABLET, actor=coordinator
    )
    tablet = intake_services.device_intake(batch=batch, actor=coordinator, kind=Kind.TABLET, serial_number="")
    refurbishment_services.erasure_record(
        device=tablet,
        actor=coordinator,
        level="clear",
        method="factory reset",
        tool="Android",
        medium="phone",
        result="passed",
        verification="none",
    )
    refurbishment_services.ready_check_record(
        device=tablet, actor=coordinator, software_profile=profile, items=READY_CHECKLIST
    )
    refurbishment_services.device_transition(device=tablet, target=State.READY, actor=coordinator, grade="B")
    waiting_list_services.offer_next(device=tablet, actor=coordinator)
    stocktake = stock_services.stocktake_start(hub=hub, actor=coordinator)
    collection = refurbishment_services.collection_create(
        digibank=digibank, actor=coordinator, recycler="Recupel", reference="R-1"
    )
    broken = intake_services.device_intake(batch=batch, actor=coordinator, kind=Kind.MONITOR, serial_number="")
    broken = refurbishment_services.device_transition(
        device=broken, target=State.RETIRED, actor=coordinator, note="Kapot"
    )
    refurbishment_services.device_recycle(
        device=broken, collection=collection, weight_kg=Decimal("4.5"), actor=coordinator
    )
    return {
        Donor: donor,
        IntakeBatch: batch,
        SoftwareProfile: profile,
        Device: lent,
        ErasureRecord: ErasureRecord.objects.filter(device=lent).first(),
        RepairTicket: RepairTicket.objects.get(device=repaired),
        Loan: loan,
        Incident: Incident.objects.get(loan=old),
        DeviceRequest: request,
        Offer: Offer.objects.get(request=request),
        StockTake: stocktake,
        CollectionBatch: collection,
        AgreementText: AgreementText.objects.get(digibank=digibank),
    }


# The tests' shared helpers: the API's root and test data, the builders of what a form posts, and
# the steps a device goes through on its way to the stock ------------------------------------------


API = "/api/v1"


# A tag of the right shape, with the right check character, that no device has.
NOBODYS_TAG = "T-AAAA-AAA" + check_character("AAAAAAA")


WRONG_CHECK = NOBODYS_TAG[:-1] + ("C" if NOBODYS_TAG[-1] != "C" else "D")


PASSED = dict(
    level="clear", method="PRNG Stream", tool="nwipe 0.37", medium="ssd", result="passed", verification="last"
)


DATA = Path(__file__).parent / "data"


def loose(number: str) -> str:
    """A client number as a volunteer might type it: lower case, no dash."""
    return number.replace("-", "").lower()


def state_of(device) -> str:
    return Device.objects.get(pk=device.pk).state


def assert_pdf(response, filename: str) -> None:
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    assert filename in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


SSD_LOG = DATA / "nwipe_0.37_ssd_prng_verified.log"  # disk S3Z1NB0K812345X, erased


NVME_LOG = DATA / "shredos_nwipe_0.36_nvme_console_crlf_ansi.log"  # disk Y9SF71ABCDEF, erased


HDD_LOG = DATA / "nwipe_0.35_two_hdds_one_failed.log"  # sda WD-WCC2ET1234567 erased, sdb Z1E5ABCD failed


def intake(batch, actor, **fields):
    fields = {"kind": Kind.LAPTOP, "make": "Dell", "model_name": "Latitude 5490", **fields}
    return intake_services.device_intake(batch=batch, actor=actor, **fields)


def wiped(batch, actor, **fields):
    device = intake(batch, actor, **fields)
    refurbishment_services.erasure_record(device=device, actor=actor, **PASSED)
    return Device.objects.get(pk=device.pk)


def ready(batch, actor, profile, **fields):
    device = wiped(batch, actor, **fields)
    refurbishment_services.ready_check_record(
        device=device, actor=actor, software_profile=profile, items=READY_CHECKLIST
    )
    return refurbishment_services.device_transition(device=device, target=State.READY, actor=actor, grade="B")


def item_post(**overrides):
    data = {
        "kind": "laptop",
        "make": "Dell",
        "model_name": "Latitude 7490",
        "serial_number": "7XK2QJ2",
        "storage_serial": "S3Z1NB0K812345X",
        "processor": "Intel Core i5-8350U",
        "memory_gb": "8",
        "storage_gb": "256",
        "screen_inches": "14",
        "battery_health": "81",
        "condition": "good",
        "notes": "",
    }
    return {**data, **overrides}


def device_url(name, device):
    return reverse(f"devices:{name}", kwargs={"pk": device.pk})


def count_queries(web, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = web.get(url)
    assert response.status_code == 200


def scanned(device) -> str:
    """What a cheap scanner in the wrong keyboard mode sends: lower case, no dashes."""
    return device.asset_tag.replace("-", "").lower()


def set_rules(digibank, **fields) -> LendingRules:
    rules = lending_rules.rules_for(digibank)
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.save()
    return rules


def lend(digibank, hub, actor, *, today=None, client=None):
    """A loan of a laptop and its charger to a (new) client, made through the service."""
    client = client or ClientFactory(digibank=digibank, registered_by=actor, postal_code=hub.postal_code)
    devices = [
        DeviceFactory(digibank=digibank, hub=hub, ready=True),
        DeviceFactory(digibank=digibank, hub=hub, ready=True, accessory=True),
    ]
    return lending_services.loan_check_out(
        digibank=digibank, hub=hub, client=client, devices=devices, actor=actor, today=today
    )


def same_queries(web, url, make, params=None):
    make()
    with CaptureQueriesContext(connection) as few:
        assert web.get(url, params).status_code == 200
    for _ in range(8):
        make()
    with CaptureQueriesContext(connection) as many:
        response = web.get(url, params)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 20, [q["sql"] for q in few.captured_queries]
    return response


def rules_post(**overrides):
    data = {
        "residents_only": "on",
        "max_devices_per_client": "1",
        "loan_days": "91",
        "extensions_allowed": "1",
        "extension_days": "30",
        "deposit": "0",
        "training": "",
        "training_name": "",
        "income_condition": "",
        "income_threshold": "",
        "income_per_member": "0",
        "income_period": "year",
        "max_loans_per_year": "",
        "max_weeks_per_year": "",
        "offer_days": "5",
        "reminder_days": "3",
        "partner_max_devices": "12",
        "partner_max_loans_per_year": "",
        "partner_book_days_ahead": "7",
        "partner_loan_days": "14",
    }
    return {**data, **overrides}
