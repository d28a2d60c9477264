"""A day at a hub, end to end (issue 10): a resident books a visit on a cheap phone without JavaScript,
the desk finds it on the hub's day, logs a help contact with two e-services and refers the client to a
training with the keyboard alone, and the waiting-room screen passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.core.tenancy import Tenancy
from digibank.guidance.appointments.models import Appointment
from digibank.guidance.contacts.models import HelpContact
from digibank.guidance.e_services.selectors import e_services_seen_by
from digibank.guidance.queue import services as queue_services
from digibank.guidance.referrals.models import Referral
from digibank.guidance.tests.factories import SlotFactory, at, flanders_e_services, open_every_day, tomorrow
from digibank.network.tests.factories import HubFactory

from .support import assert_accessible, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def fits(page: Page) -> None:
    """Nothing sticks out sideways on a 360 px phone: no horizontal scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"horizontal scroll on {page.url}"


@pytest.fixture
def hub(digibank_a):
    """A hub in Gent that takes appointments: open every day, one free time tomorrow at 10:00."""
    flanders_e_services()  # the live server's flush removed migration 0002's seed
    hub = HubFactory(digibank=digibank_a, name="Digipunt Zuid")
    open_every_day(hub)
    SlotFactory(hub=hub, starts_at=at(tomorrow(), 10))
    return hub


def resident_books(new_page, hub) -> Appointment:
    """Steps 1: postal code, the hub, the free time, name and phone, the page of the booking."""
    page = new_page(java_script_enabled=False, viewport=PHONE)
    # axe needs JavaScript (its promise never settles in a page without): each page the resident sees
    # is checked again in a second phone that has it, at the same address.
    checker = new_page(viewport=PHONE)

    def assert_accessible_without_js(page: Page) -> None:
        checker.goto(page.url)
        assert_accessible(checker)

    page.goto("/afspraak/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Een afspraak maken")
    fits(page)
    assert_accessible_without_js(page)
    page.fill("#q", "9000")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Digipunt Zuid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Een afspraak maken bij Digipunt Zuid")
    fits(page)
    assert_accessible_without_js(page)
    page.get_by_role("link", name=re.compile(r"^10\.00 uur")).click()
    fits(page)
    assert_accessible_without_js(page)
    page.get_by_label("Uw naam").fill("Mieke Peeters")
    page.get_by_label("Uw telefoonnummer").fill("0470 11 22 33")
    page.get_by_role("button", name="Dit tijdstip boeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw afspraak is geboekt")
    expect(page.locator(".facts")).to_contain_text("Digipunt Zuid")
    expect(page.locator(".facts")).to_contain_text(tomorrow().strftime("%-d/%-m/%Y") + ", 10.00 uur")
    page.screenshot(path="/tmp/h7-booked.png", full_page=True)
    fits(page)
    assert_accessible_without_js(page)
    appointment = Appointment.objects.get()
    assert (appointment.name, appointment.phone, appointment.status) == ("Mieke Peeters", "+32470112233", "booked")
    return appointment


