"""The device bank's REST API for the stock: transfers, stock-takes and the stock summary; with the
personas of conftest: alice (coordinator), bob (desk) and tom (technician) in digibank A, carol
(coordinator) in B, dave at the Department."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from digibank.devices.register.lifecycle import Kind
from digibank.devices.register.models import Device
from digibank.devices.stock import services as stock_services
from digibank.devices.tests.factories import API, NOBODYS_TAG, DeviceFactory
from digibank.network.tests.factories import HubFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# The lifecycle ------------------------------------------------------------------------------------


def test_transfer_to_another_hub_of_the_digibank(api_as, tom, laptop, melle):
    response = api_as(tom).post(f"{API}/devices/{laptop.pk}/transfer/", {"hub": melle.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["hub_name"] == "Digipunt Melle"


def test_transfer_to_a_hub_of_another_digibank_is_400(api_as, tom, laptop, turnhout, krook):
    response = api_as(tom).post(f"{API}/devices/{laptop.pk}/transfer/", {"hub": turnhout.pk}, format="json")
    assert response.status_code == 400 and "hub" in response.json()
    assert Device.objects.get(pk=laptop.pk).hub_id == krook.pk


# Stock-takes and the stock ------------------------------------------------------------------------


def test_stocktake_shows_what_is_missing_misplaced_and_unknown(api_as, tom, krook, melle, laptop, charger, digibank_a):
    api = api_as(tom)
    elsewhere = DeviceFactory(digibank=digibank_a, hub=melle, ready=True)
    started = api.post(f"{API}/stocktakes/", {"hub": krook.pk}, format="json")
    assert started.status_code == 201, started.json()
    stocktake = started.json()["id"]
    assert (started.json()["hub_name"], started.json()["closed_at"]) == ("Digipunt De Krook", None)

    scan = api.post(f"{API}/stocktakes/{stocktake}/scans/", {"code": laptop.asset_tag.lower()}, format="json")
    assert scan.status_code == 201, scan.json()
    assert (scan.json()["scanned"], scan.json()["device"]) == (laptop.asset_tag, laptop.pk)
    assert api.post(f"{API}/stocktakes/{stocktake}/scans/", {"code": elsewhere.asset_tag}).status_code == 201
    unknown = api.post(f"{API}/stocktakes/{stocktake}/scans/", {"code": NOBODYS_TAG}, format="json")
    assert unknown.json()["device"] is None

    result = api.get(f"{API}/stocktakes/{stocktake}/result/").json()

    assert (result["scanned"], result["found"], result["all_in_order"]) == (3, 1, False)
    assert [(d["asset_tag"], d["kind"]) for d in result["missing"]] == [(charger.asset_tag, "charger")]
    assert [(m["asset_tag"], m["hub_name"]) for m in result["misplaced"]] == [(elsewhere.asset_tag, "Digipunt Melle")]
    assert (result["unknown"], result["unknown_count"]) == ([NOBODYS_TAG], 1)
    assert api.get(f"{API}/stocktakes/{stocktake}/").json()["scan_count"] == 3

    closed = api.post(f"{API}/stocktakes/{stocktake}/close/")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    late = api.post(f"{API}/stocktakes/{stocktake}/scans/", {"code": charger.asset_tag}, format="json")
    assert late.status_code == 400
    assert late.json()["non_field_errors"] == ["This stock-take is finished."]
    assert api.post(f"{API}/stocktakes/{stocktake}/close/").status_code == 400


def test_second_stocktake_at_a_hub_a_label_twice_or_a_hub_of_another_digibank_is_400(
    api_as, tom, krook, turnhout, laptop
):
    api = api_as(tom)
    stocktake = api.post(f"{API}/stocktakes/", {"hub": krook.pk}, format="json").json()["id"]
    second = api.post(f"{API}/stocktakes/", {"hub": krook.pk}, format="json")
    assert second.status_code == 400
    assert "already going on" in second.json()["hub"][0]
    assert api.post(f"{API}/stocktakes/", {"hub": turnhout.pk}, format="json").status_code == 400
    api.post(f"{API}/stocktakes/{stocktake}/scans/", {"code": laptop.asset_tag}, format="json")
    twice = api.post(f"{API}/stocktakes/{stocktake}/scans/", {"code": laptop.asset_tag}, format="json")
    assert twice.status_code == 400
    assert twice.json()["code"] == ["This label was already scanned."]
    assert api.post(f"{API}/stocktakes/{stocktake}/scans/", {"code": " "}, format="json").status_code == 400


def test_stocktake_scans_are_read_newest_first_in_pages_and_only_by_the_digibank(
    api_as, tom, bob, carol, krook, laptop
):
    stocktake = stock_services.stocktake_start(hub=krook, actor=tom)
    stock_services.stocktake_scan(stocktake=stocktake, code=laptop.asset_tag, actor=tom)
    stock_services.stocktake_scan(stocktake=stocktake, code=NOBODYS_TAG, actor=tom)

    page = api_as(bob).get(f"{API}/stocktakes/{stocktake.pk}/scans/")

    assert page.status_code == 200, page.json()
    assert page.json()["count"] == 2
    assert [(s["scanned"], s["device"]) for s in page.json()["results"]] == [
        (NOBODYS_TAG, None),
        (laptop.asset_tag, laptop.pk),
    ]
    assert api_as(carol).get(f"{API}/stocktakes/{stocktake.pk}/scans/").status_code == 404
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"get", "post"} <= set(schema["/api/v1/stocktakes/{id}/scans/"])


def test_stocktake_list_filters(api_as, tom, krook, melle):
    stock_services.stocktake_start(hub=krook, actor=tom)
    done = stock_services.stocktake_start(hub=melle, actor=tom)
    stock_services.stocktake_close(stocktake=done, actor=tom)
    api = api_as(tom)
    assert api.get(f"{API}/stocktakes/").json()["count"] == 2
    assert [s["hub"] for s in api.get(f"{API}/stocktakes/", {"open": "true"}).json()["results"]] == [krook.pk]
    assert api.get(f"{API}/stocktakes/", {"hub": melle.pk}).json()["count"] == 1
    assert api.get(f"{API}/stocktakes/", {"open": "perhaps"}).status_code == 400


def test_desk_reads_stocktakes_but_cannot_start_scan_or_close(api_as, bob, tom, krook, laptop):
    stocktake = stock_services.stocktake_start(hub=krook, actor=tom)
    api = api_as(bob)
    assert api.get(f"{API}/stocktakes/").json()["count"] == 1
    assert api.get(f"{API}/stocktakes/{stocktake.pk}/result/").status_code == 200
    assert api.post(f"{API}/stocktakes/", {"hub": krook.pk}, format="json").status_code == 403
    scan = api.post(f"{API}/stocktakes/{stocktake.pk}/scans/", {"code": laptop.asset_tag}, format="json")
    assert scan.status_code == 403
    assert api.post(f"{API}/stocktakes/{stocktake.pk}/close/").status_code == 403


def test_stock_summary_counts_per_hub_type_state_and_grade(
    api_as, bob, laptop, charger, received, krook, melle, turnhout, their_laptop
):
    api = api_as(bob)
    body = api.get(f"{API}/stock/").json()
    assert body["total"] == 3
    assert {(r["hub_name"], r["kind"], r["state"], r["grade"], r["count"]) for r in body["results"]} == {
        ("Digipunt De Krook", "laptop", "received", "", 1),
        ("Digipunt De Krook", "laptop", "ready", "B", 1),
        ("Digipunt De Krook", "charger", "ready", "B", 1),
    }
    assert api.get(f"{API}/stock/", {"hub": krook.pk}).json()["total"] == 3
    assert api.get(f"{API}/stock/", {"hub": melle.pk}).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
        "total": 0,
    }
    for hub in (turnhout.pk, "Krook"):
        response = api.get(f"{API}/stock/", {"hub": hub})
        assert response.status_code == 400 and "hub" in response.json()


# Token and user, memberships, the stock's one query.
STOCK_QUERIES = 3


def test_the_stock_is_paginated_and_its_total_counts_every_page(
    api_as, bob, digibank_a, krook, django_assert_num_queries
):
    for index in range(3):
        DeviceFactory(digibank=digibank_a, hub=HubFactory(digibank=digibank_a), ready=True)
        DeviceFactory(digibank=digibank_a, hub=krook, kind=[Kind.LAPTOP, Kind.TABLET, Kind.MONITOR][index])
    api = api_as(bob)
    with django_assert_num_queries(STOCK_QUERIES):
        first = api.get(f"{API}/stock/", {"page_size": 4}).json()
    assert (first["count"], first["total"], len(first["results"])) == (6, 6, 4) and first["next"]
    second = api.get(first["next"]).json()
    assert (second["total"], len(second["results"]), second["next"]) == (6, 2, None)
    lines = {(r["hub"], r["kind"], r["state"]) for r in first["results"] + second["results"]}
    assert len(lines) == 6
    for _ in range(10):
        DeviceFactory(digibank=digibank_a, hub=HubFactory(digibank=digibank_a), ready=True)
    with django_assert_num_queries(STOCK_QUERIES):
        assert api.get(f"{API}/stock/", {"page_size": 4}).json()["total"] == 16


def test_department_sees_no_stock(api_as, dave, laptop):
    assert api_as(dave).get(f"{API}/stock/").status_code == 403
