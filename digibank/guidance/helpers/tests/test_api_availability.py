"""A digihelper's weekly times through the API, as on the helper's page: added under the helper
(`digihelpers/{id}/availability/`), removed one by one (`helper-availability/{id}/`), with the screens'
service and its refusals as 400s with field errors. Alice coordinates digibank A, Bob works its desk,
Carol coordinates digibank B."""

from __future__ import annotations

import datetime as dt

import pytest

from digibank.guidance.helpers.models import Availability
from digibank.guidance.tests.factories import AvailabilityFactory, DigihelperFactory
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

HELPERS = "/api/v1/digihelpers/"
TIMES = "/api/v1/helper-availability/"


@pytest.fixture
def jef(digibank_a, zuid):
    """Helps on Tuesdays 13:30-16:30 at Digipunt Zuid."""
    helper = DigihelperFactory(digibank=digibank_a, name="Jef", hubs=[zuid])
    AvailabilityFactory(helper=helper, hub=zuid, weekday=1)
    return helper


def add(api, helper, **time):
    return api.post(f"{HELPERS}{helper.pk}/availability/", time, format="json")


def test_a_coordinator_adds_and_removes_a_weekly_time(api_as, alice, digibank_a, zuid, jef):
    api = api_as(alice, digibank_a)
    # Right after the Tuesday time ends: touching is not overlapping.
    added = add(api, jef, hub=zuid.pk, weekday=1, starts="16:30", ends="18:00")
    assert added.status_code == 201, added.content
    assert {k: added.json()[k] for k in ("hub", "weekday", "starts", "ends")} == {
        "hub": zuid.pk,
        "weekday": 1,
        "starts": "16:30:00",
        "ends": "18:00:00",
    }
    shown = api.get(f"{HELPERS}{jef.pk}/").json()["availability"]
    assert [(t["weekday"], t["starts"]) for t in shown] == [(1, "13:30:00"), (1, "16:30:00")]

    url = f"{TIMES}{added.json()['id']}/"
    assert api.get(url).json()["ends"] == "18:00:00"
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert list(jef.availability.values_list("starts", flat=True)) == [dt.time(13, 30)]
    assert Availability.history.filter(id=added.json()["id"], history_type="-").exists()  # the removal is kept


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"starts": "16:00", "ends": "18:00"}, "starts"),  # overlaps 13:30-16:30 on Tuesday
        ({"starts": "12:00", "ends": "17:00"}, "starts"),  # holds the whole Tuesday time
        ({"starts": "18:00", "ends": "17:00"}, "ends"),  # until before from
        ({"starts": "18:00", "ends": "18:00"}, "ends"),
        ({"weekday": 7}, "weekday"),
        ({"weekday": -1}, "weekday"),
        ({"weekday": "dinsdag"}, "weekday"),
        ({"starts": "9u30"}, "starts"),
        ({"ends": "24:00"}, "ends"),
        ({"hub": None}, "hub"),
        ({"hub": "x"}, "hub"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(api_as, alice, digibank_a, zuid, jef, bad, field):
    good = {"hub": zuid.pk, "weekday": 1, "starts": "18:00", "ends": "20:00"}
    response = add(api_as(alice, digibank_a), jef, **{**good, **bad})
    assert response.status_code == 400 and field in response.json(), response.content
    assert jef.availability.count() == 1


def test_a_hub_not_the_helpers_own_or_of_another_digibank_is_refused(api_as, alice, digibank_a, digibank_b, jef):
    api = api_as(alice, digibank_a)
    for hub in (HubFactory(digibank=digibank_a, name="Digipunt Noord"), HubFactory(digibank=digibank_b)):
        response = add(api, jef, hub=hub.pk, weekday=3, starts="09:00", ends="12:00")
        assert response.status_code == 400 and "hub" in response.json(), response.content
    assert jef.availability.count() == 1


def test_another_digibanks_helper_and_times_do_not_exist(api_as, alice, carol, digibank_a, digibank_b, zuid):
    kempen = HubFactory(digibank=digibank_b)
    theirs = DigihelperFactory(digibank=digibank_b, hubs=[kempen])
    their_time = AvailabilityFactory(helper=theirs, hub=kempen)
    api = api_as(alice, digibank_a)
    assert add(api, theirs, hub=zuid.pk, weekday=2, starts="09:00", ends="12:00").status_code == 404
    assert add(api, theirs, hub=kempen.pk, weekday=2, starts="09:00", ends="12:00").status_code == 404
    assert api.get(f"{TIMES}{their_time.pk}/").status_code == 404
    assert api.delete(f"{TIMES}{their_time.pk}/").status_code == 404
    assert theirs.availability.count() == 1
    # Carol, in her own digibank, may.
    assert (
        add(api_as(carol, digibank_b), theirs, hub=kempen.pk, weekday=2, starts="09:00", ends="12:00").status_code
        == 201
    )


def test_a_desk_worker_may_not_change_the_times(api_as, bob, digibank_a, zuid, jef):
    api = api_as(bob, digibank_a)
    assert add(api, jef, hub=zuid.pk, weekday=3, starts="09:00", ends="12:00").status_code == 403
    assert api.delete(f"{TIMES}{jef.availability.get().pk}/").status_code == 403
    assert jef.availability.count() == 1


def test_the_schema_states_the_ranges(api_as, alice):
    schema = api_as(alice).get("/api/schema/?format=json").json()
    time = schema["components"]["schemas"]["AvailabilityRequest"]["properties"]
    weekday = time["weekday"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][weekday]["enum"] == [0, 1, 2, 3, 4, 5, 6]
    assert time["starts"]["pattern"] == time["ends"]["pattern"] and "starts" in time["ends"]["description"]
    assert "post" in schema["paths"]["/api/v1/digihelpers/{id}/availability/"]
    assert set(schema["paths"]["/api/v1/helper-availability/{id}/"]) >= {"get", "delete"}
