"""The technician's screens for intake: refusals at the intake of a batch, the labels and the
certificates, and the batch list's queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from digibank.devices.intake import services as intake_services
from digibank.devices.intake.models import Donor, IntakeBatch
from digibank.devices.register.models import Device
from digibank.devices.tests.factories import BatchFactory, count_queries, device_url, intake, item_post, wiped

pytestmark = pytest.mark.django_db


# The whole way through the screens ----------------------------------------------------------------


def test_a_serial_number_already_in_stock_is_refused_at_intake(login, tom, batch):
    existing = intake(batch, tom, serial_number="7XK2QJ2")
    response = login(tom).post(reverse("devices:batch", kwargs={"pk": batch.pk}), item_post())
    assert response.status_code == 400
    assert existing.asset_tag in response.context["form"].errors["serial_number"][0]
    assert Device.objects.count() == 1


def test_donor_with_a_wrong_enterprise_number_is_refused(login, tom):
    response = login(tom).post(reverse("devices:donors"), {"name": "Bedrijf", "enterprise_number": "0207.451.228"})
    assert response.status_code == 400 and response.context["form"].errors["enterprise_number"]
    assert not Donor.objects.exists()


def test_batch_in_the_future_is_refused(login, tom, hub, digibank_a):
    donor = intake_services.donor_create(digibank=digibank_a, actor=tom, name="Stad Gent")
    response = login(tom).post(
        reverse("devices:batch_new"), {"donor": donor.pk, "hub": hub.pk, "received_on": "2999-01-01"}
    )
    assert response.status_code == 400 and response.context["form"].errors["received_on"]


# Tenancy and roles --------------------------------------------------------------------------------


def test_pdfs_of_labels_and_certificates(login, tom, batch):
    device = wiped(batch, tom)
    web = login(tom)
    erasure = device.erasures.get()
    for url in (
        device_url("device_label", device),
        reverse("devices:batch_labels", kwargs={"pk": batch.pk}),
        reverse("devices:batch_certificate", kwargs={"pk": batch.pk}),
        reverse("devices:erasure_certificate", kwargs={"pk": erasure.pk}),
    ):
        response = web.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
        assert response.content.startswith(b"%PDF")


# Query counts -------------------------------------------------------------------------------------


def test_batch_list_queries_do_not_grow_with_the_batches(login, tom, digibank_a, hub, django_assert_max_num_queries):
    web = login(tom)
    for _ in range(30):
        intake(BatchFactory(digibank=digibank_a, hub=hub, received_by=tom), tom)
    count_queries(web, reverse("devices:batches"), django_assert_max_num_queries, 5)
    batch = IntakeBatch.objects.first()
    for _ in range(30):
        intake(batch, tom)
    count_queries(web, reverse("devices:batch", kwargs={"pk": batch.pk}), django_assert_max_num_queries, 6)
