"""The technician's screens for the register: the device page, corrections, a scanned tag, who may see
and do what, and the queries of the list and the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending import services as lending_services
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.stock import services as stock_services
from digibank.devices.tests.factories import (
    PASSED,
    SSD_LOG,
    DeviceFactory,
    count_queries,
    device_url,
    intake,
    item_post,
    ready,
)

pytestmark = pytest.mark.django_db


# The whole way through the screens ----------------------------------------------------------------


def test_device_details_are_corrected(login, tom, batch):
    device = intake(batch, tom, serial_number="ABC")
    web = login(tom)
    assert web.get(device_url("device_edit", device)).status_code == 200
    response = web.post(device_url("device_edit", device), item_post(serial_number="ABD", memory_gb="16"))
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.serial_number, device.memory_gb) == ("ABD", 16)
    assert device.events.filter(kind=DeviceEvent.Kind.EDIT).exists()


def test_bad_battery_health_is_refused_next_to_the_field(login, tom, batch):
    response = login(tom).post(reverse("devices:batch", kwargs={"pk": batch.pk}), item_post(battery_health="140"))
    assert response.status_code == 400 and response.context["form"].errors["battery_health"]
    assert not Device.objects.exists()


# The stock ----------------------------------------------------------------------------------------


def test_scanned_tag_opens_the_device(login, tom, batch):
    device = intake(batch, tom)
    compact = device.asset_tag.replace("-", "").lower()
    response = login(tom).get(reverse("devices:devices"), {"q": compact})
    assert response.status_code == 302 and response["Location"] == device_url("device", device)


def test_tag_of_another_digibank_is_not_found(login, tom, digibank_b):
    theirs = DeviceFactory(digibank=digibank_b)
    response = login(tom).get(reverse("devices:devices"), {"q": theirs.asset_tag})
    assert response.status_code == 200 and response.context["tag_not_found"]
    assert theirs.serial_number not in response.content.decode()


# Tenancy and roles --------------------------------------------------------------------------------


def test_device_of_another_digibank_is_404(login, tom, digibank_b):
    theirs = DeviceFactory(digibank=digibank_b)
    web = login(tom)
    assert web.get(device_url("device", theirs)).status_code == 404
    assert web.post(device_url("device_transition", theirs), {"move-target": "wiping"}).status_code == 404
    assert web.post(device_url("erasure_import", theirs), {"import-log": SSD_LOG.read_text()}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == State.RECEIVED


def test_desk_worker_sees_the_stock_but_cannot_work_on_devices(login, bob, tom, batch):
    device = intake(batch, tom)
    web = login(bob)
    page = web.get(device_url("device", device))
    assert page.status_code == 200 and 'name="move-target"' not in page.content.decode()
    assert web.post(device_url("device_transition", device), {"move-target": "wiping"}).status_code == 403
    assert web.post(device_url("erasure_import", device), {"import-log": SSD_LOG.read_text()}).status_code == 403
    assert web.post(reverse("devices:donors"), {"name": "X"}).status_code == 403
    assert web.post(reverse("devices:batch", kwargs={"pk": batch.pk}), item_post()).status_code == 403
    assert web.get(reverse("devices:profiles")).status_code == 403
    device.refresh_from_db()
    assert device.state == State.RECEIVED and Device.objects.count() == 1


def test_technician_sees_the_loans_of_a_device_but_not_who_borrowed_it(
    login, alice, bob, tom, digibank_a, hub, batch, profile
):
    device = ready(batch, tom, profile)
    client = ClientFactory(digibank=digibank_a, registered_by=alice, first_name="Wies", last_name="Vermeulen")
    loan = lending_services.loan_check_out(digibank=digibank_a, hub=hub, client=client, devices=[device], actor=alice)
    page = login(tom).get(device_url("device", device)).content.decode()
    assert loan.number in page and "Vermeulen" not in page and client.number not in page
    page = login(bob).get(device_url("device", device)).content.decode()
    assert "Vermeulen" in page


# Query counts -------------------------------------------------------------------------------------


def test_device_list_queries_do_not_grow_with_the_stock(login, tom, batch, other_hub, django_assert_max_num_queries):
    web = login(tom)
    for _ in range(3):
        intake(batch, tom)
    web.get(reverse("devices:devices"))
    for index in range(30):
        device = intake(batch, tom, kind=[Kind.LAPTOP, Kind.MONITOR, Kind.TABLET][index % 3])
        if index % 2:
            stock_services.device_transfer(device=device, hub=other_hub, actor=tom)
    count_queries(web, reverse("devices:devices"), django_assert_max_num_queries, 7)
    count_queries(web, reverse("devices:devices") + "?kind=laptop&q=dell", django_assert_max_num_queries, 7)


def test_device_page_queries_do_not_grow_with_its_history(
    login, tom, batch, other_hub, hub, django_assert_max_num_queries
):
    device = intake(batch, tom)
    for _ in range(10):
        stock_services.device_transfer(device=device, hub=other_hub, actor=tom)
        stock_services.device_transfer(device=device, hub=hub, actor=tom)
    refurbishment_services.erasure_record(device=device, actor=tom, **PASSED)
    count_queries(login(tom), device_url("device", device), django_assert_max_num_queries, 14)


def test_the_borrower_shows_on_the_device_page_only_to_who_may_see_clients_and_the_read_is_logged(
    login, alice, tom, digibank_a, hub
):
    from digibank.clients.models import AccessLog

    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    borrower = ClientFactory(digibank=digibank_a, first_name="Jozefien", last_name="Maes", registered_by=alice)
    lending_services.loan_check_out(digibank=digibank_a, hub=hub, client=borrower, devices=[laptop], actor=alice)
    url = reverse("devices:device", kwargs={"pk": laptop.pk})

    assert "Jozefien" not in login(tom).get(url).content.decode()
    assert not AccessLog.objects.filter(client=borrower, action="read").exists()

    assert "Jozefien" in login(alice).get(url).content.decode()
    assert AccessLog.objects.filter(client=borrower, action="read", actor=alice, what="device page").count() == 1
