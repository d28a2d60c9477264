"""The desk's screens: the agenda of a day (paged, its queries fixed, who booked logged), booking for a
client by card number, who came, cancelling, withdrawing, generating slots, the calendar addresses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import AccessLog
from digibank.clients.tests.factories import ClientFactory
from digibank.guidance.appointments.models import AgendaFeed, Appointment, Slot
from digibank.guidance.tests.factories import AppointmentFactory, SlotFactory, at, open_every_day, tomorrow
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    hub = HubFactory(digibank=digibank_a, name="Digipunt Bib")
    open_every_day(hub, 9, 17)
    return hub


def agenda(hub, day):
    return f"{reverse('guidance:agenda', kwargs={'pk': hub.pk})}?dag={day:%Y-%m-%d}"


def test_the_agenda_shows_the_day_with_who_comes_and_logs_the_client_shown(login, bob, hub):
    client = ClientFactory(digibank=hub.digibank, registered_by=bob, first_name="Wannes", last_name="Vercammen")
    AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 9)), client=client, name="", phone="")
    AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 10)), name="Mieke Peeters")
    SlotFactory(hub=hub, starts_at=at(tomorrow(), 11))
    response = login(bob).get(agenda(hub, tomorrow()))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Wannes Vercammen" in page and "Mieke Peeters" in page and "online geboekt" in page and "Vrij" in page
    assert AccessLog.objects.filter(actor=bob, client=client, what="appointments agenda").exists()
    # Mieke booked online (no client record): the read is logged naming nobody.
    assert AccessLog.objects.filter(actor=bob, client=None, what="appointments agenda").exists()


def test_the_agenda_is_paged_and_its_queries_do_not_grow(login, bob, hub, settings):
    web = login(bob)
    day = tomorrow()
    AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(day, 8)), client=ClientFactory(digibank=hub.digibank))
    with CaptureQueriesContext(connection) as few:
        assert web.get(agenda(hub, day)).status_code == 200
    for n in range(40):
        slot = SlotFactory(hub=hub, starts_at=at(day, 9) + dt.timedelta(minutes=10 * n))
        if n % 2:
            AppointmentFactory(slot=slot, client=ClientFactory(digibank=hub.digibank))
    with CaptureQueriesContext(connection) as many:
        response = web.get(agenda(hub, day))
    # one access-log line per client shown: the only thing that grows with the page, up to its size
    logs = [q for q in many.captured_queries if "clients_accesslog" in q["sql"]]
    few_logs = [q for q in few.captured_queries if "clients_accesslog" in q["sql"]]
    assert len(many) - len(logs) == len(few) - len(few_logs) <= 15, [q["sql"] for q in many]
    assert response.context["is_paginated"] and len(response.context["object_list"]) == settings.PAGE_SIZE


def test_the_desk_books_for_a_client_by_card_number(login, bob, hub):
    client = ClientFactory(digibank=hub.digibank, registered_by=bob)
    slot = SlotFactory(hub=hub, starts_at=at(tomorrow(), 10))
    web = login(bob)
    url = reverse("guidance:slot_book", kwargs={"pk": slot.pk})
    assert web.get(url).status_code == 200
    refused = web.post(url, {"card": "K7QM-4XRA"})
    assert refused.status_code == 400 and refused.context["form"].errors["card"]
    response = web.post(url, {"card": client.number})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.client == client and appointment.booked_by == bob and appointment.booked_via == "staff"
    taken = web.post(url, {"card": client.number})
    assert taken.status_code == 400
    assert "Iemand anders heeft dit tijdstip net geboekt" in taken.content.decode()


def test_the_desk_marks_who_came_and_cancels(login, bob, hub):
    web = login(bob)
    now = timezone.now()
    started = AppointmentFactory(
        slot=SlotFactory(hub=hub, starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(minutes=25))
    )
    missed = AppointmentFactory(
        slot=SlotFactory(hub=hub, starts_at=now - dt.timedelta(hours=2), ends_at=now - dt.timedelta(hours=1))
    )
    later = AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 10)))
    assert web.post(reverse("guidance:appointment_attended", kwargs={"pk": started.pk})).status_code == 302
    assert web.post(reverse("guidance:appointment_no_show", kwargs={"pk": missed.pk})).status_code == 302
    assert web.post(reverse("guidance:appointment_cancel", kwargs={"pk": later.pk})).status_code == 302
    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses == {started.pk: "attended", missed.pk: "no_show", later.pk: "cancelled"}
    again = web.post(reverse("guidance:appointment_cancel", kwargs={"pk": started.pk}), follow=True)
    assert "kan niet meer veranderen" in again.content.decode()
    assert Appointment.objects.get(pk=started.pk).status == "attended"


def test_the_desk_generates_and_withdraws_slots(login, alice, hub):
    web = login(alice)
    url = reverse("guidance:slots_generate", kwargs={"pk": hub.pk})
    assert web.get(url).status_code == 200
    data = {"first_day": tomorrow().isoformat(), "last_day": tomorrow().isoformat(), "length": "60", "kind": "device"}
    response = web.post(url, data)
    assert response.status_code == 302 and Slot.objects.filter(hub=hub, kind="device").count() == 8
    bad = web.post(url, {**data, "first_day": "2020-01-01"})
    assert bad.status_code == 400 and bad.context["form"].errors["first_day"] == ["Kies vandaag of een latere dag."]
    slot = Slot.objects.first()
    assert web.post(reverse("guidance:slot_withdraw", kwargs={"pk": slot.pk})).status_code == 302
    assert Slot.objects.get(pk=slot.pk).status == "withdrawn"


def test_another_digibanks_slots_and_appointments_are_404(login, alice, digibank_b):
    theirs = AppointmentFactory(slot=SlotFactory(hub=HubFactory(digibank=digibank_b)))
    web = login(alice)
    assert web.get(agenda(theirs.slot.hub, tomorrow())).status_code == 404
    assert web.post(reverse("guidance:slot_withdraw", kwargs={"pk": theirs.slot.pk})).status_code == 404
    assert web.post(reverse("guidance:appointment_cancel", kwargs={"pk": theirs.pk})).status_code == 404
    assert Appointment.objects.get(pk=theirs.pk).status == "booked"


def test_a_technician_has_no_agenda(login, hub, digibank_a):
    from digibank.core.roles import Role
    from digibank.network.tests.factories import MembershipFactory, UserFactory

    tech = UserFactory(username="tech")
    MembershipFactory(user=tech, digibank=digibank_a, role=Role.TECHNICIAN)
    assert login(tech).get(agenda(hub, tomorrow())).status_code == 403


def test_a_calendar_address_is_made_and_revoked(login, alice, hub):
    web = login(alice)
    assert web.post(reverse("guidance:feeds"), {"hub": hub.pk}).status_code == 302
    feed = AgendaFeed.objects.get()
    page = web.get(reverse("guidance:feeds")).content.decode()
    assert feed.token in page
    assert web.post(reverse("guidance:feed_revoke", kwargs={"pk": feed.pk})).status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None and feed.token not in web.get(reverse("guidance:feeds")).content.decode()
