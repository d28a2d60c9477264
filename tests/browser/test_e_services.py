"""The catalogue of e-services on a cheap phone, with the keyboard alone: a coordinator adds her
digibank's own service and finds it in the list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from digibank.guidance.e_services.models import EService

from .support import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_a_coordinator_adds_a_local_e_service_by_keyboard_on_a_narrow_phone(alice, digibank_a, new_page):
    page = new_page(viewport={"width": 360, "height": 740})
    log_in(page, alice)
    page.goto("/staff/begeleiding/e-diensten/")
    expect(page.get_by_role("heading", name="E-diensten")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Een e-dienst toevoegen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/e-diensten/nieuw/")
    page.locator("#id_name").focus()
    page.keyboard.type("Parkeerkaart Gent")
    page.keyboard.press("Tab")
    page.keyboard.type("Stad Gent")
    page.keyboard.press("Tab")
    page.keyboard.type("Gemeente")  # a select takes what is typed
    page.keyboard.press("Tab")
    page.keyboard.type("https://stad.gent/parkeren")
    page.keyboard.press("Tab")  # the first need: eID and card reader
    page.keyboard.press("Tab")  # itsme
    page.keyboard.press("Space")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")
    page.wait_for_url("**/e-diensten/")
    expect(page.get_by_text("E-dienst toegevoegd.")).to_be_visible()
    service = EService.objects.get(name="Parkeerkaart Gent")
    assert service.digibank == digibank_a and service.category == "municipality" and service.needs == ["itsme"]
    assert_accessible(page)
