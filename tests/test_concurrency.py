"""Two desks at the same second: the database keeps the invariant and the loser gets a clear message.

Real concurrency needs a server database with row locks and parallel connections, so these tests run
on PostgreSQL (the CI's second step); on SQLite they are deselected (see conftest.py)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from digibank.core.roles import Role
from digibank.network import services
from digibank.network.models import Membership, Partner
from digibank.network.tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
RACERS = 12


def race(work):
    """Run work() in RACERS threads released at once; return what each returned or raised."""
    barrier = threading.Barrier(RACERS)
    results: list[object] = [None] * RACERS

    def run(i):
        try:
            barrier.wait()
            results[i] = work()
        except Exception as error:  # noqa: BLE001 - the outcome is what we test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


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
