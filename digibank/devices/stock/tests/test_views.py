"""The technician's screens for the stock: the stock in numbers, transfers between hubs and the stock-
take."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending import services as lending_services
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import DeviceEvent
from digibank.devices.stock import services as stock_services
from digibank.devices.stock.models import StockTake
from digibank.devices.stock.selectors import stock_summary, stocktake_result
from digibank.devices.tests.factories import DeviceFactory, count_queries, device_url, intake, ready
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


# Repair, transfer, recycling ----------------------------------------------------------------------


def test_device_moves_to_another_hub_of_the_digibank(login, tom, batch, other_hub):
    device = intake(batch, tom)
    response = login(tom).post(device_url("device_transfer", device), {"transfer-hub": other_hub.pk})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.hub == other_hub
    assert device.events.filter(kind=DeviceEvent.Kind.TRANSFER, to_hub=other_hub).exists()


def test_device_cannot_move_to_a_hub_of_another_digibank(login, tom, batch, digibank_b):
    device = intake(batch, tom)
    foreign = HubFactory(digibank=digibank_b)
    response = login(tom).post(device_url("device_transfer", device), {"transfer-hub": foreign.pk})
    assert response.status_code == 400
    device.refresh_from_db()
    assert device.hub == batch.hub


# The stock ----------------------------------------------------------------------------------------


def test_stock_summary_counts_per_hub_type_state_and_grade(digibank_a, hub, other_hub, tom, batch, profile):
    from digibank.core.tenancy import Tenancy

    for _ in range(3):
        ready(batch, tom, profile)
    intake(batch, tom)
    intake(batch, tom, kind=Kind.MONITOR)
    moved = intake(batch, tom)
    stock_services.device_transfer(device=moved, hub=other_hub, actor=tom)
    gone = refurbishment_services.device_transition(
        device=intake(batch, tom, kind=Kind.MOUSE), target=State.RETIRED, actor=tom, note="x"
    )
    collection = refurbishment_services.collection_create(digibank=digibank_a, actor=tom, recycler="R", reference="1")
    refurbishment_services.device_recycle(device=gone, collection=collection, weight_kg=Decimal("0.1"), actor=tom)
    DeviceFactory(digibank=HubFactory().digibank)  # another digibank's

    tenancy = Tenancy(user_id=tom.pk, digibank_id=digibank_a.pk, roles=("technician",))
    rows = {(r.hub_name, r.kind, r.state, r.grade): r.count for r in stock_summary(tenancy)}
    assert rows == {
        (hub.name, "laptop", "received", ""): 1,
        (hub.name, "laptop", "ready", "B"): 3,
        (hub.name, "monitor", "received", ""): 1,
        (other_hub.name, "laptop", "received", ""): 1,
    }
    assert {r.hub_name for r in stock_summary(tenancy, hub=other_hub)} == {other_hub.name}


def test_stock_page_shows_the_counts_and_filters_the_list(login, bob, tom, batch, profile):
    ready(batch, tom, profile, serial_number="READY-1")
    intake(batch, tom, serial_number="NEW-1")
    web = login(bob)
    page = web.get(reverse("devices:devices")).content.decode()
    assert "READY-1" in page and "NEW-1" in page
    page = web.get(reverse("devices:devices"), {"state": "ready"}).content.decode()
    assert "READY-1" in page and "NEW-1" not in page
    page = web.get(reverse("devices:devices"), {"q": "new-1"}).content.decode()
    assert "NEW-1" in page and "READY-1" not in page


# The stock-take -----------------------------------------------------------------------------------


def test_stocktake_shows_missing_misplaced_and_unknown(login, alice, tom, digibank_a, hub, other_hub, batch, profile):
    here = intake(batch, tom, serial_number="HERE")
    missing = intake(batch, tom, serial_number="MISSING")
    elsewhere = stock_services.device_transfer(
        device=intake(batch, tom, serial_number="ELSEWHERE"), hub=other_hub, actor=tom
    )
    lent = ready(batch, tom, profile, serial_number="LENT")
    client = ClientFactory(digibank=digibank_a, registered_by=alice)
    lending_services.loan_check_out(digibank=digibank_a, hub=hub, client=client, devices=[lent], actor=alice)
    web = login(tom)

    response = web.post(reverse("devices:stocktakes"), {"hub": hub.pk})
    stocktake = StockTake.objects.get()
    url = reverse("devices:stocktake", kwargs={"pk": stocktake.pk})
    assert response.status_code == 302 and response["Location"] == url
    for code in (here.asset_tag, elsewhere.asset_tag.replace("-", ""), lent.asset_tag, "T-0000-0000", "4006381333931"):
        assert web.post(url, {"code": code}).status_code == 302
    response = web.post(url, {"code": here.asset_tag})
    assert response.status_code == 400 and response.context["form"].errors["code"]  # scanned twice

    result = stocktake_result(stocktake)
    assert [d.pk for d in result.missing] == [missing.pk]
    assert {s.device_id for s in result.misplaced} == {elsewhere.pk, lent.pk}
    assert {s.scanned for s in result.unknown} == {"T-0000-0000", "4006381333931"}
    assert (result.scanned, result.found, result.missing_count) == (5, 1, 1)

    page = web.get(url).content.decode()
    assert "MISSING" in page and "autofocus" in page
    assert web.post(reverse("devices:stocktake_close", kwargs={"pk": stocktake.pk})).status_code == 302
    page = web.get(url).content.decode()
    assert 'name="code"' not in page and "MISSING" in page


def test_scan_message_says_when_a_device_belongs_elsewhere(login, tom, hub, other_hub, batch):
    elsewhere = stock_services.device_transfer(device=intake(batch, tom), hub=other_hub, actor=tom)
    stocktake = stock_services.stocktake_start(hub=hub, actor=tom)
    response = login(tom).post(
        reverse("devices:stocktake", kwargs={"pk": stocktake.pk}), {"code": elsewhere.asset_tag}, follow=True
    )
    assert other_hub.name in response.content.decode()


# Query counts -------------------------------------------------------------------------------------


def test_stocktake_page_queries_do_not_grow_with_the_scans(
    login, tom, hub, other_hub, batch, django_assert_max_num_queries
):
    web = login(tom)
    stocktake = stock_services.stocktake_start(hub=hub, actor=tom)
    for index in range(40):
        device = intake(batch, tom)
        if index % 4 == 0:
            stock_services.device_transfer(device=device, hub=other_hub, actor=tom)
        if index % 2 == 0:
            stock_services.stocktake_scan(stocktake=stocktake, code=device.asset_tag, actor=tom)
    for index in range(5):
        stock_services.stocktake_scan(stocktake=stocktake, code=f"ONBEKEND-{index}", actor=tom)
    count_queries(web, reverse("devices:stocktake", kwargs={"pk": stocktake.pk}), django_assert_max_num_queries, 11)
