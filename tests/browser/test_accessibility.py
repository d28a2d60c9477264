"""No page breaks WCAG 2.1 A or AA in a serious or critical way, as axe-core sees it in Chromium.

The pages are checked with content on them: a hub with its week, a partner, a second staff member,
one of everything the device bank keeps.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from playwright.sync_api import expect

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.tests.factories import device_world
from digibank.guidance.tests.factories import flanders_e_services
from digibank.network import services
from digibank.network.tests.factories import HubExceptionFactory, PartnerFactory
from digibank.public.views import PROBLEMS

from .support import assert_accessible, axe, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def hub(alice, bob, digibank_a):
    """A hub in Gent, open Monday (morning and afternoon) and Wednesday morning, closed at Christmas."""
    hub = services.hub_create(
        digibank=digibank_a,
        actor=alice,
        name="Digipunt De Krook",
        street="Miriam Makebaplein 1",
        postal_code="9000",
        wheelchair_accessible=True,
        phone="09 123 45 67",
        email="krook@example.be",
        opening_hours=[(0, dt.time(9), dt.time(12)), (0, dt.time(13), dt.time(16)), (2, dt.time(9), dt.time(12))],
        offers_lending=True,  # the device bank's pages lend here (devices.lending.rules.loan_hub)
    )
    HubExceptionFactory(hub=hub)
    PartnerFactory(digibank=digibank_a, name="Bibliotheek Gent")
    return hub


@pytest.mark.parametrize("path", ["/", "/vind/?q=9000", "/knooppunt/{hub}/", "/login/", "/wachtwoord/"])
def test_public_page_is_accessible(hub, page, path):
    page.goto(path.format(hub=hub.pk))
    assert_accessible(page)


def test_finder_message_for_an_unknown_place_is_accessible(hub, page):
    page.goto("/vind/?q=zzz")
    with translation.override("nl-be"):
        message = str(PROBLEMS["unknown_name"])
    expect(page.get_by_text(message)).to_be_visible()
    expect(page.get_by_text("Digipunt De Krook")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/staff/",
        "/staff/knooppunten/",
        "/staff/knooppunten/nieuw/",
        "/staff/knooppunten/{hub}/",
        "/staff/knooppunten/{hub}/wijzig/",
        "/staff/partners/",
        "/staff/partners/nieuw/",
        "/staff/instellingen/",
        "/staff/rollen/",
        "/staff/rollen/nieuw/",
        "/staff/partners/{partner}/",
        "/staff/clienten/privacyverklaring/",
        "/staff/clienten/bewaartermijn/",
        "/staff/clienten/toegangslog/",
        "/staff/begeleiding/e-diensten/",
        "/staff/begeleiding/e-diensten/nieuw/",
    ],
)
def test_staff_page_is_accessible_for_a_coordinator(hub, alice, page_as, path):
    page = page_as(alice)
    partner = hub.digibank.partners.first()
    response = page.goto(path.format(hub=hub.pk, partner=partner.pk))
    assert response.status == 200, f"{path} answered {response.status}"
    assert_accessible(page)


# The lists of the device bank: stock, intake, lending, the waiting list, figures, recycling.
DEVICE_BANK_LISTS = [
    "/staff/toestellen/toestellen/",
    "/staff/toestellen/schenkers/",
    "/staff/toestellen/ontvangst/",
    "/staff/toestellen/uitleningen/",
    "/staff/toestellen/wachtlijst/",
    "/staff/toestellen/aanbiedingen/",
    "/staff/toestellen/incidenten/",
    "/staff/toestellen/regels/",
    "/staff/toestellen/circulariteit/",
    "/staff/toestellen/inventaris/",
    "/staff/toestellen/herstellingen/",
    "/staff/toestellen/recyclage/",
    "/staff/toestellen/softwareprofielen/",
]


@pytest.fixture
def device_bank(hub, alice, bob):
    """One of everything the device bank keeps, in the hub's digibank: a batch from a donor, a
    laptop on loan, a returned one with its incident, a repair, an offer from the waiting list, a
    stock-take and a collection for recycling."""
    client = ClientFactory(digibank=hub.digibank, registered_by=bob, postal_code="9000")
    return {model._meta.model_name: obj for model, obj in device_world(hub.digibank, alice, hub, client).items()}


@pytest.mark.parametrize(
    "path",
    [
        *DEVICE_BANK_LISTS,
        "/staff/toestellen/toestellen/?state=ready",
        "/staff/toestellen/uitleningen/?show=closed",
        "/staff/toestellen/schenkers/{donor}/",
        "/staff/toestellen/wachtlijst/{devicerequest}/",
        "/staff/toestellen/incidenten/{incident}/",
        "/staff/toestellen/inventaris/{stocktake}/",
        "/staff/toestellen/recyclage/{collectionbatch}/",
    ],
)
def test_device_bank_page_is_accessible_for_a_coordinator(device_bank, alice, page_as, path):
    page = page_as(alice)
    response = page.goto(path.format(**{name: obj.pk for name, obj in device_bank.items()}))
    assert response.status == 200, f"{path} answered {response.status}"
    assert_accessible(page)


def test_device_bank_lists_are_accessible_on_a_narrow_phone(device_bank, alice, carol, new_page):
    """On a phone the wide tables scroll sideways: each scroll box must be reachable by keyboard,
    with rows in it (alice's digibank) and with none (carol's, where nothing is kept yet)."""
    for user in (alice, carol):
        page = new_page(viewport={"width": 360, "height": 740})
        log_in(page, user)
        for path in [*DEVICE_BANK_LISTS, "/staff/toestellen/uitleningen/?show=overdue"]:
            response = page.goto(path)
            assert response.status == 200, f"{path} answered {response.status} for {user}"
            assert_accessible(page)


# The wide tables of the other apps: network, clients, and the Department's figures (impact).
STAFF_TABLES = [
    "/staff/knooppunten/",
    "/staff/knooppunten/{hub}/",
    "/staff/knooppunten/{hub}/wijzig/",
    "/staff/partners/",
    "/staff/rollen/",
    "/staff/clienten/?q={client}",
    "/staff/clienten/{client_pk}/",
    "/staff/clienten/bewaartermijn/",
    "/staff/clienten/toegangslog/",
    "/staff/begeleiding/e-diensten/",
]
DEPARTMENT_TABLES = [
    "/staff/departement/",
    "/staff/departement/dekking/",
    "/staff/departement/bereik/",
    "/staff/begeleiding/e-diensten/",
]


def test_every_app_s_wide_tables_are_keyboard_scrollable_on_a_narrow_phone(hub, alice, bob, dave, new_page):
    """Not only the device bank's: each scroll box of a staff or Department page can be reached by
    keyboard and is named (axe's scrollable-region-focusable and aria checks)."""
    client = ClientFactory(digibank=hub.digibank, registered_by=bob, postal_code="9000")
    flanders_e_services()  # the live server's database was flushed of the seeded catalogue
    for user, paths in ((alice, STAFF_TABLES), (dave, DEPARTMENT_TABLES)):
        page = new_page(viewport={"width": 360, "height": 740})
        log_in(page, user)
        for path in paths:
            path = path.format(hub=hub.pk, client=client.number, client_pk=client.pk)
            response = page.goto(path)
            assert response.status == 200, f"{path} answered {response.status} for {user}"
            assert page.locator(".table-scroll").count() > 0, f"{path} shows no table"
            assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/staff/departement/",
        "/staff/departement/dekking/",
        "/staff/departement/digibanken/{digibank}/",
        "/staff/departement/digibanken/nieuw/",
        "/staff/departement/bereik/",
    ],
)
def test_department_page_is_accessible_for_a_programme_officer(hub, dave, page_as, path):
    page = page_as(dave)
    response = page.goto(path.format(digibank=hub.digibank_id))
    assert response.status == 200, f"{path} answered {response.status}"
    assert_accessible(page)


def test_hub_form_with_errors_is_accessible(alice, page_as):
    """The form sent back with its errors: messages tied to their fields, nothing unlabelled."""
    page = page_as(alice)
    page.goto("/staff/knooppunten/nieuw/")
    page.fill("#id_postal_code", "1000")  # Brussels: not in the digibank's area, nor in Flanders
    page.fill("#id_d0_0_opens", "12:00")
    page.fill("#id_d0_0_closes", "09:00")
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        # The browser's own checks (required name) would stop the form before the server sees it.
        page.locator("form:has(#id_name)").evaluate("form => form.noValidate = true")
        page.locator("form:has(#id_name) [type=submit]").first.click()
    assert sent.value.status == 400
    assert_accessible(page)


def test_the_check_itself_reports_an_unlabelled_field_and_an_image_without_text(page):
    """A guard on the guard: were axe not loaded or its rules not run, every test above would pass."""
    page.set_content(
        '<html lang="nl"><head><title>t</title></head><body><main>'
        '<img src="x.png"><input type="text" name="q"></main></body></html>'
    )
    assert {v["id"] for v in axe(page)} >= {"image-alt", "label"}
