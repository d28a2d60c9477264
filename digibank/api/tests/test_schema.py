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
