"""The technician's screens for refurbishment: a donated laptop taken in, wiped with the tool's own log,
checked and marked ready, through the pages alone; repair, transitions and recycling."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digibank.devices.intake.models import Donor, IntakeBatch
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.models import (
    READY_CHECKLIST,
    CollectionBatch,
    ErasureRecord,
    RepairTicket,
    SoftwareProfile,
)
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.tests.factories import HDD_LOG, NVME_LOG, SSD_LOG, device_url, intake, item_post, wiped

pytestmark = pytest.mark.django_db


# The whole way through the screens ----------------------------------------------------------------


def test_technician_takes_in_a_laptop_wipes_it_and_marks_it_ready(login, tom, digibank_a, hub):
    web = login(tom)

    response = web.post(reverse("devices:donors"), {"name": "Stad Gent", "enterprise_number": "0207.451.227"})
    donor = Donor.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("devices:donor", kwargs={"pk": donor.pk})
    assert donor.enterprise_number == "0207451227" and donor.digibank == digibank_a

    response = web.post(
        reverse("devices:batch_new"),
        {"donor": donor.pk, "hub": hub.pk, "received_on": "2025-03-04", "reference": "LEV-2025-17"},
    )
    batch = IntakeBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("devices:batch", kwargs={"pk": batch.pk})
    assert (batch.donor, batch.hub, batch.received_by, batch.reference) == (donor, hub, tom, "LEV-2025-17")

    response = web.post(reverse("devices:batch", kwargs={"pk": batch.pk}), item_post(), follow=True)
    device = Device.objects.get()
    assert response.status_code == 200 and response.redirect_chain[-1][0].endswith("?kind=laptop")
    page = response.content.decode()
    assert device.asset_tag in page and "7XK2QJ2" in page  # the added item is listed...
    assert 'value="7XK2QJ2"' not in page  # ...and the form is empty again for the next one
    assert (device.batch, device.hub, device.state, device.storage_serial) == (
        batch,
        hub,
        "received",
        "S3Z1NB0K812345X",
    )

    with SSD_LOG.open("rb") as log:
        upload = SimpleUploadedFile("nwipe.log", log.read(), content_type="text/plain")
    response = web.post(device_url("erasure_import", device), {"import-log_file": upload, "import-medium": "ssd"})
    assert response.status_code == 302 and response["Location"] == device_url("device", device)
    erasure = ErasureRecord.objects.get(device=device)
    assert (erasure.result, erasure.level, erasure.method, erasure.tool) == (
        "passed",
        "clear",
        "PRNG Stream",
        "nwipe 0.37",
    )
    assert erasure.medium_serial == "S3Z1NB0K812345X" and "Drive Status" in erasure.report
    device.refresh_from_db()
    assert device.state == State.WIPED and not device.needs_erasure

    response = web.post(
        reverse("devices:profiles"),
        {"name": "Mint", "operating_system": "Linux Mint 22", "office_software": "LibreOffice"},
    )
    profile = SoftwareProfile.objects.get(digibank=digibank_a)
    assert response.status_code == 302

    response = web.post(
        device_url("ready_check", device), {"check-items": list(READY_CHECKLIST), "check-software_profile": profile.pk}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.ready_checked and device.software_profile == profile

    page = web.get(device_url("device", device)).content.decode()
    assert 'name="ready-grade"' in page

    response = web.post(device_url("device_transition", device), {"ready-target": "ready", "ready-grade": "A"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.state, device.grade) == (State.READY, "A")
    moves = list(device.events.filter(kind=DeviceEvent.Kind.TRANSITION).values_list("to_state", "actor"))
    assert moves == [("ready", tom.pk), ("wiped", tom.pk), ("wiping", tom.pk)]

    page = web.get(device_url("device", device)).content.decode()
    assert erasure.number in page and reverse("devices:erasure_certificate", kwargs={"pk": erasure.pk}) in page
    assert "Tom Wuyts" in page  # who did it, in the history


def test_log_of_another_disk_is_refused_next_to_the_field_and_changes_nothing(login, tom, batch):
    device = intake(batch, tom, storage_serial="WD-OTHER-DISK")
    response = login(tom).post(
        device_url("erasure_import", device), {"import-log": SSD_LOG.read_text(), "import-medium": "ssd"}
    )
    assert response.status_code == 400
    form = response.context["import_form"]
    assert "S3Z1NB0K812345X" in form.errors["log"][0] and "WD-OTHER-DISK" in form.errors["log"][0]
    assert "WD-OTHER-DISK" in response.content.decode()
    assert not ErasureRecord.objects.exists()
    device.refresh_from_db()
    assert device.state == State.RECEIVED and device.needs_erasure


def test_uploaded_log_of_another_disk_shows_the_message_next_to_the_file(login, tom, batch):
    device = intake(batch, tom, storage_serial="WD-OTHER-DISK")
    upload = SimpleUploadedFile("nwipe.log", SSD_LOG.read_bytes())
    response = login(tom).post(
        device_url("erasure_import", device), {"import-log_file": upload, "import-medium": "ssd"}
    )
    assert response.status_code == 400 and "S3Z1NB0K812345X" in response.context["import_form"].errors["log_file"][0]
    assert not ErasureRecord.objects.exists()


def test_pasted_shredos_console_log_is_imported(login, tom, batch):
    device = intake(batch, tom, storage_serial="Y9SF71ABCDEF")
    response = login(tom).post(
        device_url("erasure_import", device), {"import-log": NVME_LOG.read_text(), "import-medium": "nvme"}
    )
    assert response.status_code == 302
    assert ErasureRecord.objects.get(device=device).result == "passed"


def test_log_with_the_disk_failed_is_kept_and_the_device_is_not_wiped(login, tom, batch):
    device = intake(batch, tom, storage_serial="Z1E5ABCD")
    response = login(tom).post(
        device_url("erasure_import", device), {"import-log": HDD_LOG.read_text(), "import-medium": "hdd"}
    )
    assert response.status_code == 302
    assert ErasureRecord.objects.get(device=device).result == "failed"
    device.refresh_from_db()
    assert device.state == State.WIPING and device.needs_erasure


def test_import_without_a_log_asks_for_one(login, tom, batch):
    device = intake(batch, tom)
    response = login(tom).post(device_url("erasure_import", device), {"import-medium": "ssd"})
    assert response.status_code == 400 and response.context["import_form"].errors["log"]


def test_manual_erasure_of_a_phone_is_recorded(login, tom, batch):
    device = intake(batch, tom, kind=Kind.SMARTPHONE, make="Samsung", model_name="A52")
    response = login(tom).post(
        device_url("erasure_record", device),
        {
            "erasure-level": "purge",
            "erasure-method": "Factory reset of the encrypted storage",
            "erasure-tool": "Android 13",
            "erasure-medium": "phone",
            "erasure-result": "passed",
            "erasure-verification": "none",
        },
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.state == State.WIPED and device.erasures.get().operator == tom


def test_manual_erasure_with_another_disk_serial_is_refused(login, tom, batch):
    device = intake(batch, tom, storage_serial="S3Z-REAL")
    response = login(tom).post(
        device_url("erasure_record", device),
        {
            "erasure-level": "clear",
            "erasure-method": "PRNG Stream",
            "erasure-tool": "nwipe",
            "erasure-medium": "ssd",
            "erasure-medium_serial": "S3Z-OTHER",
            "erasure-result": "passed",
            "erasure-verification": "last",
        },
    )
    assert response.status_code == 400 and response.context["erasure_form"].errors["medium_serial"]
    assert not ErasureRecord.objects.exists()


def test_ready_check_with_an_item_not_ticked_names_it(login, tom, batch, profile):
    device = wiped(batch, tom)
    items = [key for key in READY_CHECKLIST if key != "battery"]
    response = login(tom).post(
        device_url("ready_check", device), {"check-items": items, "check-software_profile": profile.pk}
    )
    assert response.status_code == 400
    assert str(READY_CHECKLIST["battery"]) in response.context["check_form"].errors["items"][0]
    device.refresh_from_db()
    assert not device.ready_checked


def test_laptop_without_erasure_cannot_be_marked_ready(login, tom, batch):
    device = intake(batch, tom)
    web = login(tom)
    page = web.get(device_url("device", device)).content.decode()
    assert 'name="ready-grade"' not in page and "a passed erasure" in page
    response = web.post(device_url("device_transition", device), {"ready-target": "ready", "ready-grade": "A"})
    assert response.status_code == 400
    assert "erasure" in " ".join(response.context["ready_form"].non_field_errors())
    device.refresh_from_db()
    assert device.state == State.RECEIVED


def test_accessory_is_marked_ready_with_a_grade(login, tom, batch):
    charger = intake(batch, tom, kind=Kind.CHARGER, make="Lenovo", model_name="65W")
    response = login(tom).post(device_url("device_transition", charger), {"ready-target": "ready"})
    assert response.status_code == 400 and response.context["ready_form"].errors["grade"]
    response = login(tom).post(device_url("device_transition", charger), {"ready-target": "ready", "ready-grade": "C"})
    assert response.status_code == 302
    charger.refresh_from_db()
    assert (charger.state, charger.grade) == (State.READY, "C")


def test_start_wiping_is_one_button(login, tom, batch):
    device = intake(batch, tom)
    response = login(tom).post(device_url("device_transition", device), {"move-target": "wiping"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.state == State.WIPING


def test_a_move_the_lifecycle_does_not_allow_is_refused(login, tom, batch):
    device = intake(batch, tom)
    response = login(tom).post(device_url("device_transition", device), {"move-target": "returned"})
    assert response.status_code == 400 and response.context["move_form"].non_field_errors()
    device.refresh_from_db()
    assert device.state == State.RECEIVED


def test_retiring_asks_for_the_reason(login, tom, batch):
    device = intake(batch, tom)
    web = login(tom)
    response = web.post(device_url("device_transition", device), {"retire-target": "retired", "retire-note": ""})
    assert response.status_code == 400 and response.context["retire_form"].errors["note"]
    device.refresh_from_db()
    assert device.state == State.RECEIVED
    response = web.post(
        device_url("device_transition", device), {"retire-target": "retired", "retire-note": "Moederbord kapot"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.state == State.RETIRED


# Repair, transfer, recycling ----------------------------------------------------------------------


def test_repair_is_opened_and_closed(login, tom, batch):
    device = wiped(batch, tom)
    web = login(tom)
    response = web.post(
        device_url("repair_open", device), {"repair-fault": "Toetsenbord defect", "repair-trainee": "Jamal"}
    )
    assert response.status_code == 302
    ticket = RepairTicket.objects.get()
    assert (ticket.trainee, ticket.technician) == ("Jamal", tom)
    device.refresh_from_db()
    assert device.state == State.IN_REPAIR
    assert "Toetsenbord defect" in web.get(reverse("devices:repairs")).content.decode()

    url = reverse("devices:repair_close", kwargs={"pk": ticket.pk})
    assert web.post(url, {"work_done": "", "minutes_spent": "0"}).status_code == 400
    response = web.post(url, {"work_done": "Toetsenbord vervangen", "parts_used": "toetsenbord", "minutes_spent": "35"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.minutes_spent) == ("done", 35)
    assert "Toetsenbord defect" not in web.get(reverse("devices:repairs")).content.decode()


def test_recycling_needs_a_weight_above_zero(login, tom, batch):
    device = refurbishment_services.device_transition(
        device=intake(batch, tom), target=State.RETIRED, actor=tom, note="Kapot"
    )
    web = login(tom)
    response = web.post(reverse("devices:collections"), {"recycler": "Recupel", "reference": "WEEE-2025-4"})
    collection = CollectionBatch.objects.get()
    assert response.status_code == 302
    response = web.post(
        device_url("device_recycle", device), {"recycle-collection": collection.pk, "recycle-weight_kg": "0"}
    )
    assert response.status_code == 400
    assert "more than 0" in response.context["recycle_form"].errors["weight_kg"][0]
    device.refresh_from_db()
    assert device.state == State.RETIRED
    response = web.post(
        device_url("device_recycle", device), {"recycle-collection": collection.pk, "recycle-weight_kg": "2.35"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.state, device.weight_kg, device.collection) == (State.RECYCLED, Decimal("2.35"), collection)
    page = web.get(reverse("devices:collection", kwargs={"pk": collection.pk})).content.decode()
    assert device.asset_tag in page and "2.35 kg" in page.replace("2,35", "2.35")
