"""The network's REST API, with the personas of conftest: alice (coordinator) and bob (desk) in digibank A,
carol (coordinator) in B, dave at the Department, erin coordinator in A and desk worker in B."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from digibank.core.roles import Role
from digibank.network.models import Hub, HubException, Membership, Partner
from digibank.network.tests.factories import (
    HubExceptionFactory,
    HubFactory,
    MembershipFactory,
    OpeningHoursFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY_TEN = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English, the language of the msgids, whatever the .po files say."""
    settings.LANGUAGE_CODE = "en"


def hub_payload(**extra):
    return {"name": "Digipunt Zuid", "street": "Zuidparklaan 1", "postal_code": "9000", **extra}


def week(*periods):
    return [{"weekday": d, "opens": o, "closes": c} for d, o, c in periods]


# Tenancy and permissions ----------------------------------------------------------------------


def test_partner_of_other_digibank_is_404(api_as, alice, digibank_b):
    theirs = PartnerFactory(digibank=digibank_b)
    assert api_as(alice).get(f"{API}/partners/{theirs.pk}/").status_code == 404


def test_partner_list_shows_only_own_digibank(api_as, alice, digibank_a, digibank_b):
    ours = PartnerFactory(digibank=digibank_a)
    PartnerFactory(digibank=digibank_b)
    response = api_as(alice).get(f"{API}/partners/")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [ours.pk]


def test_header_naming_a_digibank_without_role_gives_no_access_to_it(api_as, alice, digibank_a, digibank_b):
    PartnerFactory(digibank=digibank_b)
    response = api_as(alice, digibank_b).get(f"{API}/partners/")
    assert response.json()["count"] == 0


def test_department_reads_hubs_of_every_digibank(api_as, dave, digibank_a, digibank_b):
    HubFactory(digibank=digibank_a)
    HubFactory(digibank=digibank_b)
    response = api_as(dave).get(f"{API}/hubs/")
    assert response.status_code == 200
    assert {h["digibank"] for h in response.json()["results"]} == {digibank_a.pk, digibank_b.pk}


def test_department_filters_hubs_by_digibank(api_as, dave, digibank_a, digibank_b):
    HubFactory(digibank=digibank_a)
    theirs = HubFactory(digibank=digibank_b)
    response = api_as(dave).get(f"{API}/hubs/", {"digibank": digibank_b.pk})
    assert [h["id"] for h in response.json()["results"]] == [theirs.pk]


def test_garbage_filter_is_400(api_as, dave):
    assert api_as(dave).get(f"{API}/hubs/", {"digibank": "all"}).status_code == 400


@pytest.mark.parametrize("path", ["hubs", "partners", "hub-exceptions"])
def test_filter_by_a_number_too_large_for_an_id_is_400(api_as, alice, path):
    """Found by tests/test_api_fuzz.py: SQLite cannot compare a foreign key with 2**64 (a 500)."""
    name = "hub" if path == "hub-exceptions" else "digibank"
    response = api_as(alice).get(f"{API}/{path}/", {name: str(2**64)})
    assert response.status_code == 400
    assert name in response.json()


def test_department_cannot_see_memberships(api_as, dave):
    assert api_as(dave).get(f"{API}/memberships/").status_code == 403


