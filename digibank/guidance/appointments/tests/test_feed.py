"""The calendar feed: it parses as iCalendar, shows times, hub and kind but no name, and only for a
valid, unrevoked token."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from digibank.clients.tests.factories import ClientFactory
from digibank.guidance.appointments import services
from digibank.guidance.tests.factories import AgendaFeedFactory, AppointmentFactory, SlotFactory, at, tomorrow
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


def test_the_feed_parses_and_holds_no_name(client, digibank_a, bob):
    hub = HubFactory(digibank=digibank_a, name="Digipunt Bib")
    person = ClientFactory(digibank=digibank_a, registered_by=bob, first_name="Wannes", last_name="Vercammen")
    AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 10)), client=person, name="", phone="")
    AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 11), kind="device"), name="Mieke Peeters")
    AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 12)), status="cancelled")
    AppointmentFactory(slot=SlotFactory(hub=HubFactory(digibank=digibank_a), starts_at=at(tomorrow(), 10)))
    feed = AgendaFeedFactory(hub=hub)
    response = client.get(reverse("public:agenda_feed", kwargs={"token": feed.token}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    for secret in ("Wannes", "Vercammen", "Mieke", "Peeters", person.number, "+32470"):
        assert secret not in body
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [timezone.localtime(e.decoded("dtstart")).hour for e in events] == [10, 11]
    assert "Digipunt Bib" in str(events[0]["location"])
    assert [str(e["summary"]) for e in events] == [
        "Afspraak: Hulp bij e-diensten",
        "Afspraak: Een toestel of een uitlening",
    ]


def test_a_helpers_feed_holds_their_appointments(client, digibank_a, alice):
    mine = SlotFactory(hub=HubFactory(digibank=digibank_a), starts_at=at(tomorrow(), 10), helper=alice)
    AppointmentFactory(slot=mine)
    AppointmentFactory(slot=SlotFactory(hub=mine.hub, starts_at=at(tomorrow(), 11)))  # the desk's
    feed = services.feed_create(digibank=digibank_a, actor=alice, helper=alice)
    events = Calendar.from_ical(client.get(reverse("public:agenda_feed", kwargs={"token": feed.token})).content).walk(
        "VEVENT"
    )
    assert len(events) == 1


def test_a_wrong_or_revoked_token_is_404(client, digibank_a, alice):
    feed = AgendaFeedFactory(hub=HubFactory(digibank=digibank_a))
    wrong = feed.token[:-1] + ("x" if feed.token[-1] != "x" else "y")
    assert client.get(reverse("public:agenda_feed", kwargs={"token": wrong})).status_code == 404
    assert client.get(reverse("public:agenda_feed", kwargs={"token": "x" * 100})).status_code == 404
    services.feed_revoke(feed, actor=alice)
    assert client.get(reverse("public:agenda_feed", kwargs={"token": feed.token})).status_code == 404
