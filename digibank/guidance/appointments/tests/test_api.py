"""Appointments in the API: scoped like the rest, 400 with field errors, the public booking without a
token and with a limit per address."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from digibank.clients.models import AccessLog
from digibank.clients.tests.factories import ClientFactory
from digibank.guidance.appointments.models import Appointment, Slot
from digibank.guidance.tests.factories import AppointmentFactory, SlotFactory, at, open_every_day, tomorrow
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    hub = HubFactory(digibank=digibank_a, name="Digipunt Bib")
    open_every_day(hub, 9, 17)
    return hub


def test_slots_are_listed_with_filters_and_anothers_are_404(api_as, bob, hub, digibank_b):
    free = SlotFactory(hub=hub, starts_at=at(tomorrow(), 9))
    AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 10)))
    theirs = SlotFactory(hub=HubFactory(digibank=digibank_b))
    api = api_as(bob, hub.digibank)
    every = api.get("/api/v1/slots/", {"hub": hub.pk, "day": tomorrow().isoformat()}).json()["results"]
    assert [row["free"] for row in every] == [True, False]
    assert [row["id"] for row in api.get("/api/v1/slots/", {"free": "true"}).json()["results"]] == [free.pk]
    assert api.get("/api/v1/slots/", {"day": "2026-13-01"}).status_code == 400
    assert api.get(f"/api/v1/slots/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/slots/{theirs.pk}/withdraw/").status_code == 404


def test_slots_are_generated_and_withdrawn(api_as, alice, hub):
    api = api_as(alice, hub.digibank)
    body = {"hub": hub.pk, "first_day": tomorrow().isoformat(), "last_day": tomorrow().isoformat(), "length": 60}
    response = api.post("/api/v1/slots/generate/", body, format="json")
    assert response.status_code == 201 and response.json() == {"added": 8}
    assert api.post("/api/v1/slots/generate/", body, format="json").json() == {"added": 0}
    bad = api.post("/api/v1/slots/generate/", {**body, "first_day": "2020-01-01"}, format="json")
    assert bad.status_code == 400 and "first_day" in bad.json()
    slot = Slot.objects.first()
    withdrawn = api.post(f"/api/v1/slots/{slot.pk}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_staff_book_for_a_client_and_close_the_appointment(api_as, bob, hub):
    client = ClientFactory(digibank=hub.digibank, registered_by=bob, last_name="Vercammen")
    slot = SlotFactory(hub=hub, starts_at=at(tomorrow(), 10))
    api = api_as(bob, hub.digibank)
    created = api.post("/api/v1/appointments/", {"slot": slot.pk, "client": client.number}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["client"] == client.number and "Vercammen" in created.json()["who"]
    again = api.post("/api/v1/appointments/", {"slot": slot.pk, "client": client.number}, format="json")
    assert again.status_code == 400 and "slot" in again.json()
    pk = created.json()["id"]
    assert api.get(f"/api/v1/appointments/{pk}/").status_code == 200
    assert AccessLog.objects.filter(actor=bob, client=client, what="api appointment").exists()
    assert api.post(f"/api/v1/appointments/{pk}/attended/").status_code == 400  # not begun yet
    cancelled = api.post(f"/api/v1/appointments/{pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.post(f"/api/v1/appointments/{pk}/cancel/").status_code == 400


def test_the_public_books_without_a_token_and_sees_only_their_own(hub):
    slot = SlotFactory(hub=hub, starts_at=at(tomorrow(), 10))
    api = APIClient()
    response = api.post(
        "/api/v1/public/appointments/", {"slot": slot.pk, "name": "Mieke", "email": "mieke@voorbeeld.be"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (
        set(response.json()) == {"starts_at", "ends_at", "hub", "link"} and "/afspraak/mijn/" in response.json()["link"]
    )
    taken = api.post(
        "/api/v1/public/appointments/", {"slot": slot.pk, "name": "Jan", "phone": "0470112233"}, format="json"
    )
    assert taken.status_code == 400 and taken.json()["slot"] == [
        "Iemand anders heeft dit tijdstip net geboekt. Kies een ander tijdstip."
    ]
    missing = api.post(
        "/api/v1/public/appointments/", {"slot": 10**9, "name": "Jan", "phone": "0470112233"}, format="json"
    )
    assert missing.status_code == 400 and "slot" in missing.json()
    assert Appointment.objects.count() == 1
    assert APIClient().get("/api/v1/appointments/").status_code == 401


def test_the_public_booking_is_limited_per_address(hub, settings):
    settings.PUBLIC_BOOKING_RATE = "2/h"
    api = APIClient()
    for _ in range(2):
        assert api.post("/api/v1/public/appointments/", {}, format="json").status_code == 400
    refused = api.post("/api/v1/public/appointments/", {}, format="json")
    assert refused.status_code == 429 and "Probeer het over een uur opnieuw" in refused.json()["detail"]


def test_the_schema_states_the_public_booking_and_its_limit():
    schema = APIClient().get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/public/appointments/"]["post"]
    assert {"201", "400", "429"} <= set(operation["responses"])
    assert schema["components"]["schemas"]["AppointmentKindEnum"]["enum"] == ["e_services", "device", "other"]


def test_a_public_booking_costs_a_fixed_number_of_queries(hub, django_assert_max_num_queries):
    """The slot, its lock, the hub's hours and closures, the slot still free, the write with its
    history. Inside the test's transaction the booking's begins and ends with a savepoint and its release,
    where production sends BEGIN and COMMIT; production adds the confirmation's job after the commit."""
    first, second = (SlotFactory(hub=hub, starts_at=at(tomorrow(), hour)) for hour in (10, 11))
    api = APIClient()
    body = {"name": "Mieke", "email": "mieke@voorbeeld.be"}
    assert api.post("/api/v1/public/appointments/", {**body, "slot": first.pk}, format="json").status_code == 201
    with django_assert_max_num_queries(13):
        assert api.post("/api/v1/public/appointments/", {**body, "slot": second.pk}, format="json").status_code == 201
