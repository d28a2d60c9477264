"""Digihelpers in the API: scoped like the rest, ended not deleted, 400 with field errors for bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers.models import Digihelper, HelperHours
from digibank.guidance.tests.factories import (
    AvailabilityFactory,
    DigihelperFactory,
    EServiceFactory,
    HelperHoursFactory,
)
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

HELPERS = "/api/v1/digihelpers/"
HOURS = "/api/v1/helper-hours/"


def test_a_coordinator_lists_her_helpers_not_anothers(api_as, alice, digibank_a, digibank_b, zuid):
    mine = DigihelperFactory(digibank=digibank_a, name="Jef", hubs=[zuid])
    AvailabilityFactory(helper=mine, hub=zuid)
    theirs = DigihelperFactory(digibank=digibank_b, name="Kempenaar")
    api = api_as(alice, digibank_a)
    response = api.get(HELPERS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["display_name"] for row in rows] == ["Jef"]
    assert rows[0]["hubs"] == [zuid.pk] and rows[0]["availability"][0]["starts"] == "13:30:00"
    assert api.get(f"{HELPERS}{theirs.pk}/").status_code == 404
    assert api.patch(f"{HELPERS}{theirs.pk}/", {"active": False}, format="json").status_code == 404


def test_a_coordinator_adds_and_ends_a_helper_but_never_deletes_one(api_as, alice, digibank_a, zuid):
    api = api_as(alice, digibank_a)
    itsme = EService.objects.get(name="itsme")
    created = api.post(HELPERS, {"name": "Jef", "hubs": [zuid.pk], "skills": [itsme.pk]}, format="json")
    assert created.status_code == 201, created.content
    url = f"{HELPERS}{created.json()['id']}/"
    assert created.json()["skills"] == [itsme.pk] and created.json()["active"] is True
    ended = api.patch(url, {"active": False}, format="json")
    assert ended.status_code == 200 and ended.json()["ended_on"] == timezone.localdate().isoformat()
    assert api.delete(url).status_code == 405
    assert Digihelper.objects.filter(name="Jef", active=False).exists()


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"name": ""}, "name"),
        ({"name": "Jef\u202e"}, "name"),
        ({"name": "Jef", "phone": "12"}, "phone"),
        ({"name": "Jef", "email": "geen adres"}, "email"),
        ({"name": "Jef", "since": "3/12/2026"}, "since"),
        ({"name": "Jef", "hubs": ["x"]}, "hubs"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(api_as, alice, digibank_a, bad, field):
    response = api_as(alice, digibank_a).post(HELPERS, bad, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Digihelper.objects.exists()


def test_another_digibanks_hub_service_or_account_does_not_exist(api_as, alice, carol, digibank_a, digibank_b):
    api = api_as(alice, digibank_a)
    their_hub, their_service = HubFactory(digibank=digibank_b), EServiceFactory(digibank=digibank_b)
    response = api.post(
        HELPERS, {"user": carol.pk, "hubs": [their_hub.pk], "skills": [their_service.pk]}, format="json"
    )
    assert response.status_code == 400 and {"user", "hubs", "skills"} <= set(response.json())


def test_a_desk_worker_may_not_read_the_helpers(api_as, bob, digibank_a):
    assert api_as(bob, digibank_a).get(HELPERS).status_code == 403
    assert api_as(bob, digibank_a).get(HOURS).status_code == 403


def test_a_coordinator_records_and_lists_hours(api_as, alice, digibank_a, digibank_b, zuid):
    jef = DigihelperFactory(digibank=digibank_a, name="Jef")
    anna = DigihelperFactory(digibank=digibank_a, name="Anna")
    HelperHoursFactory(helper=anna, hub=zuid)
    HelperHoursFactory(helper__digibank=digibank_b)
    api = api_as(alice, digibank_a)
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    created = api.post(HOURS, {"helper": jef.pk, "day": day, "hub": zuid.pk, "minutes": 150}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["recorded_by"] == alice.pk
    assert len(api.get(HOURS).json()["results"]) == 2
    assert [row["helper"] for row in api.get(HOURS, {"helper": jef.pk}).json()["results"]] == [jef.pk]
    assert api.get(HOURS, {"helper": "x"}).status_code == 400
    assert api.delete(f"{HOURS}{created.json()['id']}/").status_code == 404  # no route for one row


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 721}, "minutes"),
        ({"day": "2999-01-01"}, "day"),
        ({"note": "IBAN BE71 0961 2345 6769"}, "note"),
        ({"hub": None}, "hub"),
    ],
)
def test_bad_hours_are_a_400_with_field_errors(api_as, alice, digibank_a, zuid, bad, field):
    jef = DigihelperFactory(digibank=digibank_a)
    good = {"helper": jef.pk, "day": "2026-11-03", "hub": zuid.pk, "minutes": 60}
    response = api_as(alice, digibank_a).post(HOURS, {**good, **bad}, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not HelperHours.objects.exists()


def test_hours_of_another_digibanks_helper_are_refused(api_as, alice, digibank_a, digibank_b, zuid):
    theirs = DigihelperFactory(digibank=digibank_b)
    response = api_as(alice, digibank_a).post(
        HOURS, {"helper": theirs.pk, "day": "2026-11-03", "hub": zuid.pk, "minutes": 60}, format="json"
    )
    assert response.status_code == 400 and "helper" in response.json()


def test_the_schema_states_the_ranges(api_as, alice):
    schema = api_as(alice).get("/api/schema/?format=json").json()
    hours = schema["components"]["schemas"]["HelperHoursRequest"]["properties"]
    assert hours["minutes"]["minimum"] == 1 and hours["minutes"]["maximum"] == 720
    assert (
        "/api/v1/digihelpers/{id}/" in schema["paths"] and "delete" not in schema["paths"]["/api/v1/digihelpers/{id}/"]
    )


def test_the_lists_queries_do_not_grow_with_the_rows(api_as, alice, digibank_a, zuid):
    api = api_as(alice, digibank_a)
    itsme = EService.objects.get(name="itsme")

    def some(n: int) -> None:
        for helper in DigihelperFactory.create_batch(n, digibank=digibank_a, hubs=[zuid], skills=[itsme]):
            AvailabilityFactory(helper=helper, hub=zuid)
            HelperHoursFactory(helper=helper, hub=zuid)

    some(1)
    with CaptureQueriesContext(connection) as few:
        assert api.get(HELPERS).status_code == 200 and api.get(HOURS).status_code == 200
    some(20)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(HELPERS).json()["results"]) == 21 and len(api.get(HOURS).json()["results"]) == 21
    assert len(many) == len(few), [q["sql"] for q in many]
