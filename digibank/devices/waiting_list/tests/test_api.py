"""The device bank's REST API for the waiting list: requests, queue moves and offers; with the personas
of conftest: alice (coordinator), bob (desk) and tom (technician) in digibank A, carol (coordinator) in
B, dave at the Department."""

from __future__ import annotations

import pytest

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.register.lifecycle import Kind
from digibank.devices.tests.factories import API, DeviceFactory
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import DeviceRequest, Offer, QueueMove
from digibank.guidance.referrals.models import Service
from digibank.guidance.tests.factories import ReferralFactory
from digibank.network.tests.factories import PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# The waiting list ---------------------------------------------------------------------------------


def ask(api, client, hub, kind="laptop", **extra):
    return api.post(f"{API}/device-requests/", {"client": client.number, "hub": hub.pk, "kind": kind, **extra})


def test_waiting_list_urgent_first_then_first_come(api_as, bob, krook, digibank_a):
    api = api_as(bob)
    first, second, third = ClientFactory.create_batch(3, digibank=digibank_a)
    partner = PartnerFactory(digibank=digibank_a)
    assert ask(api, first, krook).status_code == 201
    assert ask(api, second, krook).status_code == 201
    urgent = ask(api, third, krook, urgent_partner=partner.pk, urgent_reason="Sollicitaties")
    assert urgent.status_code == 201, urgent.json()

    line = api.get(f"{API}/device-requests/", {"hub": krook.pk, "kind": "laptop"}).json()["results"]

    assert [r["client_number"] for r in line] == [third.number, first.number, second.number]
    assert line[0]["urgent"] is True


def test_urgent_request_without_reason_or_for_an_unknown_client_is_400(api_as, bob, krook, digibank_a, sebastien):
    api = api_as(bob)
    partner = PartnerFactory(digibank=digibank_a)
    response = ask(api, sebastien, krook, urgent_partner=partner.pk)
    assert response.status_code == 400 and "urgent_reason" in response.json()
    response = api.post(f"{API}/device-requests/", {"client": "nobody", "hub": krook.pk, "kind": "laptop"})
    assert response.status_code == 400 and "client" in response.json()
    assert ask(api, sebastien, krook, kind="charger").status_code == 400
    assert not DeviceRequest.objects.exists()


def test_staff_move_someone_only_with_a_reason(api_as, bob, krook, digibank_a):
    api = api_as(bob)
    first, second = ClientFactory.create_batch(2, digibank=digibank_a)
    a = ask(api, first, krook).json()["id"]
    b = ask(api, second, krook).json()["id"]
    refused = api.post(f"{API}/device-requests/{b}/move/", {"before": a, "reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    moved = api.post(f"{API}/device-requests/{b}/move/", {"before": a, "reason": "Dakloos"}, format="json")
    assert moved.status_code == 200, moved.json()
    line = api.get(f"{API}/device-requests/", {"hub": krook.pk}).json()["results"]
    assert [r["id"] for r in line] == [b, a]
    assert QueueMove.objects.get().reason == "Dakloos"


def test_withdrawn_request_leaves_the_queue(api_as, bob, krook, sebastien):
    api = api_as(bob)
    request = ask(api, sebastien, krook).json()["id"]
    response = api.post(f"{API}/device-requests/{request}/withdraw/")
    assert response.json()["status"] == "withdrawn"
    assert api.post(f"{API}/device-requests/{request}/withdraw/").status_code == 400


def test_offer_is_listed_first_and_declined(api_as, bob, tom, krook, sebastien, digibank_a):
    api = api_as(bob)
    request = ask(api, sebastien, krook, kind="tablet").json()["id"]
    tablet = DeviceFactory(digibank=digibank_a, hub=krook, kind=Kind.TABLET, ready=True)
    offer = waiting_list_services.offer_next(device=tablet, actor=tom)
    assert offer is not None

    listed = api.get(f"{API}/offers/").json()["results"]
    assert [(o["id"], o["status"], o["asset_tags"]) for o in listed] == [(offer.pk, "open", [tablet.asset_tag])]
    assert listed[0]["client_number"] == sebastien.number

    response = api.post(f"{API}/offers/{offer.pk}/decline/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "declined"
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DECLINED
    assert DeviceRequest.objects.get(pk=request).status == DeviceRequest.Status.WAITING
    assert api.post(f"{API}/offers/{offer.pk}/decline/").status_code == 400


# Queries ------------------------------------------------------------------------------------------


# Token and user, memberships, count, rows with their client, their partners' device referrals, the access
# log line.
REQUEST_LIST_QUERIES = 6


# Token and user, memberships, count, rows with request and client and loan, the loans' items, the log line.
OFFER_LIST_QUERIES = 6


def test_request_and_offer_lists_do_not_grow_with_rows(api_as, bob, tom, digibank_a, krook, django_assert_num_queries):
    api = api_as(bob)
    partner = PartnerFactory(digibank=digibank_a)

    def waiting(n):
        for client in ClientFactory.create_batch(n, digibank=digibank_a):
            waiting_list_services.request_create(
                digibank=digibank_a, client=client, hub=krook, kind=Kind.TABLET, actor=bob
            )
            ReferralFactory(to_hub=krook, client=client, service=Service.DEVICE, from_partner=partner)
            tablet = DeviceFactory(digibank=digibank_a, hub=krook, kind=Kind.TABLET, ready=True)
            waiting_list_services.offer_next(device=tablet, actor=tom)

    waiting(1)
    with django_assert_num_queries(REQUEST_LIST_QUERIES):
        api.get(f"{API}/device-requests/")
    with django_assert_num_queries(OFFER_LIST_QUERIES):
        api.get(f"{API}/offers/")
    waiting(4)
    with django_assert_num_queries(REQUEST_LIST_QUERIES):
        listed = api.get(f"{API}/device-requests/").json()
    assert listed["count"] == 5 and {r["referred_by_partner"] for r in listed["results"]} == {partner.pk}
    with django_assert_num_queries(OFFER_LIST_QUERIES):
        assert api.get(f"{API}/offers/").json()["count"] == 5
