"""Referrals in the API: the referrer makes one and reads the status and the outcome only (a serializer of
its own: no notes, no reason, no other referral of the person), the receiving side takes the steps, the code
opens a referral, bad input is a 400 with field errors, and nothing of another digibank or organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from digibank.guidance.referrals.models import Referral, Status
from digibank.guidance.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/referrals/"
REFERRER_FIELDS = {
    "id",
    "shown_as",
    "code",
    "person",
    "service",
    "e_service",
    "to_hub",
    "status",
    "planned_on",
    "outcome",
    "decline_reason",
    "created_at",
}
NOTES = "Belt zelf terug, sleutel bij de buren"


def body(hub, **extra):
    return {
        "to_hub": hub.pk,
        "service": "device",
        "person_name": "Jan Peeters",
        "person_phone": "0470 12 34 56",
        "consent_how": "spoken",
        "reason": "Heeft een laptop nodig om te solliciteren.",
        **extra,
    }


def test_a_partner_worker_refers_and_reads_the_restricted_shape(api_as, olga, ocmw, zuid, digibank_a):
    response = api_as(olga, digibank_a).post(API, body(zuid), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) == REFERRER_FIELDS and data["shown_as"] == "referrer" and data["status"] == "sent"
    assert Referral.objects.get().from_partner == ocmw


def test_a_desk_refers_a_client_by_card_number(api_as, bob, zuid, wies, digibank_a):
    response = api_as(bob, digibank_a).post(
        API, body(zuid, client=wies.number, person_name="", service="training"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["client"] == wies.pk and response.json()["shown_as"] == "handler"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent_how": ""}, "consent_how"),
        ({"person_name": ""}, "person_name"),
        ({"client": "K7QM-4XRZ", "person_name": ""}, "client"),
        ({"reason": "Rijksregisternummer 85.07.30-033.28"}, "reason"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(api_as, olga, zuid, digibank_a, change, field):
    response = api_as(olga, digibank_a).post(API, body(zuid, **change), format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Referral.objects.exists()


def test_a_hub_of_another_digibank_does_not_exist_for_the_caller(api_as, olga, turnhout, digibank_a):
    response = api_as(olga, digibank_a).post(API, body(turnhout), format="json")
    assert response.status_code == 400 and "to_hub" in response.json()


def test_the_receiving_side_takes_the_steps(api_as, bob, zuid, digibank_a):
    referral = ReferralFactory(to_hub=zuid)
    api = api_as(bob, digibank_a)
    assert api.post(f"{API}{referral.pk}/accept/").json()["status"] == "accepted"
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert api.post(f"{API}{referral.pk}/plan/", {"planned_on": day}, format="json").json()["planned_on"] == day
    done = api.post(f"{API}{referral.pk}/complete/", {"outcome": "Laptop meegegeven."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    again = api.post(f"{API}{referral.pk}/decline/", {"reason": "Volzet."}, format="json")
    assert again.status_code == 400 and "status" in again.json()


def test_the_referrer_sees_status_and_outcome_only(api_as, olga, cas, ocmw, caw, zuid, wies, digibank_a):
    mine = ReferralFactory(
        to_hub=zuid, client=wies, from_partner=ocmw, referred_by=olga, completed=True, internal_notes=NOTES
    )
    other = ReferralFactory(to_hub=zuid, client=wies, from_partner=caw, referred_by=cas, reason="Schulden")
    api = api_as(olga, digibank_a)
    one = api.get(f"{API}{mine.pk}/")
    assert one.status_code == 200 and set(one.json()) == REFERRER_FIELDS
    assert one.json()["status"] == "completed" and one.json()["outcome"] == "Volgt de opleiding."
    assert NOTES not in one.content.decode()
    listing = api.get(API).content.decode()
    assert mine.code in listing and other.code not in listing and NOTES not in listing and "Schulden" not in listing
    assert api.get(f"{API}{other.pk}/").status_code == 404
    assert api.post(f"{API}{other.pk}/accept/").status_code in (403, 404)
    assert api.post(f"{API}{mine.pk}/accept/").status_code == 403
    # Another organisation's worker does not reach olga's referral, by id or by code.
    theirs = api_as(cas, digibank_a)
    assert theirs.get(f"{API}{mine.pk}/").status_code == 404
    assert theirs.get(API, {"code": mine.code}).json()["results"] == []


def test_the_referrer_withdraws(api_as, olga, ocmw, zuid, digibank_a):
    referral = ReferralFactory(to_hub=zuid, from_partner=ocmw, referred_by=olga)
    response = api_as(olga, digibank_a).post(f"{API}{referral.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert Referral.objects.get().status == Status.WITHDRAWN


def test_lookup_by_code_as_typed(api_as, bob, zuid, turnhout, digibank_a):
    referral = ReferralFactory(to_hub=zuid)
    api = api_as(bob, digibank_a)
    typed = f"{referral.code[:4].lower()}-{referral.code[4:]}"
    ReferralFactory(to_hub=zuid)
    response = api.get(API, {"code": typed})
    assert response.status_code == 200 and [r["id"] for r in response.json()["results"]] == [referral.pk]
    assert api.get(API, {"code": ReferralFactory(to_hub=turnhout).code}).json()["results"] == []
    assert api.get(API, {"code": "nope"}).status_code == 400


def test_another_digibanks_referral_is_a_404(api_as, alice, turnhout, digibank_a):
    referral = ReferralFactory(to_hub=turnhout)
    assert api_as(alice, digibank_a).get(f"{API}{referral.pk}/").status_code == 404
    assert api_as(alice, digibank_a).post(f"{API}{referral.pk}/accept/").status_code == 404


def test_the_list_queries_do_not_grow(api_as, bob, zuid, wies, ocmw, digibank_a, django_assert_max_num_queries):
    ReferralFactory.create_batch(20, to_hub=zuid, client=wies, from_partner=ocmw)
    api = api_as(bob, digibank_a)
    with django_assert_max_num_queries(12):
        assert api.get(API).status_code == 200
