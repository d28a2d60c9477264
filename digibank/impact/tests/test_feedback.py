"""The Department's feedback per Flanders-wide e-service: counts across Flanders, nothing below 5 and
nothing that gives a count below 5 away; a digibank's own services never leave it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from digibank.guidance.e_services.models import EService
from digibank.guidance.tests.factories import EServiceFactory, at, help_contact
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 10)


@pytest.fixture
def contacts(digibank_a, digibank_b, alice, carol):
    gent = HubFactory(digibank=digibank_a, offers_guidance=True)
    geel = HubFactory(digibank=digibank_b, offers_guidance=True)
    itsme, ebox = EService.objects.get(name="itsme"), EService.objects.get(name="eBox")
    local = EServiceFactory(digibank=digibank_a, name="Parkeerkaart Gent")

    def log(hub, actor, services, outcome, topics, n):
        for i in range(n):
            help_contact(
                hub=hub,
                actor=actor,
                started_at=at(DAY, 9) + dt.timedelta(minutes=i),
                e_services=services,
                outcome=outcome,
                topics=topics,
            )

    log(gent, alice, [itsme], "solved", ["login"], 4)  # itsme: 4 + 3 solved, 6 not: 13
    log(geel, carol, [itsme], "solved", ["login"], 3)
    log(geel, carol, [itsme], "partly", ["forms"], 6)
    log(gent, alice, [ebox], "solved", ["documents"], 5)  # eBox: 5 solved, 2 not: 7
    log(gent, alice, [ebox], "partly", ["documents"], 2)
    log(gent, alice, [local], "solved", ["login"], 9)  # a digibank's own service stays in it
    return {"itsme": itsme, "ebox": ebox}


def test_figures_across_flanders_withhold_what_is_small(login, dave, contacts):
    page = login(dave).get(reverse("impact:feedback_department"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert page.status_code == 200
    rows = {row.name: row for row, _share in page.context["rows"]}
    assert set(rows) == {"itsme", "eBox"}
    itsme, ebox = rows["itsme"], rows["eBox"]
    assert (itsme.contacts, itsme.solved, round(itsme.share_solved, 3)) == (13, 7, round(7 / 13, 3))
    assert [value for value, _label in itsme.topics] == ["login", "forms"]
    # 5 of 7 solved: showing 5 would give away the 2 not solved.
    assert (ebox.contacts, ebox.solved, ebox.share_solved) == (7, None, None) and ebox.suppressed
    assert "Parkeerkaart" not in page.content.decode()


def test_the_csv_and_the_api_say_the_same(login, dave, api_as, contacts):
    query = {"start": "2026-11-01", "end": "2026-11-30"}
    csv = login(dave).get(reverse("impact:feedback_department"), {**query, "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("E-service;Provider;")  # the English screens of impact's tests
    assert "itsme;" in text and ";13;7;53.8 %;" in text and "eBox" in text and ";7;;;" in text
    body = api_as(dave).get("/api/v1/impact/e-service-feedback/", query).json()
    by_name = {row["name"]: row for row in body}
    assert by_name["eBox"] == {**by_name["eBox"], "contacts": 7, "solved": None, "suppressed": True}
    assert by_name["itsme"]["topics"] == ["login", "forms"]


def test_a_digibank_may_not_read_the_flanders_figures(login, api_as, alice, contacts):
    assert login(alice).get(reverse("impact:feedback_department")).status_code == 403
    assert api_as(alice).get("/api/v1/impact/e-service-feedback/").status_code == 403


def test_a_wrong_period_is_a_400_with_its_field(login, api_as, dave):
    assert (
        login(dave).get(reverse("impact:feedback_department"), {"start": "2026-12-01", "end": "2026-11-01"}).status_code
        == 400
    )
    response = api_as(dave).get("/api/v1/impact/e-service-feedback/", {"start": "gisteren"})
    assert response.status_code == 400 and "start" in response.json()
