"""The catalogue in the API: scoped like the rest, 400 with field errors for bad input, its shapes in
the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from digibank.guidance.e_services.models import EService
from digibank.guidance.tests.factories import EServiceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/e-services/"
NEW = {
    "name": "Parkeerkaart Gent",
    "provider": "Stad Gent",
    "category": "municipality",
    "link": "https://stad.gent/parkeren",
    "needs": ["phone", "itsme"],
}


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_the_list_holds_flanders_and_the_own_services(api_as, bob, digibank_a, digibank_b):
    EServiceFactory(digibank=digibank_a, name="E-loket Gent")
    theirs = EServiceFactory(digibank=digibank_b, name="E-loket Turnhout")
    api = api_as(bob, digibank_a)
    response = api.get(URL)
    assert response.status_code == 200
    assert {"itsme", "MyPension", "E-loket Gent"} <= names(response) and "E-loket Turnhout" not in names(response)
    itsme = next(row for row in response.json()["results"] if row["name"] == "itsme")
    assert itsme["flanders_wide"] and itsme["digibank"] is None and itsme["needs"] == ["eid_reader", "phone"]
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404


def test_a_coordinator_creates_and_deactivates_a_local_service(api_as, alice, digibank_a):
    api = api_as(alice, digibank_a)
    created = api.post(URL, NEW, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["digibank"] == digibank_a.pk and created.json()["needs"] == ["itsme", "phone"]
    changed = api.patch(f"{URL}{created.json()['id']}/", {"active": False}, format="json")
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert EService.objects.get(name="Parkeerkaart Gent").active is False


def test_a_coordinator_may_not_change_flanders_nor_anothers(api_as, alice, digibank_a, digibank_b):
    api = api_as(alice, digibank_a)
    itsme = EService.objects.get(name="itsme")
    assert api.patch(f"{URL}{itsme.pk}/", {"provider": "X"}, format="json").status_code == 403
    theirs = EServiceFactory(digibank=digibank_b)
    assert api.put(f"{URL}{theirs.pk}/", NEW, format="json").status_code == 404
    assert api.delete(f"{URL}{itsme.pk}/").status_code == 405  # nothing is deleted


def test_the_department_creates_a_flanders_wide_service(api_as, dave):
    created = api_as(dave).post(URL, {**NEW, "name": "Mijn Dossier"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["flanders_wide"] is True and EService.objects.get(name="Mijn Dossier").digibank is None


def test_a_desk_worker_reads_but_does_not_write(api_as, bob, digibank_a):
    assert api_as(bob, digibank_a).post(URL, NEW, format="json").status_code == 403


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"name": ""}, "name"),
        ({"name": "itsme\x00"}, "name"),
        ({"name": "loket\u202e"}, "name"),
        ({"category": "sport"}, "category"),
        ({"link": "geen adres"}, "link"),
        ({"needs": ["fax"]}, "needs"),
        ({"needs": "itsme"}, "needs"),
        ({"provider": "x" * 151}, "provider"),
        ({"name": "Parkeerkaart Gent"}, "name"),  # taken, the second time
    ],
)
def test_bad_input_is_a_400_with_the_fields_error(api_as, alice, digibank_a, bad, field):
    api = api_as(alice, digibank_a)
    if bad.get("name") == "Parkeerkaart Gent":
        assert api.post(URL, NEW, format="json").status_code == 201
    response = api.post(URL, {**NEW, **bad}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_the_schema_states_the_shapes():
    schema = APIClient().get("/api/schema/?format=json").json()
    request = schema["components"]["schemas"]["EServiceRequest"]["properties"]
    assert request["name"]["pattern"] == "^[^\\u0000-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]+$"
    assert request["link"]["format"] == "uri"
    assert request["category"] == {"$ref": "#/components/schemas/EServiceCategoryEnum"}
    assert request["needs"]["type"] == "array"
    assert request["needs"]["items"] == {"$ref": "#/components/schemas/EServiceNeedEnum"}
    needs = schema["components"]["schemas"]["EServiceNeedEnum"]["enum"]
    assert set(needs) == {"eid_reader", "itsme", "email", "phone"}
    assert {"get", "post"} <= set(schema["paths"][URL]) and "delete" not in schema["paths"][URL + "{id}/"]