def test_a_day_at_a_hub(bob, alice, digibank_a, hub, new_page):
    appointment = resident_books(new_page, hub)
    client = ClientFactory(digibank=digibank_a, first_name="Jeanine", last_name="Van Acker")

    # 2. The desk sees the booking on the day of the appointment.
    desk = new_page(viewport=PHONE)
    log_in(desk, bob)
    desk.goto(f"/staff/begeleiding/vandaag/?hub={hub.pk}")
    desk.get_by_role("link", name="Volgende dag").click()
    appointments = desk.locator("section[aria-labelledby=day-appointments]")
    expect(appointments).to_contain_text("Mieke Peeters")
    expect(appointments).to_contain_text("10:00")
    desk.screenshot(path="/tmp/h7-day.png", full_page=True)
    # One menu item says where the desk is (the hubs' item said so too, for its "hub" in the name).
    expect(desk.locator("a[aria-current=page]")).to_have_text(["Knooppunt vandaag"])
    fits(desk)
    assert_accessible(desk)
    assert appointment.slot.hub == hub

    # 3. A help contact with two e-services, by keyboard: the card scanned, two boxes, an outcome, minutes.
    first, second = e_services_seen_by_bob(digibank_a)[:2]
    desk.goto(f"/staff/begeleiding/contacten/nieuw/?hub={hub.pk}")
    expect(desk.locator("#id_card")).to_be_focused()
    assert_accessible(desk)
    desk.keyboard.type(client.number)  # the scanner types the number and presses Enter
    desk.keyboard.press("Enter")
    expect(desk.locator("#contact-client")).to_contain_text("Jeanine Van Acker")
    expect(desk.locator("#id_card")).to_have_value(client.number)
    desk.screenshot(path="/tmp/h7-scanned.png", full_page=True)
    assert_accessible(desk)
    assert not HelpContact.objects.exists()
    desk.keyboard.press("Tab")  # the first e-service
    desk.keyboard.press("Space")
    desk.keyboard.press("Tab")  # the second
    desk.keyboard.press("Space")
    tab_to(desk, "#id_outcome_0")  # "solved"
    desk.keyboard.press("Space")
    tab_to(desk, "#id_duration_minutes")
    desk.keyboard.type("20")
    fits(desk)
    desk.keyboard.press("Enter")
    expect(desk.get_by_text("Hulpcontact geregistreerd.")).to_be_visible()
    contact = HelpContact.objects.get()
    assert (contact.client, contact.hub, contact.outcome, contact.duration_minutes) == (client, hub, "solved", 20)
    assert set(contact.e_services.all()) == {first, second}

    desk.goto(f"/staff/begeleiding/vandaag/?hub={hub.pk}")
    contacts = desk.locator("section[aria-labelledby=day-contacts]")
    expect(contacts).to_contain_text("Jeanine Van Acker")
    expect(contacts).to_contain_text(first.name)
    expect(contacts).to_contain_text(second.name)
    fits(desk)
    assert_accessible(desk)

    # 4. The client goes on to a training: a referral by keyboard.
    desk.goto("/staff/begeleiding/doorverwijzingen/nieuw/")
    assert_accessible(desk)
    desk.locator("#id_card").focus()
    desk.keyboard.type(client.number)
    tab_to(desk, "#id_to_hub")
    desk.keyboard.type("Digipunt Zuid")  # a select takes what is typed
    tab_to(desk, "#id_service")
    desk.keyboard.type("Een opleiding")
    tab_to(desk, "#id_consent_how_0")  # agreed out loud
    desk.keyboard.press("Space")
    tab_to(desk, "#id_reason")
    desk.keyboard.type("Wil leren betalen met de smartphone.")
    desk.screenshot(path="/tmp/h7-referral.png", full_page=True)
    fits(desk)
    tab_to(desk, "form:has(#id_reason) button[type=submit]")
    desk.keyboard.press("Enter")
    expect(desk.get_by_text("Doorverwijzing verstuurd.")).to_be_visible()
    referral = Referral.objects.get()
    assert (referral.client, referral.to_hub, referral.service, referral.consent_how) == (
        client,
        hub,
        "training",
        "spoken",
    )
    fits(desk)
    assert_accessible(desk)

    # 5. The waiting-room screen: axe's meta-refresh rule is the only one it may break, see test_queue.
    screen = queue_services.screen_renew(hub=hub, actor=alice)
    lobby = new_page(viewport={"width": 1280, "height": 720})
    lobby.goto(f"/wachtkamer/{screen.token}/")
    expect(lobby).to_have_title("Wachtzaal Digipunt Zuid · digibank")
    assert lobby.locator("meta[http-equiv=refresh]").get_attribute("content") == "10"
    # A passive display of a live queue falls under WCAG 2.2.1's real-time exception.
    assert_accessible(lobby, allowed=frozenset({"meta-refresh"}))


def e_services_seen_by_bob(digibank) -> list:
    """The e-services the contact form lists, in its order."""
    return list(e_services_seen_by(Tenancy(user_id=1, digibank_id=digibank.pk, roles=(Role.DESK,))))


def tab_to(page: Page, selector: str, most: int = 40) -> None:
    """Press Tab until the element has the focus, as a person does; fail if it never gets it."""
    target = page.locator(selector)
    for _ in range(most):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")
