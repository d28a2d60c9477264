"""The waiting list reads guidance's referrals: a client a partner referred for a device is proposed as
urgent (that partner, a reason naming the referral, never its own reason), the desk may untick it; the
list marks the referring partner. Wies (conftest's `person`) is a client of digibank A; bob works its desk."""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse

from digibank.devices.register.lifecycle import Kind
from digibank.devices.tests.factories import API
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import DeviceRequest
from digibank.guidance.referrals.models import Service
from digibank.guidance.tests.factories import ReferralFactory
from digibank.network.tests.factories import HubFactory, PartnerFactory

pytestmark = pytest.mark.django_db

PRIVATE_REASON = "Schulden, woont in bij zus"


@pytest.fixture
def ocmw(digibank_a):
    return PartnerFactory(digibank=digibank_a, name="OCMW Gent")


def refer(client, partner, hub, **traits):
    return ReferralFactory(
        to_hub=hub, client=client, service=Service.DEVICE, from_partner=partner, reason=PRIVATE_REASON, **traits
    )


def post(hub, person, **extra):
    return {"card": person.number, "hub": hub.pk, "kind": "laptop", **extra}


def test_a_referred_client_is_proposed_as_urgent_and_the_desk_confirms(login, bob, hub, person, ocmw):
    referral = refer(person, ocmw, hub, accepted=True)
    web = login(bob)
    url = reverse("devices:requests")

    # From the referral's page: the form opens with the client and the proposal filled in.
    page = web.get(url, {"card": person.number})
    form = page.context["form"]
    expected = f"Referred by OCMW Gent (referral {referral.code_display})"
    assert (form["card"].value(), form["urgent"].value(), form["urgent_partner"].value()) == (
        person.number,
        True,
        ocmw.pk,
    )
    assert form["urgent_reason"].value() == expected
    assert form["hub"].value() == hub.pk  # the hub the partner referred the client to
    assert PRIVATE_REASON not in page.content.decode()

    # The card scanned and sent at once: nothing is saved until the desk has seen the proposal.
    shown = web.post(url, post(hub, person))
    assert shown.status_code == 200 and not DeviceRequest.objects.exists()
    form = shown.context["form"]
    assert form["urgent"].value() is True and str(form["urgent_partner"].value()) == str(ocmw.pk)
    body = shown.content.decode()
    assert expected in body and PRIVATE_REASON not in body

    response = web.post(url, form.data)
    assert response.status_code == 302
    request = DeviceRequest.objects.get()
    assert (request.urgent, request.urgent_partner, request.urgent_reason) == (True, ocmw, expected)


def test_the_desk_may_untick_the_proposed_urgency(login, bob, hub, person, ocmw):
    referral = refer(person, ocmw, hub)
    response = login(bob).post(reverse("devices:requests"), post(hub, person, proposed=referral.code_display))
    assert response.status_code == 302
    request = DeviceRequest.objects.get()
    assert (request.urgent, request.urgent_partner, request.urgent_reason) == (False, None, "")


def test_a_declined_or_completed_referral_proposes_nothing(login, bob, hub, person, ocmw, digibank_a):
    refer(person, ocmw, hub, declined=True)
    refer(person, PartnerFactory(digibank=digibank_a), hub, completed=True)
    ReferralFactory(to_hub=hub, client=person, service=Service.TRAINING, from_partner=ocmw)  # not for a device
    web = login(bob)
    assert web.get(reverse("devices:requests"), {"card": person.number}).context["proposal"] is None
    response = web.post(reverse("devices:requests"), post(hub, person))
    assert response.status_code == 302
    assert DeviceRequest.objects.get().urgent is False


def test_another_digibanks_referral_never_shows(login, bob, hub, person, digibank_b):
    # A row of digibank B naming A's client (whatever went wrong there) is not A's to read.
    elsewhere = PartnerFactory(digibank=digibank_b, name="OCMW Turnhout")
    refer(person, elsewhere, HubFactory(digibank=digibank_b))
    web = login(bob)
    url = reverse("devices:requests")
    assert web.get(url, {"card": person.number}).context["proposal"] is None
    assert web.post(url, post(hub, person)).status_code == 302
    body = web.get(url).content.decode()
    assert "Wies Claeys" in body and "OCMW Turnhout" not in body


def test_the_list_marks_the_referring_partner(login, bob, hub, person, ocmw):
    refer(person, ocmw, hub, completed=True)  # the client was referred, even if that referral is done
    waiting_list_services.request_create(digibank=hub.digibank, client=person, hub=hub, kind=Kind.LAPTOP, actor=bob)
    response = login(bob).get(reverse("devices:requests"))
    assert [r.referred_by for r in response.context["object_list"]] == [ocmw]
    assert "referred by OCMW Gent" in response.content.decode()


def test_at_a_dutch_desk_the_proposal_reads_in_dutch(bob, hub, person, ocmw):
    referral = refer(person, ocmw, hub)
    desk = Browser()  # no language cookie, as at a hub's desk
    desk.force_login(bob)
    response = desk.post(reverse("devices:requests"), post(hub, person))
    assert response.context["form"]["urgent_reason"].value() == (
        f"Doorverwezen door OCMW Gent (verwijzing {referral.code_display})"
    )
    assert "de dringendheid wordt voorgesteld" in response.content.decode()


def test_the_referrals_page_leads_to_the_waiting_list(login, alice, hub, person, ocmw):
    referral = refer(person, ocmw, hub)
    body = login(alice).get(reverse("guidance:referral", kwargs={"pk": referral.pk})).content.decode()
    assert f"{reverse('devices:requests')}?card={person.number}" in body


@pytest.mark.usefixtures("english")
def test_the_api_proposes_the_urgency_unless_told_otherwise(api_as, bob, hub, person, ocmw, digibank_a):
    referral = refer(person, ocmw, hub, planned=True)
    api = api_as(bob)
    given = {"client": person.number, "hub": hub.pk, "kind": "laptop"}
    response = api.post(f"{API}/device-requests/", given)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["urgent"], body["urgent_partner"], body["referred_by_partner"]) == (True, ocmw.pk, ocmw.pk)
    assert body["urgent_reason"] == f"Referred by OCMW Gent (referral {referral.code_display})"
    api.post(f"{API}/device-requests/{body['id']}/withdraw/")

    response = api.post(f"{API}/device-requests/", {**given, "urgent_partner": None}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["urgent"], response.json()["referred_by_partner"]) == (False, ocmw.pk)
    listed = api.get(f"{API}/device-requests/", {"status": "waiting"}).json()["results"]
    assert [(r["client_number"], r["referred_by_partner"]) for r in listed] == [(person.number, ocmw.pk)]
