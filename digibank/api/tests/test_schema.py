"""The OpenAPI schema states what the server enforces: formats, patterns and ranges."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from digibank.clients.numbers import PATTERN as CLIENT_NUMBER_PATTERN
from digibank.core.api import TIME_OF_DAY
from digibank.devices.tags import TAG_PATTERN

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


def test_shapes_the_server_checks_are_declared_as_patterns(components):
    hub = components["HubRequest"]["properties"]
    assert hub["postal_code"]["pattern"] == "^[0-9]{4}$"
    assert hub["municipality"]["pattern"] == "^[0-9]{5}$"
    check_out = components["CheckOutRequest"]["properties"]
    assert check_out["client"]["pattern"] == CLIENT_NUMBER_PATTERN
    assert check_out["tags"]["items"]["pattern"] == TAG_PATTERN
    assert check_out["tags"]["minItems"] == 1
    assert components["ServiceAreaRequest"]["properties"]["service_area"]["minItems"] == 1


@pytest.mark.parametrize("number", ["K7QM-4XRA", "k7qm4xra", "K7QM 4XRA"])
def test_client_number_pattern_admits_what_a_person_types(number):
    assert re.fullmatch(CLIENT_NUMBER_PATTERN, number)


@pytest.mark.parametrize("postal_code", ["900", "90000", "9ooo"])
def test_postal_code_that_is_not_four_digits_is_400_with_its_own_message(api_as, alice, postal_code):
    payload = {"name": "Digipunt Zuid", "street": "Zuidparklaan 1", "postal_code": postal_code}
    response = api_as(alice).post(f"{API}/hubs/", payload, format="json")
    assert response.status_code == 400
    assert "Een postcode heeft vier cijfers." in response.json()["postal_code"]


def test_x_digibank_header_that_is_no_id_is_400_on_me_too(api_as, alice):
    response = api_as(alice).get(f"{API}/me/", HTTP_X_DIGIBANK="Gent")
    assert response.status_code == 400


def test_period_of_the_figures_states_its_years():
    schema = APIClient().get("/api/schema/?format=json").json()
    start = next(p for p in schema["paths"][f"{API}/circularity/"]["get"]["parameters"] if p["name"] == "start")
    assert start["schema"] == {"type": "string", "format": "date", "pattern": "^(20[0-9]{2}|2100)-"}


@pytest.mark.parametrize("query", ["start=", "end=", "start=1999-12-31"])
def test_period_that_is_empty_or_outside_its_years_is_400(api_as, alice, query):
    assert api_as(alice).get(f"{API}/circularity/?{query}").status_code == 400


def test_empty_choice_filter_is_400(api_as, alice):
    assert api_as(alice).get(f"{API}/repairs/?status=").status_code == 400


@pytest.mark.parametrize(
    ("text", "read"), [("12", True), ("12.5", True), (".5", True), ("", False), (".", False), ("-", False)]
)
def test_decimal_pattern_admits_what_drf_reads(components, text, read):
    pattern = components["CheckInRequest"]["properties"]["deposit_kept"]["pattern"]  # not nullable
    assert bool(re.fullmatch(pattern.strip("^$"), text)) is read


def test_decimal_with_minimum_zero_has_no_minus_in_its_pattern(components):
    assert not components["CheckOutRequest"]["properties"]["household_income"]["pattern"].startswith("^-")


def test_latitude_is_declared_within_belgium(components):
    pattern = components["HubRequest"]["properties"]["latitude"]["pattern"]
    for text, inside in [("51.05", True), ("49", True), ("52.000000", True), ("52.1", False), ("48.9", False)]:
        assert bool(re.fullmatch(pattern.strip("^$"), text)) is inside, text


def test_new_account_email_a_user_name_cannot_hold_is_400_not_refused_later(api_as, alice):
    body = {"email": "jan!de#smet@example.be", "role": "desk", "first_name": "Jan"}
    response = api_as(alice).post(f"{API}/memberships/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "email": ["Geef een e-mailadres zoals jan@voorbeeld.be, met alleen letters, cijfers en . _ + - voor de @."]
    }


def test_blank_decimal_that_may_be_null_fits_its_pattern(components):
    pattern = components["HubRequest"]["properties"]["longitude"]["pattern"]
    assert re.fullmatch(pattern.strip("^$"), "")


def test_text_fields_say_they_take_no_nul_character(components):
    assert components["ErasureLogRequest"]["properties"]["log"]["pattern"] == "^[^\\u0000]+$"


@pytest.mark.parametrize("email", ["jan@localhost", "jan@example.b-", "0@0.00"])
def test_new_account_email_without_a_domain_django_takes_is_refused_by_its_pattern(api_as, alice, email):
    response = api_as(alice).post(f"{API}/memberships/", {"email": email, "role": "desk", "first_name": "Jan"})
    assert response.status_code == 400
    assert (
        "Geef een e-mailadres zoals jan@voorbeeld.be, met alleen letters, cijfers en . _ + - voor de @."
        in response.json()["email"]
    )


def test_new_account_email_longer_than_its_format_allows_before_the_at_is_400(api_as, alice):
    body = {"email": f"{'j' * 65}@example.be", "role": "desk", "first_name": "Jan"}
    response = api_as(alice).post(f"{API}/memberships/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"email": ["Het deel voor de @ telt hoogstens 64 tekens."]}


def _ecma_to_python(pattern: str) -> re.Pattern:
    return re.compile(pattern.replace("$", r"\Z"))


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("ClientRegisterRequest", "last_name"),
        ("MembershipGrantRequest", "last_name"),
        ("AnonymiseRequest", "reason"),
        ("DeviceRequest", "serial_number"),
        ("RepairCloseRequest", "work_done"),
        ("RepairCloseRequest", "parts_used"),
        ("SignRequest", "signed_by_name"),
        ("CheckOutRequest", "goals_plan"),
        ("IncidentCloseRequest", "resolution"),
        ("QueueMoveRequest", "reason"),
    ],
)
def test_texts_state_that_they_take_no_control_or_direction_characters(components, component, field):
    """The server refuses them (core.validators); a request body the schema allows must not be refused."""
    declared = components[component]["properties"][field]
    alternatives = declared.get("oneOf", [declared])
    pattern = _ecma_to_python(next(a["pattern"] for a in alternatives if "pattern" in a))
    assert pattern.search("Zoë D'Hondt-Van den Broeck")
    for spoof in ("Jan\u202esneeP", "Kras\x1b[2J", "a\x00b"):
        assert not pattern.search(spoof), (component, field, spoof)
