"""One lookup of a client by the number on their card, for the desk and the API alike: any case,
with or without the dash, within the digibank, active clients only."""

from __future__ import annotations

import pytest

from digibank.clients import selectors
from digibank.clients.models import Client, Consent, PrivacyNotice
from digibank.clients.tests.factories import ClientFactory
from digibank.core.tenancy import Tenancy

pytestmark = pytest.mark.django_db


def desk(digibank) -> Tenancy:
    return Tenancy(user_id=1, digibank_id=digibank.pk, roles=("desk",))


def test_a_number_is_found_as_typed_or_scanned(digibank_a, alice):
    person = ClientFactory(digibank=digibank_a, registered_by=alice)
    for typed in (person.number, person.number.lower(), person.number.replace("-", "").lower(), f" {person.number} "):
        assert selectors.client_by_number(desk(digibank_a), typed) == person


def test_another_digibanks_client_and_nonsense_are_nobody(digibank_a, digibank_b, alice, carol):
    theirs = ClientFactory(digibank=digibank_b, registered_by=carol)
    assert selectors.client_by_number(desk(digibank_a), theirs.number) is None
    assert selectors.client_by_number(desk(digibank_b), theirs.number) == theirs
    for nonsense in ("", "K7QM", "Jan Peeters", "\x00"):
        assert selectors.client_by_number(desk(digibank_a), nonsense) is None


def test_an_anonymised_record_is_nobody_to_serve(digibank_a, alice):
    person = ClientFactory(digibank=digibank_a, registered_by=alice)
    Client.objects.filter(pk=person.pk).update(status=Client.Status.ANONYMISED)
    assert selectors.client_by_number(desk(digibank_a), person.number) is None


def test_the_desk_and_the_api_find_the_same_clients(digibank_a, alice, bob, login, api_as, settings):
    from django.urls import reverse

    settings.LANGUAGE_CODE = "en"
    person = ClientFactory(digibank=digibank_a, registered_by=alice, postal_code="9000")
    gone = ClientFactory(digibank=digibank_a, registered_by=alice)
    Client.objects.filter(pk=gone.pk).update(status=Client.Status.ANONYMISED)

    web, api = login(bob), api_as(bob)
    assert web.get(reverse("devices:desk"), {"card": person.number}).status_code == 200
    assert api.get("/api/v1/loans/", {"client": person.number}).status_code == 200
    # The anonymised record: not found at the desk, not found by the API.
    desk_page = web.get(reverse("devices:desk"), {"card": gone.number})
    assert desk_page.status_code == 400 and "No client of your digibank has this number." in desk_page.content.decode()
    listed = api.get("/api/v1/loans/", {"client": gone.number})
    assert listed.status_code == 400 and listed.json()["client"] == ["No client of your digibank has this number."]


def test_the_traits_and_the_notices_a_page_reads(digibank_a, digibank_b, alice, carol):
    from digibank.clients import services

    person = ClientFactory(digibank=digibank_a, registered_by=alice)
    assert selectors.client_traits(person) is None
    services.consent_give(client=person, scope=Consent.Scope.TRAITS, actor=alice)
    services.traits_set(client=person, actor=alice, lives_alone=True)
    assert selectors.client_traits(person).lives_alone is True

    ours = services.privacy_notice_publish(digibank=digibank_a, text="Privacy Gent", actor=alice)
    services.privacy_notice_publish(digibank=digibank_b, text="Privacy Kempen", actor=carol)
    notices = list(selectors.privacy_notices(desk(digibank_a)))
    assert ours in notices and all(isinstance(n, PrivacyNotice) and n.digibank_id == digibank_a.pk for n in notices)
