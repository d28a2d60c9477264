"""Income limits are published per year (a limit for one person plus an amount per extra household
member); a digibank's rules say per year or per month, and the desk shows the household's own limit.
The desk says a client may borrow only when every condition is checked, and asks what happens to
the deposit: paid, waived or still to pay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client as Browser
from django.urls import reverse

from digibank.devices.lending import eligibility as lending_eligibility
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.eligibility import Attestation
from digibank.devices.lending.models import LendingRules, Loan
from digibank.devices.lending.services import ReturnedItem
from digibank.devices.tests.factories import API, set_rules

pytestmark = pytest.mark.django_db


def yearly_threshold(digibank) -> LendingRules:
    """20 000 euro a year for one person, 5 000 more for each extra member: 30 000 for three."""
    return set_rules(
        digibank,
        income_condition=LendingRules.Income.THRESHOLD,
        income_threshold=Decimal("20000"),
        income_per_member=Decimal("5000"),
    )


def desk_post(client, device, action="check", **extra):
    return {"card": client.number, "tags": device.asset_tag, "action": action, **extra}


# Per year or per month ----------------------------------------------------------------------------


def test_new_rules_count_the_income_limit_per_year(digibank_a):
    assert lending_rules.rules_for(digibank_a).income_period == LendingRules.Period.YEAR


def test_a_yearly_income_is_checked_against_the_yearly_limit_of_the_household(digibank_a, person, laptop):
    rules = yearly_threshold(digibank_a)
    assert rules.income_limit(3) == Decimal("30000")

    def allowed(size, income):
        attestation = Attestation(household_size=size, household_income=Decimal(income))
        return lending_eligibility.loan_check(
            rules=rules, client=person, devices=[laptop], attestation=attestation
        ).allowed

    assert allowed(3, "27346.38") and not allowed(1, "27346.38")


def test_the_desk_shows_the_limit_for_this_household_per_year(login, bob, digibank_a, person, laptop):
    yearly_threshold(digibank_a)
    response = login(bob).post(
        reverse("devices:desk"), desk_post(person, laptop, household_size="3", household_income="27346")
    )
    assert response.status_code == 200, response.context["lend_form"].errors
    page = response.content.decode()
    assert "Limit for this household of 3 people: 30\N{NO-BREAK SPACE}000.00 € per year" in page
    assert "Net taxable income of the household per year (EUR)" in page


def test_the_desk_shows_the_households_limit_in_dutch(bob, digibank_a, person, laptop):
    yearly_threshold(digibank_a)
    dutch = Browser()
    dutch.force_login(bob)
    response = dutch.post(
        reverse("devices:desk"), desk_post(person, laptop, household_size="3", household_income="27.346,00")
    )
    assert response.status_code == 200, response.context["lend_form"].errors
    assert "Grens voor dit gezin van 3 personen: 30.000,00 € per jaar" in response.content.decode()


def test_a_monthly_rule_asks_the_monthly_income(login, bob, digibank_a, person, laptop):
    set_rules(
        digibank_a,
        income_condition=LendingRules.Income.THRESHOLD,
        income_threshold=Decimal("1500"),
        income_period=LendingRules.Period.MONTH,
    )
    response = login(bob).post(
        reverse("devices:desk"), desk_post(person, laptop, household_size="1", household_income="1600")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Net income of the household per month (EUR)" in page
    assert "Limit for this household of 1 person: 1\N{NO-BREAK SPACE}500.00 € per month" in page
    assert "above the limit" in " ".join(response.context["lend_form"].errors["household_income"])


def test_the_coordinator_sets_the_period_in_the_rules_form_and_the_api(login, alice, api_as, digibank_a):
    page = login(alice).get(reverse("devices:rules")).content.decode()
    assert 'name="income_period"' in page
    api = api_as(alice)
    assert api.get(f"{API}/lending-rules/").json()["income_period"] == "year"
    assert api.patch(f"{API}/lending-rules/", {"income_period": "month"}, format="json").status_code == 200
    assert lending_rules.rules_for(digibank_a).income_period == "month"
    refused = api.patch(f"{API}/lending-rules/", {"income_period": "week"}, format="json")
    assert refused.status_code == 400 and "income_period" in refused.json()
    assert lending_rules.rules_for(digibank_a).income_period == "month"


# Every condition checked before "may borrow" ------------------------------------------------------


def test_the_desk_does_not_say_may_borrow_while_the_income_and_goals_plan_are_unchecked(login, bob, digibank_a, person):
    yearly_threshold(digibank_a)
    set_rules(digibank_a, goals_plan_required=True)
    page = login(bob).get(reverse("devices:desk"), {"card": person.number}).content.decode()
    assert "This client may borrow" not in page
    assert "Still to check at the desk: the income condition, a goals plan." in page


def test_the_desk_says_may_borrow_when_nothing_is_left_to_check(login, bob, person):
    page = login(bob).get(reverse("devices:desk"), {"card": person.number}).content.decode()
    assert "This client may borrow" in page and "Still to check" not in page


def test_lend_is_not_offered_and_is_refused_while_the_income_is_unanswered(login, bob, digibank_a, person, laptop):
    yearly_threshold(digibank_a)
    web = login(bob)
    response = web.post(reverse("devices:desk"), desk_post(person, laptop))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="lend"' not in page and "The rules allow this loan" not in page
    assert "Still to check: fill in the household size and its income." in page
    response = web.post(reverse("devices:desk"), desk_post(person, laptop, action="lend"))
    assert response.status_code == 400 and not Loan.objects.exists()
    response = web.post(
        reverse("devices:desk"), desk_post(person, laptop, household_size="2", household_income="21000")
    )
    assert response.status_code == 200 and 'value="lend"' in response.content.decode()


# The deposit: paid, waived or still to pay ---------------------------------------------------------


def test_the_desk_must_say_what_happens_to_the_deposit(login, bob, digibank_a, person, laptop):
    set_rules(digibank_a, deposit=Decimal("25"))
    web = login(bob)
    response = web.post(reverse("devices:desk"), desk_post(person, laptop, action="lend"))
    assert response.status_code == 400 and not Loan.objects.exists()
    assert "paid, waived or still to pay" in " ".join(response.context["lend_form"].errors["deposit_payment"])
    response = web.post(reverse("devices:desk"), desk_post(person, laptop, action="lend", deposit_payment="maybe"))
    assert response.status_code == 400 and not Loan.objects.exists()


def test_a_waived_deposit_is_recorded_and_nothing_can_be_kept_of_it(login, bob, digibank_a, person, laptop):
    set_rules(digibank_a, deposit=Decimal("25"))
    web = login(bob)
    response = web.post(reverse("devices:desk"), desk_post(person, laptop, action="lend", deposit_payment="waived"))
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert (loan.deposit_payment, loan.deposit_status, loan.deposit_held) == ("waived", "none", Decimal("0"))
    assert "€ 25.00 · waived" in web.get(reverse("devices:loan", args=[loan.pk])).content.decode()
    with pytest.raises(ValidationError) as refused:
        lending_services.loan_check_in(
            loan=loan, actor=bob, items=[ReturnedItem(device=laptop, present=False)], deposit_kept=Decimal("5")
        )
    assert "deposit_kept" in refused.value.message_dict


def test_an_owed_deposit_shows_on_the_loan_until_it_is_paid(login, bob, digibank_a, person, laptop):
    set_rules(digibank_a, deposit=Decimal("25"))
    web = login(bob)
    web.post(reverse("devices:desk"), desk_post(person, laptop, action="lend", deposit_payment="owed"))
    loan = Loan.objects.get()
    assert (loan.deposit_payment, loan.deposit_status) == ("owed", "none")
    page = web.get(reverse("devices:loan", args=[loan.pk])).content.decode()
    assert "still to pay" in page and reverse("devices:loan_deposit_paid", args=[loan.pk]) in page
    assert web.post(reverse("devices:loan_deposit_paid", args=[loan.pk])).status_code == 302
    loan.refresh_from_db()
    assert (loan.deposit_payment, loan.deposit_status, loan.deposit_held) == ("paid", "held", Decimal("25.00"))
    page = web.get(reverse("devices:loan", args=[loan.pk])).content.decode()
    assert "still to pay" not in page
    assert "€ 25.00 · paid<" in page  # said once: a paid deposit is the one held


def test_the_api_asks_the_deposit_and_shows_it(api_as, bob, digibank_a, person, hub, laptop):
    set_rules(digibank_a, deposit=Decimal("25"))
    api = api_as(bob)
    body = {"client": person.number, "hub": hub.pk, "tags": [laptop.asset_tag]}
    response = api.post(f"{API}/loans/", body, format="json")
    assert response.status_code == 400 and "deposit_payment" in response.json()
    response = api.post(f"{API}/loans/", {**body, "deposit_payment": "maybe"}, format="json")
    assert response.status_code == 400 and "deposit_payment" in response.json()
    assert not Loan.objects.exists()
    response = api.post(f"{API}/loans/", {**body, "deposit_payment": "owed"}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["deposit"], response.json()["deposit_payment"]) == ("25.00", "owed")
    schema = api.get("/api/schema/", {"format": "json"}).json()
    enums = [s.get("enum") for s in schema["components"]["schemas"].values() if "enum" in s]
    assert any(set(e or []) >= {"paid", "waived", "owed"} for e in enums)


# Existing data keeps its meaning -----------------------------------------------------------------


def _migration(suffix: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The devices migration named ...suffix and the one before it, whatever their numbers."""
    graph = MigrationExecutor(connection).loader.graph
    node = next(key for key in graph.leaf_nodes("devices") + list(graph.nodes) if key[1].endswith(suffix))
    parent = next(key for key in graph.node_map[node].parents if key[0] == "devices")
    return node, parent


@pytest.mark.django_db(transaction=True)
def test_existing_rules_stay_monthly_and_existing_deposits_stay_paid(digibank_a, person, hub, laptop, bob):
    rules = set_rules(digibank_a, deposit=Decimal("25"), income_threshold=Decimal("1500"))
    loan = lending_services.loan_check_out(
        digibank=digibank_a, hub=hub, client=person, devices=[laptop], actor=bob, deposit_payment="paid"
    )
    node, parent = _migration("lending_income_period_and_deposit_payment")
    executor = MigrationExecutor(connection)
    executor.migrate([parent])
    executor.loader.build_graph()
    # Forward through the node to the latest of every app, so later tests find the whole schema.
    executor.migrate(executor.loader.graph.leaf_nodes())
    rules.refresh_from_db()
    loan.refresh_from_db()
    assert rules.income_period == LendingRules.Period.MONTH
    assert loan.deposit_payment == Loan.DepositPayment.PAID
