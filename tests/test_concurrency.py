"""Two desks at the same second: the database keeps the invariant and the loser gets a clear message.

Real concurrency needs a server database with row locks and parallel connections, so these tests run
on PostgreSQL (the CI's second step); on SQLite they are deselected (see conftest.py)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection

from digibank.core.roles import Role
from digibank.network import services
from digibank.network.models import Membership, Partner
from digibank.network.tests.factories import UserFactory

# One xdist worker runs them all: up to fifty threads each hold a connection, and two workers racing
# at once could pass PostgreSQL's max_connections (100 by default).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("concurrency")]
RACERS = 12


def race(work, racers=RACERS):
    """Run work() in `racers` threads released at once; return what each returned or raised.
    work may take the thread's number."""
    barrier = threading.Barrier(racers)
    results: list[object] = [None] * racers
    takes_number = work.__code__.co_argcount == 1

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i) if takes_number else work()
        except Exception as error:  # noqa: BLE001 - the outcome is what we test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def post_json(url: str, body: dict, *, token: str = "", digibank=None, language: str = "en") -> tuple[int, dict]:
    """POST `body` as JSON over a real connection (as a desk with `token` in `digibank`, or anonymously);
    the answer's (status, JSON body), a 4xx included. English answers unless `language` says otherwise."""
    import json
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json", "Cookie": f"django_language={language}"}
    if token:
        headers["Authorization"] = f"Token {token}"
    if digibank is not None:
        headers["X-Digibank"] = str(digibank.pk)
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_same_partner_added_at_once_by_many_desks_is_saved_once(digibank_a, alice):
    results = race(
        lambda: services.partner_create(
            digibank=digibank_a,
            actor=alice,
            name="OCMW Gent",
            kind="ocmw",
            role="Toeleiding",
            enterprise_number="0403170701",
        )
    )
    assert Partner.objects.filter(enterprise_number="0403170701").count() == 1
    assert sum(isinstance(r, Partner) for r in results) == 1
    refused = [r for r in results if not isinstance(r, Partner)]
    assert all(isinstance(r, ValidationError) for r in refused), refused


def test_same_role_given_at_once_is_given_once(digibank_a, alice):
    nina = UserFactory(username="nina")
    results = race(lambda: services.membership_grant(digibank=digibank_a, user=nina, role=Role.DESK, actor=alice))
    assert Membership.objects.filter(user=nina, is_active=True).count() == 1
    assert sum(isinstance(r, Membership) for r in results) == 1
    assert all(isinstance(r, (Membership, ValidationError)) for r in results), results


def test_last_two_coordinators_ending_each_other_at_once_leave_one(digibank_a, alice):
    second = UserFactory(username="second")
    services.membership_grant(digibank=digibank_a, user=second, role=Role.COORDINATOR, actor=alice)
    memberships = list(Membership.objects.filter(digibank=digibank_a, role=Role.COORDINATOR))
    counter = iter(range(RACERS))
    lock = threading.Lock()

    def end_one():
        with lock:
            n = next(counter)
        return services.membership_end(membership=memberships[n % 2], actor=alice)

    results = race(end_one)
    assert Membership.objects.filter(digibank=digibank_a, role=Role.COORDINATOR, is_active=True).count() == 1
    assert all(isinstance(r, (Membership, ValidationError)) for r in results), results


def test_first_registrations_at_once_share_one_privacy_notice(digibank_a, bob):
    from itertools import count

    from digibank.clients import services as client_services
    from digibank.clients.models import Client, PrivacyNotice

    numbers = count()
    lock = threading.Lock()

    def register():
        with lock:
            n = next(numbers)
        return client_services.client_register(
            digibank=digibank_a, actor=bob, first_name=f"Persoon{n}", last_name="Test", birth_year=1960
        )

    results = race(register)
    assert all(isinstance(r, Client) for r in results), results
    assert PrivacyNotice.objects.filter(digibank=digibank_a).count() == 1


# --- the device bank: one device, one loan ------------------------------------------------------

DESKS = 20


@pytest.fixture
def one_laptop_many_clients(digibank_a, bob):
    from digibank.clients.tests.factories import ClientFactory
    from digibank.devices.tests.factories import DeviceFactory
    from digibank.network.tests.factories import HubFactory

    hub = HubFactory(digibank=digibank_a)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    clients = [ClientFactory(digibank=digibank_a, registered_by=bob, postal_code="9000") for _ in range(DESKS)]
    return hub, laptop, clients


