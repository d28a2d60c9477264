"""The rules of appointments: slots follow the opening hours, a slot is booked once, a booking names
who comes, final states stay final, the reminder goes once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from digibank.clients.models import Consent
from digibank.clients.services import consent_give
from digibank.clients.tests.factories import ClientFactory
from digibank.guidance.appointments import services
from digibank.guidance.appointments.models import Appointment, Kind, Slot
from digibank.guidance.tests.factories import AppointmentFactory, SlotFactory, at, open_every_day, tomorrow
from digibank.network.models import OpeningHours
from digibank.network.tests.factories import HubExceptionFactory, HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    hub = HubFactory(digibank=digibank_a, name="Digipunt Bib")
    open_every_day(hub, 9, 12)
    return hub


def slot_at(hub, day, hour, minute=0, **fields):
    return SlotFactory(
        hub=hub, starts_at=at(day, hour, minute), ends_at=at(day, hour, minute) + dt.timedelta(minutes=30), **fields
    )


def book(slot, **fields):
    return services.appointment_book(
        slot=slot, via=Appointment.Via.PUBLIC, **{"name": "Mieke Peeters", "phone": "0470 11 22 33", **fields}
    )


# Slots ----------------------------------------------------------------------------------------------


def test_slots_follow_the_opening_hours_and_skip_closed_days(hub, alice):
    first = tomorrow()
    HubExceptionFactory(
        hub=hub, starts_on=first + dt.timedelta(days=1), ends_on=first + dt.timedelta(days=1), opens=None, closes=None
    )
    added = services.slots_generate(
        hub=hub, actor=alice, first_day=first, last_day=first + dt.timedelta(days=2), length=30
    )
    assert added == 12  # 9:00-12:00 in halves, on two days; none on the closed one
    days = {timezone.localtime(s.starts_at).date() for s in Slot.objects.filter(hub=hub)}
    assert days == {first, first + dt.timedelta(days=2)}
    first_slot = Slot.objects.filter(hub=hub).first()
    assert timezone.localtime(first_slot.starts_at).time() == dt.time(9) and first_slot.kind == Kind.E_SERVICES
    assert max(timezone.localtime(s.ends_at).time() for s in Slot.objects.all()) == dt.time(12)
    assert first_slot.history.first().history_user == alice


def test_an_exception_with_its_own_hours_replaces_the_week(hub, alice):
    day = tomorrow()
    HubExceptionFactory(hub=hub, starts_on=day, ends_on=day, opens=dt.time(14), closes=dt.time(15), reason="Markt")
    assert services.slots_generate(hub=hub, actor=alice, first_day=day, last_day=day, length=60) == 1
    assert timezone.localtime(Slot.objects.get().starts_at).time() == dt.time(14)


def test_generating_twice_adds_nothing_the_second_time(hub, alice):
    day = tomorrow()
    assert services.slots_generate(hub=hub, actor=alice, first_day=day, last_day=day, length=30) == 6
    assert services.slots_generate(hub=hub, actor=alice, first_day=day, last_day=day, length=30) == 0
    assert services.slots_generate(hub=hub, actor=alice, first_day=day, last_day=day, length=30, helper=alice) == 6
    assert Slot.objects.count() == 12


def test_the_database_refuses_a_second_desk_slot_at_the_same_start(hub):
    slot = slot_at(hub, tomorrow(), 9)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(digibank=hub.digibank, hub=hub, starts_at=slot.starts_at, ends_at=slot.ends_at)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"first_day": -1}, "first_day"),
        ({"last_day": -1}, "last_day"),
        ({"last_day": 200}, "last_day"),
        ({"length": 7}, "length"),
        ({"kind": "cooking"}, "kind"),
    ],
)
def test_bad_generation_is_refused_at_the_field(hub, alice, change, field):
    today = timezone.localdate()
    given = {"first_day": today, "last_day": today + dt.timedelta(days=3), "length": 30, "kind": Kind.OTHER}
    for name, value in change.items():
        given[name] = today + dt.timedelta(days=value) if name.endswith("day") else value
    with pytest.raises(ValidationError) as error:
        services.slots_generate(hub=hub, actor=alice, **given)
    assert field in error.value.message_dict
    assert not Slot.objects.exists()


def test_a_withdrawn_slot_stays_and_a_booked_one_is_not_withdrawn(hub, alice):
    free, taken = slot_at(hub, tomorrow(), 9), slot_at(hub, tomorrow(), 10)
    book(taken)
    services.slot_withdraw(free, actor=alice)
    assert Slot.objects.get(pk=free.pk).status == Slot.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="geboekt"):
        services.slot_withdraw(taken, actor=alice)


# Booking --------------------------------------------------------------------------------------------


def test_a_person_books_with_a_name_and_a_phone_and_is_told(
    hub, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    slot = slot_at(hub, tomorrow(), 10)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(slot, phone="0470 11 22 33", email="mieke@voorbeeld.be")
    assert appointment.phone == "+32470112233" and appointment.status == Appointment.Status.BOOKED
    assert appointment.digibank == hub.digibank and appointment.booked_via == "public"
    assert len(sms_outbox) == 1 and "Digipunt Bib" in sms_outbox[0].text and "10.00" in sms_outbox[0].text
    assert "/afspraak/mijn/" in sms_outbox[0].text


def test_a_slot_is_never_booked_twice_and_cancelling_frees_it(hub):
    slot = slot_at(hub, tomorrow(), 10)
    first = book(slot)
    with pytest.raises(ValidationError) as error:
        book(slot, name="Jan Janssens")
    assert error.value.message_dict == {
        "slot": ["Iemand anders heeft dit tijdstip net geboekt. Kies een ander tijdstip."]
    }
    services.appointment_cancel(first)
    second = book(slot, name="Jan Janssens")
    assert Appointment.objects.filter(slot=slot).count() == 2 and second.is_booked


def test_the_database_refuses_a_second_active_booking_with_a_dutch_message(hub, alice):
    """The constraint is the backstop when two bookings both passed the check: save_checked turns the
    database's refusal into the same message at the field."""
    slot = slot_at(hub, tomorrow(), 10)
    AppointmentFactory(slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(digibank=slot.digibank, slot=slot, name="X", phone="+32470000000")
    from digibank.core.services import save_checked

    with pytest.raises(ValidationError) as error:
        save_checked(Appointment(digibank=slot.digibank, slot=slot, name="Jan", phone="+32470112234"), actor=alice)
    assert error.value.message_dict["slot"] == [
        "Iemand anders heeft dit tijdstip net geboekt. Kies een ander tijdstip."
    ]
    AppointmentFactory(slot=slot, status=Appointment.Status.CANCELLED)  # a cancelled one holds nothing


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda hub: slot_at(hub, timezone.localdate() - dt.timedelta(days=1), 10), "voorbij"),
        (lambda hub: slot_at(hub, tomorrow(), 10, status=Slot.Status.WITHDRAWN), "niet meer aangeboden"),
        (lambda hub: slot_at(hub, tomorrow(), 19), "gesloten"),
        (lambda hub: slot_at(hub, tomorrow(), 11, 45), "gesloten"),  # ends after closing time
    ],
    ids=["past", "withdrawn", "outside-hours", "runs-past-closing"],
)
def test_a_booking_that_cannot_be_is_refused_at_the_slot(hub, make, message):
    slot = make(hub)
    with pytest.raises(ValidationError) as error:
        book(slot)
    assert message in error.value.message_dict["slot"][0]
    assert not Appointment.objects.exists()


