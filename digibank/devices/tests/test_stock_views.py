"""The technician's screens: a donated laptop taken in, wiped with the tool's own log, checked and
marked ready, through the pages alone; the stock in numbers; the stock-take; and who may do what."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory
from digibank.devices import services
from digibank.devices.lifecycle import Kind, State
from digibank.devices.models import (
    READY_CHECKLIST,
    CollectionBatch,
    Device,
    DeviceEvent,
    Donor,
    ErasureRecord,
    IntakeBatch,
    RepairTicket,
    SoftwareProfile,
    StockTake,
)
from digibank.devices.stock import stock_summary, stocktake_result
from digibank.devices.tests.factories import BatchFactory, DeviceFactory, SoftwareProfileFactory
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SSD_LOG = DATA / "nwipe_0.37_ssd_prng_verified.log"  # disk S3Z1NB0K812345X, erased
NVME_LOG = DATA / "shredos_nwipe_0.36_nvme_console_crlf_ansi.log"  # disk Y9SF71ABCDEF, erased
HDD_LOG = DATA / "nwipe_0.35_two_hdds_one_failed.log"  # sda WD-WCC2ET1234567 erased, sdb Z1E5ABCD failed
PASSED = dict(
    level="clear", method="PRNG Stream", tool="nwipe 0.37", medium="ssd", result="passed", verification="last"
)


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook")


@pytest.fixture
def other_hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Merelbeke")


@pytest.fixture
def batch(digibank_a, hub, tom):
    return BatchFactory(digibank=digibank_a, hub=hub, received_by=tom)


@pytest.fixture
def profile(digibank_a):
    return SoftwareProfileFactory(digibank=digibank_a)


def intake(batch, actor, **fields):
    fields = {"kind": Kind.LAPTOP, "make": "Dell", "model_name": "Latitude 5490", **fields}
    return services.device_intake(batch=batch, actor=actor, **fields)


def wiped(batch, actor, **fields):
    device = intake(batch, actor, **fields)
    services.erasure_record(device=device, actor=actor, **PASSED)
    return Device.objects.get(pk=device.pk)


def ready(batch, actor, profile, **fields):
    device = wiped(batch, actor, **fields)
    services.ready_check_record(device=device, actor=actor, software_profile=profile, items=READY_CHECKLIST)
    return services.device_transition(device=device, target=State.READY, actor=actor, grade="B")


def item_post(**overrides):
    data = {
        "kind": "laptop",
        "make": "Dell",
        "model_name": "Latitude 7490",
        "serial_number": "7XK2QJ2",
        "storage_serial": "S3Z1NB0K812345X",
        "processor": "Intel Core i5-8350U",
        "memory_gb": "8",
        "storage_gb": "256",
        "screen_inches": "14",
        "battery_health": "81",
        "condition": "good",
        "notes": "",
    }
    return {**data, **overrides}


def device_url(name, device):
    return reverse(f"devices:{name}", kwargs={"pk": device.pk})


# The whole way through the screens ---------------------------------------------------------------


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
    donor = services.donor_create(digibank=digibank_a, actor=tom, name="Stad Gent")
    response = login(tom).post(
        reverse("devices:batch_new"), {"donor": donor.pk, "hub": hub.pk, "received_on": "2999-01-01"}
    )
    assert response.status_code == 400 and response.context["form"].errors["received_on"]


# Repair, transfer, recycling -------------------------------------------------------------------


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


def test_recycling_needs_a_weight_above_zero(login, tom, batch):
    device = services.device_transition(device=intake(batch, tom), target=State.RETIRED, actor=tom, note="Kapot")
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


# The stock -------------------------------------------------------------------------------------


def test_stock_summary_counts_per_hub_type_state_and_grade(digibank_a, hub, other_hub, tom, batch, profile):
    from digibank.core.tenancy import Tenancy

    for _ in range(3):
        ready(batch, tom, profile)
    intake(batch, tom)
    intake(batch, tom, kind=Kind.MONITOR)
    moved = intake(batch, tom)
    services.device_transfer(device=moved, hub=other_hub, actor=tom)
    gone = services.device_transition(
        device=intake(batch, tom, kind=Kind.MOUSE), target=State.RETIRED, actor=tom, note="x"
    )
    collection = services.collection_create(digibank=digibank_a, actor=tom, recycler="R", reference="1")
    services.device_recycle(device=gone, collection=collection, weight_kg=Decimal("0.1"), actor=tom)
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


# The stock-take --------------------------------------------------------------------------------


def test_stocktake_shows_missing_misplaced_and_unknown(login, alice, tom, digibank_a, hub, other_hub, batch, profile):
    here = intake(batch, tom, serial_number="HERE")
    missing = intake(batch, tom, serial_number="MISSING")
    elsewhere = services.device_transfer(device=intake(batch, tom, serial_number="ELSEWHERE"), hub=other_hub, actor=tom)
    lent = ready(batch, tom, profile, serial_number="LENT")
    client = ClientFactory(digibank=digibank_a, registered_by=alice)
    services.loan_check_out(digibank=digibank_a, hub=hub, client=client, devices=[lent], actor=alice)
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
    elsewhere = services.device_transfer(device=intake(batch, tom), hub=other_hub, actor=tom)
    stocktake = services.stocktake_start(hub=hub, actor=tom)
    response = login(tom).post(
        reverse("devices:stocktake", kwargs={"pk": stocktake.pk}), {"code": elsewhere.asset_tag}, follow=True
    )
    assert other_hub.name in response.content.decode()


# Tenancy and roles -----------------------------------------------------------------------------


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
    loan = services.loan_check_out(digibank=digibank_a, hub=hub, client=client, devices=[device], actor=alice)
    page = login(tom).get(device_url("device", device)).content.decode()
    assert loan.number in page and "Vermeulen" not in page and client.number not in page
    page = login(bob).get(device_url("device", device)).content.decode()
    assert "Vermeulen" in page


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


# Query counts ----------------------------------------------------------------------------------


def _count_queries(web, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = web.get(url)
    assert response.status_code == 200


def test_device_list_queries_do_not_grow_with_the_stock(login, tom, batch, other_hub, django_assert_max_num_queries):
    web = login(tom)
    for _ in range(3):
        intake(batch, tom)
    web.get(reverse("devices:devices"))
    for index in range(30):
        device = intake(batch, tom, kind=[Kind.LAPTOP, Kind.MONITOR, Kind.TABLET][index % 3])
        if index % 2:
            services.device_transfer(device=device, hub=other_hub, actor=tom)
    _count_queries(web, reverse("devices:devices"), django_assert_max_num_queries, 7)
    _count_queries(web, reverse("devices:devices") + "?kind=laptop&q=dell", django_assert_max_num_queries, 7)


def test_batch_list_queries_do_not_grow_with_the_batches(login, tom, digibank_a, hub, django_assert_max_num_queries):
    web = login(tom)
    for _ in range(30):
        intake(BatchFactory(digibank=digibank_a, hub=hub, received_by=tom), tom)
    _count_queries(web, reverse("devices:batches"), django_assert_max_num_queries, 5)
    batch = IntakeBatch.objects.first()
    for _ in range(30):
        intake(batch, tom)
    _count_queries(web, reverse("devices:batch", kwargs={"pk": batch.pk}), django_assert_max_num_queries, 6)


def test_stocktake_page_queries_do_not_grow_with_the_scans(
    login, tom, hub, other_hub, batch, django_assert_max_num_queries
):
    web = login(tom)
    stocktake = services.stocktake_start(hub=hub, actor=tom)
    for index in range(40):
        device = intake(batch, tom)
        if index % 4 == 0:
            services.device_transfer(device=device, hub=other_hub, actor=tom)
        if index % 2 == 0:
            services.stocktake_scan(stocktake=stocktake, code=device.asset_tag, actor=tom)
    for index in range(5):
        services.stocktake_scan(stocktake=stocktake, code=f"ONBEKEND-{index}", actor=tom)
    _count_queries(web, reverse("devices:stocktake", kwargs={"pk": stocktake.pk}), django_assert_max_num_queries, 11)


def test_device_page_queries_do_not_grow_with_its_history(
    login, tom, batch, other_hub, hub, django_assert_max_num_queries
):
    device = intake(batch, tom)
    for _ in range(10):
        services.device_transfer(device=device, hub=other_hub, actor=tom)
        services.device_transfer(device=device, hub=hub, actor=tom)
    services.erasure_record(device=device, actor=tom, **PASSED)
    _count_queries(login(tom), device_url("device", device), django_assert_max_num_queries, 14)


def test_the_borrower_shows_on_the_device_page_only_to_who_may_see_clients_and_the_read_is_logged(
    login, alice, tom, digibank_a, hub
):
    from digibank.clients.models import AccessLog

    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    borrower = ClientFactory(digibank=digibank_a, first_name="Jozefien", last_name="Maes", registered_by=alice)
    services.loan_check_out(digibank=digibank_a, hub=hub, client=borrower, devices=[laptop], actor=alice)
    url = reverse("devices:device", kwargs={"pk": laptop.pk})

    assert "Jozefien" not in login(tom).get(url).content.decode()
    assert not AccessLog.objects.filter(client=borrower, action="read").exists()

    assert "Jozefien" in login(alice).get(url).content.decode()
    assert AccessLog.objects.filter(client=borrower, action="read", actor=alice, what="device page").count() == 1
