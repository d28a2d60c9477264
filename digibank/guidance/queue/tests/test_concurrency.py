"""Twenty desks at the same second, over HTTP on PostgreSQL: every take gets its own number, and every
waiting number is called once; the desks that find nobody left hear so, none gets a 5xx."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from digibank.guidance.queue.models import QueueTicket, Status
from digibank.guidance.tests.factories import QueueTicketFactory
from digibank.network.tests.factories import HubFactory
from tests.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("concurrency")]

DESKS = 20
URL = "/api/v1/queue-tickets/"


@pytest.fixture
def post(live_server, digibank_a, bob):
    """post(path, body) as bob's desk over a real connection: (status, answer)."""
    token = Token.objects.get_or_create(user=bob)[0].key

    def _post(path: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{live_server.url}{URL}{path}",
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Token {token}",
                "X-Digibank": str(digibank_a.pk),
                "Cookie": "django_language=en",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    return _post


def test_twenty_numbers_taken_at_once_are_one_to_twenty(post, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    results = race(lambda: post("", {"hub": hub.pk}), racers=DESKS)
    assert [status for status, _ in results] == [201] * DESKS, results
    assert sorted(answer["number"] for _, answer in results) == list(range(1, DESKS + 1))
    assert sorted(QueueTicket.objects.filter(hub=hub).values_list("number", flat=True)) == list(range(1, DESKS + 1))


def test_twenty_desks_calling_five_waiting_at_once_call_each_once(post, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    for number in range(1, 6):
        QueueTicketFactory(hub=hub, number=number)
    results = race(lambda i: post("call-next/", {"hub": hub.pk, "desk": f"Balie {i}"}), racers=DESKS)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 5 + [400] * (DESKS - 5), results
    called = sorted(answer["number"] for status, answer in results if status == 200)
    assert called == [1, 2, 3, 4, 5]
    for status, answer in results:
        if status == 400:
            assert answer == {"non_field_errors": ["Nobody is waiting."]}, answer
    desks = {answer["number"]: answer["desk"] for status, answer in results if status == 200}
    for ticket in QueueTicket.objects.filter(hub=hub):
        assert ticket.status == Status.CALLED and ticket.desk == desks[ticket.number]
        assert ticket.history.count() == 2  # taken, called: each once
