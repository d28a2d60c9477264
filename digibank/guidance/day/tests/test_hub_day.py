"""The hub day view: the day's appointments, queue, contacts, open follow-ups and incoming referrals of one
hub, for whoever works there; nothing of another hub or digibank; every person shown logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import AccessLog
from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.guidance.tests.factories import (
    AppointmentFactory,
    QueueTicketFactory,
    ReferralFactory,
    SlotFactory,
    at,
    help_contact,
)
from digibank.network.tests.factories import HubFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("guidance:hub_day")


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Ledeberg", offers_guidance=True)


@pytest.fixture
def day_at_hub(hub, alice, bob):
    today = timezone.localdate()
    client = ClientFactory(digibank=hub.digibank, registered_by=alice, first_name="Mira", last_name="Vandaele")
    walk_in = ClientFactory(digibank=hub.digibank, registered_by=alice, first_name="Jef", last_name="Lievens")
    slot = SlotFactory(hub=hub, starts_at=at(today, 10), ends_at=at(today, 10, 30))
    AppointmentFactory(slot=slot, digibank=hub.digibank, name="Nadia Online", phone="+32470123456")
    QueueTicketFactory(hub=hub, number=1, called=True)
    QueueTicketFactory(hub=hub, number=2)
    help_contact(hub=hub, actor=bob, client=walk_in, started_at=at(today, 9), outcome="follow_up", follow_up_on=today)
    ReferralFactory(to_hub=hub, client=client, person_name="", referred_by=alice)
    return {"client": client, "walk_in": walk_in}


def test_the_desk_sees_the_hubs_day_in_one_screen(login, bob, hub, day_at_hub):
    page = login(bob).get(URL, {"hub": hub.pk})
    assert page.status_code == 200
    text = page.content.decode()
    for seen in ("Nadia Online", "Jef Lievens", "Mira Vandaele", "10:00", "09:00"):
        assert seen in text
    day = page.context["hub_day"]
    assert [t.number for t in day.waiting] == [2]
    assert day.follow_ups_total == 1 and day.referrals_total == 1


def test_every_client_the_day_view_names_is_logged(login, bob, hub, day_at_hub):
    mark = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    login(bob).get(URL, {"hub": hub.pk})
    logged = set(AccessLog.objects.filter(pk__gt=mark, actor=bob, what="hub day view").values_list("client", flat=True))
    assert {day_at_hub["client"].pk, day_at_hub["walk_in"].pk} <= logged


def test_another_day_shows_nothing_of_today(login, bob, hub, day_at_hub):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = login(bob).get(URL, {"hub": hub.pk, "dag": tomorrow.isoformat()})
    day = page.context["hub_day"]
    assert day.appointments == [] and day.tickets == [] and day.contacts == []
    assert day.follow_ups_total == 1  # open work stays until it is done


def test_another_digibanks_hub_is_never_shown(login, bob, hub, digibank_b, carol):
    theirs = HubFactory(digibank=digibank_b, name="Digipunt Geel", offers_guidance=True)
    QueueTicketFactory(hub=theirs, number=7)
    page = login(bob).get(URL, {"hub": theirs.pk})
    assert page.context["hub"] == hub
    assert "Digipunt Geel" not in page.content.decode()


def test_a_bad_day_falls_back_to_today_and_says_so(login, bob, hub):
    page = login(bob).get(URL, {"hub": hub.pk, "dag": "31/2/2026"})
    assert page.status_code == 200 and page.context["day"] == timezone.localdate()
    assert "“31/2/2026” is geen datum: u ziet vandaag." in page.content.decode()
    assert "geen datum" not in login(bob).get(URL, {"hub": hub.pk, "dag": "3/12/2026"}).content.decode()


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.TRAINER, Role.PARTNER_WORKER])
def test_who_does_not_work_at_a_hub_desk_may_not_open_it(login, digibank_a, role):
    user = UserFactory()
    MembershipFactory(user=user, digibank=digibank_a, role=role)
    assert login(user).get(URL).status_code == 403


def test_the_queries_do_not_grow_with_the_day(login, bob, hub, day_at_hub, alice, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(10):
        slot = SlotFactory(hub=hub, starts_at=at(today, 11) + dt.timedelta(minutes=30 * n))
        slot.ends_at = slot.starts_at + dt.timedelta(minutes=30)
        slot.save()
        client = ClientFactory(digibank=hub.digibank, registered_by=alice)
        AppointmentFactory(slot=slot, digibank=hub.digibank, client=client, name="")
        help_contact(hub=hub, actor=bob, client=client, started_at=at(today, 8))
        QueueTicketFactory(hub=hub, number=10 + n)
        ReferralFactory(to_hub=hub, referred_by=alice)
    browser = login(bob)
    browser.get(URL, {"hub": hub.pk})
    with django_assert_max_num_queries(13):
        page = browser.get(URL, {"hub": hub.pk})
    assert len(page.context["hub_day"].appointments) == 11
