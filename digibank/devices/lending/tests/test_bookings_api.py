"""The device bank's REST API for lending beyond the desk: partner bookings, reports during a loan and
handing over for good; with the personas of conftest: alice (coordinator), bob (desk) and tom
(technician) in digibank A, carol (coordinator) in B, dave at the Department."""

from __future__ import annotations

import datetime as dt

import pytest

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import Incident, Loan
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.tests.factories import API, NOBODYS_TAG, DeviceFactory, loose, state_of
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import Offer
from digibank.network.tests.factories import PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# Partner bookings ---------------------------------------------------------------------------------


@pytest.fixture
def krook_library(digibank_a, alice):
    """Digibank A lends sets to partners, booked a week ahead; the library of De Krook books."""
    lending_services.rules_update(digibank=digibank_a, actor=alice, lends_to_partners=True)
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
    return lending_services.partner_booking(
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
    waiting_list_services.request_create(digibank=digibank_a, client=sebastien, hub=krook, kind=Kind.TABLET, actor=bob)
    tablet = DeviceFactory(digibank=digibank_a, hub=krook, kind=Kind.TABLET, ready=True)
    offer = waiting_list_services.offer_next(device=tablet, actor=tom)
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


# Reports during a loan and handing over for good --------------------------------------------------


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
    loan = lending_services.loan_check_out(
        digibank=digibank_a, hub=krook, client=sebastien, devices=[tablet], actor=bob
    )
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
