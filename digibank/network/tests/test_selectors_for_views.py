"""The network's reads that its screens and the device bank's make, each scoped like the page."""

from __future__ import annotations

import datetime as dt

import pytest

from digibank.core.tenancy import Tenancy
from digibank.network import selectors
from digibank.network.tests.factories import HubFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_partners_a_form_offers_are_the_digibanks_that_did_not_leave(digibank_a, digibank_b):
    ocmw = PartnerFactory(digibank=digibank_a, name="OCMW Gent")
    bib = PartnerFactory(digibank=digibank_a, name="Bibliotheek De Krook")
    PartnerFactory(digibank=digibank_a, name="Gestopt", left_on=dt.date(2025, 6, 30))
    PartnerFactory(digibank=digibank_b, name="OCMW Turnhout")
    mine = Tenancy(user_id=1, digibank_id=digibank_a.pk, roles=("coordinator",))
    assert list(selectors.active_partners(mine)) == [bib, ocmw]


def test_a_digibank_is_seen_by_its_staff_and_by_the_department(digibank_a, digibank_b):
    mine = Tenancy(user_id=1, digibank_id=digibank_a.pk, roles=("coordinator",))
    department = Tenancy(user_id=2, department_role="programme_officer")
    assert list(selectors.digibanks_of(mine)) == [digibank_a]
    assert set(selectors.digibanks_of(department)) >= {digibank_a, digibank_b}


def test_the_department_page_of_a_digibank_lists_its_own_hubs_and_partners(digibank_a, digibank_b):
    zuid = HubFactory(digibank=digibank_a, name="Digipunt Zuid")
    krook = HubFactory(digibank=digibank_a, name="Digipunt De Krook")
    HubFactory(digibank=digibank_b, name="Digipunt Turnhout")
    ocmw = PartnerFactory(digibank=digibank_a, name="OCMW Gent")
    PartnerFactory(digibank=digibank_b, name="OCMW Turnhout")
    hubs, partners = selectors.hubs_and_partners(digibank_a)
    assert list(hubs) == [krook, zuid] and list(partners) == [ocmw]
