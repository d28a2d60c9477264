"""What guidance keeps of people goes by the rules, the rows and their counts stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from digibank.clients import services as client_services
from digibank.clients.tests.factories import ClientFactory
from digibank.guidance.appointments.models import Appointment
from digibank.guidance.contacts.models import HelpContact
from digibank.guidance.privacy import erase_expired_details
from digibank.guidance.referrals.models import Referral
from digibank.guidance.tests.factories import AppointmentFactory, ReferralFactory, SlotFactory, at, help_contact
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, offers_guidance=True)


def test_public_bookers_and_referred_people_are_erased_30_days_after(hub, alice):
    now = timezone.now()
    long_ago = now.date() - dt.timedelta(days=40)
    old_slot = SlotFactory(hub=hub, starts_at=at(long_ago, 10), ends_at=at(long_ago, 10, 30))
    recent_slot = SlotFactory(hub=hub, starts_at=at(now.date() - dt.timedelta(days=3), 10))
    recent_slot.ends_at = recent_slot.starts_at + dt.timedelta(minutes=30)
    recent_slot.save()
    old = AppointmentFactory(slot=old_slot, name="Mieke Peeters", phone="+32470123456")
    recent = AppointmentFactory(slot=recent_slot, name="Jan Claes", phone="+32470654321")
    closed = ReferralFactory(
        to_hub=hub, completed=True, closed_at=now - dt.timedelta(days=31), person_name="Ali Yilmaz"
    )
    still_open = ReferralFactory(to_hub=hub, person_name="Sara Jacobs", created_at=now - dt.timedelta(days=90))

    assert erase_expired_details(now) == {"appointments": 1, "referrals": 1}
    assert erase_expired_details(now) == {"appointments": 0, "referrals": 0}  # once
    old.refresh_from_db()
    assert (old.name, old.phone, old.email) == ("", "", "") and old.erased_at == now
    assert not Appointment.history.filter(id=old.pk).exclude(name="").exists()
    assert Appointment.objects.get(pk=recent.pk).name == "Jan Claes"
    assert Referral.objects.get(pk=closed.pk).person_name == ""
    assert Referral.objects.get(pk=still_open.pk).person_name == "Sara Jacobs"
    assert Appointment.objects.count() == 2 and Referral.objects.count() == 2  # the counts stay


def test_anonymising_a_client_erases_what_guidance_wrote_about_them(hub, alice):
    client = ClientFactory(digibank=hub.digibank, registered_by=alice)
    contact = help_contact(hub=hub, actor=alice, client=client, note="Wil zijn kleinkinderen kunnen mailen.")
    referral = ReferralFactory(to_hub=hub, client=client, person_name="", person_phone="", reason="Zoekt werk.")
    client_services.client_anonymise(client=client, actor=alice, reason="request")
    assert HelpContact.objects.get(pk=contact.pk).note == ""
    assert not HelpContact.history.filter(id=contact.pk).exclude(note="").exists()
    assert Referral.objects.get(pk=referral.pk).reason == ""
    assert not Referral.history.filter(id=referral.pk).exclude(reason="").exists()
    assert HelpContact.objects.filter(client=client).count() == 1
