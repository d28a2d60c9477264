"""The network's public REST API: the municipalities, the finder, and the Department's coverage; with
the personas of conftest: alice (coordinator) and bob (desk) in digibank A, carol (coordinator) in B,
dave at the Department, erin coordinator in A and desk worker in B."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from rest_framework.test import APIClient

from digibank.network.tests.factories import API, MONDAY_TEN, HubFactory, OpeningHoursFactory, hubs_with_week

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# Municipalities, the public finder, coverage ------------------------------------------------------


def test_municipalities_are_public_and_paginated():
    response = APIClient().get(f"{API}/municipalities/")
    assert response.status_code == 200
    assert response.json()["count"] == 285
    assert len(response.json()["results"]) == 50


def test_municipality_by_nis_code():
    response = APIClient().get(f"{API}/municipalities/44021/")
    assert response.json()["name"] == "Gent"
    assert response.json()["province_name"] == "Oost-Vlaanderen"


@pytest.mark.parametrize(
    ("query", "nis_codes"),
    [
        ("9820", ["44088"]),  # a postal code
        ("44043", ["44088"]),  # the NIS code of Merelbeke before the merger
        ("borsbeek", ["11002"]),  # merged into Antwerpen in 2025
        ("sint-niklaas", ["46021"]),
        ("9999", []),
    ],
)
def test_municipality_search(query, nis_codes):
    response = APIClient().get(f"{API}/municipalities/", {"q": query})
    assert [m["nis_code"] for m in response.json()["results"]] == nis_codes


def test_finder_shows_hubs_serving_the_place_with_todays_hours(digibank_a):
    hub = HubFactory(digibank=digibank_a, name="Digipunt De Krook")
    OpeningHoursFactory(hub=hub, weekday=0, opens=dt.time(9), closes=dt.time(12))
    HubFactory(digibank=digibank_a, closed=True)
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_TEN):
        response = APIClient().get(f"{API}/public/finder/", {"q": "9000"})
    body = response.json()
    assert body["problem"] == ""
    assert body["municipality"]["nis_code"] == "44021"
    assert [h["name"] for h in body["hubs"]] == ["Digipunt De Krook"]
    assert body["hubs"][0]["open_now"] is True
    assert body["hubs"][0]["today"]["periods"] == [{"opens": "09:00:00", "closes": "12:00:00"}]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("9999", "unknown_postal_code"),
        ("1000", "outside_flanders"),
        ("Atlantis", "unknown_name"),
        ("", "empty"),
    ],
)
def test_finder_gives_problem_code_when_nothing_is_found(query, problem):
    response = APIClient().get(f"{API}/public/finder/", {"q": query})
    assert response.status_code == 200
    assert response.json()["problem"] == problem
    assert response.json()["municipality"] is None
    assert response.json()["hubs"] == []


def test_department_sees_coverage(api_as, dave, digibank_a, digibank_b):
    response = api_as(dave).get(f"{API}/coverage/")
    assert response.status_code == 200
    body = response.json()
    assert (body["flanders"]["total"], body["flanders"]["covered"]) == (285, 4)
    antwerpen = next(p for p in body["provinces"] if p["code"] == "10000")
    assert antwerpen["covered"] == 2
    assert "13040" not in {m["nis_code"] for m in antwerpen["uncovered"]}


def test_digibank_staff_cannot_see_coverage(api_as, alice):
    assert api_as(alice).get(f"{API}/coverage/").status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_coverage_cannot_be_written(api_as, alice, dave, method):
    """Found by tests/test_api_fuzz.py: a view naming no write permission gave a 500 for every write."""
    for user in (alice, dave):
        assert getattr(api_as(user), method)(f"{API}/coverage/").status_code == 403


# Queries ------------------------------------------------------------------------------------------


def test_finder_queries_do_not_grow_with_hubs(digibank_a, django_assert_max_num_queries):
    hubs_with_week(digibank_a, 6)
    with django_assert_max_num_queries(6):
        assert len(APIClient().get(f"{API}/public/finder/", {"q": "9000"}).json()["hubs"]) == 6


@pytest.mark.parametrize(
    ("query", "nis_code", "former", "place"),
    [
        ("44043", "44088", "Merelbeke", ""),  # a NIS code from before the 2025 merger
        ("Merelbeke", "44088", "Merelbeke", ""),
        ("Mariakerke", "44021", "", "Mariakerke"),
        ("Zingem", "45068", "", "Zingem"),
    ],
)
def test_finder_says_which_former_municipality_or_place_matched(query, nis_code, former, place):
    body = APIClient().get(f"{API}/public/finder/", {"q": query}).json()
    assert body["municipality"]["nis_code"] == nis_code
    assert (body["matched_former"], body["matched_place"]) == (former, place)


def test_finder_says_a_walloon_place_name_is_outside_flanders():
    assert APIClient().get(f"{API}/public/finder/", {"q": "Namur"}).json()["problem"] == "outside_flanders"
