"""The digihelpers' screens: the coordinator's list (paged, its queries fixed), adding and changing a
helper and their weekly times, recording hours, who helped how much in a period typed the Belgian way,
and the desk's finder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers.models import Availability, Digihelper, HelperHours
from digibank.guidance.tests.factories import AvailabilityFactory, DigihelperFactory, HelperHoursFactory

pytestmark = pytest.mark.django_db


def belgian(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_the_list_is_paged_and_its_queries_do_not_grow_with_the_helpers(login, alice, digibank_a, zuid, settings):
    itsme = EService.objects.get(name="itsme")
    web = login(alice)
    AvailabilityFactory(helper=DigihelperFactory(digibank=digibank_a, hubs=[zuid], skills=[itsme]), hub=zuid)
    with CaptureQueriesContext(connection) as few:
        assert web.get(reverse("guidance:helpers")).status_code == 200
    for helper in DigihelperFactory.create_batch(40, digibank=digibank_a, hubs=[zuid], skills=[itsme]):
        AvailabilityFactory(helper=helper, hub=zuid)
    with CaptureQueriesContext(connection) as many:
        response = web.get(reverse("guidance:helpers"))
    assert len(many) == len(few) <= 14, [q["sql"] for q in many]
    assert response.context["is_paginated"] and len(response.context["helpers"]) == settings.PAGE_SIZE
    page = response.content.decode()
    assert "Digihelpers" in page and "Digipunt Zuid" in page and "itsme" in page and "dinsdag 13:30–16:30" in page
    assert web.get(reverse("guidance:helpers"), {"page": 2}).status_code == 200


def test_a_desk_worker_does_not_manage_helpers_but_finds_one(login, bob, digibank_a):
    web = login(bob)
    assert web.get(reverse("guidance:helpers")).status_code == 403
    assert web.get(reverse("guidance:helpers_overview")).status_code == 403
    assert web.post(reverse("guidance:helper_new"), {"name": "Jef"}).status_code == 403
    page = web.get(reverse("guidance:helper_finder"))
    assert page.status_code == 200 and "Wie kan helpen?" in page.content.decode()


def test_a_coordinator_adds_a_helper_without_a_log_in_and_gives_them_a_weekly_time(login, alice, zuid):
    web = login(alice)
    assert "Personeelsaccount" in web.get(reverse("guidance:helper_new")).content.decode()
    itsme = EService.objects.get(name="itsme")
    data = {"user": "", "name": "Jef Van Damme", "phone": "0470 12 34 56", "email": "", "since": "6/1/2025"}
    response = web.post(reverse("guidance:helper_new"), {**data, "hubs": [zuid.pk], "skills": [itsme.pk]})
    helper = Digihelper.objects.get(name="Jef Van Damme")
    assert response.status_code == 302 and response.url == reverse("guidance:helper", kwargs={"pk": helper.pk})
    assert helper.since == dt.date(2025, 1, 6) and helper.phone == "+32470123456" and helper.active

    page = web.get(reverse("guidance:helper", kwargs={"pk": helper.pk}))
    assert page.context["time_form"]["hub"].value() == zuid.pk  # the helper's one hub: nothing to choose
    url = reverse("guidance:helper_time_add", kwargs={"pk": helper.pk})
    refused = web.post(url, {"time-hub": zuid.pk, "time-weekday": "1", "time-starts": "16:30", "time-ends": "13:30"})
    assert refused.status_code == 400
    assert refused.context["time_form"].errors["ends"] == ["Het einduur moet later zijn dan het beginuur."]
    added = web.post(url, {"time-hub": zuid.pk, "time-weekday": "1", "time-starts": "13:30", "time-ends": "16:30"})
    assert added.status_code == 302
    slot = Availability.objects.get(helper=helper)
    assert "dinsdag 13:30–16:30" in web.get(reverse("guidance:helper", kwargs={"pk": helper.pk})).content.decode()
    assert web.post(reverse("guidance:helper_time_remove", kwargs={"pk": slot.pk})).status_code == 302
    assert not Availability.objects.filter(helper=helper).exists()


def test_bad_input_is_shown_next_to_the_field_and_nothing_saved(login, alice, carol, zuid):
    web = login(alice)
    data = {"user": "", "name": "", "phone": "12", "email": "geen adres", "since": "31/2/2026"}
    response = web.post(reverse("guidance:helper_new"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["since"] == ["Typ een datum als dag/maand/jaar, bv. 3/12/2026."]
    assert "email" in errors
    response = web.post(reverse("guidance:helper_new"), {**data, "email": "", "since": "3/12/2026"})
    errors = response.context["form"].errors
    assert errors["name"] == ["Kies een personeelsaccount of typ de naam van de helper."]
    response = web.post(reverse("guidance:helper_new"), {**data, "name": "Jef", "email": "", "since": "3/12/2026"})
    assert response.status_code == 400 and "phone" in response.context["form"].errors
    # Another digibank's coordinator is no choice of the form.
    response = web.post(reverse("guidance:helper_new"), {**data, "user": carol.pk, "phone": "", "since": "3/12/2026"})
    assert response.status_code == 400 and "user" in response.context["form"].errors
    assert not Digihelper.objects.exists()


def test_a_coordinator_ends_a_helper_who_stays_in_the_list(login, alice, digibank_a, zuid):
    helper = DigihelperFactory(digibank=digibank_a, name="Jef", hubs=[zuid])
    web = login(alice)
    page = web.get(reverse("guidance:helper", kwargs={"pk": helper.pk}))
    assert page.status_code == 200 and "Actief: helpt nog" in page.content.decode()
    data = {"user": "", "name": "Jef", "phone": "", "email": "", "since": "6/1/2025", "hubs": [zuid.pk]}
    assert web.post(reverse("guidance:helper", kwargs={"pk": helper.pk}), data).status_code == 302
    helper.refresh_from_db()
    assert not helper.active and helper.ended_on == timezone.localdate()
    listing = web.get(reverse("guidance:helpers")).content.decode()
    assert "Jef" in listing and "Gestopt op" in listing


def test_a_coordinator_records_hours_typed_the_belgian_way(login, alice, digibank_a, zuid):
    helper = DigihelperFactory(digibank=digibank_a, name="Jef")
    web = login(alice)
    url = reverse("guidance:helper_hours", kwargs={"pk": helper.pk})
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert web.get(url).status_code == 200
    tomorrow = belgian(timezone.localdate() + dt.timedelta(days=1))
    refused = web.post(url, {"day": tomorrow, "hub": zuid.pk, "minutes": "721", "note": ""})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"minutes"}  # the form first; the day once it is valid
    refused = web.post(url, {"day": tomorrow, "hub": zuid.pk, "minutes": "90", "note": ""})
    assert "day" in refused.context["form"].errors
    refused = web.post(url, {"day": belgian(yesterday), "hub": zuid.pk, "minutes": "90", "note": "pin 1234"})
    assert "note" in refused.context["form"].errors and not HelperHours.objects.exists()
    done = web.post(url, {"day": belgian(yesterday), "hub": zuid.pk, "minutes": "90", "note": "Workshop"})
    assert done.status_code == 302
    hours = HelperHours.objects.get()
    assert (hours.day, hours.minutes, hours.recorded_by) == (yesterday, 90, alice)
    assert "Workshop" in web.get(url).content.decode()


def test_who_helped_how_much_in_a_period_most_hours_first(login, alice, digibank_a, zuid):
    anna = DigihelperFactory(digibank=digibank_a, name="Anna")
    jef = DigihelperFactory(digibank=digibank_a, name="Jef")
    HelperHoursFactory(helper=anna, hub=zuid, day=dt.date(2026, 11, 2), minutes=60)
    HelperHoursFactory(helper=jef, hub=zuid, day=dt.date(2026, 11, 3), minutes=150)
    HelperHoursFactory(helper=jef, hub=zuid, day=dt.date(2026, 10, 31), minutes=600)  # before the period
    web = login(alice)
    response = web.get(reverse("guidance:helpers_overview"), {"start": "1/11/2026", "end": "30/11/2026"})
    assert response.status_code == 200
    assert [t.helper for t in response.context["tallies"]] == [jef, anna]
    page = response.content.decode()
    assert "2,5 u" in page and "3,5 u" in page and "Van 1/11/2026 tot en met 30/11/2026." in page
    by_name = web.get(reverse("guidance:helpers_overview"), {"start": "1/11/2026", "end": "30/11/2026", "sort": "name"})
    assert [t.helper for t in by_name.context["tallies"]] == [anna, jef]
    wrong = web.get(reverse("guidance:helpers_overview"), {"start": "30/11/2026", "end": "1/11/2026"})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["end"] == [
        "De laatste dag kan niet vóór de eerste dag liggen. Kijk de datums na."
    ]
    assert web.get(reverse("guidance:helpers_overview")).status_code == 200  # this month by default


def test_the_desk_finds_who_can_help_with_itsme_at_a_hub_on_a_day(login, bob, digibank_a, zuid):
    itsme = EService.objects.get(name="itsme")
    rita = DigihelperFactory(digibank=digibank_a, name="Rita", hubs=[zuid], skills=[itsme])
    AvailabilityFactory(helper=rita, hub=zuid, weekday=1, starts=dt.time(13, 30), ends=dt.time(16, 30))
    DigihelperFactory(digibank=digibank_a, name="Chris", hubs=[zuid], skills=[EService.objects.get(name="eBox")])
    web = login(bob)
    response = web.get(reverse("guidance:helper_finder"), {"e_service": itsme.pk, "hub": zuid.pk, "day": "1/12/2026"})
    page = response.content.decode()
    assert response.status_code == 200 and "Rita" in page and "13:30–16:30" in page and "Chris" not in page
    assert "Digihelpers op dinsdag 1/12/2026" in page
    assert web.get(reverse("guidance:helper_finder"), {"day": "gisteren"}).status_code == 400


def test_who_helped_how_much_counts_the_help_contacts_a_helper_logged(login, alice, bob, digibank_a, zuid):
    """A helper with a staff account: the minutes of the contacts they helped in are added to their recorded
    hours; a contact outside the period is not."""
    from digibank.guidance.tests.factories import at, help_contact

    marc = DigihelperFactory(digibank=digibank_a, name="", user=bob)
    HelperHoursFactory(helper=marc, hub=zuid, day=dt.date(2026, 11, 2), minutes=60)
    zuid.offers_guidance = True
    zuid.save()
    help_contact(hub=zuid, actor=bob, started_at=at(dt.date(2026, 11, 5), 10), duration_minutes=30)
    help_contact(hub=zuid, actor=bob, started_at=at(dt.date(2026, 12, 1), 10), duration_minutes=45)
    response = login(alice).get(reverse("guidance:helpers_overview"), {"start": "1/11/2026", "end": "30/11/2026"})
    (tally,) = [t for t in response.context["tallies"] if t.helper == marc]
    assert (tally.contact_minutes, tally.minutes) == (30, 90)
    assert response.context["counts_contacts"]
