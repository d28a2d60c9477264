"""Names typed joined: "vandenbroeck" for Van den Broeck, "dhondt" for D'Hondt. The desk's search
and the duplicate check treat spaces and apostrophes in a name as if they were not there."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from digibank.clients import selectors, services
from digibank.clients.models import Client
from digibank.clients.tests.factories import ClientFactory
from digibank.core.tenancy import Tenancy

pytestmark = pytest.mark.django_db


def register(digibank, actor, first_name, last_name, **extra):
    fields = {"birth_date": dt.date(1961, 3, 5), "postal_code": "9000", **extra}
    return services.client_register(
        digibank=digibank, actor=actor, first_name=first_name, last_name=last_name, **fields
    )


def search(digibank, query):
    return set(selectors.client_search(Tenancy(user_id=1, digibank_id=digibank.pk, roles=("desk",)), query))


@pytest.fixture
def people(digibank_a, bob):
    """Two holders of the same name in its two spellings, a D'Hondt, and someone else."""
    return {
        "spaced": register(digibank_a, bob, "Jan", "Van den Broeck"),
        "joined": register(digibank_a, bob, "Els", "Vandenbroeck"),
        "apostrophe": register(digibank_a, bob, "Piet", "D'Hondt"),
        "other": register(digibank_a, bob, "Marie-Claire", "Van Damme"),
    }


@pytest.mark.parametrize(
    "query, found",
    [
        ("vandenbroeck", {"spaced", "joined"}),
        ("Vandenbroeck", {"spaced", "joined"}),
        ("vandenbr", {"spaced", "joined"}),
        ("van den broeck", {"spaced", "joined"}),
        ("vanden broeck", {"spaced", "joined"}),
        ("jan vandenbroeck", {"spaced"}),
        ("vandenbroeck jan", {"spaced"}),
        ("van den broeck els", {"joined"}),
        ("dhondt", {"apostrophe"}),
        ("d'hondt", {"apostrophe"}),
        ("D’Hondt piet", {"apostrophe"}),
        ("marieclaire", {"other"}),
        ("broeck", {"spaced"}),  # a word is still found by its start, as before
        ("roeck", set()),
        ("andenbroeck", set()),
    ],
)
def test_a_name_is_found_however_its_spaces_and_apostrophes_are_typed(digibank_a, people, query, found):
    assert search(digibank_a, query) == {people[name] for name in found}


def test_desk_search_finds_the_surname_typed_joined(login, bob, digibank_a, people):
    response = login(bob).get(reverse("clients:search"), {"q": "vandenbroeck"})
    assert set(response.context["object_list"]) == {people["spaced"], people["joined"]}
    assert "Niemand gevonden" not in response.content.decode()


def test_api_search_finds_the_surname_without_its_apostrophe(api_as, bob, people):
    results = api_as(bob).get("/api/v1/clients/", {"q": "dhondt"}).json()["results"]
    assert [c["id"] for c in results] == [people["apostrophe"].pk]


@pytest.mark.parametrize(
    "first_name, last_name", [("Jan", "Vandenbroeck"), ("jan", "van den broeck"), ("Jan", "Van Den-Broeck")]
)
def test_the_same_name_spelled_joined_or_apart_is_a_possible_duplicate(digibank_a, bob, first_name, last_name):
    existing = register(digibank_a, bob, "Jan", "Van den Broeck")
    found = selectors.possible_duplicates(
        Tenancy(digibank_id=digibank_a.pk),
        first_name=first_name,
        last_name=last_name,
        birth_date=dt.date(1961, 3, 5),
        phone="",
    )
    assert list(found) == [existing]


def test_a_name_without_its_apostrophe_is_a_possible_duplicate_at_the_desk(login, bob, digibank_a):
    existing = register(digibank_a, bob, "Piet", "D'Hondt")
    data = {
        "first_name": "Piet",
        "last_name": "Dhondt",
        "birth_date": "05-03-1961",
        "postal_code": "9000",
        "language": "nl",
        "found_via": "walk_in",
    }
    response = login(bob).post(reverse("clients:register"), data)
    assert response.status_code == 200 and response.context["duplicates"] == [existing]
    assert Client.objects.count() == 1


def test_a_different_birth_date_is_no_duplicate_however_the_name_is_spelled(digibank_a, bob):
    register(digibank_a, bob, "Jan", "Van den Broeck")
    other = services.client_register(
        digibank=digibank_a, actor=bob, first_name="Jan", last_name="Vandenbroeck", birth_date=dt.date(1961, 3, 6)
    )
    assert Client.objects.count() == 2 and other.pk


def test_anonymising_clears_the_joined_names(digibank_a, bob, alice):
    client = register(digibank_a, bob, "Jan", "Van den Broeck")
    assert Client.objects.filter(pk=client.pk, name_key="jan vandenbroeck").exists()
    services.client_anonymise(client=client, actor=alice, reason="request")
    assert Client.objects.filter(pk=client.pk, search_text="", name_key="").exists()
    assert search(digibank_a, "vandenbroeck") == set()


def test_migration_fills_the_joined_names_of_clients_registered_before(digibank_a, bob, alice):
    before = ClientFactory(
        digibank=digibank_a, first_name="Piet", last_name="D'Hondt", search_text="piet d hondt", name_key=""
    )
    gone = ClientFactory(digibank=digibank_a, first_name="Ann", last_name="Weg", name_key="")
    services.client_anonymise(client=gone, actor=alice, reason="request")
    assert search(digibank_a, "dhondt") == set()
    migration = importlib.import_module("digibank.clients.migrations.0004_client_joined_names")
    migration.fill_joined_names(apps, None)
    before.refresh_from_db()
    assert (before.search_text, before.name_key) == ("piet d hondt dhondt", "piet dhondt")
    assert Client.objects.filter(pk=gone.pk, search_text="", name_key="").exists()
    assert search(digibank_a, "dhondt") == {before}
