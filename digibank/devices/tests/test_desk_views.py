"""The desk's screens: lend with a scanner and a keyboard, take back with a missing charger, the
loans and the overdue list, incidents, the waiting list and its offers, partner bookings, the
lending rules. Every refusal lands next to its field and changes nothing; the technician sees none
of it; the lists cost the same number of queries whatever their length."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import AccessLog, ClientEvent
from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.devices import services
from digibank.devices.lifecycle import Kind, State
from digibank.devices.models import (
    AgreementText,
    Device,
    DeviceRequest,
    Incident,
    LendingRules,
    Loan,
    Offer,
    QueueMove,
)
from digibank.devices.tags import new_asset_tag
from digibank.devices.tests.factories import DeviceFactory
from digibank.network.tests.factories import HubFactory, MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook", offers_lending=True)


@pytest.fixture
def person(digibank_a, bob):
    return ClientFactory(digibank=digibank_a, registered_by=bob, first_name="Wies", last_name="Claeys")


@pytest.fixture
def laptop(digibank_a, hub):
    return DeviceFactory(digibank=digibank_a, hub=hub, ready=True)


@pytest.fixture
def charger(digibank_a, hub):
    return DeviceFactory(digibank=digibank_a, hub=hub, ready=True, accessory=True)


def scanned(device) -> str:
    """What a cheap scanner in the wrong keyboard mode sends: lower case, no dashes."""
    return device.asset_tag.replace("-", "").lower()


def set_rules(digibank, **fields) -> LendingRules:
    rules = services.rules_for(digibank)
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.save()
    return rules


def lend_post(client, *devices, action="lend", **extra):
    return {"card": client.number, "tags": "\n".join(scanned(d) for d in devices), "action": action, **extra}


def lend(digibank, hub, actor, *, today=None, client=None):
    """A loan of a laptop and its charger to a (new) client, made through the service."""
    client = client or ClientFactory(digibank=digibank, registered_by=actor, postal_code=hub.postal_code)
    devices = [
        DeviceFactory(digibank=digibank, hub=hub, ready=True),
        DeviceFactory(digibank=digibank, hub=hub, ready=True, accessory=True),
    ]
    return services.loan_check_out(digibank=digibank, hub=hub, client=client, devices=devices, actor=actor, today=today)


def nothing_lent(*devices):
    assert not Loan.objects.exists()
    for device in devices:
        assert Device.objects.get(pk=device.pk).state == device.state


# The whole desk flow ----------------------------------------------------------------------------


def test_desk_lends_a_laptop_and_charger_then_takes_it_back_with_the_charger_missing(
    login, bob, digibank_a, person, laptop, charger
):
    web = login(bob)
    desk = reverse("devices:desk")

    # 1. The scanner types the client number and Enter.
    response = web.get(desk, {"card": person.number.replace("-", "").lower()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Wies Claeys" in body and "This client may borrow" in body and 'name="tags"' in body
    assert AccessLog.objects.filter(client=person, action="read", actor=bob).exists()

    # 2. Each label a line; Check shows the verdict and the conditions, and lends nothing.
    response = web.post(desk, lend_post(person, laptop, charger, action="check"))
    assert response.status_code == 200, response.context["lend_form"].errors
    due = timezone.localdate() + dt.timedelta(days=91)
    assert response.context["terms"]["due_on"] == due
    assert "The rules allow this loan." in response.content.decode()
    assert not Loan.objects.exists()

    # 3. Lend.
    response = web.post(desk, lend_post(person, laptop, charger))
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("devices:loan", kwargs={"pk": loan.pk})
    assert (loan.client, loan.status, loan.due_on, loan.checked_out_by) == (person, "on_loan", due, bob)
    assert {i.device for i in loan.items.all()} == {laptop, charger}
    assert set(Device.objects.filter(pk__in=[laptop.pk, charger.pk]).values_list("state", flat=True)) == {"on_loan"}

    # The loan page: borrower, items, dates, agreement; reading it is logged.
    reads = AccessLog.objects.filter(client=person, action="read").count()
    body = web.get(reverse("devices:loan", kwargs={"pk": loan.pk})).content.decode()
    assert "Wies Claeys" in body and laptop.asset_tag in body and charger.asset_tag in body
    assert laptop.serial_number in body and "version 1" in body
    assert reverse("devices:loan_extend", kwargs={"pk": loan.pk}) in body
    assert reverse("devices:loan_agreement", kwargs={"pk": loan.pk}) in body
    assert AccessLog.objects.filter(client=person, action="read").count() == reads + 1

    # Take back: scanning any label of the loan opens its check-in.
    response = web.get(reverse("devices:take_back"), {"label": scanned(laptop)})
    checkin = reverse("devices:checkin", kwargs={"pk": loan.pk})
    assert response.status_code == 302 and response["Location"] == checkin
    body = web.get(checkin).content.decode()
    assert f'name="present_{laptop.pk}"' in body and f'name="present_{charger.pk}"' in body
    assert "checked" in body  # came back: ticked by default

    # The charger did not come back: its box is left unticked.
    response = web.post(
        checkin,
        {
            f"present_{laptop.pk}": "on",
            f"condition_{laptop.pk}": "good",
            f"damage_{laptop.pk}": "",
            f"condition_{charger.pk}": "good",
            f"damage_{charger.pk}": "",
            "missing_kind": "missing_part",
            "deposit_kept": "0",
            "note": "Lader thuis vergeten",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    loan.refresh_from_db()
    assert loan.status == Loan.Status.RETURNED
    assert Device.objects.get(pk=laptop.pk).state == State.RETURNED
    assert Device.objects.get(pk=charger.pk).state == State.RETIRED
    incident = Incident.objects.get()
    assert (incident.device, incident.kind, incident.loan) == (charger, "missing_part", loan)
    assert ClientEvent.objects.filter(client=person, kind="loan_returned").exists()

    # Afterwards the loan page says what goes back to wiping and which incident was made.
    body = web.get(reverse("devices:loan", kwargs={"pk": loan.pk})).content.decode()
    assert "Back to be wiped" in body and "taken out of the stock" in body
    assert reverse("devices:incident", kwargs={"pk": incident.pk}) in body


def test_check_in_keeps_part_of_the_deposit_for_the_missing_charger(login, bob, digibank_a, person, laptop, charger):
    set_rules(digibank_a, deposit=Decimal("20"))
    web = login(bob)
    web.post(reverse("devices:desk"), lend_post(person, laptop, charger, deposit_payment="paid"))
    loan = Loan.objects.get()
    assert (loan.deposit, loan.deposit_status) == (Decimal("20.00"), "held")
    data = {
        f"present_{laptop.pk}": "on",
        f"condition_{laptop.pk}": "good",
        f"condition_{charger.pk}": "good",
        "missing_kind": "missing_part",
        "deposit_kept": "15",
    }
    response = web.post(reverse("devices:checkin", kwargs={"pk": loan.pk}), data)
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.deposit_status == Loan.Deposit.KEPT
    assert Incident.objects.get().deposit_kept == Decimal("15")


@pytest.mark.parametrize(
    "kept, message",
    [("-5", "The amount kept cannot be negative."), ("25", "You cannot keep more than the deposit")],
)
def test_a_wrong_deposit_kept_is_refused_at_its_field_and_changes_nothing(
    login, bob, digibank_a, person, laptop, charger, kept, message
):
    set_rules(digibank_a, deposit=Decimal("20"))
    web = login(bob)
    web.post(reverse("devices:desk"), lend_post(person, laptop, charger, deposit_payment="paid"))
    loan = Loan.objects.get()
    data = {
        f"present_{laptop.pk}": "on",
        f"condition_{laptop.pk}": "good",
        f"condition_{charger.pk}": "good",
        "missing_kind": "missing_part",
        "deposit_kept": kept,
    }
    response = web.post(reverse("devices:checkin", kwargs={"pk": loan.pk}), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["deposit_kept"])
    assert 'aria-invalid="true"' in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ON_LOAN and loan.deposit_status == "held"
    assert not Incident.objects.exists()
    assert Device.objects.get(pk=charger.pk).state == State.ON_LOAN


def test_damage_noted_at_check_in_is_an_incident(login, bob, digibank_a, person, laptop, charger):
    web = login(bob)
    web.post(reverse("devices:desk"), lend_post(person, laptop, charger))
    loan = Loan.objects.get()
    data = {
        f"present_{laptop.pk}": "on",
        f"condition_{laptop.pk}": "poor",
        f"damage_{laptop.pk}": "Scharnier gebroken",
        f"present_{charger.pk}": "on",
        f"condition_{charger.pk}": "good",
        "missing_kind": "missing_part",
    }
    assert web.post(reverse("devices:checkin", kwargs={"pk": loan.pk}), data).status_code == 302
    incident = Incident.objects.get()
    assert (incident.kind, incident.device, incident.description) == ("damaged", laptop, "Scharnier gebroken")
    assert Device.objects.get(pk=charger.pk).state == State.RETURNED


# Refusals at the desk -----------------------------------------------------------------------------


def test_an_unknown_or_mistyped_tag_is_refused_at_the_labels(login, bob, person, laptop):
    unknown = new_asset_tag()
    mistyped = laptop.asset_tag[:-1] + ("3" if laptop.asset_tag[-1] != "3" else "4")
    response = login(bob).post(
        reverse("devices:desk"), {"card": person.number, "tags": f"{unknown}\n{mistyped}", "action": "lend"}
    )
    assert response.status_code == 400
    errors = " ".join(response.context["lend_form"].errors["tags"])
    assert f"No device of your digibank has the tag {unknown}." in errors and "is not an asset tag" in errors
    nothing_lent(laptop)


def test_a_device_of_another_digibank_is_refused_as_if_unknown(login, bob, person, digibank_b):
    theirs = DeviceFactory(digibank=digibank_b, ready=True)
    unknown = new_asset_tag()
    web = login(bob)
    read = []
    for tag in (theirs.asset_tag, unknown):
        response = web.post(reverse("devices:desk"), {"card": person.number, "tags": tag, "action": "lend"})
        assert response.status_code == 400
        read.append(" ".join(response.context["lend_form"].errors["tags"]).replace(tag, "<tag>"))
    assert read[0] == read[1], read  # nothing tells that the tag exists elsewhere
    nothing_lent(theirs)


def test_a_device_not_ready_is_refused(login, bob, digibank_a, hub, person):
    fresh = DeviceFactory(digibank=digibank_a, hub=hub)  # just received: not wiped, not checked
    response = login(bob).post(reverse("devices:desk"), lend_post(person, fresh))
    assert response.status_code == 400
    assert "is not ready to lend: it is received" in " ".join(response.context["lend_form"].errors["tags"])
    nothing_lent(fresh)


def test_a_client_outside_the_service_area_is_refused_next_to_the_client(login, bob, digibank_a, laptop):
    antwerp = ClientFactory(digibank=digibank_a, postal_code="2000")
    web = login(bob)
    response = web.get(reverse("devices:desk"), {"card": antwerp.number})
    assert response.status_code == 200
    assert "does not live in the digibank's service area" in " ".join(response.context["outlook"])
    response = web.post(reverse("devices:desk"), lend_post(antwerp, laptop))
    assert response.status_code == 400
    assert "service area" in " ".join(response.context["lend_form"].errors["card"])
    assert "service area" in response.content.decode()
    nothing_lent(laptop)


def test_a_client_whose_age_is_unknown_is_refused(login, bob, digibank_a, laptop):
    ageless = ClientFactory(digibank=digibank_a, birth_date=None, birth_year=None)
    response = login(bob).post(reverse("devices:desk"), lend_post(ageless, laptop))
    assert response.status_code == 400
    assert "age of this client is not known" in " ".join(response.context["lend_form"].errors["card"])
    nothing_lent(laptop)


def test_the_questions_the_rules_ask_are_shown_only_when_needed_and_refused_at_their_field(
    login, bob, digibank_a, person, laptop
):
    web = login(bob)
    body = web.get(reverse("devices:desk"), {"card": person.number}).content.decode()
    assert 'name="increased_allowance"' not in body and 'name="goals_plan"' not in body
    set_rules(
        digibank_a,
        income_condition=LendingRules.Income.INCREASED_ALLOWANCE,
        goals_plan_required=True,
        training=LendingRules.Training.BEFORE,
        training_name="Starten met de laptop",
    )
    body = web.get(reverse("devices:desk"), {"card": person.number}).content.decode()
    assert 'name="increased_allowance"' in body and 'name="goals_plan"' in body and 'name="training_done"' in body
    assert 'name="household_income"' not in body
    response = web.post(reverse("devices:desk"), lend_post(person, laptop, action="check"))
    assert response.status_code == 400
    errors = response.context["lend_form"].errors
    assert "increased allowance" in " ".join(errors["increased_allowance"])
    assert "goals plan" in " ".join(errors["goals_plan"])
    assert "Starten met de laptop" in " ".join(errors["training_done"])
    nothing_lent(laptop)
    response = web.post(
        reverse("devices:desk"),
        lend_post(person, laptop, increased_allowance="on", training_done="on", goals_plan="Solliciteren via VDAB"),
    )
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert loan.goals_plan == "Solliciteren via VDAB" and loan.conditions["income"] == "increased_allowance"


def test_income_below_the_limit_for_the_household_is_accepted(login, bob, digibank_a, person, laptop):
    set_rules(
        digibank_a,
        income_condition=LendingRules.Income.THRESHOLD,
        income_threshold=Decimal("1500"),
        income_per_member=Decimal("300"),
    )
    web = login(bob)
    check = reverse("devices:desk")
    # The limit for three people is 1500 + 2 × 300 = 2100 a year.
    response = web.post(check, lend_post(person, laptop, action="check", household_size="3", household_income="2200"))
    assert response.status_code == 400
    assert "above the limit" in " ".join(response.context["lend_form"].errors["household_income"])
    response = web.post(check, lend_post(person, laptop, action="check", household_size="3", household_income="2000"))
    assert response.status_code == 200, response.context["lend_form"].errors
    nothing_lent(laptop)
    response = web.post(check, lend_post(person, laptop, household_size="3", household_income="2000"))
    assert response.status_code == 302
    assert Loan.objects.get().conditions["income"] == "below_threshold"
    assert "2000" not in str(Loan.objects.get().conditions)  # the amount itself is not kept


def test_a_client_number_that_is_no_number_or_nobody_is_refused_at_the_card(login, bob, carol, digibank_b):
    web = login(bob)
    response = web.get(reverse("devices:desk"), {"card": "hello"})
    assert response.status_code == 400 and "not a client number" in " ".join(
        response.context["card_form"].errors["card"]
    )
    theirs = ClientFactory(digibank=digibank_b)
    response = web.get(reverse("devices:desk"), {"card": theirs.number})
    assert response.status_code == 400 and "No client of your digibank" in " ".join(
        response.context["card_form"].errors["card"]
    )
    assert theirs.last_name not in response.content.decode()
    assert not AccessLog.objects.filter(client=theirs).exists()


def test_a_client_at_their_allowance_is_told_before_any_scan(login, bob, digibank_a, hub, person):
    lend(digibank_a, hub, bob, client=person)
    response = login(bob).get(reverse("devices:desk"), {"card": person.number})
    assert "may borrow 1 device(s) at a time" in " ".join(response.context["outlook"])


def test_take_back_of_a_device_not_on_loan_is_refused_at_the_label(login, bob, laptop):
    response = login(bob).get(reverse("devices:take_back"), {"label": laptop.asset_tag})
    assert response.status_code == 400
    assert "has been lent" in " ".join(response.context["take_back_form"].errors["label"])


def test_check_in_of_a_loan_that_is_not_on_loan_is_refused_and_changes_nothing(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    services.loan_check_in(
        loan=loan, actor=bob, items=[services.ReturnedItem(device=i.device) for i in loan.items.all()]
    )
    web = login(bob)
    url = reverse("devices:checkin", kwargs={"pk": loan.pk})
    assert "nothing to take back" in web.get(url).content.decode()
    response = web.post(url, {"missing_kind": "missing_part", "deposit_kept": "0"})
    assert response.status_code == 400
    assert "not in progress" in " ".join(response.context["form"].non_field_errors())
    assert Incident.objects.count() == 0 and Loan.objects.get().status == Loan.Status.RETURNED
    response = web.get(reverse("devices:take_back"), {"label": loan.number})
    assert response.status_code == 400 and "not in progress" in " ".join(
        response.context["take_back_form"].errors["label"]
    )


# Extending --------------------------------------------------------------------------------------


def test_extend_is_one_click_where_the_rules_allow_it_and_refused_after(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    web = login(bob)
    due = loan.due_on
    response = web.post(reverse("devices:loan_extend", kwargs={"pk": loan.pk}))
    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.due_on, loan.extensions) == (due + dt.timedelta(days=30), 1)
    assert ClientEvent.objects.filter(client=loan.client, kind="loan_extended").exists()
    body = web.get(reverse("devices:loan", kwargs={"pk": loan.pk})).content.decode()
    assert reverse("devices:loan_extend", kwargs={"pk": loan.pk}) not in body
    assert "cannot be extended again" in body
    response = web.post(reverse("devices:loan_extend", kwargs={"pk": loan.pk}), follow=True)
    assert "cannot be extended again" in response.content.decode()
    loan.refresh_from_db()
    assert loan.extensions == 1 and loan.due_on == due + dt.timedelta(days=30)


def test_overdue_list_oldest_first_with_extend_only_where_allowed(login, bob, digibank_a, hub):
    today = timezone.localdate()
    older = lend(digibank_a, hub, bob, today=today - dt.timedelta(days=150))
    newer = lend(digibank_a, hub, bob, today=today - dt.timedelta(days=140))
    lend(digibank_a, hub, bob)  # not overdue
    services.loan_extend(loan=newer, actor=bob, today=today - dt.timedelta(days=139))  # the one extension allowed
    newer.refresh_from_db()
    assert older.due_on < newer.due_on < today
    web = login(bob)
    response = web.get(reverse("devices:loans"), {"show": "overdue"})
    loans = response.context["object_list"]
    assert [loan.pk for loan in loans] == [older.pk, newer.pk]
    body = response.content.decode()
    assert reverse("devices:loan_extend", kwargs={"pk": older.pk}) in body
    assert reverse("devices:loan_extend", kwargs={"pk": newer.pk}) not in body
    assert "cannot be extended again" in body
    back = f"{reverse('devices:loans')}?show=overdue&q="
    response = web.post(reverse("devices:loan_extend", kwargs={"pk": older.pk}), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Loan.objects.get(pk=older.pk).extensions == 1


def test_someone_waiting_blocks_an_extension(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    services.request_create(
        digibank=digibank_a, client=ClientFactory(digibank=digibank_a), hub=hub, kind=Kind.LAPTOP, actor=bob
    )
    body = login(bob).get(reverse("devices:loan", kwargs={"pk": loan.pk})).content.decode()
    assert "Someone is waiting for this type of device" in body


def test_loans_are_found_by_client_number_tag_or_loan_number(login, bob, digibank_a, hub):
    first, second = lend(digibank_a, hub, bob), lend(digibank_a, hub, bob)
    web = login(bob)
    tag = first.items.first().device.asset_tag
    for query in (first.client.number.replace("-", ""), tag.replace("-", "").lower(), first.number):
        response = web.get(reverse("devices:loans"), {"show": "all", "q": query})
        assert [loan.pk for loan in response.context["object_list"]] == [first.pk], query
    assert not web.get(reverse("devices:loans"), {"q": "nonsense"}).context["object_list"]
    assert second.pk in [loan.pk for loan in web.get(reverse("devices:loans")).context["object_list"]]


# The loan page's other actions ------------------------------------------------------------------


def test_sign_on_screen_needs_the_typed_name(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    web = login(bob)
    response = web.post(reverse("devices:loan_sign", kwargs={"pk": loan.pk}), {"signed_by_name": "  "})
    assert response.status_code == 400 and response.context["sign_form"].errors["signed_by_name"]
    assert Loan.objects.get().signed_at is None
    response = web.post(reverse("devices:loan_sign", kwargs={"pk": loan.pk}), {"signed_by_name": "Wies Claeys"})
    assert response.status_code == 302
    assert Loan.objects.get().signed_by_name == "Wies Claeys"


def test_a_stolen_laptop_is_reported_and_leaves_the_stock(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    laptop = loan.items.get(device__kind=Kind.LAPTOP).device
    web = login(bob)
    response = web.post(reverse("devices:loan_report", kwargs={"pk": loan.pk}), {"device": "", "kind": "stolen"})
    assert response.status_code == 400 and "device" in response.context["report_form"].errors
    response = web.post(
        reverse("devices:loan_report", kwargs={"pk": loan.pk}),
        {"device": laptop.pk, "kind": "stolen", "description": "PV 2025/123"},
    )
    assert response.status_code == 302
    assert Incident.objects.get().kind == "stolen" and Device.objects.get(pk=laptop.pk).state == State.RETIRED


def test_a_laptop_is_handed_over_for_good(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    laptop = loan.items.get(device__kind=Kind.LAPTOP).device
    response = login(bob).post(
        reverse("devices:loan_hand_over", kwargs={"pk": loan.pk}),
        {"device": laptop.pk, "note": "Voorwaarden voor schenking vervuld"},
    )
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert (laptop.state, laptop.owner) == (State.HANDED_OVER, loan.client)


# The waiting list and offers ----------------------------------------------------------------------


def test_a_client_is_put_on_the_waiting_list_with_an_urgent_need(login, bob, digibank_a, hub, person):
    ocmw = PartnerFactory(digibank=digibank_a, name="OCMW Gent")
    web = login(bob)
    url = reverse("devices:requests")
    data = {"card": person.number, "hub": hub.pk, "kind": "laptop", "urgent": "on", "urgent_reason": "Sollicitaties"}
    response = web.post(url, data)
    assert response.status_code == 400 and "urgent_partner" in response.context["form"].errors
    assert not DeviceRequest.objects.exists()
    response = web.post(url, {**data, "urgent_partner": ocmw.pk})
    request = DeviceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("devices:request", kwargs={"pk": request.pk})
    assert (request.client, request.urgent, request.urgent_partner) == (person, True, ocmw)
    body = web.get(url).content.decode()
    assert "OCMW Gent" in body and "Sollicitaties" in body and "Wies Claeys" in body


def test_the_queue_is_shown_in_order_per_hub_and_type(login, bob, digibank_a, hub):
    first, second = (ClientFactory(digibank=digibank_a, last_name=n) for n in ("Eerst", "Tweede"))
    urgent = ClientFactory(digibank=digibank_a, last_name="Dringend")
    for client in (first, second):
        services.request_create(digibank=digibank_a, client=client, hub=hub, kind=Kind.LAPTOP, actor=bob)
    services.request_create(
        digibank=digibank_a,
        client=urgent,
        hub=hub,
        kind=Kind.LAPTOP,
        actor=bob,
        urgent_partner=PartnerFactory(digibank=digibank_a),
        urgent_reason="Dak boven het hoofd kwijt",
    )
    rows = login(bob).get(reverse("devices:requests")).context["object_list"]
    assert [(r.client.last_name, r.position) for r in rows] == [("Dringend", 1), ("Eerst", 2), ("Tweede", 3)]


def test_a_move_in_the_queue_needs_a_written_reason_which_is_kept(login, bob, digibank_a, hub):
    first, second = (ClientFactory(digibank=digibank_a) for _ in range(2))
    ahead = services.request_create(digibank=digibank_a, client=first, hub=hub, kind=Kind.LAPTOP, actor=bob)
    behind = services.request_create(digibank=digibank_a, client=second, hub=hub, kind=Kind.LAPTOP, actor=bob)
    queued_at = behind.queued_at
    web = login(bob)
    url = reverse("devices:request_move", kwargs={"pk": behind.pk})
    response = web.post(url, {"before": ahead.pk, "reason": " "})
    assert response.status_code == 400
    assert "Write down why" in " ".join(response.context["move_form"].errors["reason"])
    assert DeviceRequest.objects.get(pk=behind.pk).queued_at == queued_at and not QueueMove.objects.exists()
    response = web.post(url, {"before": ahead.pk, "reason": "Verkeerd ingeschreven op 3 maart"})
    assert response.status_code == 302
    assert [r.pk for r in services.queue_of(ahead)] == [behind.pk, ahead.pk]
    body = web.get(reverse("devices:request", kwargs={"pk": behind.pk})).content.decode()
    assert "Verkeerd ingeschreven op 3 maart" in body and "1 of 2" in body


def test_a_request_is_withdrawn(login, bob, digibank_a, hub, person):
    request = services.request_create(digibank=digibank_a, client=person, hub=hub, kind=Kind.LAPTOP, actor=bob)
    assert login(bob).post(reverse("devices:request_withdraw", kwargs={"pk": request.pk})).status_code == 302
    assert DeviceRequest.objects.get().status == DeviceRequest.Status.WITHDRAWN


def test_offers_page_lends_the_reserved_device_or_passes_it_on(login, bob, digibank_a, hub, person):
    second = ClientFactory(digibank=digibank_a, last_name="Volgende")
    for client in (person, second):
        services.request_create(digibank=digibank_a, client=client, hub=hub, kind=Kind.LAPTOP, actor=bob)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    offer = services.offer_next(device=laptop, actor=bob)
    assert offer.request.client == person
    web = login(bob)
    response = web.get(reverse("devices:offers"))
    assert [o.pk for o in response.context["object_list"]] == [offer.pk]
    body = response.content.decode()
    assert "Wies Claeys" in body and laptop.asset_tag in body
    lend_url = response.context["object_list"][0].lend_url
    assert person.number in lend_url and laptop.asset_tag in lend_url

    # "Lend now": the desk opens with the client and the reserved device filled in.
    response = web.get(lend_url)
    assert response.context["lend_form"]["tags"].value() == laptop.asset_tag
    response = web.post(reverse("devices:desk"), {"card": person.number, "tags": laptop.asset_tag, "action": "lend"})
    assert response.status_code == 302, response.context["lend_form"].errors
    offer.refresh_from_db()
    assert offer.status == Offer.Status.TAKEN and offer.loan.status == Loan.Status.ON_LOAN
    assert DeviceRequest.objects.get(client=person).status == DeviceRequest.Status.FULFILLED


def test_a_declined_offer_passes_to_the_next_person(
    login, bob, digibank_a, hub, person, django_capture_on_commit_callbacks
):
    second = ClientFactory(digibank=digibank_a, last_name="Volgende")
    for client in (person, second):
        services.request_create(digibank=digibank_a, client=client, hub=hub, kind=Kind.LAPTOP, actor=bob)
    offer = services.offer_next(device=DeviceFactory(digibank=digibank_a, hub=hub, ready=True), actor=bob)
    web = login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("devices:offer_decline", kwargs={"pk": offer.pk}))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert Offer.objects.get(status=Offer.Status.OPEN).request.client == second
    assert DeviceRequest.objects.get(client=person).status == DeviceRequest.Status.WAITING
    response = web.post(reverse("devices:offer_decline", kwargs={"pk": offer.pk}), follow=True)
    assert "no longer open" in response.content.decode()


# Partner bookings -------------------------------------------------------------------------------


def test_a_partner_books_a_set_which_is_handed_over_later(login, bob, digibank_a, hub):
    partner = PartnerFactory(digibank=digibank_a, name="Basiseducatie Gent")
    devices = [DeviceFactory(digibank=digibank_a, hub=hub, ready=True) for _ in range(3)]
    web = login(bob)
    data = {
        "partner": partner.pk,
        "hub": hub.pk,
        "starts_on": (timezone.localdate() + dt.timedelta(days=10)).strftime("%d-%m-%Y"),
        "tags": "\n".join(scanned(d) for d in devices),
    }
    response = web.post(reverse("devices:booking_new"), data)
    assert response.status_code == 400 and "does not lend sets" in " ".join(response.context["form"].non_field_errors())
    set_rules(digibank_a, lends_to_partners=True)
    response = web.post(
        reverse("devices:booking_new"), {**data, "starts_on": timezone.localdate().strftime("%d-%m-%Y")}
    )
    assert response.status_code == 400 and "days ahead" in " ".join(response.context["form"].errors["starts_on"])
    response = web.post(reverse("devices:booking_new"), data)
    loan = Loan.objects.get()
    assert response.status_code == 302 and (loan.partner, loan.status) == (partner, Loan.Status.RESERVED)
    body = web.get(reverse("devices:loan", kwargs={"pk": loan.pk})).content.decode()
    assert reverse("devices:loan_start", kwargs={"pk": loan.pk}) in body and "Basiseducatie Gent" in body
    assert web.post(reverse("devices:loan_start", kwargs={"pk": loan.pk})).status_code == 302
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ON_LOAN
    assert set(Device.objects.filter(pk__in=[d.pk for d in devices]).values_list("state", flat=True)) == {"on_loan"}


def test_a_partner_booking_is_cancelled(login, bob, digibank_a, hub):
    set_rules(digibank_a, lends_to_partners=True, partner_book_days_ahead=0)
    device = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = services.partner_booking(
        digibank=digibank_a,
        hub=hub,
        partner=PartnerFactory(digibank=digibank_a),
        devices=[device],
        starts_on=timezone.localdate(),
        actor=bob,
    )
    response = login(bob).post(
        reverse("devices:reservation_cancel", kwargs={"pk": loan.pk}), {"reason": "Cursus afgelast"}
    )
    assert response.status_code == 302
    assert Loan.objects.get().status == Loan.Status.CANCELLED and Device.objects.get().state == State.READY


# Incidents --------------------------------------------------------------------------------------


def test_an_incident_is_closed_with_how_it_was_settled(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    laptop = loan.items.get(device__kind=Kind.LAPTOP).device
    incident = services.incident_report(loan=loan, device=laptop, kind="lost", actor=bob)
    web = login(bob)
    assert incident in web.get(reverse("devices:incidents")).context["object_list"]
    url = reverse("devices:incident", kwargs={"pk": incident.pk})
    body = web.get(url).content.decode()
    assert loan.client.last_name in body and laptop.asset_tag in body
    response = web.post(url, {"resolution": ""})
    assert response.status_code == 400 and response.context["form"].errors["resolution"]
    assert Incident.objects.get().status == "open"
    assert web.post(url, {"resolution": "Waarborg gehouden"}).status_code == 302
    assert Incident.objects.get().status == "closed"
    assert incident not in web.get(reverse("devices:incidents")).context["object_list"]
    assert incident in web.get(reverse("devices:incidents"), {"status": "closed"}).context["object_list"]


# The lending rules ------------------------------------------------------------------------------


def rules_post(**overrides):
    data = {
        "residents_only": "on",
        "max_devices_per_client": "1",
        "loan_days": "91",
        "extensions_allowed": "1",
        "extension_days": "30",
        "deposit": "0",
        "training": "",
        "training_name": "",
        "income_condition": "",
        "income_threshold": "",
        "income_per_member": "0",
        "income_period": "year",
        "max_loans_per_year": "",
        "max_weeks_per_year": "",
        "offer_days": "5",
        "reminder_days": "3",
        "partner_max_devices": "12",
        "partner_max_loans_per_year": "",
        "partner_book_days_ahead": "7",
        "partner_loan_days": "14",
    }
    return {**data, **overrides}


def test_the_coordinator_changes_the_rules_and_the_desk_reads_them(login, alice, bob, digibank_a):
    web = login(alice)
    body = web.get(reverse("devices:rules")).content.decode()
    assert 'name="income_threshold"' in body and "rises by the amount below" in body
    response = web.post(
        reverse("devices:rules"),
        rules_post(income_condition="threshold", income_threshold="1500", income_per_member="300", deposit="25"),
    )
    assert response.status_code == 302
    rules = services.rules_for(digibank_a)
    assert (rules.income_threshold, rules.deposit) == (Decimal("1500.00"), Decimal("25.00"))
    body = web.get(reverse("devices:rules")).content.decode()
    assert "2\N{NO-BREAK SPACE}100.00" in body  # the limit for three people: 1500 + 2 × 300

    desk = login(bob)
    response = desk.get(reverse("devices:rules"))
    assert response.status_code == 200 and response.context["rules_form"] is None
    assert "Only the coordinator can change the rules." in response.content.decode()
    assert desk.post(reverse("devices:rules"), rules_post(deposit="0")).status_code == 403
    assert desk.post(reverse("devices:agreement_publish"), {"text": "Nieuw"}).status_code == 403
    assert services.rules_for(digibank_a).deposit == Decimal("25.00")


def test_bad_rules_are_refused_at_their_field_and_change_nothing(login, alice, digibank_a):
    web = login(alice)
    response = web.post(reverse("devices:rules"), rules_post(income_condition="threshold"))
    assert response.status_code == 400 and "income_threshold" in response.context["rules_form"].errors
    response = web.post(reverse("devices:rules"), rules_post(deposit="-5", loan_days="0"))
    assert response.status_code == 400
    assert {"deposit", "loan_days"} <= set(response.context["rules_form"].errors)
    rules = services.rules_for(digibank_a)
    assert (rules.income_condition, rules.deposit, rules.loan_days) == ("", Decimal("0"), 91)


def test_a_new_agreement_version_is_used_by_the_next_loan(login, alice, bob, digibank_a, hub):
    first = lend(digibank_a, hub, bob)
    web = login(alice)
    assert web.post(reverse("devices:agreement_publish"), {"text": ""}).status_code == 400
    response = web.post(reverse("devices:agreement_publish"), {"text": "Artikel 1. Zorg goed voor het toestel."})
    assert response.status_code == 302
    assert AgreementText.objects.filter(digibank=digibank_a).count() == 2
    second = lend(digibank_a, hub, bob)
    assert (first.agreement.version, second.agreement.version) == (1, 2)


# The client's record ----------------------------------------------------------------------------


def test_the_client_record_shows_the_loans_to_the_desk_only(login, bob, digibank_a, hub, person):
    loan = lend(digibank_a, hub, bob, client=person)
    body = login(bob).get(reverse("clients:client", kwargs={"pk": person.pk})).content.decode()
    assert reverse("devices:loan", kwargs={"pk": loan.pk}) in body and loan.number in body
    assert f"{reverse('devices:desk')}?card={person.number}" in body
    assert "Device lent" in body  # the timeline names the device bank's events
    trainer = UserFactory(username="tina")
    MembershipFactory(user=trainer, digibank=digibank_a, role=Role.TRAINER)
    body = login(trainer).get(reverse("clients:client", kwargs={"pk": person.pk})).content.decode()
    assert reverse("devices:loan", kwargs={"pk": loan.pk}) not in body


# Permissions ------------------------------------------------------------------------------------


def test_the_technician_sees_none_of_the_desk_pages(login, tom, bob, digibank_a, hub, person):
    loan = lend(digibank_a, hub, bob, client=person)
    laptop = loan.items.get(device__kind=Kind.LAPTOP).device
    incident = services.incident_report(loan=loan, device=laptop, kind="damaged", actor=bob)
    request = services.request_create(
        digibank=digibank_a, client=ClientFactory(digibank=digibank_a), hub=hub, kind=Kind.TABLET, actor=bob
    )
    web = login(tom)
    pages = [
        reverse(name)
        for name in ("devices:desk", "devices:take_back", "devices:loans", "devices:incidents", "devices:requests")
    ] + [
        reverse("devices:offers"),
        reverse("devices:booking_new"),
        reverse("devices:rules"),
        reverse("devices:loan", kwargs={"pk": loan.pk}),
        reverse("devices:checkin", kwargs={"pk": loan.pk}),
        reverse("devices:loan_agreement", kwargs={"pk": loan.pk}),
        reverse("devices:incident", kwargs={"pk": incident.pk}),
        reverse("devices:request", kwargs={"pk": request.pk}),
    ]
    for url in pages:
        assert web.get(url).status_code == 403, url
    for name in ("loan_sign", "loan_extend", "loan_report", "loan_hand_over", "checkin", "loan_start"):
        assert web.post(reverse(f"devices:{name}", kwargs={"pk": loan.pk})).status_code == 403, name
    assert web.post(reverse("devices:request_move", kwargs={"pk": request.pk}), {"reason": "x"}).status_code == 403
    assert not AccessLog.objects.filter(actor=tom).exists()
    assert Loan.objects.get().extensions == 0


def test_another_digibanks_loan_is_a_404(login, bob, carol, digibank_b):
    theirs = lend(digibank_b, HubFactory(digibank=digibank_b), carol)
    web = login(bob)
    for name in ("devices:loan", "devices:checkin"):
        assert web.get(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404
    assert web.get(reverse("devices:take_back"), {"label": theirs.number}).status_code == 400
    assert not web.get(reverse("devices:loans"), {"show": "all"}).context["object_list"]


# Query counts -----------------------------------------------------------------------------------


def same_queries(web, url, make, params=None):
    make()
    with CaptureQueriesContext(connection) as few:
        assert web.get(url, params).status_code == 200
    for _ in range(8):
        make()
    with CaptureQueriesContext(connection) as many:
        response = web.get(url, params)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 20, [q["sql"] for q in few.captured_queries]
    return response


def test_loan_lists_queries_do_not_grow_with_rows(login, bob, digibank_a, hub):
    web = login(bob)
    past = timezone.localdate() - dt.timedelta(days=100)
    response = same_queries(web, reverse("devices:loans"), lambda: lend(digibank_a, hub, bob))
    assert len(response.context["object_list"]) == 9
    response = same_queries(
        web, reverse("devices:loans"), lambda: lend(digibank_a, hub, bob, today=past), {"show": "overdue"}
    )
    assert len(response.context["object_list"]) == 9


def test_incident_list_queries_do_not_grow_with_rows(login, bob, digibank_a, hub):
    def make():
        loan = lend(digibank_a, hub, bob)
        services.incident_report(loan=loan, device=loan.items.first().device, kind="damaged", actor=bob)

    same_queries(login(bob), reverse("devices:incidents"), make)


def test_request_list_queries_do_not_grow_with_rows(login, bob, digibank_a, hub):
    partner = PartnerFactory(digibank=digibank_a)

    def make():
        services.request_create(
            digibank=digibank_a,
            client=ClientFactory(digibank=digibank_a),
            hub=hub,
            kind=Kind.LAPTOP,
            actor=bob,
            urgent_partner=partner,
            urgent_reason="Werk zoeken",
        )

    response = same_queries(login(bob), reverse("devices:requests"), make)
    assert [r.position for r in response.context["object_list"]] == list(range(1, 10))


def test_offer_list_queries_do_not_grow_with_rows(login, bob, digibank_a, hub):
    def make():
        services.request_create(
            digibank=digibank_a, client=ClientFactory(digibank=digibank_a), hub=hub, kind=Kind.LAPTOP, actor=bob
        )
        services.offer_next(device=DeviceFactory(digibank=digibank_a, hub=hub, ready=True), actor=bob)

    response = same_queries(login(bob), reverse("devices:offers"), make)
    assert len(response.context["object_list"]) == 9


def test_the_agreement_prints_as_a_pdf_and_the_read_is_logged(login, bob, digibank_a, hub, person):
    loan = lend(digibank_a, hub, bob, client=person)
    response = login(bob).get(reverse("devices:loan_agreement", kwargs={"pk": loan.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(client=person, action="read", what="loan agreement").exists()


def test_reading_the_rules_and_the_desk_creates_no_rows(login, api_as, alice, bob, digibank_a, hub):
    def rows():
        return LendingRules.objects.count(), AgreementText.objects.count()

    before = rows()
    for user, name in ((alice, "devices:rules"), (bob, "devices:rules"), (bob, "devices:desk")):
        assert login(user).get(reverse(name)).status_code == 200
        assert rows() == before
    for user, url in (
        (alice, "/api/v1/lending-rules/"),
        (bob, "/api/v1/lending-rules/"),
        (alice, "/api/v1/agreements/"),
    ):
        response = api_as(user)
        assert response.get(url).status_code == 200
        assert rows() == before
    assert before == (0, 0)
    rules = api_as(alice).get("/api/v1/lending-rules/").json()
    assert rules["loan_days"] == LendingRules._meta.get_field("loan_days").default  # the defaults, unsaved
    response = login(alice).post(reverse("devices:rules"), rules_post(deposit="10"))
    assert response.status_code == 302 and rows() == (1, 0)  # made on the first change
