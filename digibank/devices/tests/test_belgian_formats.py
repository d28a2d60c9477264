"""Numbers and dates as they are written in Belgium: "27.346,00" is an amount, "27.347" is 27347
(a dot between thousands), "27346,5" and "27346.50" are both 27346,50; dates are 3/12/2026,
03/12/2026 or 2026-12-03. The screens and the printed agreement show 27.346,38 and 3/12/2026; ids,
years and page numbers are never grouped. The English screens refuse "27,5" instead of reading 275."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import translation

from digibank.clients.tests.factories import ClientFactory
from digibank.clients.tests.pdf import pdf_text
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.documents import loan_agreement_pdf
from digibank.devices.lending.forms import BookingForm, CheckInForm
from digibank.devices.refurbishment.forms import RecycleForm, RepairCloseForm
from digibank.devices.refurbishment.models import CollectionBatch
from digibank.devices.register.forms import DeviceForm
from digibank.devices.tests.factories import DeviceFactory, DonorFactory, rules_post
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dutch(alice):
    """A browser without the language cookie, as at a hub's desk: the screens speak nl-BE."""
    browser = Browser()
    browser.force_login(alice)
    return browser


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("27.346,00", Decimal("27346.00")),
        ("27.346", Decimal("27346")),  # a dot between thousands, not a decimal point
        ("27346,5", Decimal("27346.50")),
        ("27346.50", Decimal("27346.50")),  # a dot before two digits can only be a decimal point
        ("127.346,38", Decimal("127346.38")),
    ],
)
def test_the_rules_form_reads_belgian_amounts(dutch, digibank_a, typed, meant):
    response = dutch.post(
        reverse("devices:rules"), rules_post(income_condition="threshold", income_threshold=typed, deposit="1.250,50")
    )
    assert response.status_code == 302, response.context["rules_form"].errors
    rules = lending_rules.rules_for(digibank_a)
    assert (rules.income_threshold, rules.deposit) == (meant, Decimal("1250.50"))


def test_the_rules_form_shows_belgian_amounts(dutch, digibank_a):
    lending_services.rules_update(
        digibank=digibank_a, actor=None, income_condition="threshold", income_threshold=Decimal("27346.38")
    )
    page = dutch.get(reverse("devices:rules")).content.decode()
    assert 'value="27.346,38"' in page  # the form
    assert "27.346,38" in page.split('name="income_threshold"')[0]  # the table of limits above it


def test_the_rules_form_shows_a_belgian_amount_it_refuses(dutch, digibank_a):
    response = dutch.post(
        reverse("devices:rules"), rules_post(income_condition="threshold", income_threshold="27.346,00", deposit="-5")
    )
    assert response.status_code == 400
    assert 'value="27.346,00"' in response.content.decode()
    assert lending_rules.rules_for(digibank_a).deposit == Decimal("0")


def test_weights_minutes_and_screens_read_belgian_numbers(digibank_a):
    collection = CollectionBatch.objects.none()
    with translation.override("nl-be"):
        weight = RecycleForm({"recycle-weight_kg": "1,25"}, collections=collection)
        weight.is_valid()
        repair = RepairCloseForm({"work_done": "Scherm vervangen", "minutes_spent": "1.020"})
        device = DeviceForm({"kind": "laptop", "screen_inches": "15,6"})
        device.is_valid()
        assert weight.cleaned_data["weight_kg"] == Decimal("1.25")
        assert repair.is_valid(), repair.errors
        assert repair.cleaned_data["minutes_spent"] == 1020
        assert device.cleaned_data["screen_inches"] == Decimal("15.6")


def test_the_check_in_form_reads_and_shows_a_belgian_deposit():
    with translation.override("nl-be"):
        form = CheckInForm({"missing_kind": "missing_part", "deposit_kept": "12,50"}, items=[], deposit=Decimal("1250"))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["deposit_kept"] == Decimal("12.50")
        assert "€ 1.250,00" in str(form.fields["deposit_kept"].help_text)


@pytest.mark.parametrize("typed", ["3/12/2026", "03/12/2026", "3-12-2026", "2026-12-03"])
def test_a_booking_date_is_read_the_belgian_way(digibank_a, typed):
    with translation.override("nl-be"):
        form = BookingForm({"starts_on": typed}, digibank=digibank_a)
        form.is_valid()
    assert form.cleaned_data["starts_on"] == dt.date(2026, 12, 3)


def test_years_and_ids_are_not_grouped_like_amounts(dutch, digibank_a, alice):
    client = ClientFactory(digibank=digibank_a, registered_by=alice, birth_date=None, birth_year=1985)
    page = dutch.get(reverse("clients:client", args=[client.pk])).content.decode()
    assert "1985" in page and "1.985" not in page
    page = dutch.get(reverse("clients:search"), {"q": client.last_name}).content.decode()
    assert "1985" in page and "1.985" not in page
    donor = DonorFactory(digibank=digibank_a, pk=1234)
    page = dutch.get(reverse("devices:donor", args=[donor.pk])).content.decode()
    assert "?donor=1234" in page and "1.234" not in page


def test_the_printed_agreement_shows_belgian_amounts_and_dates(digibank_a, alice, bob):
    hub = HubFactory(digibank=digibank_a, offers_lending=True)
    lending_services.rules_update(digibank=digibank_a, actor=alice, deposit=Decimal("1250"))
    person = ClientFactory(digibank=digibank_a, registered_by=bob, postal_code=hub.postal_code)
    laptop = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lending_services.loan_check_out(
        digibank=digibank_a,
        hub=hub,
        client=person,
        devices=[laptop],
        actor=bob,
        deposit_payment="owed",
        today=dt.date(2026, 12, 3),
    )
    text = " ".join(pdf_text(loan_agreement_pdf(loan)).split())
    assert "€ 1.250,00 · nog te betalen" in text
    assert "3/12/2026" in text and "03/12/2026" not in text
    due = loan.due_on
    assert f"{due.day}/{due.month}/{due.year}" in text
