"""Every list of the device bank, on the screen and in the API, costs the same number of queries
for one row or nine: the rows come with what they show (select_related, annotations), never one
query each."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.intake import services as intake_services
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import services as lending_services
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.register.lifecycle import State
from digibank.devices.register.models import Device
from digibank.devices.stock import services as stock_services
from digibank.devices.tests.factories import BatchFactory, DeviceFactory, DonorFactory
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

PASSED = dict(
    level="clear", method="PRNG Stream", tool="nwipe 0.37", medium="ssd", result="passed", verification="last"
)
numbers = itertools.count(1)


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a)


def _repair(digibank, hub, actor):
    device = DeviceFactory(digibank=digibank, hub=hub)
    refurbishment_services.repair_open(device=device, actor=actor, fault="Scherm flikkert")


def _donor(digibank, hub, actor):
    donor = intake_services.donor_create(digibank=digibank, actor=actor, name=f"Bedrijf {next(numbers)}")
    BatchFactory(digibank=digibank, hub=hub, donor=donor, received_by=actor)


def _batch(digibank, hub, actor):
    batch = BatchFactory(digibank=digibank, hub=hub, donor=DonorFactory(digibank=digibank), received_by=actor)
    intake_services.device_intake(batch=batch, actor=actor, kind="laptop", make="Dell", model_name="Latitude 5490")


def _profile(digibank, hub, actor):
    refurbishment_services.software_profile_create(
        digibank=digibank, actor=actor, name=f"Profiel {next(numbers)}", operating_system="Linux Mint 22"
    )


def _collection(digibank, hub, actor):
    collection = refurbishment_services.collection_create(
        digibank=digibank, actor=actor, recycler="Recupel", reference=f"R-{next(numbers)}"
    )
    device = DeviceFactory(digibank=digibank, hub=hub, state=State.RETIRED)
    refurbishment_services.device_recycle(device=device, collection=collection, weight_kg=Decimal("2.1"), actor=actor)


def _stocktake(digibank, hub, actor):
    stocktake = stock_services.stocktake_start(hub=HubFactory(digibank=digibank), actor=actor)
    device = DeviceFactory(digibank=digibank, hub=hub, ready=True)
    stock_services.stocktake_scan(stocktake=stocktake, code=device.asset_tag, actor=actor)


def _erasure(digibank, hub, actor):
    """An erasure of the same laptop: failed ones, so it stays being wiped and can take another."""
    device = Device.objects.filter(serial_number="PF-ERASED").first()
    device = device or DeviceFactory(digibank=digibank, hub=hub, serial_number="PF-ERASED")
    refurbishment_services.erasure_record(device=device, actor=actor, **{**PASSED, "result": "failed"})


def _incident(digibank, hub, actor):
    client = ClientFactory(digibank=digibank, postal_code="9000", registered_by=actor)
    device = DeviceFactory(digibank=digibank, hub=hub, ready=True)
    loan = lending_services.loan_check_out(
        digibank=digibank, hub=hub, client=client, devices=[device], actor=actor, deposit_payment="paid"
    )
    lending_incidents.incident_report(loan=loan, device=device, kind="damaged", actor=actor)


def _same_queries(get, make, django_assert_num_queries):
    """The page's queries with one row, then with nine: the same number, and few."""
    make()
    with CaptureQueriesContext(connection) as few:
        assert get().status_code == 200
    for _ in range(8):
        make()
    with django_assert_num_queries(len(few)):
        response = get()
    assert response.status_code == 200
    assert len(few) <= 20, [q["sql"] for q in few.captured_queries]
    return response


@pytest.mark.parametrize(
    "url_name, make",
    [
        ("devices:repairs", _repair),
        ("devices:donors", _donor),
        ("devices:profiles", _profile),
        ("devices:collections", _collection),
        ("devices:stocktakes", _stocktake),
    ],
)
def test_workshop_lists_queries_do_not_grow_with_rows(
    url_name, make, login, alice, tom, digibank_a, hub, django_assert_num_queries
):
    web = login(alice)
    _same_queries(lambda: web.get(reverse(url_name)), lambda: make(digibank_a, hub, tom), django_assert_num_queries)


@pytest.mark.parametrize(
    "path, make, actor",
    [
        ("donors/", _donor, "tom"),
        ("intake-batches/", _batch, "tom"),
        ("software-profiles/", _profile, "tom"),
        ("collections/", _collection, "tom"),
        ("devices/{device}/erasures/", _erasure, "tom"),
        ("incidents/", _incident, "bob"),
    ],
)
def test_api_lists_queries_do_not_grow_with_rows(
    path, make, actor, request, api_as, alice, digibank_a, hub, django_assert_num_queries
):
    api = api_as(alice)
    user = request.getfixturevalue(actor)

    def get():
        device = Device.objects.filter(serial_number="PF-ERASED").first()
        return api.get("/api/v1/" + path.format(device=device.pk if device else 0))

    response = _same_queries(get, lambda: make(digibank_a, hub, user), django_assert_num_queries)
    assert response.json()["count"] == 9
