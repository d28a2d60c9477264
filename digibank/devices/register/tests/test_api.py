"""The device bank's REST API for the register: the device list, its filters and detail, corrections and
history; with the personas of conftest: alice (coordinator), bob (desk) and tom (technician) in digibank
A, carol (coordinator) in B, dave at the Department."""

from __future__ import annotations

import pytest

from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.register.lifecycle import State
from digibank.devices.tests.factories import API, NOBODYS_TAG, DeviceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# The lifecycle ------------------------------------------------------------------------------------


def test_details_are_corrected_but_state_is_not_patched(api_as, tom, laptop):
    response = api_as(tom).patch(
        f"{API}/devices/{laptop.pk}/",
        {"make": "Lenovo", "model_name": "ThinkPad T490", "specs": {"memory_gb": 16}, "state": "recycled"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    laptop.refresh_from_db()
    assert (laptop.model_name, laptop.memory_gb, laptop.state) == ("ThinkPad T490", 16, State.READY)


def test_serial_number_already_in_stock_is_400(api_as, tom, laptop, charger):
    response = api_as(tom).patch(f"{API}/devices/{charger.pk}/", {"serial_number": "pf1xk2qj"}, format="json")
    assert response.status_code == 400
    assert laptop.asset_tag in response.json()["serial_number"][0]


def test_history_of_a_device_is_paginated_newest_first(api_as, tom, received):
    api = api_as(tom)
    refurbishment_services.device_transition(device=received, target=State.WIPING, actor=tom)
    body = api.get(f"{API}/devices/{received.pk}/events/", {"page_size": 1}).json()
    assert body["count"] == 2 and body["next"]
    assert body["results"][0]["to_state"] == "wiping"
    assert body["results"][0]["actor_name"] == "Tom Wuyts"


# The stock ----------------------------------------------------------------------------------------


def test_device_list_filters(api_as, bob, laptop, charger, received, melle):
    api = api_as(bob)

    def tags(**query):
        response = api.get(f"{API}/devices/", query)
        assert response.status_code == 200, response.json()
        return {d["asset_tag"] for d in response.json()["results"]}

    assert tags() == {laptop.asset_tag, charger.asset_tag, received.asset_tag}
    assert tags(state="ready") == {laptop.asset_tag, charger.asset_tag}
    assert tags(state="ready", kind="laptop") == {laptop.asset_tag}
    assert tags(grade="B", kind="charger") == {charger.asset_tag}
    assert tags(hub=melle.pk) == set()
    assert tags(q=laptop.asset_tag.replace("-", "").lower()) == {laptop.asset_tag}
    assert tags(q="pf1xk2qj") == {laptop.asset_tag}
    assert tags(q=NOBODYS_TAG) == set()


@pytest.mark.parametrize("query", [{"state": "lost"}, {"kind": "printer"}, {"hub": "Krook"}, {"grade": "D"}])
def test_device_list_with_an_impossible_filter_is_400(api_as, bob, query):
    response = api_as(bob).get(f"{API}/devices/", query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_a_lent_device_does_not_show_its_borrower(api_as, tom, lent, laptop, sebastien):
    response = api_as(tom).get(f"{API}/devices/{laptop.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "on_loan"
    assert not {"client", "owner", "loan", "borrower"} & set(body)
    text = response.content.decode()
    assert sebastien.number not in text and "Broeck" not in text
    events = api_as(tom).get(f"{API}/devices/{laptop.pk}/events/").content.decode()
    assert sebastien.number not in events and "Broeck" not in events


# Queries ------------------------------------------------------------------------------------------


# Token and user, memberships (tenancy), count, rows with their hub.
DEVICE_LIST_QUERIES = 4


def _stock(digibank, hub, n):
    for _ in range(n):
        DeviceFactory(digibank=digibank, hub=hub, ready=True)
        DeviceFactory(digibank=digibank, hub=hub, accessory=True)


def test_device_list_queries_do_not_grow_with_rows(api_as, bob, digibank_a, krook, django_assert_num_queries):
    api = api_as(bob)
    _stock(digibank_a, krook, 1)
    with django_assert_num_queries(DEVICE_LIST_QUERIES):
        assert api.get(f"{API}/devices/").json()["count"] == 2
    _stock(digibank_a, krook, 6)
    with django_assert_num_queries(DEVICE_LIST_QUERIES):
        assert api.get(f"{API}/devices/", {"state": "ready"}).json()["count"] == 7
