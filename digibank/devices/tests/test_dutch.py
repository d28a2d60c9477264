"""The screens and the API speak Dutch first: a refusal reaches the desk as a clear Dutch sentence
next to its field, and the API's 400 carries the same sentence."""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lifecycle import State
from digibank.devices.models import Device, Loan
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