def _assert_one_loan(laptop, refusals):
    from digibank.devices.lending.models import Loan, LoanItem
    from digibank.devices.register.lifecycle import State
    from digibank.devices.register.models import Device

    assert Loan.objects.count() == 1
    assert LoanItem.objects.filter(device=laptop, open=True).count() == 1
    assert Device.objects.get(pk=laptop.pk).state == State.ON_LOAN
    assert len(refusals) == DESKS - 1
    for message in refusals:
        assert "ready to lend" in message or "just lent" in message, message


def test_twenty_desks_lending_the_same_laptop_at_once_make_one_loan(one_laptop_many_clients, digibank_a, bob):
    from digibank.devices.lending import services as lending_services
    from digibank.devices.lending.models import Loan

    hub, laptop, clients = one_laptop_many_clients
    from django.utils import translation

    def check_out(i):
        with translation.override("en"):
            return lending_services.loan_check_out(
                digibank=digibank_a, hub=hub, client=clients[i], devices=[laptop], actor=bob
            )

    results = race(check_out, racers=DESKS)
    assert sum(isinstance(r, Loan) for r in results) == 1
    refused = [r for r in results if not isinstance(r, Loan)]
    assert all(isinstance(r, ValidationError) for r in refused), refused
    _assert_one_loan(laptop, [" ".join(r.messages) for r in refused])


