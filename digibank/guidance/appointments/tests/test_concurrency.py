"""Fifty people book the same time at the same second, over HTTP against a live server on PostgreSQL:
exactly one appointment, the 49 others a clear message (a 4xx), no 5xx.

Real concurrency needs a server database with row locks and parallel connections, so this runs on
PostgreSQL only (deselected on SQLite, see conftest.py). The public booking is limited per address: the
test raises the limit (settings.PUBLIC_BOOKING_RATE) rather than fake addresses, as the project trusts
no X-Forwarded-For header."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection

from digibank.guidance.appointments.models import Appointment
from digibank.guidance.tests.factories import SlotFactory, at, open_every_day, tomorrow
from digibank.network.tests.factories import HubFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("concurrency")]

PEOPLE = 50
# The live server's listen queue (10) would refuse some of 50 connections opened at once.
ThreadedWSGIServer.request_queue_size = PEOPLE


def race(work, racers: int) -> list[object]:
    """work(i) in `racers` threads released at once; what each returned or raised."""
    barrier = threading.Barrier(racers)
    results: list[object] = [None] * racers

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the outcome is what we test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fifty_public_bookings_of_one_slot_at_once_make_one_appointment(digibank_a, live_server, settings):
    settings.PUBLIC_BOOKING_RATE = "1000/h"  # fifty posts from one test address
    hub = HubFactory(digibank=digibank_a)
    open_every_day(hub, 9, 17)
    slot = SlotFactory(hub=hub, starts_at=at(tomorrow(), 10))

    def book(i):
        body = json.dumps({"slot": slot.pk, "name": f"Persoon {i}", "phone": f"+3247011{i:04d}"}).encode()
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/public/appointments/",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    results = race(book, PEOPLE)
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = [status for status, _answer in results]  # type: ignore[misc]
    assert statuses.count(201) == 1, statuses
    assert Appointment.objects.filter(slot=slot).count() == 1
    refused = [answer for status, answer in results if status != 201]  # type: ignore[misc]
    assert all(status == 400 for status in statuses if status != 201), statuses
    assert all(
        answer == {"slot": ["Iemand anders heeft dit tijdstip net geboekt. Kies een ander tijdstip."]}
        for answer in refused
    ), refused
