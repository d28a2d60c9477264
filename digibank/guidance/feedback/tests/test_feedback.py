"""Feedback per e-service: the digibank's counts per service and period (cancelled contacts and other
digibanks left out), the share solved, the most common topics, on screen, as CSV and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.guidance.contacts import services as contact_services
from digibank.guidance.e_services.models import EService
from digibank.guidance.feedback import selectors
from digibank.guidance.tests.factories import EServiceFactory, help_contact
from digibank.network.tenancy import resolve_tenancy
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(digibank_a, digibank_b, bob, carol):
    """In A: itsme 3 times (2 solved), Tax-on-web once, a local service once, a cancelled itsme one;
    in B: itsme once and its own local service."""
    hub, theirs = HubFactory(digibank=digibank_a), HubFactory(digibank=digibank_b)
    itsme = EService.objects.get(digibank=None, name="itsme")
    taxes = EService.objects.get(digibank=None, name="MyMinfin / Tax-on-web")
    local = EServiceFactory(digibank=digibank_a, name="E-loket Gent")
    help_contact(hub=hub, actor=bob, e_services=[itsme, taxes], outcome="solved", topics=["login", "safety"])
    help_contact(hub=hub, actor=bob, e_services=[itsme], outcome="solved", topics=["login"])
    help_contact(hub=hub, actor=bob, e_services=[itsme], outcome="referred", topics=["device"])
    help_contact(hub=hub, actor=bob, e_services=[local], outcome="partly")
    contact_services.contact_cancel(help_contact(hub=hub, actor=bob, e_services=[itsme]), actor=bob)
    help_contact(hub=theirs, actor=carol, e_services=[itsme, EServiceFactory(digibank=digibank_b, name="E-loket Geel")])
    return itsme, taxes, local


def this_year():
    today = timezone.localdate()
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


def test_the_digibank_sees_its_own_counts_per_service(figures, alice):
    itsme, taxes, local = figures
    rows = selectors.feedback_of(resolve_tenancy(alice, None), *this_year())
    assert [(r.name, r.contacts, r.solved) for r in rows] == [
        ("itsme", 3, 2),
        ("E-loket Gent", 1, 0),
        (taxes.name, 1, 1),
    ]
    assert rows[0].share_solved == pytest.approx(2 / 3)
    assert rows[0].top_topic_values() == ["login", "safety", "device"]
    assert rows[0].topics == {"login": 2, "safety": 1, "device": 1} and rows[2].topics == {"login": 1, "safety": 1}


def test_across_flanders_only_the_flanders_wide_services_count(figures):
    rows = selectors.feedback_across_flanders(*this_year())
    assert [(r.name, r.contacts) for r in rows] == [("itsme", 4), ("MyMinfin / Tax-on-web", 1)]


def test_a_period_without_contacts_is_empty(figures, alice):
    assert selectors.feedback_of(resolve_tenancy(alice, None), dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == []


def test_the_screen_shows_the_figures_the_belgian_way_and_downloads_csv(figures, login, bob):
    web = login(bob)
    page = web.get(reverse("guidance:feedback")).content.decode()
    assert "Feedback per e-dienst" in page and "66,7 %" in page and "E-loket Geel" not in page
    csv = web.get(reverse("guidance:feedback"), {"format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("E-dienst;Aanbieder") or text.splitlines()[0].startswith("E-dienst;")
    assert "itsme;" in text and ";3;2;66,7 %;" in text


def test_a_bad_period_is_refused_next_to_the_field(login, bob):
    response = login(bob).get(reverse("guidance:feedback"), {"start": "2026-03-01", "end": "2026-02-01"})
    assert response.status_code == 400 and "end" in response.context["form"].errors


def test_the_api_gives_the_figures_and_refuses_a_bad_period(figures, api_as, bob, digibank_a):
    api = api_as(bob, digibank_a)
    rows = api.get("/api/v1/e-service-feedback/").json()
    assert rows[0]["name"] == "itsme" and rows[0]["contacts"] == 3 and rows[0]["topics"][0] == "login"
    assert "E-loket Geel" not in str(rows)
    for start in ("2026-02-30", "", "3/12/2026"):
        refused = api.get("/api/v1/e-service-feedback/", {"start": start})
        assert refused.status_code == 400 and "start" in refused.json()