def http_check_out(live_server, digibank, user):
    """A desk's API check-out over a real connection: check_out(client, hub, devices) gives
    (status, body)."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.get_or_create(user=user)[0].key

    def check_out(client, hub, devices):
        body = {"client": client.number, "hub": hub.pk, "tags": [d.asset_tag for d in devices]}
        return post_json(f"{live_server.url}/api/v1/loans/", body, token=token, digibank=digibank)

    return check_out


def test_twenty_check_outs_of_the_same_laptop_over_http_make_one_loan(
    one_laptop_many_clients, digibank_a, bob, live_server
):
    hub, laptop, clients = one_laptop_many_clients
    check_out = http_check_out(live_server, digibank_a, bob)
    results = race(lambda i: check_out(clients[i], hub, [laptop]), racers=DESKS)
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * (DESKS - 1), results
    refusals = [" ".join(body["tags"]) for status, body in results if status == 400]
    _assert_one_loan(laptop, refusals)


# --- the device bank: one client, the limits per client ---------------------------------------


def set_rules(digibank, **fields):
    from digibank.devices.lending import rules as lending_rules

    rules = lending_rules.rules_for(digibank)
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.save()


@pytest.fixture
def one_client_many_monitors(digibank_a, bob):
    from digibank.clients.tests.factories import ClientFactory
    from digibank.devices.tests.factories import DeviceFactory
    from digibank.network.tests.factories import HubFactory

    hub = HubFactory(digibank=digibank_a)
    monitors = [DeviceFactory(digibank=digibank_a, hub=hub, kind="monitor", ready=True) for _ in range(DESKS)]
    client = ClientFactory(digibank=digibank_a, registered_by=bob, postal_code="9000")
    return hub, monitors, client


def _lent_to(client):
    from digibank.devices.lending.models import Loan, LoanItem
    from digibank.devices.register.lifecycle import State
    from digibank.devices.register.models import Device

    loans = Loan.objects.filter(client=client, status=Loan.Status.ON_LOAN)
    items = LoanItem.objects.filter(loan__client=client, open=True)
    assert Device.objects.filter(state=State.ON_LOAN).count() == items.count()  # no device half lent
    return loans.count(), items.count()


def test_twenty_desks_lending_different_monitors_to_one_client_over_http_lend_only_the_limit(
    one_client_many_monitors, digibank_a, bob, live_server
):
    """The devices per client are counted under a lock on the client: the desks that come after
    the first see its loan, whatever the second they pressed the button."""
    hub, monitors, client = one_client_many_monitors
    set_rules(digibank_a, max_devices_per_client=1)
    check_out = http_check_out(live_server, digibank_a, bob)

    results = race(lambda i: check_out(client, hub, [monitors[i]]), racers=DESKS)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * (DESKS - 1), results
    for status, body in results:
        if status == 400:
            assert "may borrow 1 device(s) at a time; this client already has 1" in " ".join(body["tags"]), body
    assert _lent_to(client) == (1, 1)


def test_twenty_desks_at_once_keep_the_loans_per_year_over_http(one_client_many_monitors, digibank_a, bob, live_server):
    hub, monitors, client = one_client_many_monitors
    set_rules(digibank_a, max_devices_per_client=DESKS, max_loans_per_year=3)
    check_out = http_check_out(live_server, digibank_a, bob)

    results = race(lambda i: check_out(client, hub, [monitors[i]]), racers=DESKS)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * 3 + [400] * (DESKS - 3), results
    for status, body in results:
        if status == 400:
            assert "reached the limit of 3 loans in a year" in " ".join(body["client"]), body
    assert _lent_to(client) == (3, 3)


def test_twenty_check_outs_at_once_keep_the_weeks_per_year(one_client_many_monitors, digibank_a, bob):
    from django.utils import translation

    from digibank.devices.lending import services as lending_services
    from digibank.devices.lending.models import Loan

    hub, monitors, client = one_client_many_monitors
    # Loans of 4 weeks, at most 9 weeks a year: two fit, a third does not.
    set_rules(digibank_a, max_devices_per_client=DESKS, loan_days=28, max_weeks_per_year=9)

    def check_out(i):
        with translation.override("en"):
            return lending_services.loan_check_out(
                digibank=digibank_a, hub=hub, client=client, devices=[monitors[i]], actor=bob
            )

    results = race(check_out, racers=DESKS)

    assert sum(isinstance(r, Loan) for r in results) == 2
    refused = [r for r in results if not isinstance(r, Loan)]
    assert all(isinstance(r, ValidationError) and "past 9 weeks" in " ".join(r.messages) for r in refused), refused
    assert _lent_to(client) == (2, 2)


def test_twenty_requests_for_the_same_kind_at_once_put_the_client_on_the_list_once(
    one_client_many_monitors, digibank_a, bob
):
    from django.utils import translation

    from digibank.devices.waiting_list import services as waiting_list_services
    from digibank.devices.waiting_list.models import DeviceRequest

    hub, _, client = one_client_many_monitors

    def ask():
        with translation.override("en"):
            return waiting_list_services.request_create(
                digibank=digibank_a, client=client, hub=hub, kind="tablet", actor=bob
            )

    results = race(ask, racers=DESKS)

    assert DeviceRequest.objects.filter(client=client).count() == 1
    assert sum(isinstance(r, DeviceRequest) for r in results) == 1
    refused = [r for r in results if not isinstance(r, DeviceRequest)]
    assert all(isinstance(r, ValidationError) and "already waiting" in " ".join(r.messages) for r in refused), refused


def test_twenty_bookings_of_one_partner_at_once_keep_its_loans_per_year(digibank_a, bob):
    import datetime as dt

    from django.utils import translation

    from digibank.devices.lending import services as lending_services
    from digibank.devices.lending.models import Loan
    from digibank.devices.tests.factories import DeviceFactory
    from digibank.network.tests.factories import HubFactory, PartnerFactory

    hub = HubFactory(digibank=digibank_a)
    partner = PartnerFactory(digibank=digibank_a)
    laptops = [DeviceFactory(digibank=digibank_a, hub=hub, ready=True) for _ in range(DESKS)]
    set_rules(digibank_a, lends_to_partners=True, partner_max_loans_per_year=2)
    starts_on = dt.date.today() + dt.timedelta(days=14)

    def book(i):
        with translation.override("en"):
            return lending_services.partner_booking(
                digibank=digibank_a, hub=hub, partner=partner, devices=[laptops[i]], starts_on=starts_on, actor=bob
            )

    results = race(book, racers=DESKS)

    assert Loan.objects.filter(partner=partner).count() == 2
    assert sum(isinstance(r, Loan) for r in results) == 2
    refused = [r for r in results if not isinstance(r, Loan)]
    assert all(isinstance(r, ValidationError) and "limit of 2 loans a year" in " ".join(r.messages) for r in refused)


def test_every_path_on_one_client_at_once_waits_its_turn_without_a_deadlock(one_client_many_monitors, digibank_a, bob):
    """Lending, extending, taking up an offer and declining it, for one client at the same second:
    each path locks the client first, then the loan, then the devices, so none is aborted by the
    database (a deadlock would be a DatabaseError, not a message)."""
    from django.utils import translation

    from digibank.devices.lending import services as lending_services
    from digibank.devices.lending.models import LoanItem
    from digibank.devices.register.lifecycle import State
    from digibank.devices.tests.factories import DeviceFactory
    from digibank.devices.waiting_list import services as waiting_list_services

    hub, monitors, client = one_client_many_monitors
    set_rules(digibank_a, max_devices_per_client=DESKS, extensions_allowed=1)
    first = lending_services.loan_check_out(
        digibank=digibank_a, hub=hub, client=client, devices=[monitors[0]], actor=bob
    )
    waiting_list_services.request_create(digibank=digibank_a, client=client, hub=hub, kind="tablet", actor=bob)
    tablet = DeviceFactory(digibank=digibank_a, hub=hub, kind="tablet", ready=True)
    offer = waiting_list_services.offer_next(device=tablet, actor=bob)
    assert offer is not None

    def one_path(i):
        with translation.override("en"):
            match i % 4:
                case 0:
                    return lending_services.loan_check_out(
                        digibank=digibank_a, hub=hub, client=client, devices=[monitors[i + 1]], actor=bob
                    )
                case 1:
                    return lending_services.loan_extend(loan=first, actor=bob)
                case 2:
                    return waiting_list_services.offer_decline(offer=offer, actor=bob)
                case _:
                    return lending_services.loan_check_out(
                        digibank=digibank_a, hub=hub, client=client, devices=[tablet], actor=bob
                    )

    results = race(one_path, racers=DESKS)

    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected
    assert LoanItem.objects.filter(device=tablet, open=True).count() <= 1
    for item in LoanItem.objects.filter(open=True).select_related("loan", "device"):
        assert item.device.state == (State.RESERVED if item.loan.status == "reserved" else State.ON_LOAN), item
    assert LoanItem.objects.filter(loan__client=client, open=True, device__kind="monitor").count() == 6


# --- the client registry: one person, one client ------------------------------------------------

REGISTRATIONS = 50
# The live server's listen queue (10) would refuse some of 50 connections opened at once.
ThreadedWSGIServer.request_queue_size = REGISTRATIONS
SAME_PERSON = {
    "first_name": "Sébastien",
    "last_name": "Van den Broeck",
    "postal_code": "9000",
    "phone": "0470 12 34 56",
}
DUTCH_DUPLICATE = "Deze persoon is misschien al ingeschreven"


def test_twenty_desks_registering_the_same_person_at_once_make_one_client(digibank_a, bob):
    import datetime as dt

    from digibank.clients import services as client_services
    from digibank.clients.models import Client

    results = race(
        lambda: client_services.client_register(
            digibank=digibank_a, actor=bob, birth_date=dt.date(1961, 3, 5), **SAME_PERSON
        ),
        racers=DESKS,
    )
    registered = Client.objects.get()
    assert [r for r in results if isinstance(r, Client)] == [registered]
    refused = [r for r in results if not isinstance(r, Client)]
    assert all(isinstance(r, client_services.PossibleDuplicates) for r in refused), refused
    assert len(refused) == DESKS - 1 and all(r.duplicates == [registered] for r in refused)


def _send(request) -> tuple[int, bytes]:
    """The status and body of an HTTP request; a redirect is answered, not followed."""
    import urllib.error
    import urllib.request

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirects).open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_registrations_of_the_same_person_over_the_api_at_once_make_one_client(digibank_a, bob, live_server):
    import json
    import urllib.request

    from rest_framework.authtoken.models import Token

    from digibank.clients.models import Client

    token = Token.objects.create(user=bob).key

    def register(**extra):
        body = json.dumps({**SAME_PERSON, "birth_date": "1961-03-05", **extra}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/clients/", data=body, method="POST", headers=headers
        )
        status, answer = _send(request)
        return status, json.loads(answer)

    results = race(register, racers=REGISTRATIONS)
    assert sorted(status for status, _ in results) == [201] + [400] * (REGISTRATIONS - 1), results
    registered = Client.objects.get()
    for status, answer in results:
        if status == 400:
            assert answer["non_field_errors"][0].startswith(DUTCH_DUPLICATE), answer
            assert [d["id"] for d in answer["possible_duplicates"]] == [registered.pk]
    # A namesake the desk confirms as another person is still registered.
    status, answer = register(confirm_new_person=True)
    assert status == 201 and Client.objects.count() == 2


def test_registrations_of_the_same_person_at_the_desk_at_once_make_one_client(client, digibank_a, bob, live_server):
    import urllib.request
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from digibank.clients.models import Client

    client.force_login(bob)
    csrf = get_random_string(32)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
    form = {
        **SAME_PERSON,
        "birth_date": "05-03-1961",
        "language": "nl",
        "found_via": "walk_in",
        "csrfmiddlewaretoken": csrf,
    }

    def register(**extra):
        request = urllib.request.Request(
            f"{live_server.url}{reverse('clients:register')}",
            data=urlencode({**form, **extra}).encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        status, page = _send(request)
        return status, page.decode()

    results = race(register, racers=REGISTRATIONS)
    assert sorted(status for status, _ in results) == [200] * (REGISTRATIONS - 1) + [302], [s for s, _ in results]
    registered = Client.objects.get()
    for status, page in results:
        if status == 200:  # the form again, with the person already registered
            assert DUTCH_DUPLICATE in page and registered.number in page
    status, _page = register(different_person="on")
    assert status == 302 and Client.objects.count() == 2
