"""The network's REST API for the digibanks: their details and service areas; with the personas of
conftest: alice (coordinator) and bob (desk) in digibank A, carol (coordinator) in B, dave at the
Department, erin coordinator in A and desk worker in B."""

from __future__ import annotations

import pytest

from digibank.network.tests.factories import API, HubFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# Digibanks ----------------------------------------------------------------------------------------


def test_coordinator_updates_own_digibank_details(api_as, alice, digibank_a):
    response = api_as(alice).patch(
        f"{API}/digibanks/{digibank_a.pk}/", {"phone": "09 123 45 67", "phase": "afgerond"}, format="json"
    )
    assert response.status_code == 200
    digibank_a.refresh_from_db()
    assert digibank_a.phone == "09 123 45 67"
    assert digibank_a.phase == "implementatie"  # the phase is the Department's to set
    assert digibank_a.history.first().history_user == alice


def test_coordinator_cannot_change_other_digibank(api_as, alice, digibank_b):
    response = api_as(alice).patch(f"{API}/digibanks/{digibank_b.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 404


def test_digibank_details_are_not_replaced_with_put(api_as, alice, digibank_a):
    assert api_as(alice).put(f"{API}/digibanks/{digibank_a.pk}/", {"name": "X"}).status_code == 405


def test_department_lists_all_digibanks(api_as, dave, digibank_a, digibank_b):
    response = api_as(dave).get(f"{API}/digibanks/")
    assert {d["slug"]: sorted(d["service_area"]) for d in response.json()["results"]} == {
        "gent": ["44021", "44088"],
        "kempen": ["13008", "13040"],
    }


def test_service_area_is_replaced_by_nis_codes(api_as, alice, digibank_a):
    response = api_as(alice).put(
        f"{API}/digibanks/{digibank_a.pk}/service-area/", {"service_area": ["44021", "44086"]}, format="json"
    )
    assert response.status_code == 200
    assert sorted(response.json()["service_area"]) == ["44021", "44086"]
    assert set(digibank_a.service_area.values_list("pk", flat=True)) == {"44021", "44086"}


def test_service_area_with_unknown_nis_code_is_400(api_as, alice, digibank_a):
    response = api_as(alice).put(
        f"{API}/digibanks/{digibank_a.pk}/service-area/", {"service_area": ["44021", "99999"]}, format="json"
    )
    assert response.status_code == 400
    assert "99999" in response.json()["service_area"][0]


def test_service_area_leaving_an_open_hub_outside_is_400(api_as, alice, digibank_a):
    HubFactory(digibank=digibank_a, name="Digipunt Melle", municipality_id="44088", postal_code="9090")
    response = api_as(alice).put(
        f"{API}/digibanks/{digibank_a.pk}/service-area/", {"service_area": ["44021"]}, format="json"
    )
    assert response.status_code == 400
    assert "Digipunt Melle" in response.json()["service_area"][0]
    assert digibank_a.service_area.count() == 2


def test_empty_service_area_is_400(api_as, alice, digibank_a):
    response = api_as(alice).put(f"{API}/digibanks/{digibank_a.pk}/service-area/", {"service_area": []}, format="json")
    assert response.status_code == 400
    assert "service_area" in response.json()
