"""The referral screens: a partner worker refers, the desk accepts, plans and completes, the referrer reads
the status and the outcome only (never the notes, never the client's other services), another organisation's
worker and another digibank see nothing; the code box, the slip, the stale flag and the start page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import AccessLog
from digibank.clients.tests.pdf import pdf_text
from digibank.guidance.referrals.models import Referral, Status
from digibank.guidance.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

NOTES = "Belt zelf terug, sleutel bij de buren"


def form(hub, **extra):
    return {
        "card": "",
        "person_name": "Jan Peeters",
        "person_phone": "0470 12 34 56",
        "to_hub": hub.pk,
        "service": "training",
        "e_service": "",
        "consent_how": "signed",
        "reason": "Wil veilig leren internetten.",
        **extra,
    }


def test_a_partner_worker_refers_a_person_not_yet_a_client(login, olga, ocmw, zuid):
    response = login(olga).post(reverse("guidance:referral_new"), form(zuid))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse("guidance:referral", args=[referral.pk])
    assert (referral.from_partner, referral.referred_by, referral.consent_how) == (ocmw, olga, "signed")
    assert referral.status == Status.SENT


def test_a_desk_refers_a_client_internally_by_card(login, bob, zuid, wies):
    response = login(bob).post(reverse("guidance:referral_new"), form(zuid, card=wies.number.lower(), person_name=""))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.client == wies and referral.from_partner is None and referral.person_name == ""


def test_a_scanned_card_shows_whom_it_names_and_the_form_goes_on(login, olga, zuid, wies):
    # The scanner types the number and presses Enter: that posts the card alone.
    web = login(olga)
    scanned = web.post(reverse("guidance:referral_new"), {"card": wies.number.lower(), "to_hub": ""})
    assert scanned.status_code == 200 and not Referral.objects.exists()
    body = scanned.content.decode()
    assert "Wies Verbeke" in body and "errorlist" not in body
    assert re.search(r'<select name="to_hub"[^>]* autofocus', body)  # the keyboard goes on at the hub
    assert AccessLog.objects.filter(actor=olga, client=wies, what="make a referral").exists()
    unknown = web.post(reverse("guidance:referral_new"), {"card": "K7QM-4XRZ"})
    assert unknown.status_code == 400 and unknown.content.decode().count('class="errorlist"') == 1


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"consent_how": ""}, "consent_how", "toestemming"),
        ({"person_name": ""}, "person_name", "nog geen cliënt"),
        ({"card": "K7QM-4XRZ"}, "card", "cliëntnummer"),
        ({"reason": "IBAN BE68 5390 0754 7034"}, "reason", "IBAN"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(login, olga, zuid, change, field, says):
    response = login(olga).post(reverse("guidance:referral_new"), form(zuid, **change))
    assert response.status_code == 400
    assert says in " ".join(response.context["form"].errors[field])
    assert not Referral.objects.exists()


def test_another_digibanks_hub_cannot_be_chosen(login, olga, turnhout):
    response = login(olga).post(reverse("guidance:referral_new"), form(turnhout))
    assert response.status_code == 400 and "to_hub" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_the_desk_runs_the_life_cycle_on_screen(login, bob, zuid):
    referral = ReferralFactory(to_hub=zuid)
    web = login(bob)
    assert web.post(reverse("guidance:referral_accept", args=[referral.pk])).status_code == 302
    day = timezone.localdate() + dt.timedelta(days=2)
    web.post(reverse("guidance:referral_plan", args=[referral.pk]), {"planned_on": day.strftime("%d/%m/%Y")})
    web.post(reverse("guidance:referral_complete", args=[referral.pk]), {"outcome": "Ingeschreven."})
    referral.refresh_from_db()
    assert (referral.status, referral.planned_on, referral.outcome) == (Status.COMPLETED, day, "Ingeschreven.")
    page = web.get(reverse("guidance:referral", args=[referral.pk])).content.decode()
    assert "afgerond" in page and "Inplannen" not in page


def test_a_day_in_the_past_is_refused_next_to_the_field(login, bob, zuid):
    referral = ReferralFactory(to_hub=zuid, accepted=True)
    response = login(bob).post(reverse("guidance:referral_plan", args=[referral.pk]), {"planned_on": "01/01/2020"})
    assert response.status_code == 400
    assert "toekomst" in " ".join(response.context["forms"]["plan"].errors["planned_on"])
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_an_illegal_step_on_screen_says_why(login, bob, zuid):
    referral = ReferralFactory(to_hub=zuid, completed=True)
    response = login(bob).post(reverse("guidance:referral_accept", args=[referral.pk]), follow=True)
    assert "kan niet aanvaard worden" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED


def test_the_referrer_sees_status_and_outcome_but_not_the_notes_nor_other_services(
    login, olga, cas, ocmw, caw, bob, zuid, wies
):
    mine = ReferralFactory(
        to_hub=zuid, client=wies, from_partner=ocmw, referred_by=olga, completed=True, internal_notes=NOTES
    )
    other = ReferralFactory(
        to_hub=zuid, client=wies, from_partner=caw, referred_by=cas, service="device", reason="Schulden, CAW-dossier"
    )
    web = login(olga)
    page = web.get(reverse("guidance:referral", args=[mine.pk])).content.decode()
    assert "afgerond" in page and "Volgt de opleiding." in page  # the status and the outcome
    assert NOTES not in page and "Interne notities" not in page and "Aanvaarden" not in page
    assert other.code_display not in page and "Schulden" not in page and "Een toestel" not in page
    listing = web.get(reverse("guidance:referrals")).content.decode()
    assert mine.code_display in listing and other.code_display not in listing
    # The other organisation's worker does not reach olga's referral at all.
    assert login(cas).get(reverse("guidance:referral", args=[mine.pk])).status_code == 404
    assert login(cas).get(reverse("guidance:referral_slip", args=[mine.pk])).status_code == 404
    # Only the receiving side takes the steps.
    assert login(olga).post(reverse("guidance:referral_accept", args=[other.pk])).status_code == 403
    # The desk reads the notes.
    assert NOTES in login(bob).get(reverse("guidance:referral", args=[mine.pk])).content.decode()


def test_the_referrer_withdraws_an_open_referral(login, olga, ocmw, zuid):
    referral = ReferralFactory(to_hub=zuid, from_partner=ocmw, referred_by=olga)
    login(olga).post(reverse("guidance:referral_withdraw", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN


def test_the_code_box_opens_the_referral_scanned_or_typed(login, bob, zuid, digibank_b, turnhout):
    referral = ReferralFactory(to_hub=zuid)
    web = login(bob)
    typed = f"{referral.code[:4].lower()}-{referral.code[4:].lower()}"
    response = web.get(reverse("guidance:referral_by_code"), {"code": typed})
    assert response.status_code == 302 and response.url == reverse("guidance:referral", args=[referral.pk])
    theirs = ReferralFactory(to_hub=turnhout)
    response = web.get(reverse("guidance:referral_by_code"), {"code": theirs.code}, follow=True)
    assert "Geen doorverwijzing van uw digibank heeft deze code." in response.content.decode()


def test_the_slip_holds_the_code_as_text(login, olga, ocmw, zuid):
    referral = ReferralFactory(to_hub=zuid, from_partner=ocmw, referred_by=olga)
    response = login(olga).get(reverse("guidance:referral_slip", args=[referral.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert referral.code_display in text and zuid.name in text  # as the screens show it and "identiteitskaart" in text
    assert b"<svg" not in response.content  # the barcode is drawn into the PDF, not left as markup


def test_a_stale_referral_is_flagged_on_the_list_and_counted_for_the_coordinator(login, alice, zuid):
    ReferralFactory(to_hub=zuid, created_at=timezone.now() - dt.timedelta(days=20))
    ReferralFactory(to_hub=zuid)
    web = login(alice)
    assert web.get(reverse("guidance:referrals")).content.decode().count("wacht te lang") == 1
    home = web.get(reverse("staff:home")).content.decode()
    assert "doorverwijzingen die te lang wachten" in home


def test_the_coordinator_sets_the_days_and_bad_input_is_refused(login, alice, zuid):
    web = login(alice)
    assert web.post(reverse("guidance:referral_settings"), {"stale_after_days": "0"}).status_code == 400
    assert web.post(reverse("guidance:referral_settings"), {"stale_after_days": "30"}).status_code == 302
    ReferralFactory(to_hub=zuid, created_at=timezone.now() - dt.timedelta(days=20))
    assert "wacht te lang" not in web.get(reverse("guidance:referrals")).content.decode()


def test_the_list_is_paged_and_its_queries_do_not_grow(login, bob, zuid, wies, ocmw):
    web = login(bob)
    ReferralFactory(to_hub=zuid, client=wies)
    with CaptureQueriesContext(connection) as few:
        assert web.get(reverse("guidance:referrals")).status_code == 200
    ReferralFactory.create_batch(30, to_hub=zuid, client=wies, from_partner=ocmw)
    with CaptureQueriesContext(connection) as many:
        response = web.get(reverse("guidance:referrals"))
    assert len(many) <= len(few) + 1  # a page count once there is more than one page
    assert len(response.context["object_list"]) <= 25
