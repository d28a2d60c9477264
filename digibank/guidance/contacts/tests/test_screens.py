"""The screens of help contacts: logging one in four fields by keyboard and scanner, bad input next to
the field with nothing saved, the list paged with fixed queries, a contact's page, cancelling, the
follow-ups and the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import AccessLog, ClientEvent
from digibank.clients.tests.factories import ClientFactory
from digibank.guidance.contacts.models import FollowUp, HelpContact, Status
from digibank.guidance.e_services.models import EService
from digibank.guidance.tests.factories import help_contact
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

NEW = reverse("guidance:contact_new")


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook")


@pytest.fixture
def wies(digibank_a, alice):
    return ClientFactory(digibank=digibank_a, registered_by=alice, first_name="Wies", last_name="Claeys")


def service_ids(*names):
    return [EService.objects.get(digibank__isnull=True, name=name).pk for name in names]


def test_the_common_case_is_four_fields_and_enter(login, bob, hub, wies):
    """Card scanned, two e-services, outcome, minutes: hub, helper and time default (one hub only)."""
    web = login(bob)
    page = web.get(NEW).content.decode()
    assert 'name="card"' in page and "autofocus" in page
    assert "Schrijf geen gevoelige gegevens op." in page  # the note's warning
    data = {"card": wies.number.lower().replace("-", ""), "outcome": "solved", "duration_minutes": "12"}
    data["e_services"] = service_ids("itsme", "Mijn Burgerprofiel")
    response = web.post(NEW, data)
    assert response.status_code == 302 and response["Location"] == f"{NEW}?hub={hub.pk}"
    contact = HelpContact.objects.get()
    assert contact.client == wies and contact.hub == hub and contact.helper == bob and contact.channel == "walk_in"
    assert contact.e_services.count() == 2 and contact.duration_minutes == 12
    assert abs(contact.started_at - timezone.now()) < dt.timedelta(minutes=1)
    assert ClientEvent.objects.filter(client=wies, kind="help_contact").exists()
    # The next contact: the hub is known (the last one), and the page says the contact was logged.
    follow = web.get(response["Location"])
    assert "Hulpcontact geregistreerd." in follow.content.decode()
    assert follow.context["form"].initial["hub"] == hub.pk


def test_an_anonymous_visitor_is_logged_with_an_age_band_and_a_postal_code(login, bob, hub):
    data = {"outcome": "partly", "duration_minutes": "5", "age_band": "65-79", "postal_code": "9000"}
    assert login(bob).post(NEW, data).status_code == 302
    contact = HelpContact.objects.get()
    assert contact.client is None and contact.age_band == "65-79" and contact.municipality_id == "44021"


def test_with_several_hubs_the_hub_is_asked_until_it_is_known(login, bob, hub, digibank_a):
    other = HubFactory(digibank=digibank_a, name="Digipunt Melle")
    web = login(bob)
    response = web.get(NEW)
    assert "hub" not in response.context["form"].initial and response.context["open_more"]
    assert web.get(NEW, {"hub": other.pk}).context["form"].initial["hub"] == other.pk
    refused = web.post(NEW, {"outcome": "solved", "duration_minutes": "5", "age_band": "0-24"})
    assert refused.status_code == 400 and "hub" in refused.context["form"].errors


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("duration_minutes", {"duration_minutes": "-5"}, "Een hulpcontact duurt minstens 1 minuut."),
        ("duration_minutes", {"duration_minutes": "1440"}, "Een hulpcontact duurt hoogstens 480 minuten (8 uur)."),
        ("follow_up_on", {"outcome": "follow_up"}, "Geef de datum van de opvolging."),
        (
            "age_band",
            {"card": ""},
            "Scan de kaart van de cliënt, of geef de leeftijd van een anonieme bezoeker.",
        ),
        ("card", {"card": "K7QM-4XRB"}, None),
        (
            "note",
            {"note": "Rijksregisternummer 85.07.30-033.28"},
            "Deze notitie lijkt een rijksregisternummer te bevatten. Schrijf dat niet op: "
            "het cliëntdossier zegt al wie de persoon is.",
        ),
        ("started_time", {"started_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}, None),
    ],
)
def test_bad_input_is_refused_next_to_the_field_in_dutch_and_nothing_saved(login, bob, hub, wies, field, data, message):
    base = {"card": wies.number, "outcome": "solved", "duration_minutes": "10", "hub": hub.pk}
    response = login(bob).post(NEW, {**base, **data})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    if message:
        assert message in errors[field]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not HelpContact.objects.exists() and not FollowUp.objects.exists()
    assert not ClientEvent.objects.filter(kind="help_contact").exists()


def test_a_follow_up_is_made_and_marked_done_on_its_screen(login, bob, hub, wies):
    web = login(bob)
    due = timezone.localdate() + dt.timedelta(days=2)
    data = {"card": wies.number, "outcome": "follow_up", "duration_minutes": "20", "follow_up_on": due.isoformat()}
    assert web.post(NEW, data).status_code == 302
    follow_up = FollowUp.objects.get()
    page = web.get(reverse("guidance:follow_ups"))
    assert "Wies Claeys" in page.content.decode() and list(page.context["object_list"]) == [follow_up]
    done = web.post(reverse("guidance:follow_up_done", kwargs={"pk": follow_up.pk}))
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_by == bob
    assert not web.get(reverse("guidance:follow_ups")).context["object_list"]


def test_the_list_is_paged_filtered_and_its_queries_do_not_grow(login, alice, bob, hub, wies, settings, digibank_a):
    web = login(alice)
    help_contact(hub=hub, actor=bob, client=wies, e_services=[EService.objects.filter(digibank=None).first()])
    with CaptureQueriesContext(connection) as few:
        assert web.get(reverse("guidance:contacts")).status_code == 200
    itsme = EService.objects.get(digibank=None, name="itsme")
    for n in range(30):
        client = ClientFactory(digibank=digibank_a, registered_by=alice) if n % 2 else None
        help_contact(
            hub=hub,
            actor=bob,
            client=client,
            e_services=[itsme],
            outcome="follow_up" if n % 3 == 0 else "solved",
            follow_up_on=timezone.localdate() if n % 3 == 0 else None,
        )
    with CaptureQueriesContext(connection) as many:
        response = web.get(reverse("guidance:contacts"))
    assert len(many) == len(few) <= 14, [q["sql"] for q in many]
    assert response.context["is_paginated"] and len(response.context["object_list"]) == settings.PAGE_SIZE
    other = HubFactory(digibank=digibank_a)
    help_contact(hub=other, actor=bob)
    only = web.get(reverse("guidance:contacts"), {"hub": other.pk, "day": timezone.localdate().isoformat()})
    assert [c.hub for c in only.context["object_list"]] == [other]
    assert web.get(reverse("guidance:contacts"), {"day": "2020-01-01"}).context["object_list"].count() == 0
    assert AccessLog.objects.filter(actor=alice, what="help contacts", client=None).exists()


def test_a_contacts_page_logs_the_read_and_cancels_it(login, alice, bob, hub, wies):
    contact = help_contact(hub=hub, actor=bob, client=wies, note="Formulier Groeipakket samen ingevuld")
    web = login(alice)
    page = web.get(reverse("guidance:contact", kwargs={"pk": contact.pk}))
    text = page.content.decode()
    assert "Wies Claeys" in text and "Formulier Groeipakket" in text
    assert AccessLog.objects.filter(actor=alice, client=wies, action="read", what="help contact").exists()
    assert web.post(reverse("guidance:contact_cancel", kwargs={"pk": contact.pk})).status_code == 302
    contact.refresh_from_db()
    assert contact.status == Status.CANCELLED
    again = web.get(reverse("guidance:contact", kwargs={"pk": contact.pk})).content.decode()
    assert "telt niet mee" in again and "annuleren (per vergissing" not in again


def test_the_card_in_the_address_shows_who_and_logs_it(login, bob, hub, wies):
    page = login(bob).get(NEW, {"card": wies.number})
    assert "Wies Claeys" in page.content.decode()
    assert AccessLog.objects.filter(actor=bob, client=wies, what="log a help contact").exists()


def test_a_technician_may_not_log_contacts_and_another_digibank_sees_nothing(login, tom, carol, bob, hub, wies):
    assert login(tom).get(NEW).status_code == 403
    contact = help_contact(hub=hub, actor=bob, client=wies)
    assert login(carol).get(reverse("guidance:contact", kwargs={"pk": contact.pk})).status_code == 404
    assert "Claeys" not in login(carol).get(reverse("guidance:contacts")).content.decode()


def test_the_scanners_enter_shows_the_client_without_errors_and_saves_nothing(login, bob, hub, wies):
    """A scanner presses Enter after the number: the page names the client and asks nothing yet."""
    web = login(bob)
    response = web.post(f"{NEW}?hub={hub.pk}", {"card": wies.number, "hub": hub.pk, "channel": "walk_in"})
    page = response.content.decode()
    assert response.status_code == 200 and "Wies Claeys" in page
    assert "errorlist" not in page and 'aria-invalid="true"' not in page
    assert not HelpContact.objects.exists()
    unknown = web.post(NEW, {"card": "ZZZZ-ZZZZ"})
    assert unknown.status_code == 400 and 'aria-invalid="true"' in unknown.content.decode()
    assert list(unknown.context["form"].errors) == ["card"]
    # Something else filled in is a contact: what is missing is said.
    half = web.post(NEW, {"card": wies.number, "duration_minutes": "10"})
    assert half.status_code == 400 and "outcome" in half.context["form"].errors
