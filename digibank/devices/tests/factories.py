"""Factories for the device bank. Devices are made through the intake service where the test is
about the lifecycle; these make the rows directly, for a given state, where it is not."""

from __future__ import annotations

import factory

from digibank.devices.lifecycle import Kind, State
from digibank.devices.models import Device, Donor, IntakeBatch, SoftwareProfile
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

    from digibank.devices import services
    from digibank.devices.models import (
        READY_CHECKLIST,
        AgreementText,
        CollectionBatch,
        DeviceRequest,
        ErasureRecord,
        Incident,
        Loan,
        Offer,
        RepairTicket,
        StockTake,
    )

    donor = services.donor_create(digibank=digibank, actor=coordinator, name=f"Schenker van {digibank.name}")
    batch = services.batch_receive(digibank=digibank, donor=donor, hub=hub, actor=coordinator)
    profile: SoftwareProfile = SoftwareProfileFactory(digibank=digibank)  # type: ignore[assignment]

    def ready_laptop(serial):
        device = services.device_intake(batch=batch, actor=coordinator, kind=Kind.LAPTOP, serial_number=serial)
        services.erasure_record(
            device=device,
            actor=coordinator,
            level="clear",
            method="PRNG Stream",
            tool="nwipe 0.37",
            medium="ssd",
            result="passed",
            verification="last",
        )
        services.ready_check_record(device=device, actor=coordinator, software_profile=profile, items=READY_CHECKLIST)
        return services.device_transition(device=device, target=State.READY, actor=coordinator, grade="A")

    returned = ready_laptop(f"SN-BACK-{digibank.slug}")
    old = services.loan_check_out(digibank=digibank, hub=hub, client=client, devices=[returned], actor=coordinator)
    services.loan_check_in(
        loan=old, actor=coordinator, items=[services.ReturnedItem(device=returned, condition="poor", damage="Kras")]
    )
    lent = ready_laptop(f"SN-LENT-{digibank.slug}")
    loan = services.loan_check_out(digibank=digibank, hub=hub, client=client, devices=[lent], actor=coordinator)
    repaired = services.device_intake(batch=batch, actor=coordinator, kind=Kind.DESKTOP, serial_number="")
    services.repair_open(device=repaired, actor=coordinator, fault="Voeding defect")
    request = services.request_create(digibank=digibank, client=client, hub=hub, kind=Kind.TABLET, actor=coordinator)
    tablet = services.device_intake(batch=batch, actor=coordinator, kind=Kind.TABLET, serial_number="")
    services.erasure_record(
        device=tablet,
        actor=coordinator,
        level="clear",
        method="factory reset",
        tool="Android",
        medium="phone",
        result="passed",
        verification="none",
    )
    services.ready_check_record(device=tablet, actor=coordinator, software_profile=profile, items=READY_CHECKLIST)
    services.device_transition(device=tablet, target=State.READY, actor=coordinator, grade="B")
    services.offer_next(device=tablet, actor=coordinator)
    stocktake = services.stocktake_start(hub=hub, actor=coordinator)
    collection = services.collection_create(digibank=digibank, actor=coordinator, recycler="Recupel", reference="R-1")
    broken = services.device_intake(batch=batch, actor=coordinator, kind=Kind.MONITOR, serial_number="")
    broken = services.device_transition(device=broken, target=State.RETIRED, actor=coordinator, note="Kapot")
    services.device_recycle(device=broken, collection=collection, weight_kg=Decimal("4.5"), actor=coordinator)
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
