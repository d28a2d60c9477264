"""The demo a newcomer starts with (`dev.py run` seeds it): believable, and its dates agree."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from digibank.devices.lending.models import Loan
from digibank.network.models import Hub

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_every_demo_hub_has_a_phone_an_email_and_coordinates(demo):
    hubs = list(Hub.objects.all())
    assert len(hubs) == 10
    for hub in hubs:
        assert hub.phone and hub.email, hub.name
        assert hub.latitude is not None and hub.longitude is not None, hub.name


def test_no_demo_loan_starts_before_its_client_was_registered_or_its_devices_came_in(demo):
    loans = list(Loan.objects.select_related("client").prefetch_related("items__device__batch"))
    assert loans
    for loan in loans:
        if loan.client:
            assert loan.starts_on >= timezone.localdate(loan.client.registered_at), loan.number
        for item in loan.items.all():
            assert loan.starts_on >= item.device.batch.received_on, loan.number


def test_the_demo_has_a_living_week_at_the_hubs_made_once(demo):
    """Contacts of the past week, appointments of the coming one, today's queue and referrals in each state;
    a second run adds nothing."""
    from digibank.guidance.appointments.models import Appointment
    from digibank.guidance.contacts.models import HelpContact
    from digibank.guidance.queue.models import QueueTicket
    from digibank.guidance.referrals.models import Referral

    def counts():
        return (
            HelpContact.objects.count(),
            Appointment.objects.count(),
            QueueTicket.objects.count(),
            Referral.objects.count(),
        )

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before
    contacts, appointments, tickets, referrals = before
    assert contacts >= 20 and appointments >= 5 and tickets == 6 and referrals == 6
    today = timezone.localdate()
    assert not HelpContact.objects.filter(started_at__date__gte=today).exists()
    assert set(Referral.objects.values_list("status", flat=True)) == {
        "sent",
        "accepted",
        "planned",
        "completed",
        "declined",
    }
    assert (
        Appointment.objects.filter(booked_via="public").exists()
        and Appointment.objects.filter(client__isnull=False).exists()
    )