def test_a_booking_on_a_day_the_hub_is_closed_is_refused(hub):
    slot = slot_at(hub, tomorrow(), 10)
    HubExceptionFactory(hub=hub, starts_on=tomorrow(), ends_on=tomorrow(), opens=None, closes=None)
    with pytest.raises(ValidationError, match="gesloten"):
        book(slot)
    OpeningHours.objects.filter(hub=hub).delete()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": "  "}, "name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "12"}, "phone"),
    ],
)
def test_a_public_booking_names_who_comes_and_how_to_reach_them(hub, fields, field):
    with pytest.raises(ValidationError) as error:
        book(slot_at(hub, tomorrow(), 10), **fields)
    assert field in error.value.message_dict
    assert not Appointment.objects.exists()


def test_staff_book_for_a_client_of_their_own_digibank_only(hub, bob, carol, digibank_b):
    client = ClientFactory(digibank=hub.digibank, registered_by=bob, postal_code=hub.postal_code)
    appointment = services.appointment_book(slot=slot_at(hub, tomorrow(), 9), via="staff", actor=bob, client=client)
    assert appointment.client == client and appointment.booked_by == bob and appointment.name == ""
    assert client.events.filter(kind="appointment_booked").exists()
    theirs = ClientFactory(digibank=digibank_b, registered_by=carol, postal_code="2300")
    with pytest.raises(ValidationError) as error:
        services.appointment_book(slot=slot_at(hub, tomorrow(), 10), via="staff", actor=bob, client=theirs)
    assert "client" in error.value.message_dict


