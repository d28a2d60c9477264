"""The device bank's REST API across its features: roles, another digibank's objects, the schema, the
papers' permissions and the newer lists' queries; with the personas of conftest: alice (coordinator),
bob (desk) and tom (technician) in digibank A, carol (coordinator) in B, dave at the Department."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from digibank.clients.models import AccessLog
from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import Loan
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.register.lifecycle import State
from digibank.devices.stock import services as stock_services
from digibank.devices.tests.factories import API, PASSED, BatchFactory, DeviceFactory, state_of
from digibank.network.tests.factories import HubFactory, PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# Roles and tenancy --------------------------------------------------------------------------------


def test_technician_sees_the_stock_but_no_loans(api_as, tom, lent):
    api = api_as(tom)
    assert api.get(f"{API}/devices/").status_code == 200
    for path in ("loans/", f"loans/{lent.pk}/", "incidents/", "device-requests/", "offers/", "lending-rules/"):
        assert api.get(f"{API}/{path}").status_code == 403, path


def test_desk_cannot_change_devices(api_as, bob, laptop):
    api = api_as(bob)
    assert api.get(f"{API}/devices/{laptop.pk}/").status_code == 200
    response = api.post(f"{API}/devices/{laptop.pk}/transition/", {"target": "in_repair"}, format="json")
    assert response.status_code == 403
    assert state_of(laptop) == State.READY


def test_department_sees_no_device_bank(api_as, dave, laptop):
    for path in ("devices/", "loans/", "donors/", "lending-rules/"):
        assert api_as(dave).get(f"{API}/{path}").status_code == 403


def test_no_token_is_401(laptop):
    assert APIClient().get(f"{API}/devices/").status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("patch", ""),
        ("post", "transition/"),
        ("post", "erasures/"),
        ("post", "erasure-log/"),
        ("post", "ready-check/"),
        ("post", "repairs/"),
        ("post", "transfer/"),
        ("post", "recycle/"),
        ("get", "events/"),
    ],
)
def test_device_of_another_digibank_is_404(api_as, tom, their_laptop, method, path):
    response = getattr(api_as(tom), method)(f"{API}/devices/{their_laptop.pk}/{path}", {}, format="json")
    assert response.status_code == 404
    assert state_of(their_laptop) == State.READY


# Schema -------------------------------------------------------------------------------------------


def test_schema_lists_the_device_bank_paths():
    paths = APIClient().get("/api/schema/", {"format": "json"}).json()["paths"]
    expected = {
        "donors/",
        "intake-batches/",
        "intake-batches/{id}/devices/",
        "devices/",
        "devices/{id}/",
        "devices/{id}/transition/",
        "devices/{id}/erasures/",
        "devices/{id}/erasure-log/",
        "devices/{id}/ready-check/",
        "devices/{id}/repairs/",
        "devices/{id}/transfer/",
        "devices/{id}/recycle/",
        "devices/{id}/events/",
        "loans/",
        "loans/{id}/",
        "loans/{id}/check-in/",
        "loans/{id}/extend/",
        "loans/{id}/sign/",
        "incidents/",
        "incidents/{id}/close/",
        "device-requests/",
        "device-requests/{id}/move/",
        "device-requests/{id}/withdraw/",
        "offers/",
        "offers/{id}/decline/",
        "lending-rules/",
    }
    assert {f"{API}/{p}" for p in expected} <= set(paths)
    assert set(paths[f"{API}/devices/{{id}}/"]) == {"get", "patch"}
    assert set(paths[f"{API}/loans/"]) == {"get", "post"}
    assert set(paths[f"{API}/lending-rules/"]) == {"get", "patch"}
    assert "400" in paths[f"{API}/loans/"]["post"]["responses"]


# Papers -------------------------------------------------------------------------------------------


def test_papers_need_their_permission(api_as, tom, dave, lent, batch, received):
    record = refurbishment_services.erasure_record(device=received, actor=tom, **PASSED)
    assert api_as(tom).get(f"{API}/loans/{lent.pk}/agreement/").status_code == 403
    for path in (f"erasures/{record.pk}/certificate/", f"intake-batches/{batch.pk}/labels/"):
        assert api_as(dave).get(f"{API}/{path}").status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.READ).exists()


# Another digibank's objects -----------------------------------------------------------------------


@pytest.fixture
def theirs(digibank_b, carol, turnhout, their_laptop):
    """One of each of digibank B: a repair (whose device gets an erasure), a batch, a stock-take, an
    agreement text and a partner's booking."""
    lending_services.rules_update(digibank=digibank_b, actor=carol, lends_to_partners=True)
    booked_set = DeviceFactory(digibank=digibank_b, hub=turnhout, ready=True)
    booking = lending_services.partner_booking(
        digibank=digibank_b,
        hub=turnhout,
        partner=PartnerFactory(digibank=digibank_b),
        devices=[booked_set],
        starts_on=dt.date.today() + dt.timedelta(days=7),
        actor=carol,
    )
    jef = ClientFactory(digibank=digibank_b, postal_code="2300")
    lent_there = DeviceFactory(digibank=digibank_b, hub=turnhout, ready=True)
    loan = lending_services.loan_check_out(
        digibank=digibank_b, hub=turnhout, client=jef, devices=[lent_there], actor=carol
    )
    repair = refurbishment_services.repair_open(device=their_laptop, actor=carol, fault="Kapot")
    erasure = refurbishment_services.erasure_record(device=their_laptop, actor=carol, **PASSED)
    return {
        "repairs": repair.pk,
        "erasures": erasure.pk,
        "intake-batches": BatchFactory(digibank=digibank_b, hub=turnhout, received_by=carol).pk,
        "stocktakes": stock_services.stocktake_start(hub=turnhout, actor=carol).pk,
        "agreements": lending_services.agreement_publish(digibank=digibank_b, text="Hun afspraken", actor=carol).pk,
        "bookings": booking.pk,
        "loans": loan.pk,
        "devices": DeviceFactory(digibank=digibank_b, hub=turnhout, ready=True).pk,
    }


