"""The people of the chain, in digibank A (conftest's alice and bob work there):

olga: partner worker at the OCMW (refers people)     cas: partner worker at the CAW (another organisation)
hub "Zuid" of A receives; hub "Turnhout" belongs to digibank B."""

from __future__ import annotations

import pytest

from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.network.tests.factories import HubFactory, MembershipFactory, PartnerFactory, UserFactory


@pytest.fixture
def zuid(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Zuid", offers_training=True)


@pytest.fixture
def turnhout(digibank_b):
    return HubFactory(digibank=digibank_b, name="Digipunt Turnhout")


@pytest.fixture
def ocmw(digibank_a):
    return PartnerFactory(digibank=digibank_a, name="OCMW Gent", kind="ocmw")


@pytest.fixture
def caw(digibank_a):
    return PartnerFactory(digibank=digibank_a, name="CAW Oost-Vlaanderen", kind="middenveld")


def _partner_worker(username, digibank, partner):
    user = UserFactory(username=username, first_name=username.capitalize(), last_name="Partner")
    MembershipFactory(user=user, digibank=digibank, role=Role.PARTNER_WORKER, partner=partner)
    return user


@pytest.fixture
def olga(digibank_a, ocmw):
    return _partner_worker("olga", digibank_a, ocmw)


@pytest.fixture
def cas(digibank_a, caw):
    return _partner_worker("cas", digibank_a, caw)


@pytest.fixture
def wies(digibank_a, alice, zuid):
    return ClientFactory(digibank=digibank_a, registered_by=alice, first_name="Wies", last_name="Verbeke")
