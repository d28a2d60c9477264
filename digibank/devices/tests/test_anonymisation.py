"""When a borrower is anonymised, the device bank forgets the person and keeps its counts."""

from __future__ import annotations

import pytest

from digibank.clients import services as client_services
from digibank.clients.tests.factories import ClientFactory
from digibank.clients.tests.test_retention import dump_everything
from digibank.devices.lending import eligibility as lending_eligibility
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import Loan
from digibank.devices.register.lifecycle import Kind
from digibank.devices.tests.factories import DeviceFactory
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import DeviceRequest, QueueMove
from digibank.network.tests.factories import HubFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_an_anonymised_borrower_leaves_no_name_in_the_device_bank(digibank_a, alice, bob):
    hub = HubFactory(digibank=digibank_a)
    rules = lending_rules.rules_for(digibank_a)
    rules.goals_plan_required = True
    rules.save()
    # A name in none of Faker's lists: the other rows' random names (a second client, a hub in
    # "Sint-Margriete") must not be mistaken for a leftover of this one.
    person = ClientFactory(digibank=digibank_a, first_name="Roosmarijn", last_name="Quintelier", registered_by=bob)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lending_services.loan_check_out(
        digibank=digibank_a,
        hub=hub,
        client=person,
        devices=[laptop],
        actor=bob,
        attestation=lending_eligibility.Attestation(goals_plan="Roosmarijn wil zelf haar pensioen opvolgen"),
    )
    lending_services.loan_sign(loan=loan, actor=bob, signed_by_name="Roosmarijn Quintelier")
    first = waiting_list_services.request_create(
        digibank=digibank_a,
        client=ClientFactory(digibank=digibank_a, registered_by=bob),
        hub=hub,
        kind=Kind.TABLET,
        actor=bob,
    )
    request = waiting_list_services.request_create(
        digibank=digibank_a,
        client=person,
        hub=hub,
        kind=Kind.TABLET,
        actor=bob,
        urgent_partner=PartnerFactory(digibank=digibank_a),
        urgent_reason="Roosmarijn zoekt werk",
    )
    waiting_list_services.request_move(request=request, before=None, actor=alice, reason="Roosmarijn vroeg het zelf")
    assert first.pk and "roosmarijn" in dump_everything()

    client_services.client_anonymise(client=person, actor=alice, reason="request")

    assert "roosmarijn" not in dump_everything() and "quintelier" not in dump_everything()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ON_LOAN and loan.items.count() == 1  # the loan itself stays
    assert DeviceRequest.objects.filter(client=person).count() == 1
    assert QueueMove.objects.filter(request__client=person).count() == 1
