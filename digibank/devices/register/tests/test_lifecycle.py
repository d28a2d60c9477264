"""The lifecycle: every move in the table is possible (given its guard), every other is refused and
changes nothing, and a device holding data is wiped again between two clients."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.intake import services as intake_services
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import Loan
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.models import READY_CHECKLIST, ErasureRecord
from digibank.devices.register import services as register_services
from digibank.devices.register.lifecycle import TRANSITIONS, Kind, State, next_states
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.tests.factories import SoftwareProfileFactory

pytestmark = pytest.mark.django_db

PASSED = dict(
    level="clear", method="PRNG Stream", tool="nwipe 0.37", medium="ssd", result="passed", verification="last"
)


def _intake(batch, actor, kind=Kind.LAPTOP, **fields):
    fields = {"make": "Dell", "model_name": "Latitude 5490", "serial_number": "CN0X1234", **fields}
    return intake_services.device_intake(batch=batch, actor=actor, kind=kind, **fields)


def _to_ready(device, actor):
    if device.kind not in (Kind.LAPTOP,):
        return refurbishment_services.device_transition(device=device, target=State.READY, actor=actor, grade="B")
    refurbishment_services.erasure_record(device=device, actor=actor, **PASSED)
    profile = SoftwareProfileFactory(digibank=device.digibank)
    refurbishment_services.ready_check_record(
        device=device, actor=actor, software_profile=profile, items=READY_CHECKLIST
    )
    return refurbishment_services.device_transition(device=device, target=State.READY, actor=actor, grade="B")


def _place(device, state, actor, client=None):
    """Bring a fresh laptop into `state` through the services, the way it really gets there."""
    if state == State.RECEIVED:
        return device
    if state == State.WIPING:
        return refurbishment_services.device_transition(device=device, target=State.WIPING, actor=actor)
    if state == State.WIPED:
        refurbishment_services.erasure_record(device=device, actor=actor, **PASSED)
        return Device.objects.get(pk=device.pk)
    if state == State.IN_REPAIR:
        if device.kind == Kind.LAPTOP:
            refurbishment_services.erasure_record(device=device, actor=actor, **PASSED)
        refurbishment_services.repair_open(device=device, actor=actor, fault="Toetsenbord defect")
        return Device.objects.get(pk=device.pk)
    ready = _to_ready(device, actor)
    if state == State.READY:
        return ready
    if state == State.RESERVED:
        rules = lending_rules.rules_for(device.digibank)
        rules.lends_to_partners = True
        rules.partner_book_days_ahead = 0
        rules.save()
        from digibank.network.tests.factories import PartnerFactory

        partner = PartnerFactory(digibank=device.digibank)
        import django.utils.timezone as tz

        lending_services.partner_booking(
            digibank=device.digibank,
            hub=device.hub,
            partner=partner,
            devices=[ready],
            starts_on=tz.localdate(),
            actor=actor,
        )
        return Device.objects.get(pk=device.pk)
    bundle = [ready]
    if ready.kind != Kind.LAPTOP:  # an accessory is lent with the device it belongs to
        bundle.insert(0, _to_ready(_intake(ready.batch, actor, serial_number=""), actor))
    loan = lending_services.loan_check_out(
        digibank=device.digibank, hub=device.hub, client=client, devices=bundle, actor=actor
    )
    if state == State.ON_LOAN:
        return Device.objects.get(pk=device.pk)
    if state == State.RETURNED:
        lending_services.loan_check_in(
            loan=loan, actor=actor, items=[lending_services.ReturnedItem(device=d) for d in bundle]
        )
        return Device.objects.get(pk=device.pk)
    if state == State.HANDED_OVER:
        return lending_incidents.device_hand_over(device=ready, client=client, actor=actor)
    retired = refurbishment_services.device_transition(
        device=ready, target=State.RETIRED, actor=actor, note="Scherm gebroken"
    )
    if state == State.RETIRED:
        return retired
    collection = refurbishment_services.collection_create(
        digibank=device.digibank, actor=actor, recycler="Recupel", reference="R-1"
    )
    return refurbishment_services.device_recycle(
        device=retired, collection=collection, weight_kg=Decimal("2.1"), actor=actor
    )


@pytest.mark.parametrize("state", State.values)
def test_every_state_can_be_reached_through_the_services(state, batch, alice, digibank_a):
    client = ClientFactory(digibank=digibank_a, postal_code="9000")
    device = _place(_intake(batch, alice), state, alice, client)
    assert device.state == state
    assert DeviceEvent.objects.filter(device=device).exists()


MANUAL = {State.WIPING, State.IN_REPAIR, State.READY, State.RETIRED}


@pytest.mark.parametrize(
    "source,target",
    [(s, t) for s, t in itertools.product(State.values, State.values) if t not in TRANSITIONS[s] and t in MANUAL],
)
def test_a_move_outside_the_table_is_refused_and_changes_nothing(source, target, batch, alice, digibank_a):
    client = ClientFactory(digibank=digibank_a, postal_code="9000")
    device = _place(_intake(batch, alice), source, alice, client)
    events = DeviceEvent.objects.filter(device=device).count()
    with pytest.raises(ValidationError):
        refurbishment_services.device_transition(device=device, target=target, actor=alice, note="test", grade="A")
    device.refresh_from_db()
    assert device.state == source
    assert DeviceEvent.objects.filter(device=device).count() == events


@pytest.mark.parametrize(
    "source,target",
    [(s, t) for s in State.values for t in sorted(TRANSITIONS[s]) if t in MANUAL and s not in (State.RESERVED,)],
)
def test_a_move_in_the_table_is_made_and_recorded_with_who_and_when(source, target, batch, alice, digibank_a):
    client = ClientFactory(digibank=digibank_a, postal_code="9000")
    # A laptop is wiped again after each use, so it only reaches ready from received or returned
    # through wiping; an accessory makes those moves directly.
    accessory = target == State.READY and source in (State.RECEIVED, State.RETURNED)
    kind = Kind.CHARGER if accessory else Kind.LAPTOP
    device = _place(
        _intake(batch, alice, kind=kind, serial_number="" if accessory else "CN0X1234"), source, alice, client
    )
    if target == State.READY and not accessory:
        profile = SoftwareProfileFactory(digibank=device.digibank)
        refurbishment_services.ready_check_record(
            device=device, actor=alice, software_profile=profile, items=READY_CHECKLIST
        )
        device.refresh_from_db()
    moved = refurbishment_services.device_transition(device=device, target=target, actor=alice, note="test", grade="A")
    assert moved.state == target
    event = DeviceEvent.objects.filter(device=device, kind=DeviceEvent.Kind.TRANSITION).first()
    assert (event.from_state, event.to_state, event.actor) == (source, target, alice)
    assert event.occurred_at is not None


def test_the_loan_moves_happen_only_with_a_loan(batch, alice):
    device = _to_ready(_intake(batch, alice), alice)
    for target in (State.ON_LOAN, State.RESERVED, State.RETURNED, State.RECYCLED, State.HANDED_OVER, State.WIPED):
        with pytest.raises(ValidationError):
            refurbishment_services.device_transition(device=device, target=target, actor=alice)
    assert Device.objects.get(pk=device.pk).state == State.READY


def test_a_laptop_is_not_ready_without_a_passed_erasure_and_a_checklist(batch, alice):
    device = _intake(batch, alice)
    refurbishment_services.erasure_record(device=device, actor=alice, **{**PASSED, "result": "failed"})
    device.refresh_from_db()
    assert device.state == State.WIPING
    refurbishment_services.repair_open(device=device, actor=alice, fault="Schijf geeft leesfouten")
    profile = SoftwareProfileFactory(digibank=device.digibank)
    refurbishment_services.ready_check_record(
        device=device, actor=alice, software_profile=profile, items=READY_CHECKLIST
    )
    with pytest.raises(ValidationError, match="erasure"):
        refurbishment_services.device_transition(device=device, target=State.READY, actor=alice, grade="A")
    assert Device.objects.get(pk=device.pk).state == State.IN_REPAIR
    refurbishment_services.erasure_record(device=device, actor=alice, **PASSED)
    with pytest.raises(ValidationError, match="checklist"):
        refurbishment_services.device_transition(device=device, target=State.READY, actor=alice, grade="A")
    assert Device.objects.get(pk=device.pk).state == State.WIPED
    assert ErasureRecord.objects.filter(device=device).count() == 2  # the failed one is kept too


def test_a_ready_device_needs_a_grade(batch, alice):
    device = _intake(batch, alice)
    refurbishment_services.erasure_record(device=device, actor=alice, **PASSED)
    profile = SoftwareProfileFactory(digibank=device.digibank)
    refurbishment_services.ready_check_record(
        device=device, actor=alice, software_profile=profile, items=READY_CHECKLIST
    )
    with pytest.raises(ValidationError, match="grade"):
        refurbishment_services.device_transition(device=device, target=State.READY, actor=alice, grade="")


def test_the_checklist_must_be_complete(batch, alice):
    device = _intake(batch, alice)
    refurbishment_services.erasure_record(device=device, actor=alice, **PASSED)
    profile = SoftwareProfileFactory(digibank=device.digibank)
    with pytest.raises(ValidationError, match="Not yet checked"):
        refurbishment_services.ready_check_record(
            device=device, actor=alice, software_profile=profile, items=["powers_on"]
        )


def test_a_returned_laptop_is_wiped_again_before_the_next_client(batch, alice, digibank_a):
    client = ClientFactory(digibank=digibank_a, postal_code="9000")
    device = _place(_intake(batch, alice), State.RETURNED, alice, client)
    assert device.needs_erasure
    with pytest.raises(ValidationError, match="erasure"):
        refurbishment_services.device_transition(device=device, target=State.READY, actor=alice, grade="A")
    ready = _to_ready(Device.objects.get(pk=device.pk), alice)
    assert ready.state == State.READY
    assert ErasureRecord.objects.filter(device=device, result="passed").count() == 2


def test_an_accessory_needs_no_erasure(batch, alice):
    charger = _intake(batch, alice, kind=Kind.CHARGER, make="Dell", model_name="65W", serial_number="")
    ready = refurbishment_services.device_transition(device=charger, target=State.READY, actor=alice, grade="A")
    assert ready.state == State.READY
    with pytest.raises(ValidationError):
        refurbishment_services.erasure_record(device=ready, actor=alice, **PASSED)


def test_retiring_needs_a_reason_and_recycling_a_weight(batch, alice):
    device = _intake(batch, alice)
    with pytest.raises(ValidationError, match="why"):
        refurbishment_services.device_transition(device=device, target=State.RETIRED, actor=alice)
    device = refurbishment_services.device_transition(
        device=device, target=State.RETIRED, actor=alice, note="Moederbord stuk"
    )
    collection = refurbishment_services.collection_create(
        digibank=device.digibank, actor=alice, recycler="Recupel", reference="R-7"
    )
    for weight in (Decimal("0"), Decimal("-1")):
        with pytest.raises(ValidationError, match="kg"):
            refurbishment_services.device_recycle(device=device, collection=collection, weight_kg=weight, actor=alice)
    assert Device.objects.get(pk=device.pk).state == State.RETIRED
    recycled = refurbishment_services.device_recycle(
        device=device, collection=collection, weight_kg=Decimal("2.3"), actor=alice
    )
    assert (recycled.state, recycled.weight_kg, recycled.collection) == (State.RECYCLED, Decimal("2.3"), collection)


def test_next_states_offers_only_manual_moves():
    assert next_states(State.READY) == [State.IN_REPAIR, State.RETIRED]
    assert next_states(State.RECEIVED) == [State.WIPING, State.IN_REPAIR, State.READY, State.RETIRED]
    assert next_states(State.RECYCLED) == []


def test_a_device_of_a_finished_loan_keeps_its_history(batch, alice, digibank_a):
    client = ClientFactory(digibank=digibank_a, postal_code="9000")
    device = _place(_intake(batch, alice), State.RETURNED, alice, client)
    loan = Loan.objects.get(items__device=device)
    assert loan.status == Loan.Status.RETURNED
    kinds = list(
        DeviceEvent.objects.filter(device=device).order_by("occurred_at", "pk").values_list("to_state", flat=True)
    )
    assert kinds[0] == State.RECEIVED and kinds[-1] == State.RETURNED and State.ON_LOAN in kinds


def test_a_long_fault_and_repair_are_kept_whole_on_the_ticket_and_shortened_in_the_history(batch, alice):
    device = _intake(batch, alice)
    fault, work = "Scherm flikkert. " * 40, "Scherm vervangen. " * 40
    ticket = refurbishment_services.repair_open(device=device, actor=alice, fault=fault)
    ticket = refurbishment_services.repair_close(ticket=ticket, actor=alice, work_done=work)
    ticket.refresh_from_db()
    assert (ticket.fault, ticket.work_done) == (fault.strip(), work.strip())
    notes = DeviceEvent.objects.filter(device=device, kind=DeviceEvent.Kind.REPAIR).values_list("note", flat=True)
    assert all(0 < len(note) <= 300 for note in notes) and len(notes) == 2


def test_a_repair_with_a_too_long_trainee_name_is_refused_and_changes_nothing(batch, alice):
    device = _intake(batch, alice)
    with pytest.raises(ValidationError) as refused:
        refurbishment_services.repair_open(device=device, actor=alice, fault="Scherm", trainee="x" * 121)
    assert "trainee" in refused.value.message_dict
    assert Device.objects.get(pk=device.pk).state == State.RECEIVED


@pytest.mark.parametrize("state", [State.READY, State.RESERVED, State.ON_LOAN])
def test_the_database_refuses_a_lendable_device_that_still_needs_wiping(batch, alice, state):
    device = _to_ready(_intake(batch, alice), alice)
    Device.objects.filter(pk=device.pk).update(state=state)
    device.refresh_from_db()
    device.needs_erasure = True  # behind the services' back
    with pytest.raises(IntegrityError), transaction.atomic():
        device.save()
    assert Device.objects.get(pk=device.pk).needs_erasure is False


def test_a_laptop_corrected_to_a_monitor_at_intake_can_be_made_ready_without_an_erasure(batch, alice):
    device = _intake(batch, alice)
    device = register_services.device_update(device=device, actor=alice, kind=Kind.MONITOR)
    assert device.needs_erasure is False
    ready = refurbishment_services.device_transition(device=device, target=State.READY, actor=alice, grade="B")
    assert Device.objects.get(pk=ready.pk).state == State.READY


def test_a_monitor_corrected_to_a_laptop_at_intake_must_be_wiped_before_it_is_ready(batch, alice):
    device = _intake(batch, alice, kind=Kind.MONITOR)
    device = register_services.device_update(device=device, actor=alice, kind=Kind.LAPTOP)
    assert device.needs_erasure is True
    with pytest.raises(ValidationError, match="erasure"):
        refurbishment_services.device_transition(device=device, target=State.READY, actor=alice, grade="B")


def _migrate_around_the_constraint():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    graph = MigrationExecutor(connection).loader.graph
    node = next(
        key for key in graph.nodes if key[0] == "devices" and key[1].endswith("device_lendable_only_when_wiped")
    )
    parent = next(key for key in graph.node_map[node].parents if key[0] == "devices")

    def to(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)

    # Forward through the node to the latest of every app (impact's depend on the device bank's),
    # so later tests find the whole schema.
    return lambda: to([parent]), lambda: to(graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_clears_the_flag_of_items_that_hold_no_data(batch, alice):
    back, forward = _migrate_around_the_constraint()
    monitor = _intake(batch, alice, kind=Kind.MONITOR)
    back()
    Device.objects.filter(pk=monitor.pk).update(
        needs_erasure=True, state=State.READY
    )  # as a type corrected once left it
    forward()
    assert Device.objects.get(pk=monitor.pk).needs_erasure is False


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_naming_a_data_device_lendable_without_a_wipe(batch, alice):
    back, forward = _migrate_around_the_constraint()
    laptop = _to_ready(_intake(batch, alice), alice)
    back()
    Device.objects.filter(pk=laptop.pk).update(needs_erasure=True)
    try:
        with pytest.raises(RuntimeError, match=laptop.asset_tag):
            forward()
    finally:
        Device.objects.filter(pk=laptop.pk).update(needs_erasure=False)
        forward()
    assert Device.objects.get(pk=laptop.pk).needs_erasure is False