def test_department_cannot_change_hubs(api_as, dave, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    assert api_as(dave).patch(f"{API}/hubs/{hub.pk}/", {"name": "X"}, format="json").status_code == 403


def test_desk_worker_reads_partners_but_cannot_create_them(api_as, bob):
    api = api_as(bob)
    assert api.get(f"{API}/partners/").status_code == 200
    response = api.post(f"{API}/partners/", {"name": "Bib", "kind": "bibliotheek", "role": "Onthaal"})
    assert response.status_code == 403


def test_anonymous_caller_is_401(digibank_a):
    assert APIClient().get(f"{API}/hubs/").status_code == 401


def test_worker_in_two_digibanks_must_choose_one(api_as, erin):
    response = api_as(erin).get(f"{API}/partners/")
    assert response.status_code == 403
    assert "X-Digibank" in response.json()["detail"]


def test_role_follows_the_chosen_digibank(api_as, erin, digibank_a, digibank_b):
    partner = {"name": "Bib", "kind": "bibliotheek", "role": "Onthaal"}
    assert api_as(erin, digibank_b).post(f"{API}/partners/", partner).status_code == 403
    response = api_as(erin, digibank_a).post(f"{API}/partners/", partner)
    assert response.status_code == 201
    assert response.json()["digibank"] == digibank_a.pk


# Digibanks ------------------------------------------------------------------------------------


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


# Partners -------------------------------------------------------------------------------------


def test_coordinator_adds_partner_with_enterprise_number(api_as, alice, digibank_a):
    response = api_as(alice).post(
        f"{API}/partners/",
        {
            "name": "Bibliotheek De Krook",
            "kind": "bibliotheek",
            "role": "Uitleenpunt",
            "enterprise_number": "0403.170.701",
        },
    )
    assert response.status_code == 201, response.json()
    partner = Partner.objects.get(pk=response.json()["id"])
    assert partner.digibank == digibank_a
    assert partner.enterprise_number == "0403170701"
    assert response.json()["enterprise_number_display"] == "0403.170.701"
    assert partner.history.first().history_user == alice


def test_wrong_check_digit_is_400_with_field_error(api_as, alice):
    response = api_as(alice).post(
        f"{API}/partners/",
        {
            "name": "Bib",
            "kind": "bibliotheek",
            "role": "Onthaal",
            "enterprise_number": "0403.170.702",
        },
    )
    assert response.status_code == 400
    assert "enterprise_number" in response.json()
    assert not Partner.objects.exists()


def test_same_enterprise_number_twice_in_one_digibank_is_400(api_as, alice, digibank_a):
    PartnerFactory(digibank=digibank_a, enterprise_number="0403170701")
    response = api_as(alice).post(
        f"{API}/partners/",
        {
            "name": "Bib",
            "kind": "bibliotheek",
            "role": "Onthaal",
            "enterprise_number": "0403.170.701",
        },
    )
    assert response.status_code == 400
    assert "already a partner" in response.json()["non_field_errors"][0]


def test_partner_cannot_leave_before_it_joined(api_as, alice, digibank_a):
    partner = PartnerFactory(digibank=digibank_a, joined_on=dt.date(2024, 1, 1))
    response = api_as(alice).patch(f"{API}/partners/{partner.pk}/", {"left_on": "2023-12-31"}, format="json")
    assert response.status_code == 400
    partner.refresh_from_db()
    assert partner.left_on is None


def test_partner_leaves_by_patch(api_as, alice, digibank_a):
    partner = PartnerFactory(digibank=digibank_a)
    response = api_as(alice).patch(f"{API}/partners/{partner.pk}/", {"left_on": "2025-06-30"}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_partner_cannot_be_deleted(api_as, alice, digibank_a):
    partner = PartnerFactory(digibank=digibank_a)
    assert api_as(alice).delete(f"{API}/partners/{partner.pk}/").status_code == 405
    assert Partner.objects.filter(pk=partner.pk).exists()


# Hubs -----------------------------------------------------------------------------------------


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


# Hub exceptions -------------------------------------------------------------------------------


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


# Memberships ----------------------------------------------------------------------------------


def test_coordinator_gives_role_to_new_person(api_as, alice, digibank_a):
    response = api_as(alice).post(
        f"{API}/memberships/",
        {
            "email": "Nora@Example.be",
            "role": "technician",
            "first_name": "Nora",
        },
    )
    assert response.status_code == 201, response.json()
    user = get_user_model().objects.get(email="nora@example.be")
    assert response.json()["user"]["id"] == user.pk
    assert Membership.objects.get(user=user).digibank == digibank_a


def test_new_person_without_first_name_is_400(api_as, alice):
    response = api_as(alice).post(f"{API}/memberships/", {"email": "nora@example.be", "role": "desk"})
    assert response.status_code == 400
    assert "first_name" in response.json()


def test_partner_worker_without_partner_is_400(api_as, alice, bob):
    response = api_as(alice).post(f"{API}/memberships/", {"email": bob.email, "role": "partner_worker"})
    assert response.status_code == 400
    assert "partner" in response.json()


def test_partner_worker_for_partner_of_other_digibank_is_400(api_as, alice, bob, digibank_b):
    theirs = PartnerFactory(digibank=digibank_b)
    response = api_as(alice).post(
        f"{API}/memberships/",
        {
            "email": bob.email,
            "role": "partner_worker",
            "partner": theirs.pk,
        },
    )
    assert response.status_code == 400
    assert "partner" in response.json()


def test_partner_worker_for_partner_that_left_is_400(api_as, alice, bob, digibank_a):
    gone = PartnerFactory(digibank=digibank_a, left=True)
    response = api_as(alice).post(
        f"{API}/memberships/",
        {
            "email": bob.email,
            "role": "partner_worker",
            "partner": gone.pk,
        },
    )
    assert response.status_code == 400
    assert "partner" in response.json()


def test_same_role_twice_is_400(api_as, alice, bob):
    response = api_as(alice).post(f"{API}/memberships/", {"email": bob.email, "role": "desk"})
    assert response.status_code == 400
    assert "role" in response.json()


def test_desk_worker_cannot_see_memberships(api_as, bob):
    assert api_as(bob).get(f"{API}/memberships/").status_code == 403


def test_memberships_show_only_own_digibank(api_as, alice, bob, carol):
    response = api_as(alice).get(f"{API}/memberships/")
    assert {m["user"]["username"] for m in response.json()["results"]} == {"alice", "bob"}


def test_ended_role_stays_inactive(api_as, alice, bob, digibank_a):
    membership = Membership.objects.get(user=bob, digibank=digibank_a)
    response = api_as(alice).post(f"{API}/memberships/{membership.pk}/end/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    membership.refresh_from_db()
    assert membership.is_active is False


def test_last_coordinator_cannot_end_own_role(api_as, alice, digibank_a):
    membership = Membership.objects.get(user=alice, digibank=digibank_a)
    response = api_as(alice).post(f"{API}/memberships/{membership.pk}/end/")
    assert response.status_code == 400
    assert "coordinator" in response.json()["role"][0]


def test_role_in_other_digibank_cannot_be_ended(api_as, alice, carol, digibank_b):
    membership = Membership.objects.get(user=carol)
    assert api_as(alice).post(f"{API}/memberships/{membership.pk}/end/").status_code == 404


def test_membership_cannot_be_deleted(api_as, alice, bob):
    membership = Membership.objects.get(user=bob)
    assert api_as(alice).delete(f"{API}/memberships/{membership.pk}/").status_code == 405


# Municipalities, the public finder, coverage --------------------------------------------------


def test_municipalities_are_public_and_paginated():
    response = APIClient().get(f"{API}/municipalities/")
    assert response.status_code == 200
    assert response.json()["count"] == 285
    assert len(response.json()["results"]) == 50


def test_municipality_by_nis_code():
    response = APIClient().get(f"{API}/municipalities/44021/")
    assert response.json()["name"] == "Gent"
    assert response.json()["province_name"] == "Oost-Vlaanderen"


@pytest.mark.parametrize(
    ("query", "nis_codes"),
    [
        ("9820", ["44088"]),  # a postal code
        ("44043", ["44088"]),  # the NIS code of Merelbeke before the merger
        ("borsbeek", ["11002"]),  # merged into Antwerpen in 2025
        ("sint-niklaas", ["46021"]),
        ("9999", []),
    ],
)
def test_municipality_search(query, nis_codes):
    response = APIClient().get(f"{API}/municipalities/", {"q": query})
    assert [m["nis_code"] for m in response.json()["results"]] == nis_codes


def test_finder_shows_hubs_serving_the_place_with_todays_hours(digibank_a):
    hub = HubFactory(digibank=digibank_a, name="Digipunt De Krook")
    OpeningHoursFactory(hub=hub, weekday=0, opens=dt.time(9), closes=dt.time(12))
    HubFactory(digibank=digibank_a, closed=True)
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_TEN):
        response = APIClient().get(f"{API}/public/finder/", {"q": "9000"})
    body = response.json()
    assert body["problem"] == ""
    assert body["municipality"]["nis_code"] == "44021"
    assert [h["name"] for h in body["hubs"]] == ["Digipunt De Krook"]
    assert body["hubs"][0]["open_now"] is True
    assert body["hubs"][0]["today"]["periods"] == [{"opens": "09:00:00", "closes": "12:00:00"}]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("9999", "unknown_postal_code"),
        ("1000", "outside_flanders"),
        ("Atlantis", "unknown_name"),
        ("", "empty"),
    ],
)
def test_finder_gives_problem_code_when_nothing_is_found(query, problem):
    response = APIClient().get(f"{API}/public/finder/", {"q": query})
    assert response.status_code == 200
    assert response.json()["problem"] == problem
    assert response.json()["municipality"] is None
    assert response.json()["hubs"] == []


