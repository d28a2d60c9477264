"""Help contacts and follow-ups in the API: logging, 400s with Dutch field errors and nothing saved,
cancelling, follow-ups done, scoping, the access log, paging with fixed queries and the schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digibank.clients.models import AccessLog, ClientEvent
from digibank.clients.tests.factories import ClientFactory
from digibank.guidance.contacts.models import FollowUp, HelpContact
from digibank.guidance.e_services.models import EService
from digibank.guidance.tests.factories import EServiceFactory, help_contact
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/help-contacts/"
FOLLOW_UPS = "/api/v1/follow-ups/"


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook")


@pytest.fixture
def wies(digibank_a, alice):
    return ClientFactory(digibank=digibank_a, registered_by=alice, first_name="Wies", last_name="Claeys")


def itsme_and_taxes() -> list[int]:
    return list(
        EService.objects.filter(digibank=None, name__in=["itsme", "MyMinfin / Tax-on-web"]).values_list("pk", flat=True)
    )


def test_a_desk_worker_logs_a_contact_for_a_client(api_as, bob, digibank_a, hub, wies):
    body = {"hub": hub.pk, "client": wies.number, "e_services": itsme_and_taxes(), "outcome": "solved"}
    response = api_as(bob, digibank_a).post(URL, {**body, "duration_minutes": 15, "topics": ["login"]}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["client"] == wies.number and data["helper"] == bob.pk and data["status"] == "logged"
    assert data["follow_up"] is None and data["id"] == HelpContact.objects.get().pk
    assert sorted(data["e_services"]) == sorted(itsme_and_taxes()) and data["topics"] == ["login"]
    assert ClientEvent.objects.filter(client=wies, kind="help_contact").exists()


def test_an_anonymous_follow_up_makes_a_task_that_is_done_once(api_as, bob, digibank_a, hub):
    api = api_as(bob, digibank_a)
    due = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {"hub": hub.pk, "age_band": "80+", "municipality": "44021", "duration_minutes": 40}
    response = api.post(URL, {**body, "outcome": "follow_up", "follow_up_on": due}, format="json")
    assert response.status_code == 201, response.json()
    follow_up = FollowUp.objects.get()
    assert response.json()["follow_up"] == follow_up.pk
    listed = api.get(FOLLOW_UPS).json()
    assert [row["id"] for row in listed["results"]] == [follow_up.pk] and listed["results"][0]["client"] is None
    assert api.post(f"{FOLLOW_UPS}{follow_up.pk}/done/").status_code == 200
    assert api.post(f"{FOLLOW_UPS}{follow_up.pk}/done/").status_code == 400
    assert api.get(FOLLOW_UPS).json()["results"] == []


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("duration_minutes", {"duration_minutes": -5}),
        ("duration_minutes", {"duration_minutes": 1440}),
        ("hub", {"hub": None}),
        ("note", {"note": "rrn 85.07.30-033.28"}),
        ("note", {"note": "IBAN BE68 5390 0754 7034"}),
        ("follow_up_on", {"outcome": "follow_up"}),
        ("started_at", {"started_at": (timezone.now() + dt.timedelta(days=1)).isoformat()}),
        ("client", {"client": "K7QM-4XRB"}),
        ("age_band", {"client": None}),
        ("e_services", {"e_services": [999999]}),
        ("municipality", {"client": None, "age_band": "0-24", "municipality": "99999"}),
        ("day", None),
    ],
)
def test_bad_input_is_a_400_with_dutch_field_errors_and_nothing_saved(
    api_as, bob, digibank_a, hub, wies, field, change
):
    api = api_as(bob, digibank_a)
    if change is None:
        response = api.get(URL, {"day": "3/12/2026"})
    else:
        body = {"hub": hub.pk, "client": wies.number, "duration_minutes": 10, "outcome": "solved", **change}
        response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not HelpContact.objects.exists() and not ClientEvent.objects.filter(kind="help_contact").exists()


def test_the_note_guard_answers_in_dutch(api_as, bob, digibank_a, hub):
    body = {"hub": hub.pk, "age_band": "0-24", "duration_minutes": 10, "outcome": "solved", "note": "85073003328"}
    response = api_as(bob, digibank_a).post(URL, body, format="json")
    assert response.json()["note"][0].startswith("Deze notitie lijkt een rijksregisternummer te bevatten.")


def test_another_digibanks_hub_and_local_service_do_not_exist(api_as, bob, digibank_a, digibank_b, hub):
    api = api_as(bob, digibank_a)
    body = {"age_band": "0-24", "duration_minutes": 10, "outcome": "solved"}
    assert "hub" in api.post(URL, {**body, "hub": HubFactory(digibank=digibank_b).pk}, format="json").json()
    theirs = EServiceFactory(digibank=digibank_b)
    answer = api.post(URL, {**body, "hub": hub.pk, "e_services": [theirs.pk]}, format="json")
    assert answer.status_code == 400 and "e_services" in answer.json()


def test_cancel_keeps_the_contact_and_a_second_cancel_is_a_400(api_as, bob, digibank_a, hub, wies):
    contact = help_contact(hub=hub, actor=bob, client=wies)
    api = api_as(bob, digibank_a)
    response = api.post(f"{URL}{contact.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert api.post(f"{URL}{contact.pk}/cancel/").status_code == 400
    assert HelpContact.objects.filter(pk=contact.pk).exists()


def test_reading_a_contact_is_logged_and_another_digibank_gets_a_404(
    api_as, bob, carol, digibank_a, digibank_b, hub, wies
):
    contact = help_contact(hub=hub, actor=bob, client=wies)
    assert api_as(bob, digibank_a).get(f"{URL}{contact.pk}/").status_code == 200
    assert AccessLog.objects.filter(actor=bob, client=wies, what="api help contact").exists()
    assert api_as(carol, digibank_b).get(f"{URL}{contact.pk}/").status_code == 404
    assert api_as(carol, digibank_b).get(URL).json()["results"] == []


def test_the_list_is_paged_filtered_and_its_queries_do_not_grow(api_as, alice, bob, digibank_a, hub):
    api = api_as(alice, digibank_a)
    help_contact(hub=hub, actor=bob, e_services=EService.objects.filter(digibank=None)[:2])
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL).status_code == 200
    for n in range(60):
        client = ClientFactory(digibank=digibank_a, registered_by=alice) if n % 2 else None
        help_contact(hub=hub, actor=bob, client=client, e_services=EService.objects.filter(digibank=None)[:2])
    with CaptureQueriesContext(connection) as many:
        page = api.get(URL).json()
    assert len(many) == len(few) <= 12, [q["sql"] for q in many]
    assert page["count"] == 61 and len(page["results"]) == 50
    other = HubFactory(digibank=digibank_a)
    help_contact(hub=other, actor=bob)
    only = api.get(URL, {"hub": other.pk, "day": timezone.localdate().isoformat()}).json()
    assert [row["hub"] for row in only["results"]] == [other.pk]


def test_the_schema_states_ranges_and_enums(api_as, alice):
    schema = api_as(alice).get("/api/schema/?format=json").json()
    request = schema["components"]["schemas"]["HelpContactCreateRequest"]["properties"]
    assert request["duration_minutes"]["minimum"] == 1 and request["duration_minutes"]["maximum"] == 480

    def enum(prop) -> set[str]:
        """The values a property allows, through its references (a blank is an alternative of its own)."""
        refs = [prop] if "$ref" in prop else prop.get("oneOf", []) + prop.get("allOf", [])
        found = set().union(*(schema["components"]["schemas"][r["$ref"].rsplit("/", 1)[1]]["enum"] for r in refs))
        return found - {"", None}

    assert enum(request["outcome"]) == {"solved", "partly", "referred", "follow_up"}
    assert enum(request["channel"]) == {"walk_in", "appointment", "phone", "home_visit"}
    assert enum(request["age_band"]) == {"0-24", "25-44", "45-64", "65-79", "80+"}
    assert request["note"]["oneOf"][0]["maxLength"] == 500
    assert "/api/v1/help-contacts/{id}/cancel/" in schema["paths"]
    assert "/api/v1/follow-ups/{id}/done/" in schema["paths"]


def test_logging_a_contact_costs_a_fixed_number_of_queries(
    api_as, bob, digibank_a, hub, wies, django_assert_max_num_queries
):
    """The desk's most frequent write: token, tenancy, hub, card, e-services, the write with its
    history, the links, the timeline and the answer (from the contact in hand: only its e-services are
    read). Inside the test's transaction the service's begins and ends with a savepoint and its release,
    where production sends BEGIN and COMMIT: the same count (bench/queries.py counts 15 on PostgreSQL)."""
    api = api_as(bob, digibank_a)
    body = {"hub": hub.pk, "client": wies.number, "e_services": itsme_and_taxes(), "outcome": "solved"}
    assert api.post(URL, {**body, "duration_minutes": 5}, format="json").status_code == 201
    with django_assert_max_num_queries(15):
        assert api.post(URL, {**body, "duration_minutes": 15}, format="json").status_code == 201
