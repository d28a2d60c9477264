"""The network's REST API for the roles (memberships); with the personas of conftest: alice
(coordinator) and bob (desk) in digibank A, carol (coordinator) in B, dave at the Department, erin
coordinator in A and desk worker in B."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from digibank.core.roles import Role
from digibank.network.models import Membership
from digibank.network.tests.factories import API, MembershipFactory, PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# Memberships --------------------------------------------------------------------------------------


def test_coordinator_gives_role_to_new_person(api_as, alice, digibank_a):
    response = api_as(alice).post(
        f"{API}/memberships/",
        {
            "email": "Nora@Example.be",
            "role": "technician",
            "first_name": "Nora",
        },
    )
    assert response.status_code == 201, response.json()
    user = get_user_model().objects.get(email="nora@example.be")
    assert response.json()["user"]["id"] == user.pk
    assert Membership.objects.get(user=user).digibank == digibank_a


def test_new_person_without_first_name_is_400(api_as, alice):
    response = api_as(alice).post(f"{API}/memberships/", {"email": "nora@example.be", "role": "desk"})
    assert response.status_code == 400
    assert "first_name" in response.json()


def test_partner_worker_without_partner_is_400(api_as, alice, bob):
    response = api_as(alice).post(f"{API}/memberships/", {"email": bob.email, "role": "partner_worker"})
    assert response.status_code == 400
    assert "partner" in response.json()


def test_partner_worker_for_partner_of_other_digibank_is_400(api_as, alice, bob, digibank_b):
    theirs = PartnerFactory(digibank=digibank_b)
    response = api_as(alice).post(
        f"{API}/memberships/",
        {
            "email": bob.email,
            "role": "partner_worker",
            "partner": theirs.pk,
        },
    )
    assert response.status_code == 400
    assert "partner" in response.json()


def test_partner_worker_for_partner_that_left_is_400(api_as, alice, bob, digibank_a):
    gone = PartnerFactory(digibank=digibank_a, left=True)
    response = api_as(alice).post(
        f"{API}/memberships/",
        {
            "email": bob.email,
            "role": "partner_worker",
            "partner": gone.pk,
        },
    )
    assert response.status_code == 400
    assert "partner" in response.json()


def test_same_role_twice_is_400(api_as, alice, bob):
    response = api_as(alice).post(f"{API}/memberships/", {"email": bob.email, "role": "desk"})
    assert response.status_code == 400
    assert "role" in response.json()


def test_desk_worker_cannot_see_memberships(api_as, bob):
    assert api_as(bob).get(f"{API}/memberships/").status_code == 403


def test_memberships_show_only_own_digibank(api_as, alice, bob, carol):
    response = api_as(alice).get(f"{API}/memberships/")
    assert {m["user"]["username"] for m in response.json()["results"]} == {"alice", "bob"}


def test_ended_role_stays_inactive(api_as, alice, bob, digibank_a):
    membership = Membership.objects.get(user=bob, digibank=digibank_a)
    response = api_as(alice).post(f"{API}/memberships/{membership.pk}/end/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    membership.refresh_from_db()
    assert membership.is_active is False


def test_last_coordinator_cannot_end_own_role(api_as, alice, digibank_a):
    membership = Membership.objects.get(user=alice, digibank=digibank_a)
    response = api_as(alice).post(f"{API}/memberships/{membership.pk}/end/")
    assert response.status_code == 400
    assert "coordinator" in response.json()["role"][0]


def test_role_in_other_digibank_cannot_be_ended(api_as, alice, carol, digibank_b):
    membership = Membership.objects.get(user=carol)
    assert api_as(alice).post(f"{API}/memberships/{membership.pk}/end/").status_code == 404


def test_membership_cannot_be_deleted(api_as, alice, bob):
    membership = Membership.objects.get(user=bob)
    assert api_as(alice).delete(f"{API}/memberships/{membership.pk}/").status_code == 405


# Queries ------------------------------------------------------------------------------------------


def test_membership_list_queries_do_not_grow_with_rows(api_as, alice, digibank_a, django_assert_num_queries):
    api = api_as(alice)
    with django_assert_num_queries(4):
        api.get(f"{API}/memberships/")
    for partner in PartnerFactory.create_batch(5, digibank=digibank_a):
        MembershipFactory(digibank=digibank_a, role=Role.PARTNER_WORKER, partner=partner)
    with django_assert_num_queries(4):
        assert api.get(f"{API}/memberships/").json()["count"] == 6
