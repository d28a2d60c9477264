"""The queue's screens: one button hands out a number and shows the ticket, the desk calls the next
and marks it served or left, and the waiting-room screen shows numbers only, by its secret."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.guidance.queue import services
from digibank.guidance.queue.models import QueueTicket, Status
from digibank.guidance.tests.factories import QueueTicketFactory
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Zuid")


def test_the_queue_starts_with_the_open_hubs_of_the_own_digibank(login, bob, hub, digibank_a, digibank_b):
    HubFactory(digibank=digibank_a, name="Digipunt Dicht", closed_on=timezone.localdate() - dt.timedelta(days=1))
    HubFactory(digibank=digibank_b, name="Digipunt Turnhout")
    page = login(bob).get(reverse("guidance:queue")).content.decode()
    assert "Wachtrij" in page and "Digipunt Zuid" in page
    assert "Digipunt Dicht" not in page and "Digipunt Turnhout" not in page
    assert reverse("guidance:queue_take", kwargs={"pk": hub.pk}) in page


def test_one_button_hands_out_the_next_number_and_shows_the_ticket(login, bob, hub):
    web = login(bob)
    page = web.get(reverse("guidance:queue_take", kwargs={"pk": hub.pk})).content.decode()
    assert "Neem een nummer" in page and "autofocus" in page
    first = web.post(reverse("guidance:queue_take", kwargs={"pk": hub.pk}), {"purpose": ""})
    ticket = QueueTicket.objects.get()
    assert first.status_code == 302 and first.url == reverse("guidance:queue_ticket", kwargs={"pk": ticket.pk})
    shown = web.get(first.url).content.decode()
    assert (
        'class="ticket-number">1<' in shown
        and "Digipunt Zuid" in shown
        and "Er wacht niemand voor u: u bent de volgende." in shown
    )
    web.post(reverse("guidance:queue_take", kwargs={"pk": hub.pk}), {"purpose": "device"})
    second = QueueTicket.objects.get(number=2)
    shown = web.get(reverse("guidance:queue_ticket", kwargs={"pk": second.pk})).content.decode()
    assert "Er wacht 1 persoon voor u." in shown and "Een toestel" in shown and "Neem het volgende nummer" in shown


def test_a_purpose_not_in_the_list_is_refused_next_to_the_field(login, bob, hub):
    response = login(bob).post(reverse("guidance:queue_take", kwargs={"pk": hub.pk}), {"purpose": "koffie"})
    assert response.status_code == 400 and "purpose" in response.context["form"].errors
    assert not QueueTicket.objects.exists()


def test_the_desk_calls_the_next_and_marks_it_served(login, bob, hub):
    first = QueueTicketFactory(hub=hub, number=1)
    QueueTicketFactory(hub=hub, number=2)
    web = login(bob)
    desk = reverse("guidance:queue_desk", kwargs={"pk": hub.pk})
    called = web.post(desk, {"desk": "Balie 2"}, follow=True)
    page = called.content.decode()
    assert "Nummer 1 is opgeroepen naar Balie 2." in page and "Volgende oproepen (1 wachtend)" in page
    assert 'value="Balie 2"' in page  # the desk is offered again for the next call
    first.refresh_from_db()
    assert first.status == Status.CALLED and first.desk == "Balie 2" and first.called_by == bob
    served = web.post(reverse("guidance:queue_ticket_served", kwargs={"pk": first.pk}), follow=True)
    assert "Nummer 1 is geholpen." in served.content.decode()
    again = web.post(reverse("guidance:queue_ticket_served", kwargs={"pk": first.pk}), follow=True)
    assert "Dit nummer is al geholpen." in again.content.decode()
    first.refresh_from_db()
    assert first.status == Status.SERVED


def test_calling_without_a_desk_or_with_nobody_waiting_says_why_in_dutch(login, bob, hub):
    web = login(bob)
    desk = reverse("guidance:queue_desk", kwargs={"pk": hub.pk})
    no_desk = web.post(desk, {"desk": ""})
    assert no_desk.status_code == 400 and no_desk.context["form"].errors["desk"] == ["Dit veld is vereist."]
    nobody = web.post(desk, {"desk": "Balie 1"})
    assert nobody.status_code == 400 and "Niemand wacht." in nobody.content.decode()


def test_a_waiting_person_who_went_away_is_marked_left(login, bob, hub):
    ticket = QueueTicketFactory(hub=hub, number=1)
    response = login(bob).post(reverse("guidance:queue_ticket_left", kwargs={"pk": ticket.pk}), follow=True)
    assert "Nummer 1 staat als weggegaan." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.LEFT


def test_the_desk_page_queries_do_not_grow_with_the_queue(login, alice, hub):
    web = login(alice)
    url = reverse("guidance:queue_desk", kwargs={"pk": hub.pk})
    QueueTicketFactory(hub=hub, number=1, called=True)
    QueueTicketFactory(hub=hub, number=2)
    with CaptureQueriesContext(connection) as few:
        assert web.get(url).status_code == 200
    for number in range(3, 60):
        QueueTicketFactory(hub=hub, number=number, called=number % 3 == 0)
    with CaptureQueriesContext(connection) as many:
        response = web.get(url)
    assert len(many) == len(few) <= 15, [q["sql"] for q in many]
    assert response.context["is_paginated"] and len(response.context["waiting"]) == 25
    assert web.get(url, {"page": 2}).status_code == 200


def test_the_desk_shows_the_waiting_times_of_the_week(login, alice, hub):
    start = timezone.now() - dt.timedelta(hours=1)
    for number, minutes in [(1, 4), (2, 12)]:
        QueueTicketFactory(
            hub=hub, number=number, taken_at=start, status="served", called_at=start + dt.timedelta(minutes=minutes)
        )
    response = login(alice).get(reverse("guidance:queue_desk", kwargs={"pk": hub.pk}))
    today = response.context["days"][0]
    assert (today.taken, today.served, today.median_minutes, today.average_minutes) == (2, 2, 8, 8)
    assert len(response.context["days"]) == 7 and "Mediaan wachttijd" in response.content.decode()


def test_the_waiting_room_screen_shows_numbers_only_without_a_log_in(client, alice, hub, digibank_a):
    from digibank.clients.tests.factories import ClientFactory

    ClientFactory(digibank=digibank_a, registered_by=alice, first_name="Quirijntje")
    QueueTicketFactory(hub=hub, number=13, served=True)
    QueueTicketFactory(hub=hub, number=14, called=True, desk="Balie 2", taken_by=alice, called_by=alice)
    QueueTicketFactory(hub=hub, number=15)
    screen = services.screen_renew(hub=hub, actor=alice)
    response = client.get(reverse("waiting_room:screen", kwargs={"token": screen.token}))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="10">' in page and '<html lang="nl">' in page
    assert "<title>Wachtzaal Digipunt Zuid · digibank</title>" in page
    assert '<span class="number">14</span>' in page and "Balie 2" in page and "<li>15</li>" in page
    assert "<script" not in page and "style=" not in page and "<style" not in page  # the CSP allows it as it is
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    for name in ("Alice", "Claes", "alice", "Quirijntje"):
        assert name not in page
    assert client.get(reverse("waiting_room:screen", kwargs={"token": "raden"})).status_code == 404


def test_a_new_screen_address_replaces_the_old_one(login, alice, hub, client):
    old = services.screen_renew(hub=hub, actor=alice).token
    web = login(alice)
    response = web.post(reverse("guidance:queue_screen_renew", kwargs={"pk": hub.pk}), follow=True)
    new = hub.queue_screen.__class__.objects.get(hub=hub).token
    assert new != old and reverse("waiting_room:screen", kwargs={"token": new}) in response.content.decode()
    web.logout()
    assert web.get(reverse("waiting_room:screen", kwargs={"token": old})).status_code == 404


def test_a_technician_has_no_queue(login, tom, hub):
    web = login(tom)
    assert web.get(reverse("guidance:queue")).status_code == 403
    assert web.post(reverse("guidance:queue_take", kwargs={"pk": hub.pk})).status_code == 403
