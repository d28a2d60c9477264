"""The queue in the API: take a number, list a hub's day, call the next, served and left; scoped, 400 with
field errors for bad input, its shapes in the schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from digibank.guidance.queue.models import QueueTicket, Status
from digibank.guidance.tests.factories import QueueTicketFactory
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/queue-tickets/"


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a)


def test_a_desk_takes_numbers_and_lists_the_day(api_as, bob, digibank_a, hub):
    api = api_as(bob, digibank_a)
    taken = [api.post(URL, {"hub": hub.pk, "purpose": p}, format="json") for p in ("", "device")]
    assert [r.status_code for r in taken] == [201, 201], taken[0].content
    assert [r.json()["number"] for r in taken] == [1, 2]
    assert taken[1].json()["purpose"] == "device" and taken[1].json()["status"] == "waiting"
    assert taken[0].json()["day"] == timezone.localdate().isoformat()
    QueueTicketFactory(hub=hub, number=9, day=timezone.localdate() - dt.timedelta(days=1))
    listed = api.get(URL, {"hub": hub.pk})
    assert [row["number"] for row in listed.json()["results"]] == [1, 2]
    yesterday = api.get(URL, {"hub": hub.pk, "day": (timezone.localdate() - dt.timedelta(days=1)).isoformat()})
    assert [row["number"] for row in yesterday.json()["results"]] == [9]
    assert api.get(URL, {"status": "called"}).json()["results"] == []


def test_call_next_takes_the_oldest_then_says_nobody_waits(api_as, bob, digibank_a, hub):
    QueueTicketFactory(hub=hub, number=1)
    api = api_as(bob, digibank_a)
    called = api.post(f"{URL}call-next/", {"hub": hub.pk, "desk": "Balie 2"}, format="json")
    assert called.status_code == 200, called.content
    assert called.json()["number"] == 1 and called.json()["desk"] == "Balie 2" and called.json()["status"] == "called"
    nobody = api.post(f"{URL}call-next/", {"hub": hub.pk, "desk": "Balie 2"}, format="json")
    assert nobody.status_code == 400 and nobody.json() == {"non_field_errors": ["Niemand wacht."]}


def test_served_and_left_end_a_ticket_once(api_as, bob, digibank_a, hub):
    called = QueueTicketFactory(hub=hub, number=1, called=True)
    waiting = QueueTicketFactory(hub=hub, number=2)
    api = api_as(bob, digibank_a)
    assert api.post(f"{URL}{called.pk}/served/").json()["status"] == "served"
    refused = api.post(f"{URL}{called.pk}/left/")
    assert refused.status_code == 400 and refused.json() == {"non_field_errors": ["Dit nummer is al geholpen."]}
    assert api.post(f"{URL}{waiting.pk}/served/").status_code == 400
    assert api.post(f"{URL}{waiting.pk}/left/").json()["status"] == "left"
    assert QueueTicket.objects.get(pk=waiting.pk).status == Status.LEFT
    assert api.delete(f"{URL}{waiting.pk}/").status_code == 405  # nothing is deleted


def test_another_digibanks_queue_does_not_exist(api_as, bob, digibank_a, digibank_b):
    theirs = HubFactory(digibank=digibank_b)
    ticket = QueueTicketFactory(hub=theirs, number=1)
    api = api_as(bob, digibank_a)
    assert api.get(f"{URL}{ticket.pk}/").status_code == 404
    assert api.post(f"{URL}{ticket.pk}/left/").status_code == 404
    taken = api.post(URL, {"hub": theirs.pk}, format="json")
    assert taken.status_code == 400 and "hub" in taken.json()
    assert api.post(f"{URL}call-next/", {"hub": theirs.pk, "desk": "Balie 1"}, format="json").status_code == 400
    assert api.get(URL, {"hub": theirs.pk}).json()["results"] == []
    assert QueueTicket.objects.get(pk=ticket.pk).status == Status.WAITING


def test_a_technician_may_not_use_the_queue(api_as, tom, digibank_a, hub):
    assert api_as(tom, digibank_a).get(URL).status_code == 403
    assert api_as(tom, digibank_a).post(URL, {"hub": hub.pk}, format="json").status_code == 403


@pytest.mark.parametrize(
    "path, body, params, field",
    [
        ("", {"purpose": "koffie"}, None, "purpose"),
        ("", {"hub": None}, None, "hub"),
        ("call-next/", {"desk": ""}, None, "desk"),
        ("call-next/", {"desk": "Balie\u202e2"}, None, "desk"),
        ("call-next/", {"desk": "x" * 31}, None, "desk"),
        (None, None, {"day": "3/12/2026"}, "day"),
        (None, None, {"day": "2026-02-30"}, "day"),
        (None, None, {"status": "gone"}, "status"),
        (None, None, {"hub": "Zuid"}, "hub"),
    ],
)
def test_bad_input_is_a_400_with_the_fields_error(api_as, bob, digibank_a, hub, path, body, params, field):
    api = api_as(bob, digibank_a)
    if path is None:
        response = api.get(URL, params)
    else:
        response = api.post(f"{URL}{path}", {"hub": hub.pk, "desk": "Balie 1", **body}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not QueueTicket.objects.exists()


def test_the_schema_states_the_shapes():
    schema = APIClient().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths[URL]) and "post" in paths[f"{URL}call-next/"]
    assert "post" in paths[URL + "{id}/served/"] and "post" in paths[URL + "{id}/left/"]
    assert "delete" not in paths[URL + "{id}/"]
    parameters = {p["name"]: p["schema"] for p in paths[URL]["get"]["parameters"]}
    assert parameters["day"]["format"] == "date" and set(parameters["status"]["enum"]) == set(Status.values)
    call = schema["components"]["schemas"]["CallNextRequest"]["properties"]
    assert call["desk"]["maxLength"] == 30 and "pattern" in call["desk"]