@pytest.mark.parametrize(
    ("method", "resource", "path"),
    [
        ("get", "repairs", ""),
        ("post", "repairs", "close/"),
        ("get", "erasures", ""),
        ("get", "erasures", "certificate/"),
        ("get", "intake-batches", "certificate/"),
        ("get", "intake-batches", "labels/"),
        ("get", "stocktakes", ""),
        ("get", "stocktakes", "result/"),
        ("post", "stocktakes", "scans/"),
        ("post", "stocktakes", "close/"),
        ("get", "agreements", ""),
        ("post", "bookings", "start/"),
        ("post", "bookings", "cancel/"),
        ("post", "loans", "report/"),
        ("get", "loans", "agreement/"),
        ("post", "devices", "hand-over/"),
    ],
)
def test_object_of_another_digibank_is_404(api_as, alice, theirs, sebastien, method, resource, path):
    route = "loans" if resource == "bookings" else resource
    body = {"work_done": "x", "code": "T-AAAA", "tag": "T-AAAA", "kind": "lost", "client": sebastien.number}
    response = getattr(api_as(alice), method)(f"{API}/{route}/{theirs[resource]}/{path}", body, format="json")
    assert response.status_code == 404


def test_lists_show_nothing_of_another_digibank(api_as, alice, theirs):
    api = api_as(alice)
    for path in ("repairs/", "stocktakes/", "agreements/"):
        assert api.get(f"{API}/{path}").json()["count"] == 0, path
    assert api.get(f"{API}/stock/").json()["total"] == 0
    assert Loan.objects.get(pk=theirs["bookings"]).status == Loan.Status.RESERVED
    assert not AccessLog.objects.filter(action=AccessLog.Action.READ).exists()


def test_schema_documents_the_new_paths_and_the_pdfs():
    paths = APIClient().get("/api/schema/", {"format": "json"}).json()["paths"]
    expected = {
        "repairs/": {"get"},
        "repairs/{id}/": {"get"},
        "repairs/{id}/close/": {"post"},
        "partner-bookings/": {"post"},
        "loans/{id}/start/": {"post"},
        "loans/{id}/cancel/": {"post"},
        "loans/{id}/report/": {"post"},
        "loans/{id}/agreement/": {"get"},
        "devices/{id}/hand-over/": {"post"},
        "agreements/": {"get", "post"},
        "agreements/{id}/": {"get"},
        "stocktakes/": {"get", "post"},
        "stocktakes/{id}/": {"get"},
        "stocktakes/{id}/scans/": {"get", "post"},
        "stocktakes/{id}/close/": {"post"},
        "stocktakes/{id}/result/": {"get"},
        "stock/": {"get"},
        "erasures/{id}/": {"get"},
        "erasures/{id}/certificate/": {"get"},
        "intake-batches/{id}/certificate/": {"get"},
        "intake-batches/{id}/labels/": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[f"{API}/{path}"]) == methods, path
    for path in ("erasures/{id}/", "intake-batches/{id}/", "loans/{id}/"):
        pdf = paths[f"{API}/{path}{'agreement' if path.startswith('loans') else 'certificate'}/"]["get"]
        assert pdf["responses"]["200"]["content"] == {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
        }
    assert "400" in paths[f"{API}/partner-bookings/"]["post"]["responses"]


# Token and user, memberships, count, rows with their device (repairs), hub (stock-takes, with the
# number of scans) or publisher (agreements).
NEW_LIST_QUERIES = 4


def test_new_lists_do_not_grow_with_rows(api_as, alice, digibank_a, krook, django_assert_num_queries):
    api = api_as(alice)

    def more(n):
        for _ in range(n):
            device = DeviceFactory(digibank=digibank_a, hub=krook, ready=True)
            refurbishment_services.repair_open(device=device, actor=alice, fault="Kapot")
            hub = HubFactory(digibank=digibank_a)
            stocktake = stock_services.stocktake_start(hub=hub, actor=alice)
            stock_services.stocktake_scan(stocktake=stocktake, code=device.asset_tag, actor=alice)
            lending_services.agreement_publish(digibank=digibank_a, text="Afspraken", actor=alice)

    more(1)
    for path in ("repairs/", "stocktakes/", "agreements/"):
        with django_assert_num_queries(NEW_LIST_QUERIES):
            assert api.get(f"{API}/{path}").json()["count"] == 1
    more(5)
    for path in ("repairs/", "stocktakes/", "agreements/"):
        with django_assert_num_queries(NEW_LIST_QUERIES):
            assert api.get(f"{API}/{path}").json()["count"] == 6
