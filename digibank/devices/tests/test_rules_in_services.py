"""The rules the screens and the API used to decide for themselves, now decided once, below them:
a loan's terms and due date, the hub of a loan, which devices go back to wiping after a check-in
and what became of each, which states take an erasure or a ready check, the ready rule, and the
reads the pages make (each scoped to the digibank)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from digibank.clients.tests.factories import ClientFactory
from digibank.core.tenancy import Tenancy
from digibank.devices.intake import selectors as intake_selectors
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import selectors as lending_selectors
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import AgreementText, Loan, LoanItem
from digibank.devices.refurbishment import models as refurbishment_models
from digibank.devices.refurbishment import selectors as refurbishment_selectors
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.register.lifecycle import (
    ERASABLE_STATES,
    FINAL_STATES,
    Kind,
    ReadyNeed,
    State,
    ready_needs,
    takes_erasure,
    takes_ready_check,
)
from digibank.devices.register.models import Device
from digibank.devices.tests.factories import DeviceFactory, DonorFactory, SoftwareProfileFactory
from digibank.devices.waiting_list import selectors as waiting_list_selectors
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.network.tests.factories import HubFactory, PartnerFactory

pytestmark = pytest.mark.django_db

PASSED = dict(
    level="clear", method="PRNG Stream", tool="nwipe 0.37", medium="ssd", result="passed", verification="last"
)


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook", offers_lending=True)


@pytest.fixture
def person(digibank_a, bob):
    return ClientFactory(digibank=digibank_a, registered_by=bob, postal_code="9000")


def tenancy_of(digibank, user, role="coordinator") -> Tenancy:
    return Tenancy(user_id=user.pk, digibank_id=digibank.pk, roles=(role,))


def set_rules(digibank, **fields):
    rules = lending_rules.rules_for(digibank)
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.save()
    return rules


# --- the terms of a loan ---------------------------------------------------------------------


def test_the_terms_of_a_loan_follow_the_rules(digibank_a):
    rules = set_rules(
        digibank_a, loan_days=30, deposit=Decimal("25.00"), training="during", training_name="Aan de slag met je laptop"
    )
    terms = lending_rules.loan_terms(rules, starts_on=dt.date(2026, 3, 2))
    assert terms.due_on == dt.date(2026, 4, 1) and terms.days == 30
    assert terms.deposit == Decimal("25.00")
    assert terms.training_during == "Aan de slag met je laptop"

    rules.training = "before"
    assert lending_rules.loan_terms(rules, starts_on=dt.date(2026, 3, 2)).training_during == ""


def test_a_partners_set_has_its_own_period_and_no_deposit(digibank_a):
    rules = set_rules(digibank_a, loan_days=30, partner_loan_days=10, deposit=Decimal("25.00"))
    terms = lending_rules.loan_terms(rules, starts_on=dt.date(2026, 3, 2), partner=True)
    assert terms.due_on == dt.date(2026, 3, 12) and terms.deposit == 0


def test_check_out_writes_the_terms_the_desk_showed(digibank_a, hub, person, bob):
    rules = set_rules(digibank_a, loan_days=45, deposit=Decimal("20.00"))
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    day = dt.date(2026, 2, 10)
    loan = lending_services.loan_check_out(
        digibank=digibank_a, client=person, devices=[laptop], actor=bob, deposit_payment="paid", today=day
    )
    terms = lending_rules.loan_terms(rules, starts_on=day)
    assert (loan.due_on, loan.deposit) == (terms.due_on, terms.deposit) == (dt.date(2026, 3, 27), Decimal("20.00"))


def test_a_partners_booking_is_due_by_the_same_terms(digibank_a, hub, alice):
    rules = set_rules(digibank_a, lends_to_partners=True, partner_loan_days=12, partner_book_days_ahead=2)
    starts = dt.date.today() + dt.timedelta(days=5)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lending_services.partner_booking(
        digibank=digibank_a,
        hub=hub,
        partner=PartnerFactory(digibank=digibank_a),
        devices=[laptop],
        starts_on=starts,
        actor=alice,
    )
    assert loan.due_on == lending_rules.loan_terms(rules, starts_on=starts, partner=True).due_on
    assert loan.conditions["loan_days"] == 12


# --- the hub of a loan -----------------------------------------------------------------------


def test_the_hubs_that_lend_are_the_open_lending_hubs_of_the_digibank(digibank_a, digibank_b, hub):
    HubFactory(digibank=digibank_a, name="Digipunt Zonder Uitleen", offers_lending=False)
    HubFactory(digibank=digibank_a, name="Digipunt Gesloten", offers_lending=True, closed_on=dt.date(2025, 1, 1))
    melle = HubFactory(digibank=digibank_a, name="Digipunt Melle", offers_lending=True)
    HubFactory(digibank=digibank_b, offers_lending=True)
    assert list(lending_rules.lending_hubs(digibank_a)) == [hub, melle]
    assert list(lending_rules.lending_hubs(digibank_a.pk)) == [hub, melle]


def test_without_a_choice_the_loan_is_at_the_hub_where_the_device_is(digibank_a, hub):
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    assert lending_rules.loan_hub(digibank=digibank_a, devices=[laptop]) == hub


def test_a_chosen_hub_must_be_an_open_lending_hub_of_the_digibank(digibank_a, digibank_b, hub):
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    melle = HubFactory(digibank=digibank_a, name="Digipunt Melle", offers_lending=True)
    assert lending_rules.loan_hub(digibank=digibank_a, devices=[laptop], hub=melle) == melle

    theirs = HubFactory(digibank=digibank_b, offers_lending=True)
    office = HubFactory(digibank=digibank_a, offers_lending=False)
    closed = HubFactory(digibank=digibank_a, offers_lending=True, closed_on=dt.date(2025, 1, 1))
    for wrong, message in (
        (theirs, "not part of your digibank"),
        (office, "No devices are lent at this hub"),
        (closed, "No devices are lent at this hub"),
    ):
        with pytest.raises(ValidationError) as refused:
            lending_rules.loan_hub(digibank=digibank_a, devices=[laptop], hub=wrong)
        assert message in refused.value.message_dict["hub"][0]


def test_check_out_lends_at_the_chosen_hub_or_else_the_devices(digibank_a, hub, person, bob):
    melle = HubFactory(digibank=digibank_a, name="Digipunt Melle", offers_lending=True)
    first = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lending_services.loan_check_out(digibank=digibank_a, client=person, devices=[first], actor=bob, hub=melle)
    assert loan.hub == melle

    other = ClientFactory(digibank=digibank_a, registered_by=bob, postal_code="9000")
    second = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    assert lending_services.loan_check_out(digibank=digibank_a, client=other, devices=[second], actor=bob).hub == hub


def test_check_out_at_a_hub_that_does_not_lend_lends_nothing(digibank_a, hub, person, bob):
    office = HubFactory(digibank=digibank_a, offers_lending=False)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    with pytest.raises(ValidationError) as refused:
        lending_services.loan_check_out(digibank=digibank_a, client=person, devices=[laptop], actor=bob, hub=office)
    assert "hub" in refused.value.message_dict
    laptop.refresh_from_db()
    assert laptop.state == State.READY and not Loan.objects.exists()


# --- after the check-in ----------------------------------------------------------------------


def test_what_came_back_and_holds_data_goes_back_to_wiping(digibank_a, hub, person, bob):
    set_rules(digibank_a, max_devices_per_client=2)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    charger = DeviceFactory(digibank=digibank_a, hub=hub, ready=True, accessory=True)
    tablet = DeviceFactory(digibank=digibank_a, hub=hub, ready=True, kind=Kind.TABLET)
    loan = lending_services.loan_check_out(
        digibank=digibank_a, client=person, devices=[laptop, charger, tablet], actor=bob, hub=hub
    )
    items = lending_selectors.loan_items(loan)
    assert lending_selectors.back_to_wiping(loan, items) == []  # nothing came back yet
    assert [lending_selectors.item_outcome(loan, item) for item in items] == ["", "", ""]

    lending_services.loan_check_in(
        loan=loan,
        actor=bob,
        items=[
            lending_services.ReturnedItem(device=laptop),
            lending_services.ReturnedItem(device=charger),
            lending_services.ReturnedItem(device=tablet, present=False),
        ],
        missing_kind="lost",
    )
    loan.refresh_from_db()
    items = lending_selectors.loan_items(loan)
    assert lending_selectors.back_to_wiping(loan, items) == [laptop]
    assert [lending_selectors.item_outcome(loan, item) for item in items] == [
        "came back: goes to be wiped",
        "came back: to be checked before the next loan",
        "did not come back: taken out of the stock",
    ]
    # The rule says what the service did: the laptop needs an erasure again, the charger does not.
    laptop.refresh_from_db(), charger.refresh_from_db()
    assert laptop.needs_erasure and ReadyNeed.ERASURE in ready_needs(laptop)
    assert ready_needs(charger) == []


def test_a_device_handed_over_for_good_does_not_go_back_to_wiping(digibank_a, hub, person, bob):
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    charger = DeviceFactory(digibank=digibank_a, hub=hub, ready=True, accessory=True)
    loan = lending_services.loan_check_out(
        digibank=digibank_a, client=person, devices=[laptop, charger], actor=bob, hub=hub
    )
    lending_incidents.device_hand_over(device=laptop, client=person, actor=bob, note="De voorwaarden zijn vervuld.")
    lending_services.loan_check_in(loan=loan, actor=bob, items=[lending_services.ReturnedItem(device=charger)])
    loan.refresh_from_db()
    items = lending_selectors.loan_items(loan)
    assert loan.status == Loan.Status.RETURNED
    assert lending_selectors.back_to_wiping(loan, items) == []
    assert lending_selectors.item_outcome(loan, items[0]) == "handed over for good"


# --- erasure and the ready rule --------------------------------------------------------------


@pytest.mark.parametrize("state", [state for state in State.values if state not in FINAL_STATES])
def test_an_erasure_is_taken_in_the_states_the_page_offers_it(digibank_a, hub, tom, state):
    lendable = state in (State.READY, State.RESERVED, State.ON_LOAN)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, state=state, needs_erasure=not lendable)
    assert takes_erasure(laptop) == (state in ERASABLE_STATES)
    if takes_erasure(laptop):
        refurbishment_services.erasure_record(device=laptop, actor=tom, **PASSED)
        laptop.refresh_from_db()
        assert laptop.state == State.WIPED
    else:
        with pytest.raises(ValidationError):
            refurbishment_services.erasure_record(device=laptop, actor=tom, **PASSED)


def test_an_accessory_takes_no_erasure_and_no_ready_check(digibank_a, hub):
    charger = DeviceFactory(digibank=digibank_a, hub=hub, accessory=True, state=State.RECEIVED)
    assert not takes_erasure(charger)
    charger.state = State.IN_REPAIR
    assert not takes_ready_check(charger)


def test_the_ready_check_follows_the_erasure_or_the_repair(digibank_a, hub):
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, state=State.RECEIVED)
    assert not takes_ready_check(laptop)
    for state in (State.WIPED, State.IN_REPAIR):
        laptop.state = state
        assert takes_ready_check(laptop)


def test_the_ready_rule_is_the_one_the_transition_applies(digibank_a, hub, tom):
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, state=State.RECEIVED)
    assert ready_needs(laptop) == [ReadyNeed.ERASURE, ReadyNeed.CHECK]
    with pytest.raises(ValidationError) as refused:
        refurbishment_services.device_transition(device=laptop, target=State.READY, actor=tom, grade="B")
    assert len(refused.value.message_dict["state"]) == 2

    refurbishment_services.erasure_record(device=laptop, actor=tom, **PASSED)
    laptop.refresh_from_db()
    assert ready_needs(laptop) == [ReadyNeed.CHECK]
    with pytest.raises(ValidationError):
        refurbishment_services.device_transition(device=laptop, target=State.READY, actor=tom, grade="B")

    profile = SoftwareProfileFactory(digibank=digibank_a)
    refurbishment_services.ready_check_record(
        device=laptop, actor=tom, software_profile=profile, items=refurbishment_models.READY_CHECKLIST
    )
    laptop.refresh_from_db()
    assert ready_needs(laptop) == []
    assert (
        refurbishment_services.device_transition(device=laptop, target=State.READY, actor=tom, grade="B").state
        == State.READY
    )


def test_an_accessory_needs_nothing_to_be_ready(digibank_a, hub, tom):
    charger = DeviceFactory(digibank=digibank_a, hub=hub, accessory=True, state=State.RECEIVED)
    assert ready_needs(charger) == []
    assert (
        refurbishment_services.device_transition(device=charger, target=State.READY, actor=tom, grade="A").state
        == State.READY
    )


# --- the reads of the pages, each scoped to the digibank -------------------------------------


def test_the_referring_partner_and_the_offer_of_a_loan(digibank_a, hub, bob, alice):
    partner = PartnerFactory(digibank=digibank_a, name="OCMW Gent")
    set_rules(digibank_a, referral_required=True)
    person = ClientFactory(digibank=digibank_a, registered_by=bob, postal_code="9000", referred_by=partner)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lending_services.loan_check_out(digibank=digibank_a, client=person, devices=[laptop], actor=bob, hub=hub)
    assert lending_selectors.referring_partner(loan) == partner
    assert waiting_list_selectors.offer_of(loan) is None

    tablet = DeviceFactory(digibank=digibank_a, hub=hub, kind=Kind.TABLET, ready=True)
    waiting = ClientFactory(digibank=digibank_a, registered_by=bob, postal_code="9000")
    waiting_list_services.request_create(digibank=digibank_a, client=waiting, hub=hub, kind=Kind.TABLET, actor=bob)
    offer = waiting_list_services.offer_next(device=tablet, actor=alice)
    assert offer is not None and waiting_list_selectors.offer_of(offer.loan) == offer
    assert lending_selectors.referring_partner(offer.loan) is None


def test_the_agreement_texts_are_the_digibanks_own_newest_first(digibank_a, digibank_b, alice, carol):
    first = lending_services.agreement_publish(digibank=digibank_a, text="Versie een", actor=alice)
    second = lending_services.agreement_publish(digibank=digibank_a, text="Versie twee", actor=alice)
    lending_services.agreement_publish(digibank=digibank_b, text="Kempen", actor=carol)
    texts = lending_selectors.agreement_texts(tenancy_of(digibank_a, alice))
    assert texts == [second, first]
    assert all(isinstance(text, AgreementText) for text in texts)
    assert lending_selectors.agreement_texts(tenancy_of(digibank_a, alice), last=1) == [second]


def test_the_stock_pages_read_only_their_own_digibank(digibank_a, digibank_b, hub, tom, person, bob):
    mine = tenancy_of(digibank_a, tom, "technician")
    active = SoftwareProfileFactory(digibank=digibank_a, name="Linux Mint")
    SoftwareProfileFactory(digibank=digibank_a, name="Oud profiel", active=False)
    SoftwareProfileFactory(digibank=digibank_b, name="Linux Mint")
    assert list(refurbishment_selectors.active_profiles(mine)) == [active]

    donor = DonorFactory(digibank=digibank_a, name="Bedrijf A")
    DonorFactory(digibank=digibank_b, name="Bedrijf B")
    assert list(intake_selectors.donors_of(mine)) == [donor]

    collection = refurbishment_services.collection_create(
        digibank=digibank_a, actor=tom, recycler="Recupel", reference="R-1", handed_over_on=dt.date(2026, 1, 5)
    )
    assert list(refurbishment_selectors.collections_of(mine)) == [collection]
    assert (
        list(
            refurbishment_selectors.collections_of(
                Tenancy(user_id=tom.pk, digibank_id=digibank_b.pk, roles=("technician",))
            )
        )
        == []
    )

    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lending_services.loan_check_out(digibank=digibank_a, client=person, devices=[laptop], actor=bob, hub=hub)
    items = list(lending_selectors.loans_of_device(laptop, with_borrower=True))
    assert [item.loan for item in items] == [loan] and isinstance(items[0], LoanItem)
    assert list(lending_selectors.loans_of_device(DeviceFactory(digibank=digibank_a, hub=hub))) == []
    assert Device.objects.filter(pk=laptop.pk, state=State.ON_LOAN).exists()


def test_a_booking_is_cancelled_but_an_offer_is_answered(digibank_a, hub, alice, bob):
    set_rules(digibank_a, lends_to_partners=True, partner_book_days_ahead=0)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    booking = lending_services.partner_booking(
        digibank=digibank_a,
        hub=hub,
        partner=PartnerFactory(digibank=digibank_a),
        devices=[laptop],
        starts_on=dt.date.today(),
        actor=alice,
    )
    assert (
        lending_services.booking_cancel(loan=booking, actor=bob, reason="cursus gaat niet door").status == "cancelled"
    )

    tablet = DeviceFactory(digibank=digibank_a, hub=hub, kind=Kind.TABLET, ready=True)
    waiting = ClientFactory(digibank=digibank_a, registered_by=bob, postal_code="9000")
    waiting_list_services.request_create(digibank=digibank_a, client=waiting, hub=hub, kind=Kind.TABLET, actor=bob)
    offer = waiting_list_services.offer_next(device=tablet, actor=alice)
    assert offer is not None
    with pytest.raises(ValidationError) as refused:
        lending_services.booking_cancel(loan=offer.loan, actor=bob)
    assert "answer the offer instead" in refused.value.messages[0]
    offer.loan.refresh_from_db()
    assert offer.loan.status == Loan.Status.RESERVED
