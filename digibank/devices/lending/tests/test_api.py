"""The device bank's REST API for lending: check-out, check-in, extension, signature, incidents, the
lending rules and the agreement texts; with the personas of conftest: alice (coordinator), bob (desk)
and tom (technician) in digibank A, carol (coordinator) in B, dave at the Department. Sébastien is an
adult client of A living in Gent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from digibank.clients.models import AccessLog
from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import Incident, Loan
from digibank.devices.register.lifecycle import State
from digibank.devices.tests.factories import API, NOBODYS_TAG, WRONG_CHECK, DeviceFactory, assert_pdf, loose, state_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def check_out(api, client, hub, *devices, **extra):
    body = {"client": client.number, "hub": hub.pk, "tags": [d.asset_tag for d in devices], **extra}
    return api.post(f"{API}/loans/", body, format="json")


# Check-out ----------------------------------------------------------------------------------------


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
    lending_services.rules_update(
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
    late = lending_services.loan_check_out(
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


# Lending rules ------------------------------------------------------------------------------------


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
    assert lending_rules.rules_for(alice.memberships.get().digibank).loan_days == 91


def test_desk_reads_the_rules_but_cannot_change_them(api_as, bob):
    api = api_as(bob)
    assert api.get(f"{API}/lending-rules/").status_code == 200
    assert api.patch(f"{API}/lending-rules/", {"loan_days": 7}, format="json").status_code == 403


# Roles and tenancy --------------------------------------------------------------------------------


def test_loan_of_another_digibank_is_404(api_as, bob, carol, digibank_b, turnhout, their_laptop):
    jef = ClientFactory(digibank=digibank_b, postal_code="2300")
    loan = lending_services.loan_check_out(
        digibank=digibank_b, hub=turnhout, client=jef, devices=[their_laptop], actor=carol
    )
    api = api_as(bob)
    assert api.get(f"{API}/loans/{loan.pk}/").status_code == 404
    body = {"items": returned(their_laptop)}
    assert api.post(f"{API}/loans/{loan.pk}/check-in/", body, format="json").status_code == 404
    assert api.get(f"{API}/loans/").json()["count"] == 0
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.ON_LOAN


# Queries ------------------------------------------------------------------------------------------


# Token and user, memberships, count, rows with client, partner and hub, the items with their devices,
# and the access log line.
LOAN_LIST_QUERIES = 6


def _loans(digibank, hub, actor, n):
    for _ in range(n):
        client = ClientFactory(digibank=digibank, postal_code="9000")
        devices = [
            DeviceFactory(digibank=digibank, hub=hub, ready=True),
            DeviceFactory(digibank=digibank, hub=hub, ready=True, accessory=True),
        ]
        lending_services.loan_check_out(digibank=digibank, hub=hub, client=client, devices=devices, actor=actor)


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


# Agreement texts ----------------------------------------------------------------------------------


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
    lending_services.agreement_publish(digibank=digibank_a, text="Afspraken", actor=alice)
    assert api_as(bob).get(f"{API}/agreements/").json()["count"] == 1
    assert api_as(bob).post(f"{API}/agreements/", {"text": "Andere"}, format="json").status_code == 403
    assert api_as(tom).get(f"{API}/agreements/").status_code == 403


# Papers -------------------------------------------------------------------------------------------


def test_reading_the_loan_agreement_is_in_the_access_log(api_as, bob, lent, sebastien):
    assert_pdf(api_as(bob).get(f"{API}/loans/{lent.pk}/agreement/"), f"agreement-{lent.number}.pdf")
    line = AccessLog.objects.get(action=AccessLog.Action.READ)
    assert (line.client_id, line.actor_id) == (sebastien.pk, bob.pk)
    assert "agreement" in line.what and "Broeck" not in line.what
