"""The desk's screens for the waiting list and its offers; the lists cost the same number of queries
whatever their length."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.lending.models import Loan
from digibank.devices.register.lifecycle import Kind
from digibank.devices.tests.factories import DeviceFactory, same_queries
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import DeviceRequest, Offer, QueueMove
from digibank.guidance.referrals.models import Service
from digibank.guidance.tests.factories import ReferralFactory
from digibank.network.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


# The waiting list and offers ----------------------------------------------------------------------


def test_a_client_is_put_on_the_waiting_list_with_an_urgent_need(login, bob, digibank_a, hub, person):
    ocmw = PartnerFactory(digibank=digibank_a, name="OCMW Gent")
    web = login(bob)
    url = reverse("devices:requests")
    data = {"card": person.number, "hub": hub.pk, "kind": "laptop", "urgent": "on", "urgent_reason": "Sollicitaties"}
    response = web.post(url, data)
    assert response.status_code == 400 and "urgent_partner" in response.context["form"].errors
    assert not DeviceRequest.objects.exists()
    response = web.post(url, {**data, "urgent_partner": ocmw.pk})
    request = DeviceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("devices:request", kwargs={"pk": request.pk})
    assert (request.client, request.urgent, request.urgent_partner) == (person, True, ocmw)
    body = web.get(url).content.decode()
    assert "OCMW Gent" in body and "Sollicitaties" in body and "Wies Claeys" in body


def test_the_queue_is_shown_in_order_per_hub_and_type(login, bob, digibank_a, hub):
    first, second = (ClientFactory(digibank=digibank_a, last_name=n) for n in ("Eerst", "Tweede"))
    urgent = ClientFactory(digibank=digibank_a, last_name="Dringend")
    for client in (first, second):
        waiting_list_services.request_create(digibank=digibank_a, client=client, hub=hub, kind=Kind.LAPTOP, actor=bob)
    waiting_list_services.request_create(
        digibank=digibank_a,
        client=urgent,
        hub=hub,
        kind=Kind.LAPTOP,
        actor=bob,
        urgent_partner=PartnerFactory(digibank=digibank_a),
        urgent_reason="Dak boven het hoofd kwijt",
    )
    rows = login(bob).get(reverse("devices:requests")).context["object_list"]
    assert [(r.client.last_name, r.position) for r in rows] == [("Dringend", 1), ("Eerst", 2), ("Tweede", 3)]


def test_a_move_in_the_queue_needs_a_written_reason_which_is_kept(login, bob, digibank_a, hub):
    first, second = (ClientFactory(digibank=digibank_a) for _ in range(2))
    ahead = waiting_list_services.request_create(
        digibank=digibank_a, client=first, hub=hub, kind=Kind.LAPTOP, actor=bob
    )
    behind = waiting_list_services.request_create(
        digibank=digibank_a, client=second, hub=hub, kind=Kind.LAPTOP, actor=bob
    )
    queued_at = behind.queued_at
    web = login(bob)
    url = reverse("devices:request_move", kwargs={"pk": behind.pk})
    response = web.post(url, {"before": ahead.pk, "reason": " "})
    assert response.status_code == 400
    assert "Write down why" in " ".join(response.context["move_form"].errors["reason"])
    assert DeviceRequest.objects.get(pk=behind.pk).queued_at == queued_at and not QueueMove.objects.exists()
    response = web.post(url, {"before": ahead.pk, "reason": "Verkeerd ingeschreven op 3 maart"})
    assert response.status_code == 302
    assert [r.pk for r in waiting_list_services.queue_of(ahead)] == [behind.pk, ahead.pk]
    body = web.get(reverse("devices:request", kwargs={"pk": behind.pk})).content.decode()
    assert "Verkeerd ingeschreven op 3 maart" in body and "1 of 2" in body


def test_a_request_is_withdrawn(login, bob, digibank_a, hub, person):
    request = waiting_list_services.request_create(
        digibank=digibank_a, client=person, hub=hub, kind=Kind.LAPTOP, actor=bob
    )
    assert login(bob).post(reverse("devices:request_withdraw", kwargs={"pk": request.pk})).status_code == 302
    assert DeviceRequest.objects.get().status == DeviceRequest.Status.WITHDRAWN


def test_offers_page_lends_the_reserved_device_or_passes_it_on(login, bob, digibank_a, hub, person):
    second = ClientFactory(digibank=digibank_a, last_name="Volgende")
    for client in (person, second):
        waiting_list_services.request_create(digibank=digibank_a, client=client, hub=hub, kind=Kind.LAPTOP, actor=bob)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    offer = waiting_list_services.offer_next(device=laptop, actor=bob)
    assert offer.request.client == person
    web = login(bob)
    response = web.get(reverse("devices:offers"))
    assert [o.pk for o in response.context["object_list"]] == [offer.pk]
    body = response.content.decode()
    assert "Wies Claeys" in body and laptop.asset_tag in body
    lend_url = response.context["object_list"][0].lend_url
    assert person.number in lend_url and laptop.asset_tag in lend_url

    # "Lend now": the desk opens with the client and the reserved device filled in.
    response = web.get(lend_url)
    assert response.context["lend_form"]["tags"].value() == laptop.asset_tag
    response = web.post(reverse("devices:desk"), {"card": person.number, "tags": laptop.asset_tag, "action": "lend"})
    assert response.status_code == 302, response.context["lend_form"].errors
    offer.refresh_from_db()
    assert offer.status == Offer.Status.TAKEN and offer.loan.status == Loan.Status.ON_LOAN
    assert DeviceRequest.objects.get(client=person).status == DeviceRequest.Status.FULFILLED


def test_a_declined_offer_passes_to_the_next_person(
    login, bob, digibank_a, hub, person, django_capture_on_commit_callbacks
):
    second = ClientFactory(digibank=digibank_a, last_name="Volgende")
    for client in (person, second):
        waiting_list_services.request_create(digibank=digibank_a, client=client, hub=hub, kind=Kind.LAPTOP, actor=bob)
    offer = waiting_list_services.offer_next(device=DeviceFactory(digibank=digibank_a, hub=hub, ready=True), actor=bob)
    web = login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("devices:offer_decline", kwargs={"pk": offer.pk}))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert Offer.objects.get(status=Offer.Status.OPEN).request.client == second
    assert DeviceRequest.objects.get(client=person).status == DeviceRequest.Status.WAITING
    response = web.post(reverse("devices:offer_decline", kwargs={"pk": offer.pk}), follow=True)
    assert "no longer open" in response.content.decode()


# Query counts -------------------------------------------------------------------------------------


def test_request_list_queries_do_not_grow_with_rows(login, bob, digibank_a, hub):
    partner = PartnerFactory(digibank=digibank_a)
    clients = []

    def make():
        clients.append(ClientFactory(digibank=digibank_a))
        waiting_list_services.request_create(
            digibank=digibank_a,
            client=clients[-1],
            hub=hub,
            kind=Kind.LAPTOP,
            actor=bob,
            urgent_partner=partner,
            urgent_reason="Werk zoeken",
        )
        if len(clients) in (1, 5):  # referred for a device by a partner: the list marks it
            ReferralFactory(to_hub=hub, client=clients[-1], service=Service.DEVICE, from_partner=partner)

    response = same_queries(login(bob), reverse("devices:requests"), make)
    rows = response.context["object_list"]
    assert [r.position for r in rows] == list(range(1, 10))
    assert [r.referred_by for r in rows].count(partner) == 2


def test_offer_list_queries_do_not_grow_with_rows(login, bob, digibank_a, hub):
    def make():
        waiting_list_services.request_create(
            digibank=digibank_a, client=ClientFactory(digibank=digibank_a), hub=hub, kind=Kind.LAPTOP, actor=bob
        )
        waiting_list_services.offer_next(device=DeviceFactory(digibank=digibank_a, hub=hub, ready=True), actor=bob)

    response = same_queries(login(bob), reverse("devices:offers"), make)
    assert len(response.context["object_list"]) == 9


def test_the_filter_and_the_form_on_the_list_have_ids_of_their_own(login, bob):
    """Both hold a hub and a type of device: with the same ids, the form's labels named the filter's fields."""
    page = login(bob).get(reverse("devices:requests")).content.decode()
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [name for name, n in ids.items() if n > 1] == []
    assert 'for="filter_hub"' in page and 'id="filter_hub"' in page
