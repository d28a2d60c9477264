"""A technician takes in a donated laptop and its charger, wipes the laptop with the nwipe log,
does the ready checklist and marks both ready; a desk worker lends them to a client by typing the
scanned codes, then takes them back with the charger missing. Through the screens alone."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from digibank.clients import services as client_services
from digibank.devices.intake.models import Donor, IntakeBatch
from digibank.devices.lending.models import Incident, Loan
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.models import ErasureRecord
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device
from digibank.network.tests.factories import HubFactory

from .support import assert_accessible

pytestmark = pytest.mark.browser

SSD_LOG = Path(__file__).resolve().parents[2] / "digibank/devices/tests/data/nwipe_0.37_ssd_prng_verified.log"
SERIAL = "7XK2QJ2"  # the laptop's serial number
DISK_SERIAL = "S3Z1NB0K812345X"  # the disk erased in SSD_LOG

BATCH = re.compile(r"/staff/toestellen/ontvangst/\d+/(\?.*)?$")
DEVICE = re.compile(r"/staff/toestellen/toestellen/\d+/$")
LOAN = re.compile(r"/staff/toestellen/uitleningen/\d+/$")
CHECKIN = re.compile(r"/staff/toestellen/uitleningen/\d+/terugnemen/$")


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook", postal_code="9000", offers_lending=True)


@pytest.fixture
def profile(digibank_a, alice):
    return refurbishment_services.software_profile_create(
        digibank=digibank_a,
        actor=alice,
        name="Linux Mint",
        operating_system="Linux Mint 22",
        office_software="LibreOffice",
    )


@pytest.fixture
def person(digibank_a, bob):
    return client_services.client_register(
        digibank=digibank_a,
        actor=bob,
        first_name="Wies",
        last_name="Claeys",
        birth_date=dt.date(1961, 3, 5),
        postal_code="9000",
    )


def submit_form(page, action: str) -> None:
    """Press the button of the form that posts to `action` (the end of its URL)."""
    page.locator(f"form[action$='/{action}/'] button[type=submit]").first.click()


def scan(page, code: str) -> None:
    """A scanner types the code and Enter into the field that has the focus."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_laptop_taken_in_wiped_made_ready_lent_and_taken_back_with_the_charger_missing(
    tom, bob, digibank_a, hub, profile, person, page_as
):
    # --- the technician -------------------------------------------------------------------------
    page = page_as(tom)

    # A donor, added under the list of donors.
    page.goto("/staff/toestellen/schenkers/")
    page.fill("#id_name", "Stad Gent")
    page.fill("#id_enterprise_number", "0207.451.227")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/toestellen/schenkers/\d+/$"))
    donor = Donor.objects.get(digibank=digibank_a)
    assert donor.enterprise_number == "0207451227"

    # The batch they hand over at the hub.
    page.goto("/staff/toestellen/ontvangst/nieuw/")
    expect(page.locator("#id_donor")).to_be_focused()
    assert_accessible(page)
    page.select_option("#id_donor", str(donor.pk))
    page.select_option("#id_hub", str(hub.pk))
    page.locator("#id_reference").click()
    page.keyboard.type("LEV-2025-17")
    page.keyboard.press("Enter")
    expect(page).to_have_url(BATCH)
    batch = IntakeBatch.objects.get(donor=donor)
    assert (batch.hub, batch.received_by) == (hub, tom)

    # Intake: the laptop, its serial numbers scanned; Enter adds it and gives an empty form.
    expect(page.locator("#id_kind")).to_be_focused()
    page.select_option("#id_kind", Kind.LAPTOP)
    page.fill("#id_make", "Dell")
    page.fill("#id_model_name", "Latitude 7490")
    page.fill("#id_processor", "Intel Core i5-8350U")
    page.fill("#id_memory_gb", "8")
    page.fill("#id_storage_gb", "256")
    page.locator("#id_serial_number").click()
    page.keyboard.type(SERIAL)
    page.locator("#id_storage_serial").click()
    scan(page, DISK_SERIAL)
    expect(page).to_have_url(re.compile(r"\?kind=laptop$"))
    laptop = Device.objects.get(serial_number=SERIAL)
    assert (laptop.batch, laptop.state, laptop.storage_serial) == (batch, State.RECEIVED, DISK_SERIAL)
    expect(page.locator("#id_kind")).to_have_value(Kind.LAPTOP)  # the next item is most often the same
    expect(page.locator("#id_serial_number")).to_have_value("")

    # ...and its charger.
    page.select_option("#id_kind", Kind.CHARGER)
    page.fill("#id_make", "Dell")
    page.locator("#id_model_name").click()
    scan(page, "65W USB-C")
    expect(page).to_have_url(re.compile(r"\?kind=charger$"))
    charger = Device.objects.get(batch=batch, kind=Kind.CHARGER)
    items = page.locator("table[aria-labelledby=items-title] tbody")
    expect(items.get_by_role("link", name=laptop.asset_tag)).to_be_visible()
    expect(items.get_by_role("link", name=charger.asset_tag)).to_be_visible()
    assert_accessible(page)

    # The laptop's page: its erasure is the nwipe log, whose disk serial is the laptop's.
    items.get_by_role("link", name=laptop.asset_tag).click()
    expect(page).to_have_url(DEVICE)
    expect(page.locator(".device-state .state-received")).to_be_visible()
    assert_accessible(page)
    page.set_input_files("#id_import-log_file", SSD_LOG)
    page.select_option("#id_import-medium", "ssd")
    submit_form(page, "wislog")
    expect(page.locator(".device-state .state-wiped")).to_be_visible()
    erasure = ErasureRecord.objects.get(device=laptop)
    assert (erasure.result, erasure.medium_serial, erasure.tool) == ("passed", DISK_SERIAL, "nwipe 0.37")
    certificate = page.locator(f"a[href$='/wissingen/{erasure.pk}/attest/']")
    expect(certificate).to_contain_text(erasure.number)
    pdf = page.request.get(certificate.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # The ready checklist with the installed software profile, then ready with grade B.
    for box in page.locator("input[name='check-items']").all():
        box.check()
    page.select_option("#id_check-software_profile", str(profile.pk))
    submit_form(page, "controle")
    grade_b = page.locator("input[name='ready-grade'][value='B']")
    expect(grade_b).to_be_visible()
    assert_accessible(page)
    grade_b.check()
    page.locator("form:has(input[name='ready-target']) button[type=submit]").click()
    expect(page.locator(".device-state .state-ready")).to_be_visible()
    laptop.refresh_from_db()
    assert (laptop.state, laptop.grade, laptop.software_profile) == (State.READY, "B", profile)

    # The charger: its label scanned into the stock's search box opens its page; ready after a look.
    page.goto("/staff/toestellen/toestellen/")
    expect(page.locator("#id_q")).to_be_focused()
    scan(page, charger.asset_tag)
    expect(page).to_have_url(re.compile(rf"/staff/toestellen/toestellen/{charger.pk}/$"))
    page.locator("input[name='ready-grade'][value='A']").check()
    page.locator("form:has(input[name='ready-target']) button[type=submit]").click()
    expect(page.locator(".device-state .state-ready")).to_be_visible()
    assert Device.objects.get(pk=charger.pk).state == State.READY

    # --- the desk ------------------------------------------------------------------------------
    page = page_as(bob)
    page.goto("/staff/toestellen/balie/")
    expect(page.locator("#id_card")).to_be_focused()
    scan(page, person.number)
    expect(page.locator(".desk-client")).to_contain_text("Wies Claeys")
    expect(page.locator(".desk-client .verdict-ok")).to_be_visible()

    # The labels box has the focus: each label scanned, then Tab to Check.
    expect(page.locator("#id_tags")).to_be_focused()
    scan(page, laptop.asset_tag)
    scan(page, charger.asset_tag)
    page.keyboard.press("Tab")
    check = page.locator("button[name=action][value=check]")
    expect(check).to_be_focused()
    page.keyboard.press("Enter")
    verdict = page.locator("form[method=post] .verdict-ok[role=status]")
    expect(verdict).to_be_visible()
    scanned = page.locator("table[aria-labelledby=scanned-title]")
    expect(scanned).to_contain_text(laptop.asset_tag)
    expect(scanned).to_contain_text(charger.asset_tag)
    assert not Loan.objects.exists()  # Check lends nothing
    assert_accessible(page)

    # Lend has the focus once the rules allow the loan.
    expect(page.locator("button[name=action][value=lend]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(LOAN)
    loan = Loan.objects.get()
    assert (loan.client, loan.status, loan.checked_out_by) == (person, Loan.Status.ON_LOAN, bob)
    assert {item.device_id for item in loan.items.all()} == {laptop.pk, charger.pk}
    devices = page.locator("table[aria-labelledby=items-title]")
    expect(devices).to_contain_text(laptop.asset_tag)
    expect(devices).to_contain_text(charger.asset_tag)
    expect(devices).to_contain_text(SERIAL)
    assert_accessible(page)

    # Taking back: the laptop's label scanned into the take-back box opens the check-in.
    page.goto("/staff/toestellen/balie/")
    page.locator("#id_label").click()
    scan(page, laptop.asset_tag)
    expect(page).to_have_url(CHECKIN)
    expect(page.locator(f"#id_present_{laptop.pk}")).to_be_checked()
    assert_accessible(page)
    # The charger did not come back: its box is unticked with the keyboard.
    page.locator(f"#id_present_{charger.pk}").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#id_present_{charger.pk}")).not_to_be_checked()
    expect(page.locator("#id_missing_kind")).to_have_value(Incident.Kind.MISSING_PART)
    page.fill("#id_note", "Lader thuis vergeten")
    page.locator("#main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(LOAN)

    incident = Incident.objects.get()
    after = page.locator("section[aria-labelledby=after-title]")
    expect(after).to_contain_text(laptop.asset_tag)
    expect(after).to_contain_text(charger.asset_tag)
    expect(after.locator(f"a[href$='/incidenten/{incident.pk}/']")).to_be_visible()
    assert_accessible(page)

    loan.refresh_from_db()
    assert loan.status == Loan.Status.RETURNED
    laptop.refresh_from_db()
    assert (laptop.state, laptop.needs_erasure) == (State.RETURNED, True)  # to be wiped before the next client
    assert Device.objects.get(pk=charger.pk).state == State.RETIRED
    assert (incident.kind, incident.device_id, incident.loan_id) == (Incident.Kind.MISSING_PART, charger.pk, loan.pk)
    assert incident.description == "Lader thuis vergeten"
