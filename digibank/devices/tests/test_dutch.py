"""The screens and the API speak Dutch first: a refusal reaches the desk as a clear Dutch sentence
next to its field, and the API's 400 carries the same sentence."""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import translation

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.intake import services as intake_services
from digibank.devices.intake.models import Donor
from digibank.devices.lending.models import Loan
from digibank.devices.register.lifecycle import State
from digibank.devices.register.models import Device
from digibank.devices.tests.factories import DeviceFactory
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dutch(bob):
    """A browser without the language cookie, as at a hub's desk."""
    browser = Browser()
    browser.force_login(bob)
    return browser


def test_a_mistyped_label_is_refused_in_dutch_next_to_the_labels_and_nothing_is_lent(dutch, digibank_a, bob):
    hub = HubFactory(digibank=digibank_a)
    person = ClientFactory(digibank=digibank_a, registered_by=bob)
    response = dutch.post(reverse("devices:desk"), {"card": person.number, "tags": "T-ABCD-1234", "action": "lend"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "is geen labelcode: kijk na wat er getypt is." in page
    assert not Loan.objects.exists()
    assert hub.pk


def test_the_api_refuses_a_device_that_is_not_ready_in_dutch(api_as, bob, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    person = ClientFactory(digibank=digibank_a, registered_by=bob)
    wiped = DeviceFactory(digibank=digibank_a, hub=hub, state=State.WIPED)
    response = api_as(bob).post(
        "/api/v1/loans/", {"client": person.number, "hub": hub.pk, "tags": [wiped.asset_tag]}, format="json"
    )
    assert response.status_code == 400
    message = " ".join(response.json()["tags"])
    assert wiped.asset_tag in message and "gewist" in message and "niet klaar" in message
    assert Device.objects.get(pk=wiped.pk).state == State.WIPED


def test_a_device_and_a_loan_are_brought_back_and_a_deposit_is_given_back_in_dutch():
    # One English word, two Dutch ones: the context of the label decides which.
    with translation.override("nl"):
        assert str(State.RETURNED.label) == "teruggebracht"
        assert str(Loan.Status.RETURNED.label) == "teruggebracht"
        assert str(Loan.Deposit.RETURNED.label) == "teruggegeven"


def test_a_second_donor_with_the_same_name_is_refused_in_dutch_next_to_the_name(tom, digibank_a):
    intake_services.donor_create(digibank=digibank_a, actor=tom, name="Stad Gent")
    desk = Browser()
    desk.force_login(tom)
    response = desk.post(reverse("devices:donors"), {"name": "Stad Gent"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Uw digibank heeft al een schenker met deze naam."]
    assert not response.context["form"].non_field_errors()
    assert Donor.objects.count() == 1


def test_the_api_refuses_a_second_donor_with_the_same_name_in_dutch_on_the_name(api_as, tom, digibank_a):
    intake_services.donor_create(digibank=digibank_a, actor=tom, name="KBC Gent")
    response = api_as(tom).post("/api/v1/donors/", {"name": "KBC Gent"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["Uw digibank heeft al een schenker met deze naam."]}
    assert Donor.objects.count() == 1
