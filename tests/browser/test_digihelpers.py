"""Digihelpers on a cheap phone, with the keyboard alone: a coordinator adds a volunteer without a log-in,
gives them a weekly time and records the hours they gave; the overview and the desk's finder show them,
and axe-core finds nothing serious on any of these pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from digibank.guidance.helpers.models import Digihelper, HelperHours
from digibank.guidance.tests.factories import flanders_e_services
from digibank.network.tests.factories import HubFactory

from .support import assert_accessible, log_in

pytestmark = pytest.mark.browser


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_coordinator_adds_a_helper_a_time_and_hours_by_keyboard_on_a_narrow_phone(alice, bob, digibank_a, new_page):
    flanders_e_services()  # the live server's database was flushed of the seeded catalogue
    hub = HubFactory(digibank=digibank_a, name="Digipunt Zuid")
    page = new_page(viewport={"width": 360, "height": 740})
    log_in(page, alice)
    page.goto("/staff/begeleiding/digihelpers/")
    expect(page.get_by_role("heading", name="Digihelpers", exact=True)).to_be_visible()
    fits(page)
    assert_accessible(page)
    page.get_by_role("link", name="Een digihelper toevoegen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/digihelpers/nieuw/")
    page.locator("#id_name").focus()
    page.keyboard.type("Jef Van Damme")
    page.keyboard.press("Tab")
    page.keyboard.type("0470 12 34 56")
    page.keyboard.press("Tab")  # e-mail: none
    page.keyboard.press("Tab")  # the first hub
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the first e-service of the catalogue
    page.keyboard.press("Space")
    fits(page)
    assert_accessible(page)
    page.locator("#id_since").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("6/1/2025")
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")
    expect(page.get_by_text("Digihelper toegevoegd.")).to_be_visible()
    helper = Digihelper.objects.get(name="Jef Van Damme")
    assert list(helper.hubs.all()) == [hub] and helper.skills.count() == 1 and helper.since == dt.date(2025, 1, 6)

    page.locator("#id_time-hub").focus()
    page.keyboard.type("Digipunt Zuid")
    page.keyboard.press("Tab")
    page.keyboard.type("dinsdag")
    # A time field is filled as the hub's week is (its segments take the keys in the browser's own way).
    page.locator("#id_time-starts").fill("16:30")
    page.locator("#id_time-ends").fill("13:30")  # the end before the start: refused next to the field
    page.get_by_role("button", name="Moment toevoegen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Het einduur moet later zijn dan het beginuur.")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_time-starts").fill("13:30")
    page.locator("#id_time-ends").fill("16:30")
    page.get_by_role("button", name="Moment toevoegen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Moment toegevoegd.")).to_be_visible()
    assert helper.availability.get().weekday == 1

    page.get_by_role("link", name="Uren noteren").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/uren/")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.locator("#id_day").fill(f"{yesterday.day}/{yesterday.month}/{yesterday.year}")
    page.locator("#id_day").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("Digipunt Zuid")
    page.keyboard.press("Tab")
    page.keyboard.type("150")
    page.keyboard.press("Tab")
    page.keyboard.type("Workshop itsme")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uren genoteerd.", exact=True)).to_be_visible()
    assert HelperHours.objects.get().minutes == 150
    fits(page)
    assert_accessible(page)

    start = yesterday.replace(day=1)
    page.goto(f"/staff/begeleiding/digihelpers/uren/?start={start:%d/%m/%Y}&end={yesterday:%d/%m/%Y}")
    expect(page.get_by_role("cell", name="2,5 u").first).to_be_visible()
    fits(page)
    assert_accessible(page)

    desk = new_page(viewport={"width": 360, "height": 740})
    log_in(desk, bob)
    desk.goto(f"/staff/begeleiding/digihelpers/wie-helpt/?hub={hub.pk}&day=1/12/2026")
    expect(desk.get_by_role("rowheader", name="Jef Van Damme")).to_be_visible()
    fits(desk)
    assert_accessible(desk)
