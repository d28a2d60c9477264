"""The hub of a loan, one rule for the desk and the API: the hub chosen, which must lend, or else
the hub where the device is. The desk asks only where the digibank has more than one hub that
lends; the API takes `hub`, refused the same way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending.models import Loan
from digibank.devices.tests.factories import DeviceFactory
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def krook(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook", offers_lending=True)


@pytest.fixture
def person(digibank_a, bob):
    return ClientFactory(digibank=digibank_a, registered_by=bob, postal_code="9000")


@pytest.fixture
def laptop(digibank_a, krook):
    return DeviceFactory(digibank=digibank_a, hub=krook, ready=True)


def lend_post(person, laptop, **extra):
    return {"card": person.number, "tags": laptop.asset_tag, "action": "lend", **extra}


def test_with_one_hub_that_lends_the_desk_asks_nothing(login, bob, digibank_a, krook, person, laptop):
    HubFactory(digibank=digibank_a, name="Kantoor", offers_lending=False)
    HubFactory(digibank=digibank_a, name="Oud digipunt", offers_lending=True, closed_on=dt.date(2025, 1, 1))
    web = login(bob)
    page = web.get(reverse("devices:desk"), {"card": person.number})
    assert page.status_code == 200 and "hub" not in page.context["lend_form"].fields
    assert 'name="hub"' not in page.content.decode()

    response = web.post(reverse("devices:desk"), lend_post(person, laptop))
    assert response.status_code == 302
    assert Loan.objects.get().hub == krook


def test_with_more_hubs_that_lend_the_desk_chooses_one(login, bob, digibank_a, krook, person, laptop):
    melle = HubFactory(digibank=digibank_a, name="Digipunt Melle", offers_lending=True)
    HubFactory(digibank=digibank_a, name="Kantoor", offers_lending=False)
    web = login(bob)
    page = web.get(reverse("devices:desk"), {"card": person.number})
    body = page.content.decode()
    assert 'name="hub"' in body and "Digipunt Melle" in body and "Kantoor" not in body
    assert [hub.pk for hub in page.context["lend_form"].fields["hub"].queryset] == [krook.pk, melle.pk]

    response = web.post(reverse("devices:desk"), lend_post(person, laptop, hub=melle.pk))
    assert response.status_code == 302, response.context["lend_form"].errors
    loan = Loan.objects.get()
    assert loan.hub == melle  # where it is handed over, not where the laptop was kept


def test_the_desk_without_an_answer_lends_at_the_hub_of_the_device(login, bob, digibank_a, krook, person, laptop):
    HubFactory(digibank=digibank_a, name="Digipunt Melle", offers_lending=True)
    response = login(bob).post(reverse("devices:desk"), lend_post(person, laptop, hub=""))
    assert response.status_code == 302
    assert Loan.objects.get().hub == krook


def test_the_desk_offers_no_hub_that_does_not_lend(login, bob, digibank_a, krook, person, laptop):
    HubFactory(digibank=digibank_a, name="Digipunt Melle", offers_lending=True)
    office = HubFactory(digibank=digibank_a, name="Kantoor", offers_lending=False)
    response = login(bob).post(reverse("devices:desk"), lend_post(person, laptop, hub=office.pk))
    assert response.status_code == 400
    assert response.context["lend_form"].errors["hub"]
    assert not Loan.objects.exists()


def test_the_hub_choice_has_a_dutch_label(login, bob, digibank_a, krook, person, client):
    HubFactory(digibank=digibank_a, name="Digipunt Melle", offers_lending=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"  # the screens' first language
    body = login(bob).get(reverse("devices:desk"), {"card": person.number}).content.decode()
    assert "Knooppunt waar het toestel wordt meegegeven" in body
    assert "waar het toestel is" in body


def test_the_api_takes_the_hub_by_the_same_rule(api_as, bob, digibank_a, digibank_b, krook, person, laptop, settings):
    settings.LANGUAGE_CODE = "en"  # the API answers in the msgids' language
    api = api_as(bob)
    office = HubFactory(digibank=digibank_a, name="Kantoor", offers_lending=False)
    body = {"client": person.number, "tags": [laptop.asset_tag]}
    refused = api.post(f"{API}/loans/", {**body, "hub": office.pk}, format="json")
    assert refused.status_code == 400
    assert "No devices are lent at this hub" in refused.json()["hub"][0]
    theirs = HubFactory(digibank=digibank_b, offers_lending=True)
    assert "hub" in api.post(f"{API}/loans/", {**body, "hub": theirs.pk}, format="json").json()
    assert not Loan.objects.exists()

    melle = HubFactory(digibank=digibank_a, name="Digipunt Melle", offers_lending=True)
    made = api.post(f"{API}/loans/", {**body, "hub": melle.pk}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["hub"] == melle.pk


def test_the_api_without_a_hub_lends_at_the_hub_of_the_device(api_as, bob, krook, person, laptop):
    made = api_as(bob).post(f"{API}/loans/", {"client": person.number, "tags": [laptop.asset_tag]}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["hub"] == krook.pk
