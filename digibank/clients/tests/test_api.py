"""The clients' REST API, with the personas of conftest: alice (coordinator) and bob (desk) in digibank A,
carol (coordinator) in B, dave at the Department. Sébastien is a client of A, Jef one of B."""

from __future__ import annotations

import datetime as dt

import factory
import pytest

from digibank.clients import services
from digibank.clients.models import AccessLog, Client, ClientEvent, Consent, Traits
from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.network.tests.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English, the language of the msgids, whatever the .po files say."""
    settings.LANGUAGE_CODE = "en"


def payload(**extra):
    return {
        "first_name": "Sébastien",
        "last_name": "Van den Broeck",
        "birth_date": "1961-03-05",
        "postal_code": "9000",
        "phone": "0470 12 34 56",
        **extra,
    }


def register(digibank, actor, **overrides):
    fields = {
        "first_name": "Sébastien",
        "last_name": "Van den Broeck",
        "birth_date": dt.date(1961, 3, 5),
        "postal_code": "9000",
        "phone": "0470 12 34 56",
        **overrides,
    }
    return services.client_register(digibank=digibank, actor=actor, **fields)


@pytest.fixture
def sebastien(digibank_a, bob):
    return register(digibank_a, bob, email="seb@example.be")


@pytest.fixture
def jef(digibank_b, carol):
    return register(digibank_b, carol, first_name="Jef", last_name="Kempenaar", phone="0471 00 00 00")


def person(role, digibank, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, digibank=digibank, role=role)
    return user


# Tenancy ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("patch", ""),
        ("get", "consents/"),
        ("post", "consents/"),
        ("put", "traits/"),
        ("get", "timeline/"),
        ("post", "anonymise/"),
    ],
)
def test_client_of_other_digibank_is_404(api_as, alice, jef, method, path):
    body = {"reason": "op vraag", "scope": "contact", "first_name": "X"}
    response = getattr(api_as(alice), method)(f"{API}/clients/{jef.pk}/{path}", body, format="json")
    assert response.status_code == 404
    jef.refresh_from_db()
    assert jef.first_name == "Jef" and not jef.is_anonymised


def test_consent_of_other_digibank_cannot_be_withdrawn(api_as, alice, jef):
    consent = jef.consents.get()
    assert api_as(alice).post(f"{API}/consents/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_list_and_search_show_only_own_digibank(api_as, alice, sebastien, jef):
    api = api_as(alice)
    assert [c["id"] for c in api.get(f"{API}/clients/").json()["results"]] == [sebastien.pk]
    assert api.get(f"{API}/clients/", {"q": "jef"}).json()["count"] == 0
    assert api.get(f"{API}/clients/", {"q": jef.number}).json()["count"] == 0


def test_access_log_shows_only_own_digibank(api_as, alice, sebastien, jef):
    lines = api_as(alice).get(f"{API}/access-log/").json()["results"]
    assert lines and {line["digibank"] for line in lines} == {sebastien.digibank_id}


# Roles ------------------------------------------------------------------------------------------


def test_technician_cannot_see_clients(api_as, digibank_a, sebastien):
    api = api_as(person(Role.TECHNICIAN, digibank_a, "tom"))
    assert api.get(f"{API}/clients/").status_code == 403
    assert api.get(f"{API}/clients/{sebastien.pk}/").status_code == 403
    assert api.get(f"{API}/clients/{sebastien.pk}/timeline/").status_code == 403


def test_department_gets_no_client(api_as, dave, sebastien):
    api = api_as(dave)
    assert api.get(f"{API}/clients/").status_code == 403
    assert api.get(f"{API}/clients/{sebastien.pk}/").status_code == 403
    assert api.get(f"{API}/access-log/").status_code == 403


def test_superuser_without_a_chosen_digibank_sees_no_client(api_as, sebastien):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    api = api_as(root)
    assert api.get(f"{API}/clients/").json()["count"] == 0
    assert api.get(f"{API}/clients/{sebastien.pk}/").status_code == 404


def test_trainer_reads_but_cannot_register_or_change(api_as, digibank_a, sebastien):
    api = api_as(person(Role.TRAINER, digibank_a, "tina"))
    assert api.get(f"{API}/clients/{sebastien.pk}/").status_code == 200
    assert api.post(f"{API}/clients/", payload(first_name="Nieuw"), format="json").status_code == 403
    assert api.patch(f"{API}/clients/{sebastien.pk}/", {"phone": ""}, format="json").status_code == 403
    assert api.post(f"{API}/clients/{sebastien.pk}/anonymise/", {"reason": "x"}).status_code == 403


def test_desk_worker_cannot_read_the_access_log(api_as, bob, sebastien):
    assert api_as(bob).get(f"{API}/access-log/").status_code == 403


# Registration -----------------------------------------------------------------------------------


def test_desk_worker_registers_a_client_with_traits_and_consent(api_as, bob, digibank_a):
    body = payload(email="Seb@Example.be", consents=["traits"], traits={"education": "primary", "lives_alone": True})
    response = api_as(bob).post(f"{API}/clients/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["phone"] == "+32470123456"  # as stored
    assert (data["municipality"], data["municipality_name"], data["birth_year"]) == ("44021", "Gent", 1961)
    assert data["email"] == "seb@example.be" and data["status"] == "active"
    assert "reporting_key" not in data and "traits" not in data
    client = Client.objects.get(pk=data["id"])
    assert client.digibank == digibank_a and client.registered_by == bob
    assert client.traits.education == "primary" and client.traits.lives_alone is True
    assert set(client.consents.values_list("scope", flat=True)) == {"registration", "traits"}


def test_traits_without_consent_are_400_and_nothing_is_saved(api_as, bob):
    response = api_as(bob).post(f"{API}/clients/", payload(traits={"income": "leefloon"}), format="json")
    assert response.status_code == 400
    assert "traits" in response.json()
    assert not Client.objects.exists()


def test_referral_by_partner_of_other_digibank_is_400(api_as, bob, digibank_b):
    theirs = PartnerFactory(digibank=digibank_b)
    response = api_as(bob).post(f"{API}/clients/", payload(referred_by=theirs.pk), format="json")
    assert response.status_code == 400
    assert "referred_by" in response.json()


def test_referral_by_own_partner(api_as, bob, digibank_a):
    ours = PartnerFactory(digibank=digibank_a)
    response = api_as(bob).post(f"{API}/clients/", payload(found_via="partner", referred_by=ours.pk), format="json")
    assert response.status_code == 201
    assert response.json()["referred_by"] == ours.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": "2015-01-01"}, "birth_date"),  # a child
        ({"birth_date": "2999-01-01"}, "birth_date"),  # the future
        ({"birth_date": None}, "birth_date"),  # neither date nor year
        ({"birth_date": None, "birth_year": 2015}, "birth_year"),
        ({"birth_date": None, "birth_year": 1850}, "birth_year"),
        ({"birth_date": "5 maart 1961"}, "birth_date"),
        ({"birth_year": "negentien"}, "birth_year"),
        ({"phone": "0470 12"}, "phone"),
        ({"phone": "123456789012345678901"}, "phone"),
        ({"email": "niet-een-adres"}, "email"),
        ({"postal_code": "0999"}, "postal_code"),  # no Belgian postal code
        ({"postal_code": "75001"}, "postal_code"),  # Paris
        ({"postal_code": ["9000"]}, "postal_code"),
        ({"first_name": "", "last_name": ""}, "first_name"),
        ({"first_name": {"x": 1}}, "first_name"),
        ({"first_name": "a\x00b"}, "first_name"),
        ({"language": "klingon"}, "language"),
        ({"found_via": 3}, "found_via"),
        ({"referred_by": "acme"}, "referred_by"),
        ({"consents": "traits"}, "consents"),
        ({"consents": ["everything"]}, "consents"),
        ({"traits": ["primary"]}, "traits"),
        ({"traits": {"education": "phd"}, "consents": ["traits"]}, "traits"),
        ({"confirm_new_person": "perhaps"}, "confirm_new_person"),
    ],
)
def test_bad_input_is_400_at_its_field_and_nothing_is_saved(api_as, bob, overrides, field):
    response = api_as(bob).post(f"{API}/clients/", payload(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Client.objects.exists()


def test_under_18_gets_a_clear_message(api_as, bob):
    response = api_as(bob).post(f"{API}/clients/", payload(birth_date="2015-01-01"), format="json")
    assert response.json()["birth_date"] == ["A digibank serves adults only: this person is under 18."]


def test_malformed_json_is_400(api_as, bob):
    response = api_as(bob).post(f"{API}/clients/", "{not json", content_type="application/json")
    assert response.status_code == 400


# Duplicates -------------------------------------------------------------------------------------


def test_possible_duplicate_is_shown_before_saving(api_as, bob, sebastien):
    response = api_as(bob).post(f"{API}/clients/", payload(phone=""), format="json")
    assert response.status_code == 400
    body = response.json()
    assert [d["number"] for d in body["possible_duplicates"]] == [sebastien.number]
    assert body["non_field_errors"]
    assert Client.objects.count() == 1


def test_same_phone_is_a_possible_duplicate(api_as, bob, sebastien):
    response = api_as(bob).post(
        f"{API}/clients/", payload(first_name="Marie", last_name="Claes", phone="+32 470 12 34 56"), format="json"
    )
    assert response.status_code == 400
    assert [d["id"] for d in response.json()["possible_duplicates"]] == [sebastien.pk]


def test_confirmed_new_person_is_registered_despite_the_duplicate(api_as, bob, sebastien):
    response = api_as(bob).post(f"{API}/clients/", payload(confirm_new_person=True), format="json")
    assert response.status_code == 201
    assert Client.objects.count() == 2


def test_client_of_other_digibank_is_no_duplicate(api_as, alice, jef):
    response = api_as(alice).post(
        f"{API}/clients/", payload(first_name="Jef", last_name="Kempenaar", phone="0471 00 00 00"), format="json"
    )
    assert response.status_code == 201
    assert "Kempen" not in str(response.json().get("possible_duplicates"))


# Reading, changing, logging ---------------------------------------------------------------------


def test_retrieve_writes_exactly_one_read_line(api_as, bob, sebastien):
    before = AccessLog.objects.count()
    response = api_as(bob).get(f"{API}/clients/{sebastien.pk}/")
    assert response.status_code == 200
    assert response.json()["last_name"] == "Van den Broeck"
    assert AccessLog.objects.count() == before + 1
    line = AccessLog.objects.order_by("-pk").first()
    assert (line.action, line.actor, line.client, line.digibank_id) == ("read", bob, sebastien, sebastien.digibank_id)
    assert "Broeck" not in line.what


def test_search_is_logged_without_the_query(api_as, bob, sebastien):
    response = api_as(bob).get(f"{API}/clients/", {"q": "broeck seb"})
    assert [c["id"] for c in response.json()["results"]] == [sebastien.pk]
    line = AccessLog.objects.order_by("-pk").first()
    assert line.action == "search" and line.client is None and "broeck" not in line.what


@pytest.mark.parametrize("query", ["broeck seb", "sebastien van den", "0470123456", "SEB@example.be"])
def test_search_box_finds_the_client(api_as, bob, sebastien, query):
    assert [c["id"] for c in api_as(bob).get(f"{API}/clients/", {"q": query}).json()["results"]] == [sebastien.pk]


def test_search_by_scanned_number(api_as, bob, sebastien):
    scanned = sebastien.number.replace("-", "").lower()
    assert [c["id"] for c in api_as(bob).get(f"{API}/clients/", {"q": scanned}).json()["results"]] == [sebastien.pk]


def test_list_without_query_shows_active_clients_only(api_as, alice, bob, sebastien, digibank_a):
    gone = register(digibank_a, bob, first_name="Ann", last_name="Weg", phone="")
    services.client_anonymise(client=gone, actor=alice, reason="op vraag")
    assert [c["id"] for c in api_as(bob).get(f"{API}/clients/").json()["results"]] == [sebastien.pk]


def test_search_with_a_nul_character_is_no_error(api_as, bob, sebastien):
    assert api_as(bob).get(f"{API}/clients/", {"q": "seb\x00"}).status_code == 200


def test_patch_changes_the_client_and_logs_the_change(api_as, bob, sebastien):
    response = api_as(bob).patch(f"{API}/clients/{sebastien.pk}/", {"phone": "0475 99 88 77"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["phone"] == "+32475998877"
    assert AccessLog.objects.filter(client=sebastien, action="change", what="phone").exists()


def test_patch_with_bad_postal_code_is_400_and_nothing_changes(api_as, bob, sebastien):
    response = api_as(bob).patch(f"{API}/clients/{sebastien.pk}/", {"postal_code": "0999"}, format="json")
    assert response.status_code == 400
    assert "postal_code" in response.json()
    sebastien.refresh_from_db()
    assert sebastien.postal_code == "9000"


def test_client_cannot_be_deleted_or_replaced(api_as, alice, sebastien):
    api = api_as(alice)
    assert api.delete(f"{API}/clients/{sebastien.pk}/").status_code == 405
    assert api.put(f"{API}/clients/{sebastien.pk}/", payload(), format="json").status_code == 405
    assert Client.objects.filter(pk=sebastien.pk).exists()


def test_timeline_shows_the_journey_newest_first(api_as, bob, sebastien):
    services.record_event(client=sebastien, kind="contact", actor=bob, summary="itsme")
    response = api_as(bob).get(f"{API}/clients/{sebastien.pk}/timeline/")
    assert response.status_code == 200
    assert [e["kind"] for e in response.json()["results"]] == ["contact", "registered"]


# Consents and traits ----------------------------------------------------------------------------


def test_consent_is_given_and_withdrawn(api_as, bob, sebastien):
    api = api_as(bob)
    response = api.post(f"{API}/clients/{sebastien.pk}/consents/", {"scope": "traits"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["notice_version"] == 1 and response.json()["is_active"] is True
    assert api.put(f"{API}/clients/{sebastien.pk}/traits/", {"income": "leefloon"}, format="json").status_code == 200
    assert Traits.objects.get(client=sebastien).income == "leefloon"

    consent_id = response.json()["id"]
    response = api.post(f"{API}/consents/{consent_id}/withdraw/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert not Traits.objects.filter(client=sebastien).exists()
    scopes = {
        (c["scope"], c["is_active"]) for c in api.get(f"{API}/clients/{sebastien.pk}/consents/").json()["results"]
    }
    assert scopes == {("registration", True), ("traits", False)}


def test_same_consent_twice_is_400(api_as, bob, sebastien):
    response = api_as(bob).post(f"{API}/clients/{sebastien.pk}/consents/", {"scope": "registration"}, format="json")
    assert response.status_code == 400
    assert "scope" in response.json()


def test_withdrawing_twice_is_400(api_as, bob, sebastien):
    consent = sebastien.consents.get()
    api = api_as(bob)
    assert api.post(f"{API}/consents/{consent.pk}/withdraw/").status_code == 200
    assert api.post(f"{API}/consents/{consent.pk}/withdraw/").status_code == 400


def test_traits_without_consent_are_400(api_as, bob, sebastien):
    response = api_as(bob).put(f"{API}/clients/{sebastien.pk}/traits/", {"education": "primary"}, format="json")
    assert response.status_code == 400
    assert not Traits.objects.exists()


def test_put_replaces_every_trait(api_as, bob, digibank_a):
    client = register(digibank_a, bob, consents=("traits",), traits={"education": "primary", "disability": True})
    response = api_as(bob).put(f"{API}/clients/{client.pk}/traits/", {"lives_alone": False}, format="json")
    assert response.json() == {
        "education": "",
        "income": "",
        "home_language": "",
        "reading_difficulty": None,
        "lives_alone": False,
        "disability": None,
    }


@pytest.mark.parametrize("body", [{"education": "phd"}, {"lives_alone": "sometimes"}, ["primary"]])
def test_bad_traits_are_400(api_as, bob, digibank_a, body):
    client = register(digibank_a, bob, consents=("traits",))
    assert api_as(bob).put(f"{API}/clients/{client.pk}/traits/", body, format="json").status_code == 400


# Anonymising ------------------------------------------------------------------------------------


def test_anonymise_removes_the_person_and_keeps_the_journey(api_as, alice, sebastien):
    services.record_event(client=sebastien, kind="contact", actor=alice, summary="itsme")
    api = api_as(alice)
    response = api.post(f"{API}/clients/{sebastien.pk}/anonymise/", {"reason": "op vraag van de persoon"})
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "anonymised" and data["number"] != sebastien.number
    for name in ("first_name", "last_name", "postal_code", "municipality_name", "phone", "email"):
        assert data[name] == "", name
    assert data["birth_date"] is None and data["birth_year"] is None and data["municipality"] is None
    assert ClientEvent.objects.filter(client=sebastien).count() == 2
    assert AccessLog.objects.filter(client=sebastien, action="erase", actor=alice).exists()
    # Read again: still nothing of the person.
    again = api.get(f"{API}/clients/{sebastien.pk}/").json()
    assert "Broeck" not in str(again) and "470123456" not in str(again)  # not "470": a timestamp may hold it
    assert api.get(f"{API}/clients/", {"q": "broeck"}).json()["count"] == 0


def test_anonymise_needs_a_reason(api_as, alice, sebastien):
    response = api_as(alice).post(f"{API}/clients/{sebastien.pk}/anonymise/", {})
    assert response.status_code == 400
    assert "reason" in response.json()
    sebastien.refresh_from_db()
    assert not sebastien.is_anonymised


def test_anonymised_client_cannot_be_changed(api_as, alice, sebastien):
    services.client_anonymise(client=sebastien, actor=alice, reason="op vraag")
    api = api_as(alice)
    assert api.patch(f"{API}/clients/{sebastien.pk}/", {"first_name": "Seb"}, format="json").status_code == 400
    assert api.post(f"{API}/clients/{sebastien.pk}/consents/", {"scope": "contact"}).status_code == 400


# Access log -------------------------------------------------------------------------------------


def test_coordinator_reads_the_log_of_one_client(api_as, alice, bob, sebastien, digibank_a):
    other = register(digibank_a, bob, first_name="Ann", last_name="Claes", phone="")
    api_as(bob).get(f"{API}/clients/{sebastien.pk}/")
    response = api_as(alice).get(f"{API}/access-log/", {"client": sebastien.number.replace("-", "").lower()})
    assert response.status_code == 200
    lines = response.json()["results"]
    assert [(line["action"], line["actor_name"]) for line in lines] == [
        ("read", "Bob Peeters"),
        ("create", "Bob Peeters"),
    ]
    assert {line["client_number"] for line in lines} == {sebastien.number} != {other.number}


def test_access_log_filter_with_no_client_number_is_400(api_as, alice):
    response = api_as(alice).get(f"{API}/access-log/", {"client": "Sébastien"})
    assert response.status_code == 400
    assert "client" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_access_log_cannot_be_written(api_as, alice, sebastien, method):
    line = AccessLog.objects.get()
    api = api_as(alice)
    for url in (f"{API}/access-log/", f"{API}/access-log/{line.pk}/"):
        response = getattr(api, method)(url, {"what": "tampered"}, format="json")
        assert response.status_code in {403, 404, 405}, (url, response.status_code)
    assert AccessLog.objects.get().what == "" and AccessLog.objects.count() == 1


# Schema -----------------------------------------------------------------------------------------


def test_schema_lists_the_client_paths():
    from rest_framework.test import APIClient

    paths = APIClient().get("/api/schema/", {"format": "json"}).json()["paths"]
    expected = {
        "clients/",
        "clients/{id}/",
        "clients/{id}/consents/",
        "clients/{id}/traits/",
        "clients/{id}/timeline/",
        "clients/{id}/anonymise/",
        "consents/{id}/withdraw/",
        "access-log/",
    }
    assert {f"{API}/{p}" for p in expected} <= set(paths)
    assert set(paths[f"{API}/clients/{{id}}/"]) >= {"get", "patch"}
    assert not {"put", "delete"} & set(paths[f"{API}/clients/{{id}}/"])
    assert set(paths[f"{API}/access-log/"]) == {"get"}


# Queries ----------------------------------------------------------------------------------------

# Token and user, memberships (tenancy), count, rows, and the access log line.
CLIENT_LIST_QUERIES = 5
# Token and user, memberships, the client, count, events (and the access log line).
TIMELINE_QUERIES = 6
# Token and user, memberships, count, rows with actor and client.
ACCESS_LOG_QUERIES = 4


def _clients(digibank, n):
    partner = PartnerFactory(digibank=digibank)
    return ClientFactory.create_batch(
        n,
        digibank=digibank,
        referred_by=partner,
        found_via="partner",
        last_name=factory.Sequence(lambda i: f"Aerts{i}"),
    )


@pytest.mark.parametrize("query", [{}, {"q": "aerts"}])
def test_client_list_queries_do_not_grow_with_rows(api_as, bob, digibank_a, django_assert_num_queries, query):
    api = api_as(bob)
    _clients(digibank_a, 2)
    with django_assert_num_queries(CLIENT_LIST_QUERIES):
        api.get(f"{API}/clients/", query)
    _clients(digibank_a, 8)
    with django_assert_num_queries(CLIENT_LIST_QUERIES):
        assert api.get(f"{API}/clients/", query).json()["count"] == 10


def test_timeline_queries_do_not_grow_with_events(api_as, bob, sebastien, django_assert_num_queries):
    api = api_as(bob)
    with django_assert_num_queries(TIMELINE_QUERIES):
        api.get(f"{API}/clients/{sebastien.pk}/timeline/")
    for _ in range(5):
        services.record_event(client=sebastien, kind="contact", actor=bob)
    with django_assert_num_queries(TIMELINE_QUERIES):
        assert api.get(f"{API}/clients/{sebastien.pk}/timeline/").json()["count"] == 6


def test_access_log_queries_do_not_grow_with_lines(api_as, alice, bob, sebastien, django_assert_num_queries):
    api = api_as(alice)
    with django_assert_num_queries(ACCESS_LOG_QUERIES):
        api.get(f"{API}/access-log/")
    for _ in range(5):
        api_as(bob).get(f"{API}/clients/{sebastien.pk}/")
    with django_assert_num_queries(ACCESS_LOG_QUERIES):
        assert api.get(f"{API}/access-log/").json()["count"] == 6


def test_consent_list_queries_do_not_grow(api_as, bob, sebastien, django_assert_num_queries):
    api = api_as(bob)
    with django_assert_num_queries(6):
        api.get(f"{API}/clients/{sebastien.pk}/consents/")
    services.consent_give(client=sebastien, scope=Consent.Scope.CONTACT, actor=bob)
    services.consent_give(client=sebastien, scope=Consent.Scope.TRAITS, actor=bob)
    with django_assert_num_queries(6):
        assert api.get(f"{API}/clients/{sebastien.pk}/consents/").json()["count"] == 3
