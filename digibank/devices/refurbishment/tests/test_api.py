"""The device bank's REST API for refurbishment: erasure and its log, the ready check, transitions,
repairs and recycling; with the personas of conftest: alice (coordinator), bob (desk) and tom
(technician) in digibank A, carol (coordinator) in B, dave at the Department."""

from __future__ import annotations

import datetime as dt

import pytest

from digibank.devices.intake import services as intake_services
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.models import READY_CHECKLIST, ErasureRecord
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.tests.factories import API, DATA, PASSED, SoftwareProfileFactory, assert_pdf, state_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# The lifecycle ------------------------------------------------------------------------------------


def test_nwipe_log_of_the_devices_disk_makes_it_wiped(api_as, tom, received):
    log = (DATA / "nwipe_0.37_ssd_prng_verified.log").read_text()
    response = api_as(tom).post(
        f"{API}/devices/{received.pk}/erasure-log/", {"log": log, "medium": "ssd"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["result"], body["method"], body["medium_serial"]) == ("passed", "PRNG Stream", "S3Z1NB0K812345X")
    assert body["number"].startswith("W-")
    assert state_of(received) == State.WIPED


def test_nwipe_log_of_another_disk_is_400(api_as, tom, batch):
    device = intake_services.device_intake(batch=batch, actor=tom, kind=Kind.LAPTOP, storage_serial="WD-OTHER-1")
    log = (DATA / "nwipe_0.37_ssd_prng_verified.log").read_text()
    response = api_as(tom).post(f"{API}/devices/{device.pk}/erasure-log/", {"log": log, "medium": "ssd"}, format="json")
    assert response.status_code == 400
    assert "S3Z1NB0K812345X" in response.json()["log"][0]
    assert not ErasureRecord.objects.exists() and state_of(device) == State.RECEIVED


def test_text_that_is_no_nwipe_log_is_400(api_as, tom, received):
    response = api_as(tom).post(
        f"{API}/devices/{received.pk}/erasure-log/", {"log": "hello", "medium": "ssd"}, format="json"
    )
    assert response.status_code == 400
    assert "log" in response.json()


def test_laptop_is_wiped_checked_and_made_ready(api_as, tom, received, digibank_a):
    api = api_as(tom)
    profile = SoftwareProfileFactory(digibank=digibank_a)
    erased = api.post(f"{API}/devices/{received.pk}/erasures/", PASSED, format="json")
    assert erased.status_code == 201, erased.json()
    assert api.get(f"{API}/devices/{received.pk}/erasures/").json()["count"] == 1
    checked = api.post(
        f"{API}/devices/{received.pk}/ready-check/",
        {"software_profile": profile.pk, "items": list(READY_CHECKLIST)},
        format="json",
    )
    assert checked.status_code == 201, checked.json()
    assert checked.json()["items"] == sorted(READY_CHECKLIST)

    response = api.post(f"{API}/devices/{received.pk}/transition/", {"target": "ready", "grade": "A"}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["grade"]) == ("ready", "A")
    assert response.json()["software_profile"] == profile.pk


def test_ready_check_with_an_item_left_out_is_400(api_as, tom, received, digibank_a):
    refurbishment_services.erasure_record(device=received, actor=tom, **PASSED)
    profile = SoftwareProfileFactory(digibank=digibank_a)
    response = api_as(tom).post(
        f"{API}/devices/{received.pk}/ready-check/",
        {"software_profile": profile.pk, "items": list(READY_CHECKLIST)[1:]},
        format="json",
    )
    assert response.status_code == 400
    assert "items" in response.json()


def test_laptop_without_erasure_cannot_become_ready(api_as, tom, received):
    response = api_as(tom).post(
        f"{API}/devices/{received.pk}/transition/", {"target": "ready", "grade": "B"}, format="json"
    )
    assert response.status_code == 400
    assert "erasure" in " ".join(response.json()["state"])
    assert state_of(received) == State.RECEIVED


def test_lending_is_not_a_transition_by_hand(api_as, tom, laptop):
    response = api_as(tom).post(f"{API}/devices/{laptop.pk}/transition/", {"target": "on_loan"}, format="json")
    assert response.status_code == 400
    assert "target" in response.json()
    assert state_of(laptop) == State.READY


def test_retiring_needs_a_reason(api_as, tom, laptop):
    api = api_as(tom)
    response = api.post(f"{API}/devices/{laptop.pk}/transition/", {"target": "retired"}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = api.post(f"{API}/devices/{laptop.pk}/transition/", {"target": "retired", "note": "Moederbord"})
    assert response.json()["state"] == "retired"


def test_repair_ticket_sends_the_device_into_repair(api_as, tom, laptop):
    response = api_as(tom).post(
        f"{API}/devices/{laptop.pk}/repairs/", {"fault": "Scharnier gebroken", "trainee": "Yusuf"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["trainee"]) == ("open", "Yusuf")
    assert state_of(laptop) == State.IN_REPAIR


def test_repair_without_fault_is_400(api_as, tom, laptop):
    response = api_as(tom).post(f"{API}/devices/{laptop.pk}/repairs/", {"fault": " "}, format="json")
    assert response.status_code == 400 and "fault" in response.json()
    assert state_of(laptop) == State.READY


@pytest.fixture
def retired(laptop, tom):
    return refurbishment_services.device_transition(device=laptop, target=State.RETIRED, actor=tom, note="Kapot")


@pytest.fixture
def collection(digibank_a, tom):
    return refurbishment_services.collection_create(
        digibank=digibank_a, actor=tom, recycler="Recupel", reference="R-2025-1"
    )


def test_collection_is_made_for_recycling(api_as, tom):
    response = api_as(tom).post(f"{API}/collections/", {"recycler": "Recupel", "reference": "R-1"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["handed_over_on"] == dt.date.today().isoformat()


def test_retired_device_is_recycled_with_its_weight(api_as, tom, retired, collection):
    response = api_as(tom).post(
        f"{API}/devices/{retired.pk}/recycle/", {"collection": collection.pk, "weight_kg": "2.10"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["weight_kg"]) == ("recycled", "2.10")


@pytest.mark.parametrize("weight", ["0", "0.00", "-1"])
def test_recycling_without_weight_is_400(api_as, tom, retired, collection, weight):
    response = api_as(tom).post(
        f"{API}/devices/{retired.pk}/recycle/", {"collection": collection.pk, "weight_kg": weight}, format="json"
    )
    assert response.status_code == 400
    assert "weight_kg" in response.json()
    assert state_of(retired) == State.RETIRED


# Repairs ------------------------------------------------------------------------------------------


@pytest.fixture
def in_repair(laptop, tom):
    return refurbishment_services.repair_open(device=laptop, actor=tom, fault="Scharnier gebroken", trainee="Yusuf")


def test_repair_is_closed_with_what_was_done(api_as, tom, in_repair, laptop):
    api = api_as(tom)
    listed = api.get(f"{API}/repairs/", {"status": "open"}).json()["results"]
    assert [(r["id"], r["asset_tag"], r["fault"]) for r in listed] == [
        (in_repair.pk, laptop.asset_tag, "Scharnier gebroken")
    ]

    body = {"work_done": "Scharnier vervangen", "parts_used": "Scharnier links", "minutes_spent": 45}
    response = api.post(f"{API}/repairs/{in_repair.pk}/close/", body, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["minutes_spent"]) == ("done", 45)
    assert response.json()["closed_at"]
    assert api.get(f"{API}/repairs/", {"status": "open"}).json()["count"] == 0
    assert api.get(f"{API}/repairs/", {"device": laptop.pk}).json()["count"] == 1
    # Done with the repair is not ready: the device is checked and marked ready after it.
    assert state_of(laptop) == State.IN_REPAIR


def test_repair_closed_without_saying_what_was_done_is_400(api_as, tom, in_repair):
    api = api_as(tom)
    for body in ({"work_done": " "}, {"work_done": "Vervangen", "minutes_spent": -1}, {}):
        response = api.post(f"{API}/repairs/{in_repair.pk}/close/", body, format="json")
        assert response.status_code == 400, body
        assert set(response.json()) <= {"work_done", "minutes_spent"} and response.json()
    assert api.post(f"{API}/repairs/{in_repair.pk}/close/", {"work_done": "Klaar"}, format="json").status_code == 200
    again = api.post(f"{API}/repairs/{in_repair.pk}/close/", {"work_done": "Nogmaals"}, format="json")
    assert again.status_code == 400
    assert again.json()["non_field_errors"] == ["This repair is already done."]


def test_repair_list_with_an_impossible_filter_is_400(api_as, tom):
    assert api_as(tom).get(f"{API}/repairs/", {"status": "waiting"}).status_code == 400
    assert api_as(tom).get(f"{API}/repairs/", {"device": "laptop"}).status_code == 400


def test_desk_reads_repairs_but_cannot_close_them(api_as, bob, in_repair):
    api = api_as(bob)
    assert api.get(f"{API}/repairs/{in_repair.pk}/").status_code == 200
    response = api.post(f"{API}/repairs/{in_repair.pk}/close/", {"work_done": "Klaar"}, format="json")
    assert response.status_code == 403
    assert api_as(bob).get(f"{API}/repairs/", {"status": "open"}).json()["count"] == 1


# Papers -------------------------------------------------------------------------------------------


def test_erasure_is_read_with_its_certificate(api_as, tom, received):
    record = refurbishment_services.erasure_record(device=received, actor=tom, **PASSED)
    api = api_as(tom)
    assert api.get(f"{API}/erasures/{record.pk}/").json()["number"] == record.number
    assert_pdf(api.get(f"{API}/erasures/{record.pk}/certificate/"), f"erasure-{record.number}.pdf")
