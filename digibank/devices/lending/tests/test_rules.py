"""The lending rules of a digibank: each one lets a loan through when it is met and stops it, with
its reason, when it is not. Adults only holds whatever the rules say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from digibank.clients.models import Client
from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending import eligibility as lending_eligibility
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.eligibility import Attestation
from digibank.devices.lending.models import Loan, LoanItem
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.tests.factories import DeviceFactory, set_rules
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.guidance.tests.factories import ReferralFactory
from digibank.network.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_a(digibank_a, alice):
    return ClientFactory(digibank=digibank_a, postal_code="9000", registered_by=alice)


def verdict(client, devices, attestation=None, today=None):
    rules = lending_rules.rules_for(client.digibank)
    return lending_eligibility.loan_check(
        rules=rules, client=client, devices=devices, attestation=attestation or Attestation(), today=today
    )


def lend(client, devices, hub, actor, deposit_payment="", **attest):
    return lending_services.loan_check_out(
        digibank=client.digibank,
        hub=hub,
        client=client,
        devices=devices,
        actor=actor,
        attestation=Attestation(**attest),
        deposit_payment=deposit_payment,
    )


def test_the_default_rules_lend_a_ready_laptop_to_a_resident(client_a, laptop):
    assert verdict(client_a, [laptop]).allowed


def test_a_client_under_18_is_never_lent_to_even_if_the_rules_say_nothing(client_a, laptop, digibank_a):
    set_rules(digibank_a, residents_only=False)
    Client.objects.filter(pk=client_a.pk).update(birth_date=None, birth_year=timezone.localdate().year - 16)
    client_a.refresh_from_db()
    result = verdict(client_a, [laptop])
    assert result.reasons["client"] == ["Devices are lent to adults only."]


def test_a_client_of_unknown_age_is_asked_for_the_year_of_birth(client_a, laptop):
    Client.objects.filter(pk=client_a.pk).update(birth_date=None, birth_year=None)
    client_a.refresh_from_db()
    assert "year of birth" in verdict(client_a, [laptop]).reasons["client"][0]


def test_residence_in_the_service_area(digibank_a, laptop, alice):
    outsider = ClientFactory(digibank=digibank_a, postal_code="2000", registered_by=alice)  # Antwerpen
    assert "service area" in verdict(outsider, [laptop]).reasons["client"][0]
    set_rules(digibank_a, residents_only=False)
    assert verdict(outsider, [laptop]).allowed


def test_referral_by_a_partner(digibank_a, client_a, laptop):
    set_rules(digibank_a, referral_required=True)
    assert "referral" in verdict(client_a, [laptop]).reasons["client"][0]
    Client.objects.filter(pk=client_a.pk).update(referred_by=PartnerFactory(digibank=digibank_a))
    client_a.refresh_from_db()
    result = verdict(client_a, [laptop])
    assert result.allowed and result.conditions["referred_by"] == client_a.referred_by_id


def test_a_partners_referral_for_a_device_counts_as_the_referral(digibank_a, hub, client_a, laptop, alice):
    """The rule reads guidance's referrals through its selector: a partner's referral for a device, open or
    completed, is enough; an internal one, a declined one or one for a training is not."""
    set_rules(digibank_a, referral_required=True)
    ocmw = PartnerFactory(digibank=digibank_a)
    ReferralFactory(to_hub=hub, client=client_a, service="device", referred_by=alice)  # internal
    ReferralFactory(to_hub=hub, client=client_a, service="training", from_partner=ocmw)
    ReferralFactory(to_hub=hub, client=client_a, service="device", from_partner=ocmw, declined=True)
    assert "referral" in verdict(client_a, [laptop]).reasons["client"][0]
    ReferralFactory(to_hub=hub, client=client_a, service="device", from_partner=ocmw, accepted=True)
    result = verdict(client_a, [laptop])
    assert result.allowed and result.conditions["referred_by"] == ocmw.pk


def test_maximum_devices_per_client(digibank_a, hub, client_a, laptop, alice):
    lend(client_a, [laptop], hub, alice)
    second = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    assert "at a time" in verdict(client_a, [second]).reasons["tags"][0]
    set_rules(digibank_a, max_devices_per_client=2)
    assert verdict(client_a, [second]).allowed


def test_accessories_do_not_count_as_devices_but_cannot_be_lent_alone(digibank_a, hub, client_a, laptop):
    charger = DeviceFactory(digibank=digibank_a, hub=hub, ready=True, accessory=True)
    assert verdict(client_a, [laptop, charger]).allowed
    assert "accessories" in verdict(client_a, [charger]).reasons["tags"][0]


def test_loan_period_and_deposit_come_from_the_rules(digibank_a, hub, client_a, laptop, alice):
    set_rules(digibank_a, loan_days=60, deposit=Decimal("25.00"))
    loan = lend(client_a, [laptop], hub, alice, deposit_payment="paid")
    assert loan.due_on - loan.starts_on == dt.timedelta(days=60)
    assert (loan.deposit, loan.deposit_status) == (Decimal("25.00"), Loan.Deposit.HELD)


def test_a_deposit_of_zero_is_allowed_and_a_negative_one_is_not(digibank_a):
    assert set_rules(digibank_a, deposit=Decimal("0")).deposit == 0
    with pytest.raises(ValidationError) as refused:
        lending_services.rules_update(digibank=digibank_a, actor=None, deposit=Decimal("-5"))
    assert "deposit" in refused.value.message_dict
    assert lending_rules.rules_for(digibank_a).deposit == 0


def test_extensions_how_many_and_how_long(digibank_a, hub, client_a, laptop, alice):
    set_rules(digibank_a, extensions_allowed=1, extension_days=14)
    loan = lend(client_a, [laptop], hub, alice)
    due = loan.due_on
    loan = lending_services.loan_extend(loan=loan, actor=alice)
    assert (loan.due_on - due, loan.extensions) == (dt.timedelta(days=14), 1)
    with pytest.raises(ValidationError, match="cannot be extended again"):
        lending_services.loan_extend(loan=loan, actor=alice)
    assert Loan.objects.get(pk=loan.pk).extensions == 1


def test_no_extension_when_someone_waits_and_nothing_is_ready(digibank_a, hub, client_a, laptop, alice):
    loan = lend(client_a, [laptop], hub, alice)
    other = ClientFactory(digibank=digibank_a, postal_code="9000", registered_by=alice)
    waiting_list_services.request_create(digibank=digibank_a, client=other, hub=hub, kind=Kind.LAPTOP, actor=alice)
    with pytest.raises(ValidationError, match="waiting"):
        lending_services.loan_extend(loan=loan, actor=alice)


def test_a_training_before_the_loan(digibank_a, client_a, laptop):
    set_rules(digibank_a, training="before", training_name="Starten met de laptop")
    assert "Starten met de laptop" in verdict(client_a, [laptop]).reasons["training_done"][0]
    assert verdict(client_a, [laptop], Attestation(training_done=True)).allowed


def test_a_training_during_the_loan_is_a_condition_not_a_refusal(digibank_a, client_a, laptop):
    set_rules(digibank_a, training="during", training_name="Digitale basisvaardigheden")
    result = verdict(client_a, [laptop])
    assert result.allowed
    assert result.conditions["training"] == {"when": "during", "name": "Digitale basisvaardigheden"}


def test_income_condition_increased_allowance(digibank_a, client_a, laptop):
    set_rules(digibank_a, income_condition="verhoogde_tegemoetkoming")
    assert "increased allowance" in verdict(client_a, [laptop]).reasons["income"][0]
    result = verdict(client_a, [laptop], Attestation(increased_allowance=True))
    assert result.allowed and result.conditions["income"] == "increased_allowance"


def test_income_threshold_rises_per_household_member(digibank_a, client_a, laptop):
    set_rules(
        digibank_a, income_condition="threshold", income_threshold=Decimal("1500"), income_per_member=Decimal("400")
    )
    alone = Attestation(household_size=1, household_income=Decimal("1600"))
    family = Attestation(household_size=3, household_income=Decimal("1600"))  # limit 1500 + 2 × 400 = 2300
    assert "income" in verdict(client_a, [laptop], alone).reasons
    result = verdict(client_a, [laptop], family)
    assert result.allowed and result.conditions["income"] == "below_threshold"
    assert "1600" not in str(result.conditions)  # the income itself is not kept


def test_income_either_allowance_or_threshold(digibank_a, client_a, laptop):
    set_rules(digibank_a, income_condition="either", income_threshold=Decimal("1500"))
    assert not verdict(client_a, [laptop]).allowed
    assert verdict(client_a, [laptop], Attestation(increased_allowance=True)).allowed
    assert verdict(client_a, [laptop], Attestation(household_size=1, household_income=Decimal("1200"))).allowed


def test_a_threshold_rule_needs_a_limit(digibank_a):
    with pytest.raises(ValidationError) as refused:
        lending_services.rules_update(digibank=digibank_a, actor=None, income_condition="threshold")
    assert "income_threshold" in refused.value.message_dict


def test_a_goals_plan(digibank_a, hub, client_a, laptop, alice):
    set_rules(digibank_a, goals_plan_required=True)
    assert "goals plan" in verdict(client_a, [laptop]).reasons["goals_plan"][0]
    loan = lend(client_a, [laptop], hub, alice, goals_plan="Zelf Tax-on-web invullen tegen juni")
    assert loan.goals_plan == "Zelf Tax-on-web invullen tegen juni"


def _past_loan(client, hub, actor, days_ago, days):
    device = DeviceFactory(digibank=client.digibank, hub=hub, state=State.RETURNED, needs_erasure=True)
    start = timezone.now() - dt.timedelta(days=days_ago)
    loan = Loan.objects.create(
        digibank=client.digibank,
        client=client,
        hub=hub,
        status=Loan.Status.RETURNED,
        starts_on=start.date(),
        due_on=start.date() + dt.timedelta(days=days),
        checked_out_at=start,
        closed_at=start + dt.timedelta(days=days),
        created_by=actor,
    )
    LoanItem.objects.create(loan=loan, device=device, open=False)
    return loan


def test_limit_of_loans_per_year(digibank_a, hub, client_a, laptop, alice):
    set_rules(digibank_a, max_loans_per_year=2)
    _past_loan(client_a, hub, alice, days_ago=200, days=20)
    assert verdict(client_a, [laptop]).allowed
    _past_loan(client_a, hub, alice, days_ago=100, days=20)
    assert "2 loans" in verdict(client_a, [laptop]).reasons["client"][0]
    _past_loan(client_a, hub, alice, days_ago=400, days=20)  # longer ago than a year: does not count
    assert len(verdict(client_a, [laptop]).reasons["client"]) == 1


def test_limit_of_weeks_per_year(digibank_a, hub, client_a, laptop, alice):
    set_rules(digibank_a, max_weeks_per_year=20, loan_days=70)  # 10 weeks a loan
    _past_loan(client_a, hub, alice, days_ago=150, days=70)
    assert verdict(client_a, [laptop]).allowed  # 10 + 10 weeks
    _past_loan(client_a, hub, alice, days_ago=60, days=7)
    assert "weeks" in verdict(client_a, [laptop]).reasons["client"][0]


def test_every_reason_is_given_at_once(digibank_a, alice, hub):
    set_rules(digibank_a, referral_required=True, goals_plan_required=True, income_condition="verhoogde_tegemoetkoming")
    outsider = ClientFactory(digibank=digibank_a, postal_code="2000", registered_by=alice)
    not_ready = DeviceFactory(digibank=digibank_a, hub=hub, state=State.WIPED)
    reasons = verdict(outsider, [not_ready]).reasons
    assert set(reasons) == {"client", "tags", "income", "goals_plan"}
    assert len(reasons["client"]) == 2


def test_a_refused_check_out_changes_nothing(digibank_a, hub, client_a, alice):
    not_ready = DeviceFactory(digibank=digibank_a, hub=hub, state=State.WIPED)
    with pytest.raises(ValidationError) as refused:
        lend(client_a, [not_ready], hub, alice)
    assert "not ready" in refused.value.message_dict["tags"][0]
    assert not Loan.objects.exists()
    assert Loan.objects.count() == 0 and LoanItem.objects.count() == 0
    not_ready.refresh_from_db()
    assert not_ready.state == State.WIPED


def test_a_client_of_another_digibank_is_refused(digibank_b, client_a, carol):
    other_laptop = DeviceFactory(digibank=digibank_b, ready=True)
    rules = lending_rules.rules_for(digibank_b)
    result = lending_eligibility.loan_check(
        rules=rules, client=client_a, devices=[other_laptop], attestation=Attestation()
    )
    assert "not registered at your digibank" in result.reasons["client"][0]


def test_partner_loans_have_their_own_limits_and_are_booked_ahead(digibank_a, hub, alice):
    partner = PartnerFactory(digibank=digibank_a)
    laptops = [DeviceFactory(digibank=digibank_a, hub=hub, ready=True) for _ in range(3)]
    start = timezone.localdate() + dt.timedelta(days=10)

    def book(devices, starts_on=start):
        return lending_services.partner_booking(
            digibank=digibank_a, hub=hub, partner=partner, devices=devices, starts_on=starts_on, actor=alice
        )

    with pytest.raises(ValidationError, match="does not lend sets"):
        book(laptops)
    set_rules(digibank_a, lends_to_partners=True, partner_max_devices=2, partner_book_days_ahead=7)
    with pytest.raises(ValidationError) as refused:
        book(laptops, starts_on=timezone.localdate() + dt.timedelta(days=3))
    assert set(refused.value.message_dict) == {"starts_on", "tags"}
    booking = book(laptops[:2])
    assert booking.status == Loan.Status.RESERVED and booking.partner == partner
    assert {d.state for d in type(laptops[0]).objects.filter(pk__in=[d.pk for d in laptops[:2]])} == {State.RESERVED}
    started = lending_services.loan_start(loan=booking, actor=alice)
    assert started.status == Loan.Status.ON_LOAN
    set_rules(digibank_a, partner_max_loans_per_year=1)
    with pytest.raises(ValidationError, match="limit of 1 loans"):
        book([laptops[2]])


def test_an_extension_counts_the_weeks_of_the_clients_other_loans_that_year(digibank_a, hub, client_a, laptop, bob):
    set_rules(digibank_a, max_weeks_per_year=20, loan_days=70, extension_days=28, extensions_allowed=2)
    loan = lend(client_a, [laptop], hub, bob)  # 10 weeks
    assert lending_eligibility.extension_refusals([loan])[loan.pk] == ""  # 10 + 4 weeks
    _past_loan(client_a, hub, bob, days_ago=200, days=49)  # 7 weeks earlier this year: 7 + 10 + 4 > 20
    refusal = lending_eligibility.extension_refusals([loan])[loan.pk]
    assert "20 weeks" in refusal
    with pytest.raises(ValidationError):
        lending_services.loan_extend(loan=loan, actor=bob)
