"""The desk's screens for lending: lend with a scanner and a keyboard, take back with a missing charger,
and every refusal at the desk next to its field, changing nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import AccessLog, ClientEvent
from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import Incident, LendingRules, Loan
from digibank.devices.register.lifecycle import State
from digibank.devices.register.models import Device
from digibank.devices.tags import new_asset_tag
from digibank.devices.tests.factories import DeviceFactory, lend, scanned, set_rules

pytestmark = pytest.mark.django_db


def lend_post(client, *devices, action="lend", **extra):
    return {"card": client.number, "tags": "\n".join(scanned(d) for d in devices), "action": action, **extra}


def nothing_lent(*devices):
    assert not Loan.objects.exists()
    for device in devices:
        assert Device.objects.get(pk=device.pk).state == device.state


# The whole desk flow ------------------------------------------------------------------------------


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
    theirs = ClientFactory(digibank=digibank_b, last_name="Zwartvoet-Ysselmonde")  # a name on no other page
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
    lending_services.loan_check_in(
        loan=loan, actor=bob, items=[lending_services.ReturnedItem(device=i.device) for i in loan.items.all()]
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
