"""Lending and taking back, incidents, the waiting list with its offers, and the reminders job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from digibank.clients import services as client_services
from digibank.clients.models import ClientEvent, Consent
from digibank.clients.tests.factories import ClientFactory
from digibank.devices import jobs
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import notify as lending_notify
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import Incident, Loan, Reminder
from digibank.devices.lending.services import ReturnedItem
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.models import READY_CHECKLIST
from digibank.devices.register import services as register_services
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device
from digibank.devices.tests.factories import DeviceFactory, SoftwareProfileFactory
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import DeviceRequest, Offer, QueueMove
from digibank.network.tests.factories import HubFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a)


def resident(digibank, actor, **fields):
    return ClientFactory(digibank=digibank, postal_code="9000", registered_by=actor, **fields)


@pytest.fixture
def client_a(digibank_a, alice):
    return resident(digibank_a, alice, phone="+32470123456", email="wies@example.be")


@pytest.fixture
def bundle(digibank_a, hub):
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    charger = DeviceFactory(digibank=digibank_a, hub=hub, ready=True, accessory=True)
    return laptop, charger


def fresh(device):
    return Device.objects.get(pk=device.pk)


def lend(client, devices, hub, actor, deposit_payment="paid"):
    return lending_services.loan_check_out(
        digibank=client.digibank, hub=hub, client=client, devices=devices, actor=actor, deposit_payment=deposit_payment
    )


def test_a_bundle_is_lent_as_one_loan_and_shows_on_the_client_timeline(client_a, bundle, hub, bob):
    loan = lend(client_a, list(bundle), hub, bob)
    assert loan.status == Loan.Status.ON_LOAN and loan.items.filter(open=True).count() == 2
    assert {fresh(d).state for d in bundle} == {State.ON_LOAN}
    event = ClientEvent.objects.get(client=client_a, kind="loan_out")
    assert event.ref == f"devices.loan:{loan.pk}" and event.actor == bob
    assert loan.agreement.version == 1 and "toestel" in loan.agreement.text


def test_taking_back_with_a_missing_charger_makes_an_incident_and_keeps_part_of_the_deposit(
    digibank_a, client_a, bundle, hub, bob
):
    rules = lending_rules.rules_for(digibank_a)
    rules.deposit = Decimal("20.00")
    rules.save()
    laptop, charger = bundle
    loan = lend(client_a, [laptop, charger], hub, bob)
    lending_services.loan_check_in(
        loan=loan,
        actor=bob,
        items=[ReturnedItem(device=laptop), ReturnedItem(device=charger, present=False)],
        deposit_kept=Decimal("15.00"),
        note="Lader vergeten op het werk",
    )
    loan.refresh_from_db()
    assert (loan.status, loan.deposit_status) == (Loan.Status.RETURNED, Loan.Deposit.KEPT)
    assert fresh(laptop).state == State.RETURNED and fresh(laptop).needs_erasure
    assert fresh(charger).state == State.RETIRED
    incident = Incident.objects.get(loan=loan)
    assert (incident.kind, incident.device, incident.deposit_kept) == (
        Incident.Kind.MISSING_PART,
        fresh(charger),
        Decimal("15.00"),
    )
    assert loan.items.get(device=charger).missing


def test_a_damaged_return_is_an_incident_and_the_device_still_goes_to_wiping(client_a, bundle, hub, bob):
    laptop, charger = bundle
    loan = lend(client_a, [laptop, charger], hub, bob)
    lending_services.loan_check_in(
        loan=loan,
        actor=bob,
        items=[
            ReturnedItem(device=laptop, condition="poor", damage="Barst in het scherm"),
            ReturnedItem(device=charger),
        ],
    )
    assert Incident.objects.get(loan=loan).kind == Incident.Kind.DAMAGED
    assert fresh(laptop).state == State.RETURNED and fresh(laptop).condition == "poor"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"deposit_kept": Decimal("-1")}, "deposit_kept"),
        ({"deposit_kept": Decimal("50")}, "deposit_kept"),  # more than the deposit of 0
        ({"missing_kind": "vanished"}, "missing_kind"),
        ({"items": "only_laptop"}, "tags"),
    ],
)
def test_a_wrong_check_in_changes_nothing(change, field, client_a, bundle, hub, bob):
    laptop, charger = bundle
    loan = lend(client_a, [laptop, charger], hub, bob)
    items = [ReturnedItem(device=laptop), ReturnedItem(device=charger)]
    kwargs = {"items": items, **change}
    if change.get("items") == "only_laptop":
        kwargs["items"] = items[:1]
    with pytest.raises(ValidationError) as refused:
        lending_services.loan_check_in(loan=loan, actor=bob, **kwargs)
    assert field in refused.value.message_dict
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.ON_LOAN
    assert {fresh(d).state for d in bundle} == {State.ON_LOAN}
    assert not Incident.objects.exists()


def test_a_deposit_is_kept_only_for_an_incident(digibank_a, client_a, bundle, hub, bob):
    rules = lending_rules.rules_for(digibank_a)
    rules.deposit = Decimal("20.00")
    rules.save()
    loan = lend(client_a, list(bundle), hub, bob)
    with pytest.raises(ValidationError, match="only kept"):
        lending_services.loan_check_in(
            loan=loan, actor=bob, items=[ReturnedItem(device=d) for d in bundle], deposit_kept=Decimal("5")
        )
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.ON_LOAN


def test_the_return_of_a_loan_that_is_not_on_loan_is_refused(client_a, bundle, hub, bob):
    loan = lend(client_a, list(bundle), hub, bob)
    lending_services.loan_check_in(loan=loan, actor=bob, items=[ReturnedItem(device=d) for d in bundle])
    with pytest.raises(ValidationError, match="not in progress"):
        lending_services.loan_check_in(loan=loan, actor=bob, items=[ReturnedItem(device=d) for d in bundle])


def test_a_device_on_loan_cannot_be_lent_again(digibank_a, client_a, bundle, hub, bob, alice):
    laptop, _charger = bundle
    lend(client_a, [laptop], hub, bob)
    other = resident(digibank_a, alice)
    with pytest.raises(ValidationError, match="not ready to lend"):
        lend(other, [laptop], hub, bob)
    assert Loan.objects.count() == 1


def test_the_database_refuses_a_second_open_item_for_a_device(client_a, bundle, hub, bob):
    from django.db import IntegrityError, transaction

    laptop, _ = bundle
    loan = lend(client_a, [laptop], hub, bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        loan.items.create(device=laptop)


def test_a_lost_device_reported_during_the_loan_leaves_the_stock(client_a, bundle, hub, bob):
    laptop, _ = bundle
    loan = lend(client_a, [laptop], hub, bob)
    incident = lending_incidents.incident_report(
        loan=loan, device=laptop, kind="stolen", actor=bob, description="Aangifte"
    )
    assert fresh(laptop).state == State.RETIRED and incident.status == Incident.Status.OPEN
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.RETURNED
    closed = lending_incidents.incident_close(incident=incident, actor=bob, resolution="Waarborg ingehouden")
    assert closed.status == Incident.Status.CLOSED


def test_handing_over_for_good_at_the_end_of_a_loan(client_a, bundle, hub, bob):
    laptop, _ = bundle
    loan = lend(client_a, [laptop], hub, bob)
    lending_incidents.device_hand_over(device=laptop, client=client_a, actor=bob)
    assert fresh(laptop).state == State.HANDED_OVER and fresh(laptop).owner == client_a
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.HANDED_OVER


def test_find_devices_explains_every_bad_code(digibank_a, digibank_b, bundle):
    laptop, _ = bundle
    other = DeviceFactory(digibank=digibank_b, ready=True)
    mistyped = laptop.asset_tag[:-1] + ("3" if laptop.asset_tag[-1] != "3" else "4")
    found, problems = register_services.find_devices(
        digibank_id=digibank_a.pk, codes=[laptop.asset_tag.lower().replace("-", ""), mistyped, other.asset_tag, "hallo"]
    )
    assert found == [laptop]
    messages = problems["tags"]
    assert len(messages) == 3
    assert f"No device of your digibank has the tag {other.asset_tag}." in messages  # as if unknown
    assert sum("not an asset tag" in m for m in messages) == 2


# --- the waiting list --------------------------------------------------------------------------


def request(client, hub, actor, **extra):
    return waiting_list_services.request_create(
        digibank=client.digibank, client=client, hub=hub, kind=Kind.LAPTOP, actor=actor, **extra
    )


def test_first_come_first_served_with_urgent_first(digibank_a, hub, alice, bob):
    partner = PartnerFactory(digibank=digibank_a)
    first, second, urgent = (resident(digibank_a, alice) for _ in range(3))
    request(first, hub, bob)
    request(second, hub, bob)
    request(urgent, hub, bob, urgent_partner=partner, urgent_reason="Sollicitaties online, start opleiding")
    queue = waiting_list_services.queue_of(DeviceRequest.objects.get(client=first))
    assert [r.client for r in queue] == [urgent, first, second]


def test_urgency_needs_a_partner_and_a_reason(digibank_a, hub, alice, bob):
    partner = PartnerFactory(digibank=digibank_a)
    with pytest.raises(ValidationError) as refused:
        request(resident(digibank_a, alice), hub, bob, urgent_partner=partner, urgent_reason=" ")
    assert "urgent_reason" in refused.value.message_dict


def test_one_open_request_per_client_and_type(digibank_a, hub, client_a, bob):
    request(client_a, hub, bob)
    with pytest.raises(ValidationError, match="already waiting"):
        request(client_a, hub, bob)


def test_a_ready_device_is_offered_to_the_next_in_line_who_is_told(
    digibank_a, hub, client_a, alice, bob, sms_outbox, django_capture_on_commit_callbacks
):
    client_services.consent_give(client=client_a, scope=Consent.Scope.CONTACT, actor=bob)
    request(client_a, hub, bob)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, state=State.RECEIVED)
    refurbishment_services.erasure_record(
        device=laptop,
        actor=alice,
        level="purge",
        method="Secure Erase",
        tool="nwipe 0.38",
        medium="ssd",
        result="passed",
        verification="all",
    )
    refurbishment_services.ready_check_record(
        device=laptop, actor=alice, software_profile=SoftwareProfileFactory(digibank=digibank_a), items=READY_CHECKLIST
    )
    with django_capture_on_commit_callbacks(execute=True):
        refurbishment_services.device_transition(device=laptop, target=State.READY, actor=alice, grade="A")
    offer = Offer.objects.get(request__client=client_a)
    assert offer.status == Offer.Status.OPEN and fresh(laptop).state == State.RESERVED
    assert offer.expires_on == timezone.localdate() + dt.timedelta(days=lending_rules.rules_for(digibank_a).offer_days)
    assert DeviceRequest.objects.get(client=client_a).status == DeviceRequest.Status.OFFERED
    assert len(sms_outbox) == 1 and sms_outbox[0].to == "+32470123456"
    assert "laptop" in sms_outbox[0].text
    assert Offer.objects.get(pk=offer.pk).notified_by == "sms"


def test_a_client_without_contact_consent_is_not_texted(digibank_a, hub, client_a, alice, bob, sms_outbox):
    request(client_a, hub, bob)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    waiting_list_services.offer_next(device=laptop, actor=alice)
    assert Offer.objects.filter(request__client=client_a).exists()
    assert sms_outbox == []


def test_taking_up_an_offer_lends_the_reserved_device(digibank_a, hub, client_a, alice, bob):
    req = request(client_a, hub, bob)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    waiting_list_services.offer_next(device=laptop, actor=alice)
    other = resident(digibank_a, alice)
    with pytest.raises(ValidationError, match="not ready to lend"):
        lend(other, [fresh(laptop)], hub, bob)  # reserved for client_a
    loan = lend(client_a, [fresh(laptop)], hub, bob)
    assert loan.status == Loan.Status.ON_LOAN and loan.offer.status == Offer.Status.TAKEN
    assert DeviceRequest.objects.get(pk=req.pk).status == DeviceRequest.Status.FULFILLED
    assert loan.items.filter(open=True).count() == 1


def test_an_offer_not_taken_up_in_time_passes_to_the_next_person(digibank_a, hub, alice, bob):
    first, second = resident(digibank_a, alice), resident(digibank_a, alice)
    request(first, hub, bob)
    request(second, hub, bob)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    offer = waiting_list_services.offer_next(device=laptop, actor=alice)
    assert offer.request.client == first
    later = offer.expires_on + dt.timedelta(days=1)
    assert waiting_list_services.offers_expire(today=later) == 1
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.EXPIRED
    assert Offer.objects.get(status=Offer.Status.OPEN).request.client == second
    assert DeviceRequest.objects.get(client=first).status == DeviceRequest.Status.WAITING
    assert fresh(laptop).state == State.RESERVED


def test_a_declined_offer_goes_to_the_next_person(digibank_a, hub, alice, bob, django_capture_on_commit_callbacks):
    first, second = resident(digibank_a, alice), resident(digibank_a, alice)
    request(first, hub, bob)
    request(second, hub, bob)
    offer = waiting_list_services.offer_next(
        device=DeviceFactory(digibank=digibank_a, hub=hub, ready=True), actor=alice
    )
    with django_capture_on_commit_callbacks(execute=True):
        waiting_list_services.offer_decline(offer=offer, actor=bob)
    assert Offer.objects.get(status=Offer.Status.OPEN).request.client == second


def test_moving_someone_in_the_queue_needs_a_written_reason_which_is_kept(digibank_a, hub, alice, bob):
    first, second = resident(digibank_a, alice), resident(digibank_a, alice)
    r1, r2 = request(first, hub, bob), request(second, hub, bob)
    with pytest.raises(ValidationError) as refused:
        waiting_list_services.request_move(request=r2, before=r1, actor=alice, reason="")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError, match="under 500"):
        waiting_list_services.request_move(request=r2, before=r1, actor=alice, reason="x" * 501)
    assert not QueueMove.objects.exists()
    waiting_list_services.request_move(
        request=r2, before=r1, actor=alice, reason="Dakloos, laptop nodig voor woonst zoeken"
    )
    assert [r.client for r in waiting_list_services.queue_of(r1)] == [second, first]
    move = QueueMove.objects.get(request=r2)
    assert move.reason.startswith("Dakloos") and move.moved_by == alice
    waiting_list_services.request_move(request=r2, before=None, actor=alice, reason="Terug achteraan op eigen vraag")
    assert [r.client for r in waiting_list_services.queue_of(r1)] == [first, second]


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_before_the_due_date_and_when_overdue_once_a_day(digibank_a, hub, client_a, bob, sms_outbox):
    client_services.consent_give(client=client_a, scope=Consent.Scope.CONTACT, actor=bob)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lend(client_a, [laptop], hub, bob)
    days_before = lending_rules.rules_for(digibank_a).reminder_days
    soon = loan.due_on - dt.timedelta(days=days_before)
    assert lending_notify.send_reminders(today=soon) == 1
    assert lending_notify.send_reminders(today=soon) == 0  # the job runs twice: one message
    assert lending_notify.send_reminders(today=soon + dt.timedelta(days=1)) == 0
    overdue = loan.due_on + dt.timedelta(days=1)
    assert lending_notify.send_reminders(today=overdue) == 1
    assert list(Reminder.objects.filter(loan=loan).values_list("kind", "channel").order_by("sent_on")) == [
        (Reminder.Kind.DUE_SOON, "sms"),
        (Reminder.Kind.OVERDUE, "sms"),
    ]
    assert len(sms_outbox) == 2 and "liep af" in sms_outbox[1].text  # clients are told in Dutch
    assert ClientEvent.objects.filter(client=client_a, kind="loan_reminder_overdue").exists()


def test_a_returned_loan_is_not_reminded(digibank_a, hub, client_a, bob, sms_outbox):
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lend(client_a, [laptop], hub, bob)
    lending_services.loan_check_in(loan=loan, actor=bob, items=[ReturnedItem(device=laptop)])
    assert lending_notify.send_reminders(today=loan.due_on + dt.timedelta(days=1)) == 0


def test_the_daily_job_runs_in_the_task_worker(digibank_a, hub, client_a, bob):
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    lend(client_a, [laptop], hub, bob)
    result = jobs.daily_lending_jobs.call()
    assert result == {"offers_expired": 0, "reminders": 0}


def _reserved_for(client, hub, actor, count):
    """A reservation of a laptop and `count - 1` accessories for the client, as an offer leaves it."""
    today = timezone.localdate()
    loan = Loan.objects.create(
        digibank=client.digibank, client=client, hub=hub, status=Loan.Status.RESERVED, starts_on=today,
        due_on=today, created_by=actor,
    )  # fmt: skip
    devices = [
        DeviceFactory(digibank=client.digibank, hub=hub, ready=True, accessory=n > 0, state=State.RESERVED)
        for n in range(count)
    ]
    for device in devices:
        loan.items.create(device=device)
    return devices


def test_the_check_out_reads_the_reservation_once_for_the_whole_bundle(digibank_a, hub, client_a, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one, three = _reserved_for(client_a, hub, bob, 1), _reserved_for(client_a, hub, bob, 3)
    counts = []
    for devices in (one, three):
        with CaptureQueriesContext(connection) as queries:
            verdict = lending_services.loan_preview(
                digibank=digibank_a, client=client_a, devices=devices, deposit_payment="paid"
            )
        assert verdict.allowed, verdict.reasons
        counts.append(len(queries))
    assert counts[0] == counts[1]
    loan = lend(client_a, [fresh(d) for d in three], hub, bob)
    assert {fresh(d).state for d in three} == {State.ON_LOAN} and loan.items.filter(open=True).count() == 3


def test_the_reminder_job_reads_each_digibanks_rules_once(digibank_a, digibank_b, client_a, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    soon = timezone.localdate() + dt.timedelta(days=lending_rules.rules_for(digibank_a).reminder_days)
    counts = []
    for per_digibank in (1, 4):
        for digibank, postal_code in ((digibank_a, "9000"), (digibank_b, "2440")):
            hub = HubFactory(digibank=digibank)
            for _ in range(per_digibank):
                borrower = ClientFactory(digibank=digibank, postal_code=postal_code, registered_by=alice)
                lend(borrower, [DeviceFactory(digibank=digibank, hub=hub, ready=True)], hub, bob)
        Loan.objects.filter(status=Loan.Status.ON_LOAN).update(due_on=soon)
        with CaptureQueriesContext(connection) as queries:
            found = lending_notify.due_reminders(timezone.localdate())
        assert len(found) == Loan.objects.filter(status=Loan.Status.ON_LOAN).count()
        counts.append(len(queries))
    assert counts[0] == counts[1]