def test_a_client_is_told_only_with_consent(hub, bob, sms_outbox, django_capture_on_commit_callbacks):
    client = ClientFactory(digibank=hub.digibank, registered_by=bob, postal_code=hub.postal_code, phone="+32470998877")
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_book(slot=slot_at(hub, tomorrow(), 9), via="staff", actor=bob, client=client)
    assert sms_outbox == []
    consent_give(client=client, scope=Consent.Scope.CONTACT, actor=bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_book(slot=slot_at(hub, tomorrow(), 10), via="staff", actor=bob, client=client)
    assert [m.to for m in sms_outbox] == ["+32470998877"]


# States ---------------------------------------------------------------------------------------------


def test_final_states_stay_final_and_keep_their_history(hub, bob):
    started = SlotFactory(
        hub=hub, starts_at=timezone.now() - dt.timedelta(minutes=5), ends_at=timezone.now() + dt.timedelta(minutes=25)
    )
    appointment = AppointmentFactory(slot=started)
    services.appointment_set_status(appointment, status=Appointment.Status.ATTENDED, actor=bob)
    with pytest.raises(ValidationError, match="niet meer veranderen"):
        services.appointment_cancel(appointment, actor=bob)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ATTENDED
    assert [h.status for h in appointment.history.order_by("history_id")] == ["booked", "attended"]


def test_who_came_is_not_known_before_the_time(hub, bob):
    appointment = AppointmentFactory(slot=slot_at(hub, tomorrow(), 10))
    with pytest.raises(ValidationError, match="nog niet begonnen"):
        services.appointment_set_status(appointment, status=Appointment.Status.NO_SHOW, actor=bob)


# Reminders ------------------------------------------------------------------------------------------


def test_the_reminder_goes_the_day_before_and_once(hub, mailoutbox, sms_outbox):
    tomorrows = AppointmentFactory(slot=slot_at(hub, tomorrow(), 10), phone="", email="mieke@voorbeeld.be")
    AppointmentFactory(slot=slot_at(hub, tomorrow() + dt.timedelta(days=1), 10))  # the day after: not yet
    AppointmentFactory(slot=slot_at(hub, tomorrow(), 11), status=Appointment.Status.CANCELLED)
    assert services.send_reminders() == 1
    assert [m.to for m in mailoutbox] == [["mieke@voorbeeld.be"]] and "morgen" in mailoutbox[0].body
    assert services.send_reminders() == 0  # a second run sends nothing again
    tomorrows.refresh_from_db()
    assert tomorrows.reminded_at is not None and len(mailoutbox) == 1


def test_the_daily_job_sends_the_reminders(hub, mailoutbox):
    from digibank.guidance.jobs import daily_guidance_jobs

    AppointmentFactory(slot=slot_at(hub, tomorrow(), 10), phone="", email="jan@voorbeeld.be")
    assert daily_guidance_jobs.call()["reminders"] == 1
    assert len(mailoutbox) == 1 and daily_guidance_jobs.call()["reminders"] == 0
