"""The network's REST API, who may reach what: tenancy, the chosen digibank, me, the token and the
schema; with the personas of conftest: alice (coordinator) and bob (desk) in digibank A, carol
(coordinator) in B, dave at the Department, erin coordinator in A and desk worker in B."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from digibank.network.tests.factories import API, HubFactory, PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# Tenancy and permissions --------------------------------------------------------------------------


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


# Municipalities, the public finder, coverage ------------------------------------------------------


def test_unknown_api_path_is_a_json_404(api_as, alice):
    """Found by tests/test_api_fuzz.py: a path that matches no endpoint gave Django's HTML page."""
    response = api_as(alice).get(f"{API}/hubs/0.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


# Me, token, schema --------------------------------------------------------------------------------


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
