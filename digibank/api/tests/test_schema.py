"""The OpenAPI schema states what the server enforces: formats, patterns and ranges."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from digibank.core.api import TIME_OF_DAY

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(scope="module")
def components(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()["components"]["schemas"]


@pytest.mark.parametrize("component", ["OpeningHours", "OpeningHoursRequest", "HubException", "Period"])
def test_times_of_day_are_declared_by_their_pattern_not_as_rfc3339_times(components, component):
    for name in ("opens", "closes"):
        declared = components[component]["properties"][name]
        assert "format" not in declared
        assert declared["pattern"] == TIME_OF_DAY


@pytest.mark.parametrize("time", ["0930", "9:30", "09:30+01:00", "24:00", "09:30:00Z"])
def test_time_of_day_outside_its_pattern_is_400(api_as, alice, time):
    payload = {"name": "Digipunt Zuid", "street": "Zuidparklaan 1", "postal_code": "9000"}
    payload["opening_hours"] = [{"weekday": 0, "opens": time, "closes": "12:00"}]
    response = api_as(alice).post(f"{API}/hubs/", payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["opening_hours"]["0"]["opens"] == ["Geef een uur als UU:MM, bijvoorbeeld 09:30."]


@pytest.mark.parametrize("header", ["Gent", "", "1.0", "1" * 19])
def test_x_digibank_header_that_is_no_id_is_400(api_as, alice, header):
    response = api_as(alice).get(f"{API}/partners/", HTTP_X_DIGIBANK=header)
    assert response.status_code == 400, response.content
    assert response.json() == {"X-Digibank": ["Geef het id van een digibank: een geheel getal."]}


def test_x_digibank_header_is_declared_as_digits_with_its_400(components):
    schema = APIClient().get("/api/schema/?format=json").json()
    operation = schema["paths"][f"{API}/partners/{{id}}/"]["get"]
    header = next(p for p in operation["parameters"] if p["name"] == "X-Digibank")
    assert header["schema"] == {"type": "string", "pattern": "^[0-9]{1,18}$"}
    assert "400" in operation["responses"]


def test_filters_on_an_id_state_the_range_of_an_id():
    schema = APIClient().get("/api/schema/?format=json").json()
    hub = next(p for p in schema["paths"][f"{API}/devices/"]["get"]["parameters"] if p["name"] == "hub")
    assert hub["schema"] == {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}


def test_bodies_are_documented_as_json_only(components):
    schema = APIClient().get("/api/schema/?format=json").json()
    assert list(schema["paths"][f"{API}/hubs/"]["post"]["requestBody"]["content"]) == ["application/json"]
