"""The device bank's REST API, with the personas of conftest: alice (coordinator), bob (desk) and tom
(technician) in digibank A, carol (coordinator) in B, dave at the Department. Sébastien is an adult
client of A living in Gent; A's stock has a ready laptop and a ready charger at the Krook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from digibank.clients.models import AccessLog
from digibank.clients.numbers import check_character
from digibank.clients.tests.factories import ClientFactory
from digibank.devices import services
from digibank.devices.lifecycle import Kind, State
from digibank.devices.models import (
    READY_CHECKLIST,
    Device,
    DeviceEvent,
    DeviceRequest,
    Donor,
    ErasureRecord,
    Incident,
    Loan,
    Offer,
    QueueMove,
)
from digibank.devices.tests.factories import BatchFactory, DeviceFactory, SoftwareProfileFactory
from digibank.network.tests.factories import HubFactory, PartnerFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
DATA = Path(__file__).parent / "data"
PASSED = dict(
    level="clear", method="PRNG Stream", tool="nwipe 0.37", medium="ssd", result="passed", verification="last"
)


# A tag of the right shape, with the right check character, that no device has.
NOBODYS_TAG = "T-AAAA-AAA" + check_character("AAAAAAA")
WRONG_CHECK = NOBODYS_TAG[:-1] + ("C" if NOBODYS_TAG[-1] != "C" else "D")


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English, the language of the msgids, whatever the .po files say."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def krook(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook", postal_code="9000")


@pytest.fixture
def melle(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Melle", postal_code="9090")


@pytest.fixture
def turnhout(digibank_b):
    return HubFactory(digibank=digibank_b, name="Digipunt Turnhout", postal_code="2300")


@pytest.fixture
def batch(digibank_a, krook, tom):
    return BatchFactory(digibank=digibank_a, hub=krook, received_by=tom)


@pytest.fixture
def laptop(digibank_a, krook):
    return DeviceFactory(digibank=digibank_a, hub=krook, ready=True, serial_number="PF1XK2QJ")


@pytest.fixture
def charger(digibank_a, krook):
    return DeviceFactory(digibank=digibank_a, hub=krook, ready=True, accessory=True)


@pytest.fixture
def their_laptop(digibank_b, turnhout):
    return DeviceFactory(digibank=digibank_b, hub=turnhout, ready=True)


@pytest.fixture
def sebastien(digibank_a, bob):
    return ClientFactory(
        digibank=digibank_a, first_name="Sébastien", last_name="Van den Broeck", postal_code="9000", registered_by=bob
    )


def loose(number: str) -> str:
    """A client number as a volunteer might type it: lower case, no dash."""
    return number.replace("-", "").lower()


def check_out(api, client, hub, *devices, **extra):
    body = {"client": client.number, "hub": hub.pk, "tags": [d.asset_tag for d in devices], **extra}
    return api.post(f"{API}/loans/", body, format="json")


@pytest.fixture
def lent(digibank_a, krook, sebastien, laptop, charger, bob):
    """Sébastien borrows the laptop with its charger; the rules ask a deposit of 20 euros."""
    services.rules_update(digibank=digibank_a, actor=bob, deposit=Decimal("20"))
    return services.loan_check_out(
        digibank=digibank_a, hub=krook, client=sebastien, devices=[laptop, charger], actor=bob, deposit_payment="paid"
    )


def state_of(device) -> str:
    return Device.objects.get(pk=device.pk).state


# Intake --------------------------------------------------------------------------------------------


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
    donor = services.donor_create(digibank=digibank_a, actor=tom, name="KBC")
    response = api_as(tom).post(f"{API}/intake-batches/", {"donor": donor.pk, "hub": turnhout.pk}, format="json")
    assert response.status_code == 400
    assert "hub" in response.json()


# The lifecycle -----------------------------------------------------------------------------------


@pytest.fixture
def received(batch, tom):
    return services.device_intake(
        batch=batch, actor=tom, kind=Kind.LAPTOP, serial_number="CN0X1234", storage_serial="S3Z1NB0K812345X"
    )


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
    device = services.device_intake(batch=batch, actor=tom, kind=Kind.LAPTOP, storage_serial="WD-OTHER-1")
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
    services.erasure_record(device=received, actor=tom, **PASSED)
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


def test_details_are_corrected_but_state_is_not_patched(api_as, tom, laptop):
    response = api_as(tom).patch(
        f"{API}/devices/{laptop.pk}/",
        {"make": "Lenovo", "model_name": "ThinkPad T490", "specs": {"memory_gb": 16}, "state": "recycled"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    laptop.refresh_from_db()
    assert (laptop.model_name, laptop.memory_gb, laptop.state) == ("ThinkPad T490", 16, State.READY)


def test_serial_number_already_in_stock_is_400(api_as, tom, laptop, charger):
    response = api_as(tom).patch(f"{API}/devices/{charger.pk}/", {"serial_number": "pf1xk2qj"}, format="json")
    assert response.status_code == 400
    assert laptop.asset_tag in response.json()["serial_number"][0]


def test_transfer_to_another_hub_of_the_digibank(api_as, tom, laptop, melle):
    response = api_as(tom).post(f"{API}/devices/{laptop.pk}/transfer/", {"hub": melle.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["hub_name"] == "Digipunt Melle"


def test_transfer_to_a_hub_of_another_digibank_is_400(api_as, tom, laptop, turnhout, krook):
    response = api_as(tom).post(f"{API}/devices/{laptop.pk}/transfer/", {"hub": turnhout.pk}, format="json")
    assert response.status_code == 400 and "hub" in response.json()
    assert Device.objects.get(pk=laptop.pk).hub_id == krook.pk


@pytest.fixture
def retired(laptop, tom):
    return services.device_transition(device=laptop, target=State.RETIRED, actor=tom, note="Kapot")


@pytest.fixture
def collection(digibank_a, tom):
    return services.collection_create(digibank=digibank_a, actor=tom, recycler="Recupel", reference="R-2025-1")


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


def test_history_of_a_device_is_paginated_newest_first(api_as, tom, received):
    api = api_as(tom)
    services.device_transition(device=received, target=State.WIPING, actor=tom)
    body = api.get(f"{API}/devices/{received.pk}/events/", {"page_size": 1}).json()
    assert body["count"] == 2 and body["next"]
    assert body["results"][0]["to_state"] == "wiping"
    assert body["results"][0]["actor_name"] == "Tom Wuyts"


# The stock -------------------------------------------------------------------------------------------


def test_device_list_filters(api_as, bob, laptop, charger, received, melle):
    api = api_as(bob)

    def tags(**query):
        response = api.get(f"{API}/devices/", query)
        assert response.status_code == 200, response.json()
        return {d["asset_tag"] for d in response.json()["results"]}

    assert tags() == {laptop.asset_tag, charger.asset_tag, received.asset_tag}
    assert tags(state="ready") == {laptop.asset_tag, charger.asset_tag}
    assert tags(state="ready", kind="laptop") == {laptop.asset_tag}
    assert tags(grade="B", kind="charger") == {charger.asset_tag}
    assert tags(hub=melle.pk) == set()
    assert tags(q=laptop.asset_tag.replace("-", "").lower()) == {laptop.asset_tag}
    assert tags(q="pf1xk2qj") == {laptop.asset_tag}
    assert tags(q=NOBODYS_TAG) == set()


@pytest.mark.parametrize("query", [{"state": "lost"}, {"kind": "printer"}, {"hub": "Krook"}, {"grade": "D"}])
def test_device_list_with_an_impossible_filter_is_400(api_as, bob, query):
    response = api_as(bob).get(f"{API}/devices/", query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_a_lent_device_does_not_show_its_borrower(api_as, tom, lent, laptop, sebastien):
    response = api_as(tom).get(f"{API}/devices/{laptop.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "on_loan"
    assert not {"client", "owner", "loan", "borrower"} & set(body)
    text = response.content.decode()
    assert sebastien.number not in text and "Broeck" not in text
    events = api_as(tom).get(f"{API}/devices/{laptop.pk}/events/").content.decode()
    assert sebastien.number not in events and "Broeck" not in events


# Check-out ---------------------------------------------------------------------------------------


def test_desk_lends_a_laptop_with_its_charger(api_as, bob, krook, sebastien, laptop, charger):
    api = api_as(bob)
    body = {
        "client": loose(sebastien.number),
        "hub": krook.pk,
        "tags": [laptop.asset_tag.lower(), charger.asset_tag.replace("-", "")],
    }
    response = api.post(f"{API}/loans/", body, format="json")

    assert response.status_code == 201, response.json()
    loan = response.json()
    assert (loan["status"], loan["client_number"], loan["client_name"]) == (
        "on_loan",
        sebastien.number,
        "Sébastien Van den Broeck",
    )
    assert [i["asset_tag"] for i in loan["items"]] == [laptop.asset_tag, charger.asset_tag]
    assert loan["due_on"] == (dt.date.today() + dt.timedelta(days=91)).isoformat()
    assert state_of(laptop) == state_of(charger) == State.ON_LOAN


def test_second_checkout_of_the_same_device_is_refused(api_as, bob, krook, sebastien, lent, laptop, digibank_a):
    other = ClientFactory(digibank=digibank_a, postal_code="9000")
    response = check_out(api_as(bob), other, krook, laptop)
    assert response.status_code == 400
    assert "not ready" in response.json()["tags"][0]
    assert Loan.objects.count() == 1


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("T-AAAA-AAA", "is not an asset tag"),  # mistyped: a character short
        (WRONG_CHECK, "is not an asset tag"),  # one character mistyped
        (NOBODYS_TAG, "No device of your digibank has the tag"),  # the right shape, but nobody's
    ],
)
def test_unknown_or_mistyped_tag_is_400(api_as, bob, krook, sebastien, laptop, tag, message):
    body = {"client": sebastien.number, "hub": krook.pk, "tags": [laptop.asset_tag, tag]}
    response = api_as(bob).post(f"{API}/loans/", body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["tags"])
    assert not Loan.objects.exists() and state_of(laptop) == State.READY


def test_device_of_another_digibank_is_400_worded_as_an_unknown_tag(api_as, bob, krook, sebastien, their_laptop):
    api = api_as(bob)
    theirs = check_out(api, sebastien, krook, their_laptop)
    body = {"client": sebastien.number, "hub": krook.pk, "tags": [NOBODYS_TAG]}
    unknown = api.post(f"{API}/loans/", body, format="json")
    assert theirs.status_code == unknown.status_code == 400
    assert theirs.json()["tags"][0].replace(their_laptop.asset_tag, "<tag>") == unknown.json()["tags"][0].replace(
        NOBODYS_TAG, "<tag>"
    )  # nothing tells that the tag exists elsewhere
    assert not Loan.objects.exists() and state_of(their_laptop) == State.READY


def test_device_not_ready_is_400(api_as, bob, krook, sebastien, received):
    response = check_out(api_as(bob), sebastien, krook, received)
    assert response.status_code == 400
    assert "not ready to lend" in response.json()["tags"][0]


def test_unknown_client_number_is_400(api_as, bob, krook, laptop, digibank_b):
    jef = ClientFactory(digibank=digibank_b, postal_code="2300")
    for number, message in [
        ("K7QM-4XRB", "not a client number"),  # B is no character of a client number: not even the shape
        ("nonsense", "not a client number"),
        (jef.number, "No client of your digibank"),
    ]:
        body = {"client": number, "hub": krook.pk, "tags": [laptop.asset_tag]}
        response = api_as(bob).post(f"{API}/loans/", body, format="json")
        assert response.status_code == 400
        assert message in response.json()["client"][0]
    assert not Loan.objects.exists()


def test_minor_is_refused(api_as, bob, krook, laptop, digibank_a):
    minor = ClientFactory(digibank=digibank_a, birth_date=dt.date.today().replace(year=dt.date.today().year - 15))
    response = check_out(api_as(bob), minor, krook, laptop)
    assert response.status_code == 400
    assert response.json()["client"] == ["Devices are lent to adults only."]
    assert state_of(laptop) == State.READY


def test_client_outside_the_service_area_is_refused(api_as, bob, krook, laptop, digibank_a):
    antwerpen = ClientFactory(digibank=digibank_a, postal_code="2000")
    response = check_out(api_as(bob), antwerpen, krook, laptop)
    assert response.status_code == 400
    assert "service area" in response.json()["client"][0]


def test_every_reason_of_the_rules_is_a_field_error(api_as, bob, alice, krook, sebastien, laptop, digibank_a):
    services.rules_update(
        digibank=digibank_a,
        actor=alice,
        income_condition="threshold",
        income_threshold=Decimal("1500"),
        goals_plan_required=True,
        training="before",
        training_name="Digitaal basis",
    )
    response = check_out(api_as(bob), sebastien, krook, laptop, household_size=2, household_income="2500.00")
    assert response.status_code == 400
    assert {"income", "goals_plan", "training_done"} <= set(response.json())

    allowed = check_out(
        api_as(bob),
        sebastien,
        krook,
        laptop,
        household_size=1,
        household_income="1200.00",
        training_done=True,
        goals_plan="Online bankieren leren",
    )
    assert allowed.status_code == 201, allowed.json()
    assert allowed.json()["goals_plan"] == "Online bankieren leren"


def test_checkout_input_of_the_wrong_shape_is_400(api_as, bob, krook, sebastien):
    api = api_as(bob)
    for body in (
        {},
        {"client": sebastien.number, "hub": krook.pk, "tags": "T-AAAA-AAAA"},
        {"client": sebastien.number, "hub": krook.pk, "tags": [], "household_size": 0},
        {"client": sebastien.number, "hub": krook.pk, "tags": [], "household_income": "-5"},
    ):
        assert api.post(f"{API}/loans/", body, format="json").status_code == 400


# Check-in, extension, signature, incidents --------------------------------------------------------


def returned(*devices, **fields):
    return [{"tag": d.asset_tag, **fields} for d in devices]


def test_loan_comes_back_with_a_missing_charger(api_as, bob, lent, laptop, charger):
    body = {
        "items": [{"tag": laptop.asset_tag.lower()}, {"tag": charger.asset_tag, "present": False}],
        "deposit_kept": "10.00",
        "note": "Lader vergeten",
    }
    response = api_as(bob).post(f"{API}/loans/{lent.pk}/check-in/", body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "returned"
    assert state_of(laptop) == State.RETURNED and state_of(charger) == State.RETIRED
    incident = Incident.objects.get()
    assert (incident.kind, incident.deposit_kept, incident.device_id) == ("missing_part", Decimal("10.00"), charger.pk)
    assert Loan.objects.get(pk=lent.pk).deposit_status == Loan.Deposit.KEPT


def test_negative_deposit_kept_is_400(api_as, bob, lent, laptop, charger):
    body = {"items": returned(laptop, charger), "deposit_kept": "-5.00"}
    response = api_as(bob).post(f"{API}/loans/{lent.pk}/check-in/", body, format="json")
    assert response.status_code == 400
    assert response.json()["deposit_kept"] == ["The amount kept cannot be negative."]
    assert Loan.objects.get(pk=lent.pk).status == Loan.Status.ON_LOAN and state_of(laptop) == State.ON_LOAN


def test_return_of_a_loan_not_on_loan_is_400(api_as, bob, lent, laptop, charger):
    api = api_as(bob)
    first = api.post(f"{API}/loans/{lent.pk}/check-in/", {"items": returned(laptop, charger)}, format="json")
    assert first.status_code == 200
    response = api.post(f"{API}/loans/{lent.pk}/check-in/", {"items": returned(laptop, charger)}, format="json")
    assert response.status_code == 400
    assert "not in progress" in response.json()["items"][0]
    assert state_of(laptop) == State.RETURNED


def test_check_in_must_name_every_device_of_the_loan(api_as, bob, lent, laptop):
    response = api_as(bob).post(f"{API}/loans/{lent.pk}/check-in/", {"items": returned(laptop)}, format="json")
    assert response.status_code == 400
    assert "every device" in response.json()["items"][0]
    assert state_of(laptop) == State.ON_LOAN


def test_check_in_with_a_stranger_an_unknown_tag_or_a_device_twice_is_400(
    api_as, bob, lent, laptop, charger, received, their_laptop
):
    api = api_as(bob)
    cases = [
        returned(laptop, charger, received),  # not part of the loan
        returned(laptop, charger) + [{"tag": NOBODYS_TAG}],  # nobody's
        returned(laptop, charger, their_laptop),  # another digibank's
        returned(laptop, charger) + [{"tag": laptop.asset_tag.lower()}],  # twice
        returned(laptop, charger, condition="like new"),
    ]
    for items in cases:
        response = api.post(f"{API}/loans/{lent.pk}/check-in/", {"items": items}, format="json")
        assert response.status_code == 400, items
        assert "items" in response.json()
    assert Loan.objects.get(pk=lent.pk).status == Loan.Status.ON_LOAN


def test_loan_is_extended_once_as_the_rules_allow(api_as, bob, lent):
    api = api_as(bob)
    first = api.post(f"{API}/loans/{lent.pk}/extend/")
    assert first.status_code == 200
    assert first.json()["due_on"] == (lent.due_on + dt.timedelta(days=30)).isoformat()
    second = api.post(f"{API}/loans/{lent.pk}/extend/")
    assert second.status_code == 400
    assert "cannot be extended again" in second.json()["non_field_errors"][0]


def test_agreement_is_signed_with_the_name_as_written(api_as, bob, lent):
    api = api_as(bob)
    assert api.post(f"{API}/loans/{lent.pk}/sign/", {"signed_by_name": " "}, format="json").status_code == 400
    response = api.post(f"{API}/loans/{lent.pk}/sign/", {"signed_by_name": "S. Van den Broeck"}, format="json")
    assert response.status_code == 200
    assert response.json()["signed_by_name"] == "S. Van den Broeck" and response.json()["signed_at"]


def test_loan_list_filters(api_as, bob, lent, krook, digibank_a, sebastien):
    api = api_as(bob)
    other = ClientFactory(digibank=digibank_a, postal_code="9000")
    old_laptop = DeviceFactory(digibank=digibank_a, hub=krook, ready=True)
    late = services.loan_check_out(
        digibank=digibank_a,
        hub=krook,
        client=other,
        devices=[old_laptop],
        actor=bob,
        today=dt.date(2024, 1, 8),
        deposit_payment="owed",
    )

    def numbers(**query):
        response = api.get(f"{API}/loans/", query)
        assert response.status_code == 200, response.json()
        return [loan["number"] for loan in response.json()["results"]]

    assert set(numbers()) == {lent.number, late.number}
    assert numbers(overdue="true") == [late.number]
    assert numbers(client=loose(sebastien.number)) == [lent.number]
    assert numbers(status="returned") == []
    assert api.get(f"{API}/loans/", {"status": "lost"}).status_code == 400
    assert api.get(f"{API}/loans/", {"overdue": "maybe"}).status_code == 400
    assert api.get(f"{API}/loans/", {"client": "K7QM-4XRB"}).status_code == 400


def test_reading_a_loan_is_in_the_access_log(api_as, bob, lent, sebastien):
    api_as(bob).get(f"{API}/loans/{lent.pk}/")
    line = AccessLog.objects.get(action=AccessLog.Action.READ)
    assert (line.client_id, line.actor_id) == (sebastien.pk, bob.pk)


def test_incident_is_listed_and_closed(api_as, bob, lent, laptop, charger):
    api = api_as(bob)
    items = [{"tag": laptop.asset_tag, "condition": "broken", "damage": "Scherm gebarsten"}, {"tag": charger.asset_tag}]
    api.post(f"{API}/loans/{lent.pk}/check-in/", {"items": items}, format="json")
    listed = api.get(f"{API}/incidents/", {"status": "open"}).json()["results"]
    assert [(i["kind"], i["asset_tag"], i["loan_number"]) for i in listed] == [
        ("damaged", laptop.asset_tag, lent.number)
    ]
    incident = listed[0]["id"]
    assert api.post(f"{API}/incidents/{incident}/close/", {"resolution": ""}, format="json").status_code == 400
    response = api.post(f"{API}/incidents/{incident}/close/", {"resolution": "Scherm vervangen"}, format="json")
    assert response.json()["status"] == "closed"
    again = api.post(f"{API}/incidents/{incident}/close/", {"resolution": "Nogmaals"}, format="json")
    assert again.status_code == 400


# The waiting list --------------------------------------------------------------------------------


def ask(api, client, hub, kind="laptop", **extra):
    return api.post(f"{API}/device-requests/", {"client": client.number, "hub": hub.pk, "kind": kind, **extra})


def test_waiting_list_urgent_first_then_first_come(api_as, bob, krook, digibank_a):
    api = api_as(bob)
    first, second, third = ClientFactory.create_batch(3, digibank=digibank_a)
    partner = PartnerFactory(digibank=digibank_a)
    assert ask(api, first, krook).status_code == 201
    assert ask(api, second, krook).status_code == 201
    urgent = ask(api, third, krook, urgent_partner=partner.pk, urgent_reason="Sollicitaties")
    assert urgent.status_code == 201, urgent.json()

    line = api.get(f"{API}/device-requests/", {"hub": krook.pk, "kind": "laptop"}).json()["results"]

    assert [r["client_number"] for r in line] == [third.number, first.number, second.number]
    assert line[0]["urgent"] is True


def test_urgent_request_without_reason_or_for_an_unknown_client_is_400(api_as, bob, krook, digibank_a, sebastien):
    api = api_as(bob)
    partner = PartnerFactory(digibank=digibank_a)
    response = ask(api, sebastien, krook, urgent_partner=partner.pk)
    assert response.status_code == 400 and "urgent_reason" in response.json()
    response = api.post(f"{API}/device-requests/", {"client": "nobody", "hub": krook.pk, "kind": "laptop"})
    assert response.status_code == 400 and "client" in response.json()
    assert ask(api, sebastien, krook, kind="charger").status_code == 400
    assert not DeviceRequest.objects.exists()


def test_staff_move_someone_only_with_a_reason(api_as, bob, krook, digibank_a):
    api = api_as(bob)
    first, second = ClientFactory.create_batch(2, digibank=digibank_a)
    a = ask(api, first, krook).json()["id"]
    b = ask(api, second, krook).json()["id"]
    refused = api.post(f"{API}/device-requests/{b}/move/", {"before": a, "reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    moved = api.post(f"{API}/device-requests/{b}/move/", {"before": a, "reason": "Dakloos"}, format="json")
    assert moved.status_code == 200, moved.json()
    line = api.get(f"{API}/device-requests/", {"hub": krook.pk}).json()["results"]
    assert [r["id"] for r in line] == [b, a]
    assert QueueMove.objects.get().reason == "Dakloos"


def test_withdrawn_request_leaves_the_queue(api_as, bob, krook, sebastien):
    api = api_as(bob)
    request = ask(api, sebastien, krook).json()["id"]
    response = api.post(f"{API}/device-requests/{request}/withdraw/")
    assert response.json()["status"] == "withdrawn"
    assert api.post(f"{API}/device-requests/{request}/withdraw/").status_code == 400


def test_offer_is_listed_first_and_declined(api_as, bob, tom, krook, sebastien, digibank_a):
    api = api_as(bob)
    request = ask(api, sebastien, krook, kind="tablet").json()["id"]
    tablet = DeviceFactory(digibank=digibank_a, hub=krook, kind=Kind.TABLET, ready=True)
    offer = services.offer_next(device=tablet, actor=tom)
    assert offer is not None

    listed = api.get(f"{API}/offers/").json()["results"]
    assert [(o["id"], o["status"], o["asset_tags"]) for o in listed] == [(offer.pk, "open", [tablet.asset_tag])]
    assert listed[0]["client_number"] == sebastien.number

    response = api.post(f"{API}/offers/{offer.pk}/decline/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "declined"
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DECLINED
    assert DeviceRequest.objects.get(pk=request).status == DeviceRequest.Status.WAITING
    assert api.post(f"{API}/offers/{offer.pk}/decline/").status_code == 400


# Lending rules -----------------------------------------------------------------------------------


def test_coordinator_sets_the_lending_rules(api_as, alice):
    api = api_as(alice)
    assert api.get(f"{API}/lending-rules/").json()["loan_days"] == 91
    response = api.patch(f"{API}/lending-rules/", {"loan_days": 60, "deposit": "25.00"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["loan_days"], response.json()["deposit"]) == (60, "25.00")
    assert api.get(f"{API}/lending-rules/").json()["residents_only"] is True


@pytest.mark.parametrize(
    "change",
    [{"loan_days": 0}, {"deposit": "-1"}, {"income_condition": "threshold"}, {"training": "before"}],
)
def test_impossible_lending_rules_are_400(api_as, alice, change):
    response = api_as(alice).patch(f"{API}/lending-rules/", change, format="json")
    assert response.status_code == 400
    assert response.json()
    assert services.rules_for(alice.memberships.get().digibank).loan_days == 91


def test_desk_reads_the_rules_but_cannot_change_them(api_as, bob):
    api = api_as(bob)
    assert api.get(f"{API}/lending-rules/").status_code == 200
    assert api.patch(f"{API}/lending-rules/", {"loan_days": 7}, format="json").status_code == 403


# Roles and tenancy -------------------------------------------------------------------------------


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


def test_loan_of_another_digibank_is_404(api_as, bob, carol, digibank_b, turnhout, their_laptop):
    jef = ClientFactory(digibank=digibank_b, postal_code="2300")
    loan = services.loan_check_out(digibank=digibank_b, hub=turnhout, client=jef, devices=[their_laptop], actor=carol)
    api = api_as(bob)
    assert api.get(f"{API}/loans/{loan.pk}/").status_code == 404
    body = {"items": returned(their_laptop)}
    assert api.post(f"{API}/loans/{loan.pk}/check-in/", body, format="json").status_code == 404
    assert api.get(f"{API}/loans/").json()["count"] == 0
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.ON_LOAN


# Schema ------------------------------------------------------------------------------------------


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


# Queries -----------------------------------------------------------------------------------------

# Token and user, memberships (tenancy), count, rows with their hub.
DEVICE_LIST_QUERIES = 4
# Token and user, memberships, count, rows with client, partner and hub, the items with their devices,
# and the access log line.
LOAN_LIST_QUERIES = 6
# Token and user, memberships, count, rows with their client, the access log line.
REQUEST_LIST_QUERIES = 5
# Token and user, memberships, count, rows with request and client and loan, the loans' items, the log line.
OFFER_LIST_QUERIES = 6


def _stock(digibank, hub, n):
    for _ in range(n):
        DeviceFactory(digibank=digibank, hub=hub, ready=True)
        DeviceFactory(digibank=digibank, hub=hub, accessory=True)


def test_device_list_queries_do_not_grow_with_rows(api_as, bob, digibank_a, krook, django_assert_num_queries):
    api = api_as(bob)
    _stock(digibank_a, krook, 1)
    with django_assert_num_queries(DEVICE_LIST_QUERIES):
        assert api.get(f"{API}/devices/").json()["count"] == 2
    _stock(digibank_a, krook, 6)
    with django_assert_num_queries(DEVICE_LIST_QUERIES):
        assert api.get(f"{API}/devices/", {"state": "ready"}).json()["count"] == 7


def _loans(digibank, hub, actor, n):
    for _ in range(n):
        client = ClientFactory(digibank=digibank, postal_code="9000")
        devices = [
            DeviceFactory(digibank=digibank, hub=hub, ready=True),
            DeviceFactory(digibank=digibank, hub=hub, ready=True, accessory=True),
        ]
        services.loan_check_out(digibank=digibank, hub=hub, client=client, devices=devices, actor=actor)


def test_loan_list_queries_do_not_grow_with_rows(api_as, bob, digibank_a, krook, django_assert_num_queries):
    api = api_as(bob)
    _loans(digibank_a, krook, bob, 1)
    with django_assert_num_queries(LOAN_LIST_QUERIES):
        assert api.get(f"{API}/loans/").json()["count"] == 1
    _loans(digibank_a, krook, bob, 5)
    with django_assert_num_queries(LOAN_LIST_QUERIES):
        assert api.get(f"{API}/loans/").json()["count"] == 6
    with django_assert_num_queries(LOAN_LIST_QUERIES):
        assert api.get(f"{API}/loans/", {"status": "on_loan"}).json()["count"] == 6


def test_request_and_offer_lists_do_not_grow_with_rows(api_as, bob, tom, digibank_a, krook, django_assert_num_queries):
    api = api_as(bob)

    def waiting(n):
        for client in ClientFactory.create_batch(n, digibank=digibank_a):
            services.request_create(digibank=digibank_a, client=client, hub=krook, kind=Kind.TABLET, actor=bob)
            tablet = DeviceFactory(digibank=digibank_a, hub=krook, kind=Kind.TABLET, ready=True)
            services.offer_next(device=tablet, actor=tom)

    waiting(1)
    with django_assert_num_queries(REQUEST_LIST_QUERIES):
        api.get(f"{API}/device-requests/")
    with django_assert_num_queries(OFFER_LIST_QUERIES):
        api.get(f"{API}/offers/")
    waiting(4)
    with django_assert_num_queries(REQUEST_LIST_QUERIES):
        assert api.get(f"{API}/device-requests/").json()["count"] == 5
    with django_assert_num_queries(OFFER_LIST_QUERIES):
        assert api.get(f"{API}/offers/").json()["count"] == 5


# Repairs -----------------------------------------------------------------------------------------


@pytest.fixture
def in_repair(laptop, tom):
    return services.repair_open(device=laptop, actor=tom, fault="Scharnier gebroken", trainee="Yusuf")


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


# Partner bookings --------------------------------------------------------------------------------


@pytest.fixture
def krook_library(digibank_a, alice):
    """Digibank A lends sets to partners, booked a week ahead; the library of De Krook books."""
    services.rules_update(digibank=digibank_a, actor=alice, lends_to_partners=True)
    return PartnerFactory(digibank=digibank_a, name="Bibliotheek De Krook")


def in_a_week() -> str:
    return (dt.date.today() + dt.timedelta(days=7)).isoformat()


def book(api, partner, hub, *devices, starts_on=None):
    body = {
        "partner": partner.pk,
        "hub": hub.pk,
        "starts_on": starts_on or in_a_week(),
        "tags": [d.asset_tag for d in devices],
    }
    return api.post(f"{API}/partner-bookings/", body, format="json")


def test_partner_books_a_set_and_picks_it_up(api_as, bob, krook_library, krook, laptop, charger):
    api = api_as(bob)
    response = book(api, krook_library, krook, laptop, charger)

    assert response.status_code == 201, response.json()
    booking = response.json()
    assert (booking["status"], booking["partner_name"], booking["client_number"]) == (
        "reserved",
        "Bibliotheek De Krook",
        "",
    )
    assert booking["starts_on"] == in_a_week()
    assert [i["asset_tag"] for i in booking["items"]] == [laptop.asset_tag, charger.asset_tag]
    assert state_of(laptop) == state_of(charger) == State.RESERVED

    started = api.post(f"{API}/loans/{booking['id']}/start/")

    assert started.status_code == 200, started.json()
    assert (started.json()["status"], started.json()["starts_on"]) == ("on_loan", dt.date.today().isoformat())
    assert started.json()["due_on"] == (dt.date.today() + dt.timedelta(days=14)).isoformat()
    assert state_of(laptop) == state_of(charger) == State.ON_LOAN


def test_booking_too_soon_with_a_wrong_tag_or_another_digibanks_partner_is_400(
    api_as, bob, krook_library, krook, laptop, digibank_b
):
    api = api_as(bob)
    too_soon = book(api, krook_library, krook, laptop, starts_on=dt.date.today().isoformat())
    assert too_soon.status_code == 400
    assert too_soon.json()["starts_on"] == ["Book at least 7 days ahead."]
    body = {"partner": krook_library.pk, "hub": krook.pk, "starts_on": in_a_week(), "tags": [NOBODYS_TAG]}
    unknown = api.post(f"{API}/partner-bookings/", body, format="json")
    assert unknown.status_code == 400 and "No device of your digibank has the tag" in unknown.json()["tags"][0]
    theirs = book(api, PartnerFactory(digibank=digibank_b), krook, laptop)
    assert theirs.status_code == 400 and "partner" in theirs.json()
    assert not Loan.objects.exists() and state_of(laptop) == State.READY


def test_booking_where_the_digibank_lends_no_sets_is_400(api_as, bob, krook, laptop, digibank_a):
    response = book(api_as(bob), PartnerFactory(digibank=digibank_a), krook, laptop)
    assert response.status_code == 400
    assert "does not lend sets" in response.json()["non_field_errors"][0]
    assert state_of(laptop) == State.READY


@pytest.fixture
def booked(digibank_a, krook_library, krook, laptop, charger, bob):
    return services.partner_booking(
        digibank=digibank_a,
        hub=krook,
        partner=krook_library,
        devices=[laptop, charger],
        starts_on=dt.date.today() + dt.timedelta(days=7),
        actor=bob,
    )


def test_booking_is_cancelled_and_its_devices_are_ready_again(api_as, bob, booked, laptop, charger):
    api = api_as(bob)
    response = api.post(f"{API}/loans/{booked.pk}/cancel/", {"reason": "Cursus gaat niet door"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert state_of(laptop) == state_of(charger) == State.READY
    assert DeviceEvent.objects.filter(device=laptop, note="Cursus gaat niet door").exists()

    again = api.post(f"{API}/loans/{booked.pk}/cancel/", {}, format="json")
    assert again.status_code == 400
    assert again.json()["non_field_errors"] == ["Only a reservation can be cancelled."]
    assert api.post(f"{API}/loans/{booked.pk}/start/").status_code == 400


def test_an_offer_is_not_cancelled_as_a_booking(api_as, bob, tom, krook, sebastien, digibank_a):
    services.request_create(digibank=digibank_a, client=sebastien, hub=krook, kind=Kind.TABLET, actor=bob)
    tablet = DeviceFactory(digibank=digibank_a, hub=krook, kind=Kind.TABLET, ready=True)
    offer = services.offer_next(device=tablet, actor=tom)
    assert offer is not None
    response = api_as(bob).post(f"{API}/loans/{offer.loan_id}/cancel/", {"reason": "Weg"}, format="json")
    assert response.status_code == 400
    assert "answer the offer" in response.json()["non_field_errors"][0]
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN and state_of(tablet) == State.RESERVED


def test_a_clients_loan_is_not_started_as_a_booking(api_as, bob, lent):
    response = api_as(bob).post(f"{API}/loans/{lent.pk}/start/")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Only a partner's booking can be started here."]


def test_technician_cannot_book_start_or_cancel(api_as, tom, booked, krook_library, krook):
    api = api_as(tom)
    laptop = DeviceFactory(digibank=krook.digibank, hub=krook, ready=True)
    assert book(api, krook_library, krook, laptop).status_code == 403
    assert api.post(f"{API}/loans/{booked.pk}/start/").status_code == 403
    assert api.post(f"{API}/loans/{booked.pk}/cancel/", {}, format="json").status_code == 403
    assert Loan.objects.get(pk=booked.pk).status == Loan.Status.RESERVED


# Reports during a loan and handing over for good -------------------------------------------------


def test_stolen_laptop_is_reported_during_the_loan(api_as, bob, lent, laptop, charger):
    body = {"tag": laptop.asset_tag.replace("-", "").lower(), "kind": "stolen", "description": "PV GE.55.L1.012345/25"}
    response = api_as(bob).post(f"{API}/loans/{lent.pk}/report/", body, format="json")

    assert response.status_code == 201, response.json()
    incident = response.json()
    assert (incident["kind"], incident["status"], incident["asset_tag"], incident["loan_number"]) == (
        "stolen",
        "open",
        laptop.asset_tag,
        lent.number,
    )
    assert state_of(laptop) == State.RETIRED
    # The charger is still out: the loan goes on.
    assert Loan.objects.get(pk=lent.pk).status == Loan.Status.ON_LOAN and state_of(charger) == State.ON_LOAN


def test_damage_reported_during_the_loan_keeps_the_device_on_loan(api_as, bob, lent, laptop):
    body = {"tag": laptop.asset_tag, "kind": "damaged", "description": "Scherm gebarsten"}
    response = api_as(bob).post(f"{API}/loans/{lent.pk}/report/", body, format="json")
    assert response.status_code == 201, response.json()
    assert state_of(laptop) == State.ON_LOAN


def test_report_of_a_device_outside_the_loan_or_of_no_kind_is_400(api_as, bob, lent, laptop, received):
    api = api_as(bob)
    cases = [
        ({"tag": received.asset_tag, "kind": "lost"}, "tag", "not part of the loan"),
        ({"tag": NOBODYS_TAG, "kind": "lost"}, "tag", "No device of your digibank has the tag"),
        ({"tag": "T-AAAA", "kind": "lost"}, "tag", "is not an asset tag"),
        ({"tag": laptop.asset_tag, "kind": "burnt"}, "kind", "not a valid choice"),
    ]
    for body, field, message in cases:
        response = api.post(f"{API}/loans/{lent.pk}/report/", body, format="json")
        assert response.status_code == 400, body
        assert message in " ".join(response.json()[field]), response.json()
    assert not Incident.objects.exists() and state_of(laptop) == State.ON_LOAN


def test_report_on_a_loan_not_in_progress_is_400(api_as, bob, booked, laptop):
    body = {"tag": laptop.asset_tag, "kind": "lost"}
    response = api_as(bob).post(f"{API}/loans/{booked.pk}/report/", body, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["This loan is not in progress."]


def test_ready_device_is_handed_over_to_a_client_for_good(api_as, bob, laptop, sebastien):
    body = {"client": loose(sebastien.number), "note": "Voorwaarden voor schenking vervuld"}
    response = api_as(bob).post(f"{API}/devices/{laptop.pk}/hand-over/", body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "handed_over"
    # The answer is the stock's view of a device: it names nobody.
    assert sebastien.number not in response.content.decode() and "Broeck" not in response.content.decode()
    assert Device.objects.get(pk=laptop.pk).owner_id == sebastien.pk


def test_lent_device_is_handed_over_to_its_borrower_only(api_as, bob, krook, sebastien, digibank_a):
    tablet = DeviceFactory(digibank=digibank_a, hub=krook, kind=Kind.TABLET, ready=True)
    loan = services.loan_check_out(digibank=digibank_a, hub=krook, client=sebastien, devices=[tablet], actor=bob)
    api = api_as(bob)
    other = ClientFactory(digibank=digibank_a, postal_code="9000")
    refused = api.post(f"{API}/devices/{tablet.pk}/hand-over/", {"client": other.number}, format="json")
    assert refused.status_code == 400
    assert refused.json()["client"] == ["This device is on loan to someone else."]

    response = api.post(f"{API}/devices/{tablet.pk}/hand-over/", {"client": sebastien.number}, format="json")
    assert response.status_code == 200, response.json()
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.HANDED_OVER


def test_hand_over_to_an_unknown_client_or_of_a_device_not_ready_is_400(
    api_as, bob, laptop, received, sebastien, digibank_b
):
    api = api_as(bob)
    jef = ClientFactory(digibank=digibank_b, postal_code="2300")
    for number in ("K7QM-4XRB", jef.number, ""):
        response = api.post(f"{API}/devices/{laptop.pk}/hand-over/", {"client": number}, format="json")
        assert response.status_code == 400 and "client" in response.json(), number
    response = api.post(f"{API}/devices/{received.pk}/hand-over/", {"client": sebastien.number}, format="json")
    assert response.status_code == 400 and "state" in response.json()
    assert state_of(laptop) == State.READY and state_of(received) == State.RECEIVED


def test_technician_cannot_hand_over_or_report(api_as, tom, laptop, lent, sebastien, charger):
    api = api_as(tom)
    assert api.post(f"{API}/devices/{charger.pk}/hand-over/", {"client": sebastien.number}).status_code == 403
    body = {"tag": laptop.asset_tag, "kind": "lost"}
    assert api.post(f"{API}/loans/{lent.pk}/report/", body, format="json").status_code == 403
    assert state_of(laptop) == State.ON_LOAN


# Agreement texts ---------------------------------------------------------------------------------


def test_coordinator_publishes_new_versions_of_the_agreement(api_as, alice):
    api = api_as(alice)
    assert api.get(f"{API}/agreements/").json()["count"] == 0
    first = api.post(f"{API}/agreements/", {"text": "Afspraken, versie één."}, format="json")
    assert first.status_code == 201, first.json()
    assert (first.json()["version"], first.json()["published_by_name"]) == (1, "Alice Claes")
    second = api.post(f"{API}/agreements/", {"text": "  Afspraken, versie twee.  "}, format="json")
    assert (second.json()["version"], second.json()["text"]) == (2, "Afspraken, versie twee.")

    listed = api.get(f"{API}/agreements/").json()["results"]

    assert [a["version"] for a in listed] == [2, 1]
    assert api.get(f"{API}/agreements/{first.json()['id']}/").json()["text"] == "Afspraken, versie één."


def test_empty_agreement_text_is_400(api_as, alice):
    api = api_as(alice)
    for body in ({"text": "   "}, {}):
        response = api.post(f"{API}/agreements/", body, format="json")
        assert response.status_code == 400 and "text" in response.json()
    assert api.get(f"{API}/agreements/").json()["count"] == 0


def test_desk_reads_the_agreements_but_cannot_publish(api_as, bob, tom, alice, digibank_a):
    services.agreement_publish(digibank=digibank_a, text="Afspraken", actor=alice)
    assert api_as(bob).get(f"{API}/agreements/").json()["count"] == 1
    assert api_as(bob).post(f"{API}/agreements/", {"text": "Andere"}, format="json").status_code == 403
    assert api_as(tom).get(f"{API}/agreements/").status_code == 403


# Stock-takes and the stock -----------------------------------------------------------------------


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
    stocktake = services.stocktake_start(hub=krook, actor=tom)
    services.stocktake_scan(stocktake=stocktake, code=laptop.asset_tag, actor=tom)
    services.stocktake_scan(stocktake=stocktake, code=NOBODYS_TAG, actor=tom)

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
    services.stocktake_start(hub=krook, actor=tom)
    done = services.stocktake_start(hub=melle, actor=tom)
    services.stocktake_close(stocktake=done, actor=tom)
    api = api_as(tom)
    assert api.get(f"{API}/stocktakes/").json()["count"] == 2
    assert [s["hub"] for s in api.get(f"{API}/stocktakes/", {"open": "true"}).json()["results"]] == [krook.pk]
    assert api.get(f"{API}/stocktakes/", {"hub": melle.pk}).json()["count"] == 1
    assert api.get(f"{API}/stocktakes/", {"open": "perhaps"}).status_code == 400


def test_desk_reads_stocktakes_but_cannot_start_scan_or_close(api_as, bob, tom, krook, laptop):
    stocktake = services.stocktake_start(hub=krook, actor=tom)
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


# Papers ------------------------------------------------------------------------------------------


def assert_pdf(response, filename: str) -> None:
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    assert filename in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_erasure_is_read_with_its_certificate(api_as, tom, received):
    record = services.erasure_record(device=received, actor=tom, **PASSED)
    api = api_as(tom)
    assert api.get(f"{API}/erasures/{record.pk}/").json()["number"] == record.number
    assert_pdf(api.get(f"{API}/erasures/{record.pk}/certificate/"), f"erasure-{record.number}.pdf")


def test_batch_has_a_certificate_and_labels(api_as, bob, batch, received):
    api = api_as(bob)
    assert_pdf(api.get(f"{API}/intake-batches/{batch.pk}/certificate/"), f"certificate-batch-{batch.pk}.pdf")
    assert_pdf(api.get(f"{API}/intake-batches/{batch.pk}/labels/"), f"labels-batch-{batch.pk}.pdf")


def test_reading_the_loan_agreement_is_in_the_access_log(api_as, bob, lent, sebastien):
    assert_pdf(api_as(bob).get(f"{API}/loans/{lent.pk}/agreement/"), f"agreement-{lent.number}.pdf")
    line = AccessLog.objects.get(action=AccessLog.Action.READ)
    assert (line.client_id, line.actor_id) == (sebastien.pk, bob.pk)
    assert "agreement" in line.what and "Broeck" not in line.what


def test_papers_need_their_permission(api_as, tom, dave, lent, batch, received):
    record = services.erasure_record(device=received, actor=tom, **PASSED)
    assert api_as(tom).get(f"{API}/loans/{lent.pk}/agreement/").status_code == 403
    for path in (f"erasures/{record.pk}/certificate/", f"intake-batches/{batch.pk}/labels/"):
        assert api_as(dave).get(f"{API}/{path}").status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.READ).exists()


# Another digibank's objects ----------------------------------------------------------------------


@pytest.fixture
def theirs(digibank_b, carol, turnhout, their_laptop):
    """One of each of digibank B: a repair (whose device gets an erasure), a batch, a stock-take, an
    agreement text and a partner's booking."""
    services.rules_update(digibank=digibank_b, actor=carol, lends_to_partners=True)
    booked_set = DeviceFactory(digibank=digibank_b, hub=turnhout, ready=True)
    booking = services.partner_booking(
        digibank=digibank_b,
        hub=turnhout,
        partner=PartnerFactory(digibank=digibank_b),
        devices=[booked_set],
        starts_on=dt.date.today() + dt.timedelta(days=7),
        actor=carol,
    )
    jef = ClientFactory(digibank=digibank_b, postal_code="2300")
    lent_there = DeviceFactory(digibank=digibank_b, hub=turnhout, ready=True)
    loan = services.loan_check_out(digibank=digibank_b, hub=turnhout, client=jef, devices=[lent_there], actor=carol)
    repair = services.repair_open(device=their_laptop, actor=carol, fault="Kapot")
    erasure = services.erasure_record(device=their_laptop, actor=carol, **PASSED)
    return {
        "repairs": repair.pk,
        "erasures": erasure.pk,
        "intake-batches": BatchFactory(digibank=digibank_b, hub=turnhout, received_by=carol).pk,
        "stocktakes": services.stocktake_start(hub=turnhout, actor=carol).pk,
        "agreements": services.agreement_publish(digibank=digibank_b, text="Hun afspraken", actor=carol).pk,
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
            services.repair_open(device=device, actor=alice, fault="Kapot")
            hub = HubFactory(digibank=digibank_a)
            stocktake = services.stocktake_start(hub=hub, actor=alice)
            services.stocktake_scan(stocktake=stocktake, code=device.asset_tag, actor=alice)
            services.agreement_publish(digibank=digibank_a, text="Afspraken", actor=alice)

    more(1)
    for path in ("repairs/", "stocktakes/", "agreements/"):
        with django_assert_num_queries(NEW_LIST_QUERIES):
            assert api.get(f"{API}/{path}").json()["count"] == 1
    more(5)
    for path in ("repairs/", "stocktakes/", "agreements/"):
        with django_assert_num_queries(NEW_LIST_QUERIES):
            assert api.get(f"{API}/{path}").json()["count"] == 6