def test_department_sees_coverage(api_as, dave, digibank_a, digibank_b):
    response = api_as(dave).get(f"{API}/coverage/")
    assert response.status_code == 200
    body = response.json()
    assert (body["flanders"]["total"], body["flanders"]["covered"]) == (285, 4)
    antwerpen = next(p for p in body["provinces"] if p["code"] == "10000")
    assert antwerpen["covered"] == 2
    assert "13040" not in {m["nis_code"] for m in antwerpen["uncovered"]}


def test_digibank_staff_cannot_see_coverage(api_as, alice):
    assert api_as(alice).get(f"{API}/coverage/").status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_coverage_cannot_be_written(api_as, alice, dave, method):
    """Found by tests/test_api_fuzz.py: a view naming no write permission gave a 500 for every write."""
    for user in (alice, dave):
        assert getattr(api_as(user), method)(f"{API}/coverage/").status_code == 403


def test_unknown_api_path_is_a_json_404(api_as, alice):
    """Found by tests/test_api_fuzz.py: a path that matches no endpoint gave Django's HTML page."""
    response = api_as(alice).get(f"{API}/hubs/0.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


# Me, token, schema ----------------------------------------------------------------------------


def test_me_shows_the_chosen_digibank_and_the_choices(api_as, erin, digibank_b):
    body = api_as(erin, digibank_b).get(f"{API}/me/").json()
    assert body["user"]["username"] == "erin"
    assert body["digibank"] == {"id": digibank_b.pk, "name": "Digibank Kempen"}
    assert body["roles"] == ["desk"]
    assert {c["name"]: c["roles"] for c in body["choices"]} == {
        "Digibank Gent": ["coordinator"],
        "Digibank Kempen": ["desk"],
    }


def test_me_of_department_has_no_digibank(api_as, dave):
    body = api_as(dave).get(f"{API}/me/").json()
    assert body["digibank"] is None
    assert body["department_role"] == "programme_officer"


def test_token_is_given_for_username_and_password(alice):
    credentials = {"username": "alice", "password": "correct-horse-battery"}
    response = APIClient().post(f"{API}/auth/token/", credentials)
    assert response.status_code == 200
    me = APIClient(HTTP_AUTHORIZATION=f"Token {response.json()['token']}").get(f"{API}/me/")
    assert me.json()["user"]["username"] == "alice"


def test_wrong_password_gives_no_token(alice):
    response = APIClient().post(f"{API}/auth/token/", {"username": "alice", "password": "wrong-horse"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_no_token_while_locked_out_after_repeated_wrong_passwords(alice, settings):
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(f"{API}/auth/token/", {"username": "alice", "password": "wrong-horse"})
    response = api.post(f"{API}/auth/token/", {"username": "alice", "password": "correct-horse-battery"})
    # Django's authenticate() turns axes' refusal into "wrong credentials": a 400, and no token.
    assert response.status_code == 400
    assert "token" not in response.json()


def test_schema_is_openapi_3_and_lists_the_network_paths():
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    expected = {
        "municipalities/",
        "digibanks/",
        "digibanks/{id}/service-area/",
        "partners/",
        "hubs/",
        "hub-exceptions/",
        "memberships/",
        "memberships/{id}/end/",
        "public/finder/",
        "coverage/",
        "me/",
        "auth/token/",
    }
    assert {f"{API}/{p}" for p in expected} <= set(schema["paths"])
    assert "delete" not in schema["paths"][f"{API}/partners/{{id}}/"]
    header = [p["name"] for p in schema["paths"][f"{API}/hubs/"]["get"]["parameters"] if p["in"] == "header"]
    assert header == ["X-Digibank"]


# Queries --------------------------------------------------------------------------------------


def _hubs_with_week(digibank, n):
    for _ in range(n):
        hub = HubFactory(digibank=digibank)
        OpeningHoursFactory(hub=hub, weekday=0)
        OpeningHoursFactory(hub=hub, weekday=3)
        HubExceptionFactory(hub=hub)


# Token and user, memberships (tenancy), count, rows, and one query per prefetched relation.
HUB_LIST_QUERIES = 6
PARTNER_LIST_QUERIES = 4


def test_hub_list_queries_do_not_grow_with_rows(api_as, alice, digibank_a, django_assert_num_queries):
    api = api_as(alice)
    _hubs_with_week(digibank_a, 2)
    with django_assert_num_queries(HUB_LIST_QUERIES):
        assert api.get(f"{API}/hubs/").json()["count"] == 2
    _hubs_with_week(digibank_a, 8)
    with django_assert_num_queries(HUB_LIST_QUERIES):
        assert api.get(f"{API}/hubs/").json()["count"] == 10


def test_partner_list_queries_do_not_grow_with_rows(api_as, alice, digibank_a, django_assert_num_queries):
    api = api_as(alice)
    PartnerFactory.create_batch(2, digibank=digibank_a)
    with django_assert_num_queries(PARTNER_LIST_QUERIES):
        assert api.get(f"{API}/partners/").json()["count"] == 2
    PartnerFactory.create_batch(8, digibank=digibank_a)
    with django_assert_num_queries(PARTNER_LIST_QUERIES):
        assert api.get(f"{API}/partners/").json()["count"] == 10


def test_membership_list_queries_do_not_grow_with_rows(api_as, alice, digibank_a, django_assert_num_queries):
    api = api_as(alice)
    with django_assert_num_queries(4):
        api.get(f"{API}/memberships/")
    for partner in PartnerFactory.create_batch(5, digibank=digibank_a):
        MembershipFactory(digibank=digibank_a, role=Role.PARTNER_WORKER, partner=partner)
    with django_assert_num_queries(4):
        assert api.get(f"{API}/memberships/").json()["count"] == 6


def test_finder_queries_do_not_grow_with_hubs(digibank_a, django_assert_max_num_queries):
    _hubs_with_week(digibank_a, 6)
    with django_assert_max_num_queries(6):
        assert len(APIClient().get(f"{API}/public/finder/", {"q": "9000"}).json()["hubs"]) == 6


@pytest.mark.parametrize(
    ("query", "nis_code", "former", "place"),
    [
        ("44043", "44088", "Merelbeke", ""),  # a NIS code from before the 2025 merger
        ("Merelbeke", "44088", "Merelbeke", ""),
        ("Mariakerke", "44021", "", "Mariakerke"),
        ("Zingem", "45068", "", "Zingem"),
    ],
)
def test_finder_says_which_former_municipality_or_place_matched(query, nis_code, former, place):
    body = APIClient().get(f"{API}/public/finder/", {"q": query}).json()
    assert body["municipality"]["nis_code"] == nis_code
    assert (body["matched_former"], body["matched_place"]) == (former, place)


def test_finder_says_a_walloon_place_name_is_outside_flanders():
    assert APIClient().get(f"{API}/public/finder/", {"q": "Namur"}).json()["problem"] == "outside_flanders"
