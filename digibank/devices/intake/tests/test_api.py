"""The device bank's REST API for intake: donors, batches, devices taken in, the batch's papers; with
the personas of conftest: alice (coordinator), bob (desk) and tom (technician) in digibank A, carol
(coordinator) in B, dave at the Department."""

from __future__ import annotations

import pytest

from digibank.devices.intake import services as intake_services
from digibank.devices.intake.models import Donor
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.tests.factories import API, assert_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# Intake -------------------------------------------------------------------------------------------


def test_technician_takes_in_a_donated_laptop(api_as, tom, krook):
    api = api_as(tom)
    donor = api.post(f"{API}/donors/", {"name": "KBC Gent", "enterprise_number": "0462.920.226"}, format="json")
    assert donor.status_code == 201, donor.json()
    assert donor.json()["enterprise_number"] == "0462920226"
    batch = api.post(f"{API}/intake-batches/", {"donor": donor.json()["id"], "hub": krook.pk}, format="json")
    assert batch.status_code == 201, batch.json()
    assert batch.json()["donor_name"] == "KBC Gent"

    item = {
        "kind": "laptop",
        "make": "Dell",
        "model_name": "Latitude 5490",
        "serial_number": "CN0X1234",
        "specs": {"processor": "i5-8350U", "memory_gb": 8, "storage_gb": 256, "storage_serial": "S3Z1NB0K812345X"},
    }
    response = api.post(f"{API}/intake-batches/{batch.json()['id']}/devices/", item, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["asset_tag"].startswith("T-") and body["state"] == "received"
    assert body["specs"]["memory_gb"] == 8 and body["hub"] == krook.pk and body["batch"] == batch.json()["id"]
    device = Device.objects.get(pk=body["id"])
    assert device.storage_serial == "S3Z1NB0K812345X"
    assert device.events.get().kind == DeviceEvent.Kind.INTAKE


def test_donor_with_a_wrong_enterprise_number_is_400(api_as, tom):
    response = api_as(tom).post(f"{API}/donors/", {"name": "KBC", "enterprise_number": "0462.920.227"}, format="json")
    assert response.status_code == 400
    assert "enterprise_number" in response.json()
    assert not Donor.objects.exists()


def test_intake_with_impossible_specs_is_400_and_takes_in_nothing(api_as, tom, batch):
    item = {"kind": "laptop", "specs": {"memory_gb": 5000, "battery_health": 140}}
    response = api_as(tom).post(f"{API}/intake-batches/{batch.pk}/devices/", item, format="json")
    assert response.status_code == 400
    assert set(response.json()["specs"]) == {"memory_gb", "battery_health"}
    assert not Device.objects.exists()


def test_batch_at_a_hub_of_another_digibank_is_refused(api_as, tom, digibank_a, turnhout):
    donor = intake_services.donor_create(digibank=digibank_a, actor=tom, name="KBC")
    response = api_as(tom).post(f"{API}/intake-batches/", {"donor": donor.pk, "hub": turnhout.pk}, format="json")
    assert response.status_code == 400
    assert "hub" in response.json()


# Papers -------------------------------------------------------------------------------------------


def test_batch_has_a_certificate_and_labels(api_as, bob, batch, received):
    api = api_as(bob)
    assert_pdf(api.get(f"{API}/intake-batches/{batch.pk}/certificate/"), f"certificate-batch-{batch.pk}.pdf")
    assert_pdf(api.get(f"{API}/intake-batches/{batch.pk}/labels/"), f"labels-batch-{batch.pk}.pdf")
