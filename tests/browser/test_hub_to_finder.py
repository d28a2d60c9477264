"""A coordinator adds a hub with its week; residents find it by postal code and by name, on a phone too."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from digibank.network import services
from digibank.network.models import Hub

pytestmark = pytest.mark.browser

HUB = "Digipunt De Krook"
WEEK = {  # field of the week grid: time typed
    "#id_d0_0_opens": "09:00",
    "#id_d0_0_closes": "12:00",  # Monday morning
    "#id_d0_1_opens": "13:00",
    "#id_d0_1_closes": "16:00",  # Monday afternoon
    "#id_d2_0_opens": "09:00",
    "#id_d2_0_closes": "12:00",  # Wednesday morning
}


def add_hub_through_the_form(page):
    page.goto("/staff/knooppunten/nieuw/")
    page.fill("#id_name", HUB)
    page.fill("#id_street", "Miriam Makebaplein 1")
    page.fill("#id_postal_code", "9000")
    for field, time in WEEK.items():
        page.fill(field, time)
    page.locator("form:has(#id_name) [type=submit]").first.click()


def test_coordinator_adds_a_hub_that_residents_then_find(alice, digibank_a, page_as, page):
    staff = page_as(alice)
    add_hub_through_the_form(staff)

    expect(staff).to_have_url(re.compile(r"/staff/knooppunten/\d+/$"))
    expect(staff.get_by_role("heading", name=HUB).first).to_be_visible()
    hub = Hub.objects.get(name=HUB)
    assert (hub.digibank, hub.municipality_id) == (digibank_a, "44021")  # Gent, from the postal code
    assert sorted((h.weekday, h.opens, h.closes) for h in hub.opening_hours.all()) == [
        (0, dt.time(9), dt.time(12)),
        (0, dt.time(13), dt.time(16)),
        (2, dt.time(9), dt.time(12)),
    ]

    page.goto("/vind/?q=9000")
    expect(page.get_by_text(HUB).first).to_be_visible()

    page.goto("/")
    search = page.locator("form input[name=q]").first
    search.fill("gent")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/vind/\?(.*&)?q=gent(&|$)"))
    expect(page.get_by_text(HUB).first).to_be_visible()


def test_finder_fits_a_phone_screen_without_sideways_scrolling(alice, digibank_a, new_page):
    services.hub_create(
        digibank=digibank_a,
        actor=alice,
        name="Digipunt Bibliotheek Ledeberg met een lange naam",
        street="Hundelgemsesteenweg 125",
        postal_code="9050",
        opening_hours=[(0, dt.time(9), dt.time(12)), (2, dt.time(13), dt.time(16))],
    )
    phone = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone.goto("/vind/?q=9000")
    expect(phone.get_by_text("Digipunt Bibliotheek Ledeberg").first).to_be_visible()

    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
