"""The network's REST API for the partners; with the personas of conftest: alice (coordinator) and bob
(desk) in digibank A, carol (coordinator) in B, dave at the Department, erin coordinator in A and desk
worker in B."""

from __future__ import annotations

import datetime as dt

import pytest

from digibank.network.models import Partner
from digibank.network.tests.factories import API, PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# Partners -----------------------------------------------------------------------------------------


def test_coordinator_adds_partner_with_enterprise_number(api_as, alice, digibank_a):
    response = api_as(alice).post(
        f"{API}/partners/",
        {
            "name": "Bibliotheek De Krook",
            "kind": "bibliotheek",
            "role": "Uitleenpunt",
            "enterprise_number": "0403.170.701",
        },
    )
    assert response.status_code == 201, response.json()
    partner = Partner.objects.get(pk=response.json()["id"])
    assert partner.digibank == digibank_a
    assert partner.enterprise_number == "0403170701"
    assert response.json()["enterprise_number_display"] == "0403.170.701"
    assert partner.history.first().history_user == alice


def test_wrong_check_digit_is_400_with_field_error(api_as, alice):
    response = api_as(alice).post(
        f"{API}/partners/",
        {
            "name": "Bib",
            "kind": "bibliotheek",
            "role": "Onthaal",
            "enterprise_number": "0403.170.702",
        },
    )
    assert response.status_code == 400
    assert "enterprise_number" in response.json()
    assert not Partner.objects.exists()


def test_same_enterprise_number_twice_in_one_digibank_is_400(api_as, alice, digibank_a):
    PartnerFactory(digibank=digibank_a, enterprise_number="0403170701")
    response = api_as(alice).post(
        f"{API}/partners/",
        {
            "name": "Bib",
            "kind": "bibliotheek",
            "role": "Onthaal",
            "enterprise_number": "0403.170.701",
        },
    )
    assert response.status_code == 400
    assert "already a partner" in response.json()["non_field_errors"][0]


def test_partner_cannot_leave_before_it_joined(api_as, alice, digibank_a):
    partner = PartnerFactory(digibank=digibank_a, joined_on=dt.date(2024, 1, 1))
    response = api_as(alice).patch(f"{API}/partners/{partner.pk}/", {"left_on": "2023-12-31"}, format="json")
    assert response.status_code == 400
    partner.refresh_from_db()
    assert partner.left_on is None


def test_partner_leaves_by_patch(api_as, alice, digibank_a):
    partner = PartnerFactory(digibank=digibank_a)
    response = api_as(alice).patch(f"{API}/partners/{partner.pk}/", {"left_on": "2025-06-30"}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_partner_cannot_be_deleted(api_as, alice, digibank_a):
    partner = PartnerFactory(digibank=digibank_a)
    assert api_as(alice).delete(f"{API}/partners/{partner.pk}/").status_code == 405
    assert Partner.objects.filter(pk=partner.pk).exists()


# Queries ------------------------------------------------------------------------------------------


PARTNER_LIST_QUERIES = 4


def test_partner_list_queries_do_not_grow_with_rows(api_as, alice, digibank_a, django_assert_num_queries):
    api = api_as(alice)
    PartnerFactory.create_batch(2, digibank=digibank_a)
    with django_assert_num_queries(PARTNER_LIST_QUERIES):
        assert api.get(f"{API}/partners/").json()["count"] == 2
    PartnerFactory.create_batch(8, digibank=digibank_a)
    with django_assert_num_queries(PARTNER_LIST_QUERIES):
        assert api.get(f"{API}/partners/").json()["count"] == 10
