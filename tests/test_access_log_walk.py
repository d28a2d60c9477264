"""One test for every staff URL and API endpoint: a page that shows a client's name or contact data
leaves its line in the access log (who, which client or that it was a list or search, what kind of read).

The routes are read from the URLconf as the tenancy walk reads them, with its objects as URL arguments,
so a new page is walked without editing this file. Each GET is sent as it is and with the parameters the
search boxes take (a name or a client number in `q`, the card number in `card`, a client number in
`client`), by the coordinator, who may open every screen of the digibank. The people have names, phone
numbers and e-mail addresses found nowhere else: a response that shows one of them (in its HTML, its
JSON or the text of its PDF) must have written, during that request and by that user, a read of that
person when the URL names an object, and for a list or a search a read or search naming that person or
nobody (a search is logged without what was searched for)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import AccessLog, Client
from digibank.clients.tests.factories import ClientFactory
from digibank.clients.tests.pdf import pdf_text
from digibank.clients.validation import display_phone

from .test_tenancy_walk import ROUTES, Route, scoped_objects

# The client every object of the walk is about: a borrower, on the waiting list, with an incident.
PERSON = {
    "first_name": "Quirijntje",
    "last_name": "Zwartvoet-Ysselmonde",
    "phone": "+32470918273",
    "email": "quirijntje.7731@voorbeeld.be",
}
# A second client, inactive for long, so the retention list has someone to show.
DUE = {
    "first_name": "Oudewaterke",
    "last_name": "Vlierbeek-Tielrode",
    "phone": "+32471827364",
    "email": "oudewaterke.4410@voorbeeld.be",
}
# The pages and endpoints that must be among those that showed a person: the walk reached them.
MUST_SHOW = {
    "clients:search",
    "clients:client",
    "clients:timeline",
    "clients:client_update",
    "clients:retention",
    "devices:desk",
    "devices:loan",
    "devices:loan_agreement",
    "devices:loans",
    "devices:device",
    "client-list",
    "client-detail",
    "loan-detail",
    "loan-agreement",
    "offer-list",
    "guidance:contact_new",
    "guidance:contacts",
    "guidance:contact",
    "guidance:follow_ups",
    "guidance:agenda",
    "appointment-list",
    "appointment-detail",
}
MIN_SHOWN = 25


def markers(person: Client) -> list[str]:
    return [person.first_name, person.last_name, person.email, person.phone, display_phone(person.phone)]


def searches(person: Client) -> list[dict[str, str]]:
    return [{}, {"q": person.last_name}, {"q": person.number}, {"card": person.number}, {"client": person.number}]


def shown_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(body)
    return body.decode(errors="replace")


def missing_lines(route: Route, shown: list[Client], lines: list[AccessLog], user, digibank) -> list[Client]:
    """The people shown whose read the request did not log."""
    mine = [line for line in lines if line.actor_id == user.pk and line.digibank_id == digibank.pk]
    missing = []
    for person in shown:
        if route.kwargs:  # a page about one object: a read of the person it shows
            ok = any(line.client_id == person.pk and line.action == AccessLog.Action.READ for line in mine)
        else:  # a list, a search, the desk with a card: naming the person or nobody
            ok = any(
                line.client_id in (person.pk, None) and line.action in (AccessLog.Action.READ, AccessLog.Action.SEARCH)
                for line in mine
            )
        if not ok:
            missing.append(person)
    return missing


@pytest.fixture
def people(digibank_a, alice):
    objects = scoped_objects(digibank_a, alice, **PERSON)
    due = ClientFactory(digibank=digibank_a, registered_by=alice, postal_code="9000", **DUE)
    Client.objects.filter(pk=due.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=31 * 30))
    return objects, [objects[Client], due]


def test_every_page_that_shows_a_client_logs_the_read(people, login, api_as, alice, digibank_a):
    objects, persons = people
    web, api = login(alice), api_as(alice, digibank_a)
    shown_by: set[str] = set()
    failures: list[str] = []
    for route in (r for r in ROUTES if "GET" in r.methods):
        kwargs = {"pk": objects[route.model].pk} if route.kwargs else {}
        url = reverse(route.name, kwargs=kwargs)
        for params in searches(persons[0]):
            before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = (api if route.is_api else web).get(url, params)
            text = shown_text(response)
            # What was typed in a search box comes back in the page (in the box, in links): not a read.
            shown = [p for p in persons if any(m in text for m in markers(p) if m not in params.values())]
            if not shown:
                continue
            shown_by.add(route.name)
            lines = list(AccessLog.objects.filter(pk__gt=before))
            for person in missing_lines(route, shown, lines, alice, digibank_a):
                failures.append(
                    f"GET {url} {params or ''} ({response.status_code}) shows {person.last_name} and logged "
                    f"{[(line.action, line.client_id, line.what) for line in lines] or 'nothing'}"
                )
    assert not failures, "\n".join(failures)
    # The walk reached the client pages: it cannot pass because nothing showed a person.
    assert MUST_SHOW <= shown_by, f"these showed no client: {sorted(MUST_SHOW - shown_by)}"
    assert len(shown_by) >= MIN_SHOWN, sorted(shown_by)
