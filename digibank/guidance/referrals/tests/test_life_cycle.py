"""The referral's life cycle through its services: sent, accepted, planned, completed (or declined, or
withdrawn by the referrer), each illegal step refused in Dutch, consent required, another digibank's hub
refused, the client's timeline told, and the device bank's question answered by the selector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from digibank.clients.models import ClientEvent
from digibank.guidance.referrals import selectors, services
from digibank.guidance.referrals.models import CODE_ALPHABET, Referral, Service, Status
from digibank.guidance.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def refer(digibank, actor, hub, **extra):
    fields = {
        "to_hub": hub,
        "service": Service.TRAINING,
        "consent_how": "spoken",
        "reason": "Na hulp met Tax-on-web: wil veilig online leren.",
        **extra,
    }
    return services.referral_create(digibank=digibank, actor=actor, **fields)


def test_the_whole_life_cycle_ends_completed_with_its_history(digibank_a, bob, olga, ocmw, zuid, wies):
    referral = refer(digibank_a, olga, zuid, client=wies, from_partner=ocmw)
    assert referral.status == Status.SENT and referral.from_partner == ocmw
    assert len(referral.code) == 8 and set(referral.code) <= set(CODE_ALPHABET)
    referral = services.referral_accept(referral, actor=bob)
    assert referral.status == Status.ACCEPTED
    day = timezone.localdate() + dt.timedelta(days=3)
    referral = services.referral_plan(referral, actor=bob, planned_on=day)
    assert (referral.status, referral.planned_on) == (Status.PLANNED, day)
    referral = services.referral_complete(referral, actor=bob, outcome="Ingeschreven voor de opleiding.")
    assert referral.status == Status.COMPLETED and referral.closed_at is not None
    statuses = [h.status for h in Referral.history.filter(id=referral.pk).order_by("history_date")]
    assert statuses == ["sent", "accepted", "planned", "completed"]
    events = ClientEvent.objects.filter(client=wies, kind="referral")
    assert events.count() == 4 and all(e.ref == f"guidance.referral:{referral.pk}" for e in events)
    assert all("Wies" not in e.summary for e in events)


@pytest.mark.parametrize(
    ("trait", "step"),
    [
        ({}, "plan"),  # a referral is accepted before it is planned
        ({}, "complete"),
        ({"completed": True}, "accept"),
        ({"completed": True}, "decline"),
        ({"declined": True}, "accept"),
        ({"declined": True}, "withdraw"),
    ],
)
def test_an_illegal_step_is_refused_in_dutch_and_changes_nothing(zuid, bob, trait, step):
    referral = ReferralFactory(to_hub=zuid, referred_by=bob, **trait)
    before = referral.status
    calls = {
        "accept": lambda: services.referral_accept(referral, actor=bob),
        "plan": lambda: services.referral_plan(referral, actor=bob, planned_on=timezone.localdate()),
        "complete": lambda: services.referral_complete(referral, actor=bob, outcome="Klaar."),
        "decline": lambda: services.referral_decline(referral, actor=bob, reason="Volzet."),
        "withdraw": lambda: services.referral_withdraw(referral, actor=bob),
    }
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        calls[step]()
    assert "kan niet" in " ".join(refused.value.messages)
    referral.refresh_from_db()
    assert referral.status == before


def test_a_referral_without_consent_is_refused(digibank_a, olga, zuid):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        refer(digibank_a, olga, zuid, person_name="Jan Peeters", consent_how="")
    assert "toestemming" in refused.value.message_dict["consent_how"][0]
    assert not Referral.objects.exists()


def test_a_referral_to_another_digibanks_hub_is_refused(digibank_a, olga, turnhout):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        refer(digibank_a, olga, turnhout, person_name="Jan Peeters")
    assert "niet van uw digibank" in refused.value.message_dict["to_hub"][0]
    assert not Referral.objects.exists()


def test_a_reason_with_a_national_register_number_is_refused(digibank_a, olga, zuid):
    with pytest.raises(ValidationError) as refused:
        refer(digibank_a, olga, zuid, person_name="Jan Peeters", reason="Rijksregister 85073003328")
    assert "reason" in refused.value.message_dict
    assert not Referral.objects.exists()


def test_a_person_not_yet_a_client_is_linked_when_they_register(digibank_a, bob, olga, zuid, wies):
    referral = refer(digibank_a, olga, zuid, person_name="Wies V.", person_phone="0470 11 22 33")
    assert referral.client is None
    referral = services.referral_link_client(referral, actor=bob, client=wies)
    assert referral.client == wies and referral.person_name == "" and referral.person_phone == ""
    assert ClientEvent.objects.filter(client=wies, kind="referral").exists()


def test_decline_needs_a_reason_and_only_the_referrer_withdraws(digibank_a, bob, olga, cas, ocmw, zuid):
    referral = refer(digibank_a, olga, zuid, person_name="Jan Peeters", from_partner=ocmw)
    with pytest.raises(ValidationError):
        services.referral_decline(referral, actor=bob, reason="  ")
    with pytest.raises(ValidationError):
        services.referral_withdraw(referral, actor=cas)  # a worker of another organisation
    assert services.referral_withdraw(referral, actor=olga).status == Status.WITHDRAWN


def test_an_internal_referral_has_no_partner(digibank_a, bob, zuid, wies):
    referral = refer(digibank_a, bob, zuid, client=wies)
    assert referral.is_internal and referral.from_partner is None


def test_incoming_referrals_are_the_open_ones_of_the_hub(digibank_a, alice, zuid, bob):
    from digibank.network.tenancy import resolve_tenancy

    open_one = ReferralFactory(to_hub=zuid)
    planned = ReferralFactory(to_hub=zuid, planned=True)
    ReferralFactory(to_hub=zuid, completed=True)
    ReferralFactory(to_hub=zuid, declined=True)
    tenancy = resolve_tenancy(alice, digibank_a.pk)
    assert list(selectors.incoming_referrals(tenancy, zuid)) == [open_one, planned]


def test_an_open_referral_older_than_the_setting_is_stale(digibank_a, alice, zuid):
    from digibank.network.tenancy import resolve_tenancy

    tenancy = resolve_tenancy(alice, digibank_a.pk)
    old = ReferralFactory(to_hub=zuid, created_at=timezone.now() - dt.timedelta(days=15))
    young = ReferralFactory(to_hub=zuid, created_at=timezone.now() - dt.timedelta(days=10))
    ReferralFactory(to_hub=zuid, completed=True, created_at=timezone.now() - dt.timedelta(days=40))
    assert selectors.stale_ids(tenancy, [old, young]) == {old.pk}
    assert selectors.stale_count(tenancy) == 1
    services.referral_settings_set(digibank=digibank_a, actor=alice, stale_after_days=7)
    assert selectors.stale_count(tenancy) == 2


def test_the_device_bank_reads_a_partners_device_referral(digibank_a, zuid, wies, ocmw, bob):
    assert selectors.referred_by_partner(wies) is False
    ReferralFactory(to_hub=zuid, client=wies, service=Service.DEVICE, referred_by=bob)  # internal: not a partner
    ReferralFactory(to_hub=zuid, client=wies, service=Service.TRAINING, from_partner=ocmw)  # not for a device
    ReferralFactory(to_hub=zuid, client=wies, service=Service.DEVICE, from_partner=ocmw, declined=True)
    assert selectors.referred_by_partner(wies) is False
    ReferralFactory(to_hub=zuid, client=wies, service=Service.DEVICE, from_partner=ocmw, completed=True)
    assert selectors.referred_by_partner(wies) is True
    assert selectors.device_referral_partner_id(wies) == ocmw.pk
