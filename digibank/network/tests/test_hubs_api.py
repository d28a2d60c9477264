"""The network's REST API for the hubs: their week of opening hours and their exceptions; with the
personas of conftest: alice (coordinator) and bob (desk) in digibank A, carol (coordinator) in B, dave
at the Department, erin coordinator in A and desk worker in B."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from digibank.network.models import Hub, HubException
from digibank.network.tests.factories import (
    API,
    MONDAY_TEN,
    HubExceptionFactory,
    HubFactory,
    OpeningHoursFactory,
    hubs_with_week,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def hub_payload(**extra):
    return {"name": "Digipunt Zuid", "street": "Zuidparklaan 1", "postal_code": "9000", **extra}


def week(*periods):
    return [{"weekday": d, "opens": o, "closes": c} for d, o, c in periods]


# Hubs ---------------------------------------------------------------------------------------------


def test_coordinator_adds_hub_with_its_week(api_as, alice, digibank_a):
    payload = hub_payload(opening_hours=week((2, "13:00", "17:00"), (0, "09:00", "12:00")))
    response = api_as(alice).post(f"{API}/hubs/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["municipality"] == "44021"  # taken from the postal code
    assert body["opening_hours"] == week((0, "09:00:00", "12:00:00"), (2, "13:00:00", "17:00:00"))
    assert body["services"] == ["help with e-services"]
    hub = Hub.objects.get(pk=body["id"])
    assert hub.digibank == digibank_a
    assert hub.opening_hours.count() == 2


def test_inverted_hours_are_400_and_nothing_is_saved(api_as, alice):
    payload = hub_payload(opening_hours=week((0, "12:00", "09:00")))
    response = api_as(alice).post(f"{API}/hubs/", payload, format="json")
    assert response.status_code == 400
    assert "opening_hours" in response.json()
    assert not Hub.objects.exists()


def test_overlapping_hours_are_400(api_as, alice):
    payload = hub_payload(opening_hours=week((1, "09:00", "12:00"), (1, "11:00", "14:00")))
    response = api_as(alice).post(f"{API}/hubs/", payload, format="json")
    assert response.status_code == 400
    assert "Tuesday" in response.json()["opening_hours"][0]


def test_unknown_postal_code_is_400(api_as, alice):
    response = api_as(alice).post(f"{API}/hubs/", hub_payload(postal_code="9999"), format="json")
    assert response.status_code == 400
    assert "postal_code" in response.json()


def test_postal_code_of_another_municipality_is_400(api_as, alice):
    response = api_as(alice).post(f"{API}/hubs/", hub_payload(postal_code="9820", municipality="44021"), format="json")
    assert response.status_code == 400
    assert "postal_code" in response.json()


def test_hub_outside_service_area_is_400(api_as, alice):
    response = api_as(alice).post(f"{API}/hubs/", hub_payload(postal_code="2300"), format="json")
    assert response.status_code == 400
    assert "Turnhout" in response.json()["municipality"][0]


def test_latitude_outside_belgium_is_400_with_field_error(api_as, alice):
    response = api_as(alice).post(f"{API}/hubs/", hub_payload(latitude="60.0"), format="json")
    assert response.status_code == 400
    assert "latitude" in response.json()


def test_hub_week_is_replaced_on_update(api_as, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    OpeningHoursFactory(hub=hub, weekday=0)
    response = api_as(alice).patch(
        f"{API}/hubs/{hub.pk}/", {"opening_hours": week((4, "14:00", "16:00"))}, format="json"
    )
    assert response.status_code == 200
    assert list(hub.opening_hours.values_list("weekday", "opens")) == [(4, dt.time(14))]


def test_hub_week_rows_are_complete_in_a_patch_too(api_as, alice, digibank_a):
    """Found by tests/test_api_fuzz.py: a PATCH with a week row without weekday was a 500."""
    hub = HubFactory(digibank=digibank_a)
    OpeningHoursFactory(hub=hub, weekday=0)
    response = api_as(alice).patch(
        f"{API}/hubs/{hub.pk}/", {"opening_hours": [{"opens": "09:00", "closes": "12:00"}]}, format="json"
    )
    assert response.status_code == 400
    assert "weekday" in str(response.json()["opening_hours"])  # by row: {"0": {"weekday": [...]}} in a PATCH
    assert list(hub.opening_hours.values_list("weekday", flat=True)) == [0]


def test_hub_update_without_week_keeps_it(api_as, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    OpeningHoursFactory(hub=hub, weekday=0)
    response = api_as(alice).patch(f"{API}/hubs/{hub.pk}/", {"closed_on": "2026-01-31"}, format="json")
    assert response.status_code == 200
    assert response.json()["closed_on"] == "2026-01-31"
    assert hub.opening_hours.count() == 1


def test_hub_of_other_digibank_cannot_be_changed(api_as, alice, digibank_b):
    hub = HubFactory(digibank=digibank_b)
    assert api_as(alice).patch(f"{API}/hubs/{hub.pk}/", {"name": "Mine"}, format="json").status_code == 404


def test_hub_cannot_be_deleted(api_as, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    assert api_as(alice).delete(f"{API}/hubs/{hub.pk}/").status_code == 405


def test_open_now_follows_the_week(api_as, bob, digibank_a):
    morning = HubFactory(digibank=digibank_a, name="A morning")
    OpeningHoursFactory(hub=morning, weekday=0, opens=dt.time(9), closes=dt.time(12))
    afternoon = HubFactory(digibank=digibank_a, name="B afternoon")
    OpeningHoursFactory(hub=afternoon, weekday=0, opens=dt.time(13), closes=dt.time(17))
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_TEN):
        response = api_as(bob).get(f"{API}/hubs/")
    assert [h["open_now"] for h in response.json()["results"]] == [True, False]


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("partners", {"name": "Bib", "kind": "castle", "role": "Onthaal"}),
        ("partners", {"name": "Bib", "kind": "bibliotheek", "role": "Onthaal", "joined_on": "soon"}),
        ("partners", {"name": ["Bib"], "kind": "bibliotheek", "role": "Onthaal"}),
        ("hubs", hub_payload(latitude="north")),
        ("hubs", hub_payload(latitude="51.12345678")),
        ("hubs", hub_payload(offers_lending="maybe")),
        ("hubs", hub_payload(postal_code="90000")),
        ("hubs", hub_payload(municipality="00000")),
        ("hubs", hub_payload(opening_hours="always")),
        ("hubs", hub_payload(opening_hours=[{"weekday": 9, "opens": "09:00", "closes": "12:00"}])),
        ("hubs", hub_payload(opening_hours=[{"weekday": 0, "opens": "morning", "closes": "12:00"}])),
        ("hubs", hub_payload(opening_hours=[[0, "09:00", "12:00"]])),
        ("hub-exceptions", {"hub": "first", "starts_on": "2026-12-24", "ends_on": "2026-12-26"}),
        ("memberships", {"email": "not-an-address", "role": "desk"}),
        ("memberships", {"email": "x@example.be", "role": "boss", "first_name": "X"}),
        ("memberships", {"email": "x@example.be", "role": "desk", "first_name": "X", "partner": "acme"}),
    ],
)
def test_garbage_input_is_400_not_500(api_as, alice, path, payload):
    response = api_as(alice).post(f"{API}/{path}/", payload, format="json")
    assert response.status_code == 400, response.content


def test_malformed_json_is_400(api_as, alice):
    response = api_as(alice).post(f"{API}/hubs/", "{not json", content_type="application/json")
    assert response.status_code == 400


# Hub exceptions -----------------------------------------------------------------------------------


def test_coordinator_adds_closure_to_hub(api_as, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    response = api_as(alice).post(
        f"{API}/hub-exceptions/",
        {
            "hub": hub.pk,
            "starts_on": "2026-12-24",
            "ends_on": "2026-12-26",
            "reason": "Kerstmis",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["is_closure"] is True
    assert hub.exceptions.get().history.first().history_user == alice


def test_exception_for_hub_of_other_digibank_is_400(api_as, alice, digibank_b):
    theirs = HubFactory(digibank=digibank_b)
    response = api_as(alice).post(
        f"{API}/hub-exceptions/",
        {
            "hub": theirs.pk,
            "starts_on": "2026-12-24",
            "ends_on": "2026-12-26",
        },
    )
    assert response.status_code == 400
    assert "hub" in response.json()
    assert not HubException.objects.exists()


def test_exception_ending_before_it_starts_is_400(api_as, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    response = api_as(alice).post(
        f"{API}/hub-exceptions/",
        {
            "hub": hub.pk,
            "starts_on": "2026-12-26",
            "ends_on": "2026-12-24",
        },
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()


def test_exception_with_only_an_opening_time_is_400(api_as, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    response = api_as(alice).post(
        f"{API}/hub-exceptions/",
        {
            "hub": hub.pk,
            "starts_on": "2026-12-24",
            "ends_on": "2026-12-24",
            "opens": "10:00",
        },
    )
    assert response.status_code == 400
    assert "closes" in response.json()


def test_overlapping_exceptions_are_400(api_as, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    HubExceptionFactory(hub=hub, starts_on=dt.date(2026, 12, 24), ends_on=dt.date(2026, 12, 26))
    response = api_as(alice).post(
        f"{API}/hub-exceptions/",
        {
            "hub": hub.pk,
            "starts_on": "2026-12-26",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 400
    assert "starts_on" in response.json()


def test_coordinator_removes_exception(api_as, alice, digibank_a):
    exception = HubExceptionFactory(hub=HubFactory(digibank=digibank_a))
    assert api_as(alice).delete(f"{API}/hub-exceptions/{exception.pk}/").status_code == 204
    assert not HubException.objects.exists()
    assert HubException.history.filter(id=exception.pk, history_type="-").get().history_user == alice


def test_exception_of_other_digibank_cannot_be_removed(api_as, alice, digibank_b):
    exception = HubExceptionFactory(hub=HubFactory(digibank=digibank_b))
    assert api_as(alice).delete(f"{API}/hub-exceptions/{exception.pk}/").status_code == 404
    assert HubException.objects.filter(pk=exception.pk).exists()


def test_exceptions_are_filtered_by_hub(api_as, bob, digibank_a):
    first, second = HubFactory(digibank=digibank_a), HubFactory(digibank=digibank_a)
    HubExceptionFactory(hub=first)
    wanted = HubExceptionFactory(hub=second)
    response = api_as(bob).get(f"{API}/hub-exceptions/", {"hub": second.pk})
    assert [e["id"] for e in response.json()["results"]] == [wanted.pk]


# Queries ------------------------------------------------------------------------------------------


# Token and user, memberships (tenancy), count, rows, and one query per prefetched relation.
HUB_LIST_QUERIES = 6


def test_hub_list_queries_do_not_grow_with_rows(api_as, alice, digibank_a, django_assert_num_queries):
    api = api_as(alice)
    hubs_with_week(digibank_a, 2)
    with django_assert_num_queries(HUB_LIST_QUERIES):
        assert api.get(f"{API}/hubs/").json()["count"] == 2
    hubs_with_week(digibank_a, 8)
    with django_assert_num_queries(HUB_LIST_QUERIES):
        assert api.get(f"{API}/hubs/").json()["count"] == 10
