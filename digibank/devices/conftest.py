"""The device bank's shared fixtures. Digibank A's hub De Krook (alias `krook`) holds a ready
laptop and a ready charger; Melle is A's other hub and Turnhout B's. Sébastien (API tests) and Wies
(`person`, screen tests) are clients of A; `lent` is Sébastien's loan of the laptop with its charger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.intake import services as intake_services
from digibank.devices.lending import services as lending_services
from digibank.devices.register.lifecycle import Kind
from digibank.devices.tests.factories import BatchFactory, DeviceFactory, SoftwareProfileFactory
from digibank.network.tests.factories import HubFactory


@pytest.fixture(autouse=True)
def english_messages():
    """The services' messages are asserted by their English msgids; the screens show them in Dutch
    (the Dutch ones are checked in test_dutch.py)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """The screens in English (the language switch's cookie), so tests read like the msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english(settings):
    """Messages are asserted in English, the language of the msgids, whatever the .po files say (the
    API's files use it through their pytestmark)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def hub(digibank_a):
    """A's hub in Gent, where the devices of these tests are and where A lends."""
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook", postal_code="9000", offers_lending=True)


@pytest.fixture
def krook(hub):
    """The same hub, by the name the API's tests give it next to Melle and Turnhout."""
    return hub


@pytest.fixture
def melle(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Melle", postal_code="9090")


@pytest.fixture
def turnhout(digibank_b):
    return HubFactory(digibank=digibank_b, name="Digipunt Turnhout", postal_code="2300")


@pytest.fixture
def batch(digibank_a, hub, tom):
    return BatchFactory(digibank=digibank_a, hub=hub, received_by=tom)


@pytest.fixture
def laptop(digibank_a, hub):
    return DeviceFactory(digibank=digibank_a, hub=hub, ready=True, serial_number="PF1XK2QJ")


@pytest.fixture
def charger(digibank_a, hub):
    return DeviceFactory(digibank=digibank_a, hub=hub, ready=True, accessory=True)


@pytest.fixture
def their_laptop(digibank_b, turnhout):
    return DeviceFactory(digibank=digibank_b, hub=turnhout, ready=True)


@pytest.fixture
def sebastien(digibank_a, bob):
    return ClientFactory(
        digibank=digibank_a, first_name="Sébastien", last_name="Van den Broeck", postal_code="9000", registered_by=bob
    )


@pytest.fixture
def lent(digibank_a, hub, sebastien, laptop, charger, bob):
    """Sébastien borrows the laptop with its charger; the rules ask a deposit of 20 euros."""
    lending_services.rules_update(digibank=digibank_a, actor=bob, deposit=Decimal("20"))
    return lending_services.loan_check_out(
        digibank=digibank_a, hub=hub, client=sebastien, devices=[laptop, charger], actor=bob, deposit_payment="paid"
    )


@pytest.fixture
def received(batch, tom):
    return intake_services.device_intake(
        batch=batch, actor=tom, kind=Kind.LAPTOP, serial_number="CN0X1234", storage_serial="S3Z1NB0K812345X"
    )


@pytest.fixture
def other_hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Merelbeke")


@pytest.fixture
def profile(digibank_a):
    return SoftwareProfileFactory(digibank=digibank_a)


@pytest.fixture
def person(digibank_a, bob):
    return ClientFactory(digibank=digibank_a, registered_by=bob, first_name="Wies", last_name="Claeys")
