"""The start page shows each role the day's work of its own digibank, given by the domains."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import Client
from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import Loan
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.tests.factories import DeviceFactory
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import Offer
from digibank.network.tests.factories import HubFactory, MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

OVERDUE = reverse("devices:loans") + "?show=overdue"
RESERVED = reverse("devices:loans") + "?show=reserved"
OFFERS = reverse("devices:offers")
TO_WIPE = reverse("devices:devices") + "?state=received"
RETURNED = reverse("devices:devices") + "?state=returned"
IN_REPAIR = reverse("devices:devices") + "?state=in_repair"
INCIDENTS = reverse("devices:incidents")
URGENT = reverse("devices:requests")
RETENTION = reverse("clients:retention")


def counts(response) -> dict[str, int]:
    return {task.url: task.count for panel in response.context["panels"] for task in panel.tasks}


def resident(digibank, actor):
    return ClientFactory(digibank=digibank, postal_code=hub_code(digibank), registered_by=actor)


def hub_code(digibank) -> str:
    return "9000" if digibank.slug == "gent" else "2300"


def lend(digibank, hub, actor, *, days_late=0):
    client = resident(digibank, actor)
    laptop = DeviceFactory(digibank=digibank, hub=hub, ready=True)
    loan = lending_services.loan_check_out(digibank=digibank, hub=hub, client=client, devices=[laptop], actor=actor)
    if days_late:
        today = timezone.localdate()
        Loan.objects.filter(pk=loan.pk).update(
            starts_on=today - dt.timedelta(days=60), due_on=today - dt.timedelta(days=days_late)
        )
    return loan


def offer(digibank, hub, actor, *, expires_in):
    client = resident(digibank, actor)
    waiting_list_services.request_create(digibank=digibank, client=client, hub=hub, kind=Kind.LAPTOP, actor=actor)
    made = waiting_list_services.offer_next(device=DeviceFactory(digibank=digibank, hub=hub, ready=True), actor=actor)
    Offer.objects.filter(pk=made.pk).update(expires_on=timezone.localdate() + dt.timedelta(days=expires_in))


@pytest.fixture
def busy_day(digibank_a, digibank_b, alice, carol):
    """Digibank A: two overdue loans and one on time, offers ending today, tomorrow and next week
    (each with a reservation from today); digibank B has the same trouble, which A must not see."""
    hub_a, hub_b = HubFactory(digibank=digibank_a), HubFactory(digibank=digibank_b)
    lend(digibank_a, hub_a, alice, days_late=3)
    lend(digibank_a, hub_a, alice, days_late=1)
    lend(digibank_a, hub_a, alice)
    for days in (0, 1, 7):
        offer(digibank_a, hub_a, alice, expires_in=days)
    lend(digibank_b, hub_b, carol, days_late=5)
    offer(digibank_b, hub_b, carol, expires_in=0)
    return hub_a, hub_b


def test_desk_sees_overdue_loans_offers_ending_and_reservations_of_its_own_digibank(login, bob, busy_day):
    response = login(bob).get(reverse("staff:home"))
    assert counts(response) == {OVERDUE: 2, OFFERS: 2, RESERVED: 3}
    page = response.content.decode()
    assert "Vandaag aan de balie" in page and "In de werkplaats" not in page


def test_technician_sees_devices_to_wipe_and_to_repair(login, tom, digibank_a, digibank_b):
    hub = HubFactory(digibank=digibank_a)
    for _ in range(3):
        DeviceFactory(digibank=digibank_a, hub=hub, state=State.RECEIVED)
    DeviceFactory(digibank=digibank_a, hub=hub, state=State.RECEIVED, accessory=True)  # nothing to wipe
    DeviceFactory(digibank=digibank_a, hub=hub, state=State.RETURNED)
    DeviceFactory(digibank=digibank_a, hub=hub, state=State.IN_REPAIR)
    DeviceFactory(digibank=digibank_b, state=State.RECEIVED)
    response = login(tom).get(reverse("staff:home"))
    assert counts(response) == {
        TO_WIPE: 3,
        RETURNED: 1,
        reverse("devices:devices") + "?state=wiping": 0,
        IN_REPAIR: 1,
    }
    assert "Vandaag aan de balie" not in response.content.decode()


def test_coordinator_sees_what_needs_a_decision(login, alice, digibank_a, busy_day):
    hub_a, _hub_b = busy_day
    client = ClientFactory(digibank=digibank_a, postal_code="9000", registered_by=alice)
    waiting_list_services.request_create(
        digibank=digibank_a,
        client=client,
        hub=hub_a,
        kind=Kind.TABLET,
        actor=alice,
        urgent_partner=PartnerFactory(digibank=digibank_a),
        urgent_reason="Zoekt werk, heeft geen toestel",
    )
    forgotten = ClientFactory(digibank=digibank_a, postal_code="9000", registered_by=alice)
    Client.objects.filter(pk=forgotten.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=4000))
    found = counts(login(alice).get(reverse("staff:home")))
    assert (found[INCIDENTS], found[URGENT], found[OVERDUE], found[RETENTION]) == (0, 1, 2, 1)
    assert found[reverse("staff:hubs")] == 1


def test_a_role_without_daily_panels_is_told_so(login, digibank_a):
    trainer = UserFactory(username="tina")
    MembershipFactory(user=trainer, digibank=digibank_a, role=Role.TRAINER)
    page = login(trainer).get(reverse("staff:home")).content.decode()
    assert "Niets wacht vandaag op u" in page


@pytest.mark.parametrize("user", ["alice", "bob", "tom"])
def test_start_page_queries_do_not_grow_with_the_work(request, login, user, busy_day, django_assert_max_num_queries):
    browser = login(request.getfixturevalue(user))
    with django_assert_max_num_queries(14) as before:
        browser.get(reverse("staff:home"))
    hub_a, _ = busy_day
    for _ in range(3):
        lend(hub_a.digibank, hub_a, request.getfixturevalue("alice"), days_late=2)
    with django_assert_max_num_queries(len(before.captured_queries)):
        browser.get(reverse("staff:home"))


def test_coordinator_menu_leads_to_the_circularity_page(login, alice, bob):
    assert reverse("impact:circularity") in login(alice).get(reverse("staff:home")).content.decode()
    assert reverse("impact:circularity") not in login(bob).get(reverse("staff:home")).content.decode()
