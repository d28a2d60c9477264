"""The printed papers render as PDF and say what they must: the erasure certificate names the device
and its disk, the batch certificate every item and the donor, the loan agreement both names, the
client number, the items and the deposit; the label sheet holds every tag, 24 to a page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from digibank.clients.tests.factories import ClientFactory
from digibank.clients.tests.pdf import pdf_pages, pdf_text
from digibank.devices.intake import services as intake_services
from digibank.devices.intake.documents import batch_certificate_pdf, batch_labels_pdf
from digibank.devices.lending import eligibility as lending_eligibility
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.documents import loan_agreement_pdf
from digibank.devices.lending.models import Loan
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.documents import erasure_certificate_pdf
from digibank.devices.refurbishment.models import READY_CHECKLIST
from digibank.devices.register.documents import device_labels_pdf
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.tests.factories import SoftwareProfileFactory
from digibank.network.tests.factories import HubFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LOGS = Path(__file__).parent / "data"
A4 = (595.28, 841.89)  # points


def _dutch(msgid: str) -> str:
    """The text as the paper prints it, whether or not the translation exists yet."""
    with translation.override("nl-be"):
        return gettext(msgid)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Bibliotheek De Krook")


@pytest.fixture
def batch(digibank_a, hub, tom):
    donor = intake_services.donor_create(
        digibank=digibank_a, actor=tom, name="Stad Gent ICT", enterprise_number="BE 0207.451.227"
    )
    return intake_services.batch_receive(digibank=digibank_a, donor=donor, hub=hub, actor=tom, reference="AFS-2024-17")


def _laptop(batch, actor, **fields):
    fields = {"make": "Dell", "model_name": "OptiPlex 7050", "serial_number": "7XK2QJ2", **fields}
    return intake_services.device_intake(batch=batch, actor=actor, kind=fields.pop("kind", Kind.LAPTOP), **fields)


def _import(device, actor, log_name, medium="ssd"):
    text = (LOGS / log_name).read_bytes().decode()
    return refurbishment_services.erasure_import(device=device, actor=actor, log_text=text, medium=medium)


def _ready(device, actor):
    profile = SoftwareProfileFactory(digibank=device.digibank)
    refurbishment_services.ready_check_record(
        device=device, actor=actor, software_profile=profile, items=READY_CHECKLIST
    )
    return refurbishment_services.device_transition(device=device, target=State.READY, actor=actor, grade="A")


# --- the erasure certificate -----------------------------------------------------------------


def test_erasure_certificate_of_an_imported_nwipe_log_names_the_device_and_its_disk(batch, tom):
    device = _laptop(batch, tom, storage_serial="S3Z1NB0K812345X")
    record = _import(device, tom, "nwipe_0.37_ssd_prng_verified.log")

    pdf = erasure_certificate_pdf(record)

    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf)[0] == pytest.approx(A4, abs=0.5)
    text = _flat(pdf_text(pdf))
    assert "7XK2QJ2" in text  # the device's serial number
    assert "S3Z1NB0K812345X" in text  # the disk's, from the record and from nwipe's own table
    assert text.count("S3Z1NB0K812345X") >= 2
    assert record.number in text and device.asset_tag in text
    assert "Digibank Gent" in text and "Tom Wuyts" in text
    assert "PRNG Stream" in text and "nwipe 0.37" in text
    assert "21/5/2024" in text  # the day nwipe finished, the Belgian way
    assert record.report_sha256 in text.replace(" ", "")
    assert _flat(_dutch("Certificate of data sanitisation")) in text
    assert _flat(_dutch("Failed erasure: NOT a certificate of erasure")) not in text


def test_a_failed_erasure_says_it_is_not_a_certificate(batch, tom):
    device = _laptop(
        batch, tom, make="ASRock", model_name="Desktop", serial_number="ASR-991", storage_serial="Z1E5ABCD"
    )
    record = _import(device, tom, "nwipe_0.35_two_hdds_one_failed.log", medium="hdd")
    assert record.result == "failed"

    text = _flat(pdf_text(erasure_certificate_pdf(record)))

    assert _flat(_dutch("Failed erasure: NOT a certificate of erasure")) in text
    assert _flat(_dutch("Certificate of data sanitisation")) not in text
    assert "ASR-991" in text and "Z1E5ABCD" in text
    # nwipe's table shows both disks of the run; the one of this device is marked in words.
    assert "WD-WCC2ET1234567" in text
    assert _flat(_dutch("this device")) in text


def test_a_certificate_of_a_manual_erasure_has_no_tool_report(batch, tom):
    device = _laptop(batch, tom, serial_number="PF1ABC", storage_serial="")
    record = refurbishment_services.erasure_record(
        device=device,
        actor=tom,
        level="destroy",
        method="Shredded",
        tool="HSM Powerline",
        medium="hdd",
        medium_serial="WX41A",
        result="passed",
        verification="visual",
    )

    text = _flat(pdf_text(erasure_certificate_pdf(record)))

    assert "PF1ABC" in text and "WX41A" in text and "Shredded" in text
    assert _flat(_dutch("Report of the erasure tool")) not in text


# --- the batch certificate -------------------------------------------------------------------


def test_batch_certificate_lists_every_item_and_the_donor(batch, tom, alice, django_assert_max_num_queries):
    erased = _laptop(batch, tom, storage_serial="S3Z1NB0K812345X")
    record = _import(erased, tom, "nwipe_0.37_ssd_prng_verified.log")
    waiting = _laptop(batch, tom, make="HP", model_name="EliteBook 840 G5", serial_number="5CG8123XYZ")
    charger = intake_services.device_intake(
        batch=batch, actor=tom, kind=Kind.CHARGER, make="Dell", model_name="65W", serial_number="CN-0LA65"
    )
    monitor = intake_services.device_intake(batch=batch, actor=tom, kind=Kind.MONITOR, serial_number="MON-77")
    monitor = refurbishment_services.device_transition(
        device=monitor, target=State.RETIRED, actor=tom, note="Scherm gebarsten"
    )
    collection = refurbishment_services.collection_create(
        digibank=batch.digibank, actor=alice, recycler="Recupel", reference="REC-2024-001"
    )
    refurbishment_services.device_recycle(device=monitor, collection=collection, weight_kg=Decimal("4.50"), actor=alice)

    with django_assert_max_num_queries(8):
        pdf = batch_certificate_pdf(batch)

    text = _flat(pdf_text(pdf))
    for device in (erased, waiting, charger, monitor):
        assert device.serial_number in text
        assert device.asset_tag in text
    assert "Stad Gent ICT" in text and "0207.451.227" in text
    assert "Digipunt Bibliotheek De Krook" in text
    assert f"{batch.received_on.day}/{batch.received_on.month}/{batch.received_on.year}" in text
    assert record.number in text and "PRNG Stream" in text
    assert "Recupel" in text and "4,5" in text  # the weight, in Dutch notation
    assert _flat(_dutch("Not yet erased.")) in text
    assert _flat(_dutch("No data carrier: nothing to erase.")) in text


def test_batch_certificate_shows_the_latest_erasure_of_a_device(batch, tom):
    device = _laptop(batch, tom, storage_serial="")
    common = dict(level="clear", tool="nwipe 0.37", medium="ssd", verification="last")
    first = refurbishment_services.erasure_record(device=device, actor=tom, method="Zeros", result="failed", **common)
    refurbishment_services.repair_open(device=device, actor=tom, fault="Schijf vervangen")
    latest = refurbishment_services.erasure_record(
        device=device, actor=tom, method="PRNG Stream", result="passed", **common
    )

    text = _flat(pdf_text(batch_certificate_pdf(batch)))

    assert latest.number in text
    assert first.number not in text


def test_the_certificate_of_a_batch_with_many_devices_takes_the_same_queries(batch, tom, django_assert_max_num_queries):
    for n in range(30):
        device = _laptop(batch, tom, serial_number=f"SN{n:04d}", storage_serial="")
        if n % 2:
            refurbishment_services.erasure_record(
                device=device,
                actor=tom,
                level="clear",
                method="PRNG Stream",
                tool="nwipe 0.37",
                medium="ssd",
                result="passed",
                verification="last",
            )
    with django_assert_max_num_queries(8):
        text = _flat(pdf_text(batch_certificate_pdf(batch)))
    assert all(f"SN{n:04d}" in text for n in range(30))


# --- the loan agreement ----------------------------------------------------------------------


def _erased_then_ready(batch, tom, **fields):
    device = _laptop(batch, tom, storage_serial="", **fields)
    refurbishment_services.erasure_record(
        device=device,
        actor=tom,
        level="clear",
        method="PRNG Stream",
        tool="nwipe 0.37",
        medium="ssd",
        result="passed",
        verification="last",
    )
    return _ready(device, tom)


@pytest.fixture
def loan_with_client(batch, tom, bob, alice, hub, digibank_a):
    lending_services.rules_update(digibank=digibank_a, actor=alice, deposit=Decimal("25"), goals_plan_required=True)
    laptop = _erased_then_ready(batch, tom, make="Lenovo", model_name="ThinkPad T480s", serial_number="PF1KX2AB")
    charger = intake_services.device_intake(batch=batch, actor=tom, kind=Kind.CHARGER, make="Lenovo", model_name="65W")
    charger = refurbishment_services.device_transition(device=charger, target=State.READY, actor=tom, grade="A")
    client = ClientFactory(digibank=digibank_a, first_name="Fatima", last_name="El Amrani", postal_code="9000")
    loan = lending_services.loan_check_out(
        digibank=digibank_a,
        hub=hub,
        client=client,
        devices=[laptop, charger],
        actor=bob,
        attestation=lending_eligibility.Attestation(goals_plan="Zelf solliciteren via VDAB.be"),
        deposit_payment="paid",
    )
    return loan, client, laptop, charger


def test_loan_agreement_has_both_names_the_items_the_dates_and_the_deposit(loan_with_client):
    loan, client, laptop, charger = loan_with_client

    pdf = loan_agreement_pdf(loan)

    assert pdf.startswith(b"%PDF")
    text = _flat(pdf_text(pdf))
    assert "Fatima" in text and "El Amrani" in text
    assert client.number in text
    assert "PF1KX2AB" in text and laptop.asset_tag in text and charger.asset_tag in text
    assert "ThinkPad T480s" in text
    assert "25,00" in text  # the deposit
    assert "Bob Peeters" in text  # who lent it
    assert loan.number in text
    assert all(f"{d.day}/{d.month}/{d.year}" in text for d in (loan.starts_on, loan.due_on))  # 3/12/2026
    assert "Zelf solliciteren via VDAB.be" in text  # the goals plan
    assert _flat(lending_services.DEFAULT_AGREEMENT.splitlines()[2]) in text  # the agreement text, version 1


def test_a_signed_agreement_says_who_signed_on_screen_and_when_in_brussels_time(loan_with_client, bob):
    loan, client, _laptop, _charger = loan_with_client
    lending_services.loan_sign(loan=loan, actor=bob, signed_by_name="Fatima El Amrani")
    # 23:30 UTC on 1 March is half past midnight on 2 March in Brussels.
    Loan.objects.filter(pk=loan.pk).update(signed_at=dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.UTC))

    text = _flat(pdf_text(loan_agreement_pdf(loan)))

    with translation.override("nl-be"):
        expected = gettext("Signed on screen by %(name)s on %(date)s at %(time)s.") % {
            "name": "Fatima El Amrani",
            "date": "2/3/2025",
            "time": "00:30",
        }
    assert _flat(expected) in text


def test_an_agreement_keeps_the_version_it_was_signed_under(loan_with_client, alice, digibank_a):
    loan, *_ = loan_with_client
    lending_services.agreement_publish(digibank=digibank_a, text="Nieuwe afspraken, versie twee.", actor=alice)

    text = _flat(pdf_text(loan_agreement_pdf(loan)))

    assert "Nieuwe afspraken" not in text
    assert _flat(lending_services.DEFAULT_AGREEMENT.splitlines()[0]) in text


def test_a_partner_loan_agreement_names_the_organisation(batch, tom, alice, hub, digibank_a):
    lending_services.rules_update(digibank=digibank_a, actor=alice, lends_to_partners=True, partner_book_days_ahead=0)
    partner = PartnerFactory(digibank=digibank_a, name="CAW Oost-Vlaanderen", contact_name="Nadia Peeters")
    laptops = [_erased_then_ready(batch, tom, serial_number=f"CAW-{n}") for n in range(3)]
    booking = lending_services.partner_booking(
        digibank=digibank_a, hub=hub, partner=partner, devices=laptops, starts_on=timezone.localdate(), actor=alice
    )
    before = _flat(pdf_text(loan_agreement_pdf(booking)))  # a booking not yet handed over prints too
    loan = lending_services.loan_start(loan=booking, actor=alice)

    text = _flat(pdf_text(loan_agreement_pdf(loan)))

    for page in (before, text):
        assert "CAW Oost-Vlaanderen" in page and "Nadia Peeters" in page
        assert all(f"CAW-{n}" in page for n in range(3))
    assert _flat(_dutch("no deposit")) in text


# --- labels ----------------------------------------------------------------------------------


def test_label_sheet_has_the_tag_of_each_device_on_one_a4_page(batch, tom):
    devices = [_laptop(batch, tom, serial_number=f"LBL{n}") for n in range(3)]

    pdf = device_labels_pdf(devices)

    assert pdf_pages(pdf) == [pytest.approx(A4, abs=0.5)]
    text = pdf_text(pdf)
    for device in devices:
        assert device.asset_tag in text and device.serial_number in text
    assert "Digibank Gent" in text and "Dell OptiPlex 7050" in text


def test_a_sheet_holds_24_labels_and_the_25th_starts_a_new_page(batch, tom):
    devices = [
        intake_services.device_intake(batch=batch, actor=tom, kind=Kind.MOUSE, make="Logitech", model_name="M90")
        for _ in range(25)
    ]

    assert len(pdf_pages(device_labels_pdf(devices[:24]))) == 1
    pdf = batch_labels_pdf(batch)
    assert len(pdf_pages(pdf)) == 2
    text = pdf_text(pdf)
    assert all(device.asset_tag in text for device in devices)


def test_labels_can_start_further_on_a_partly_used_sheet(batch, tom):
    devices = [intake_services.device_intake(batch=batch, actor=tom, kind=Kind.MOUSE) for _ in range(4)]

    assert len(pdf_pages(device_labels_pdf(devices, skip=20))) == 1
    assert len(pdf_pages(device_labels_pdf(devices, skip=21))) == 2


def test_an_empty_batch_prints_a_sheet_that_says_so(batch):
    text = _flat(pdf_text(batch_labels_pdf(batch)))

    assert _flat(_dutch("There are no devices to print a label for.")) in text


def test_loan_agreement_names_the_digibank_and_the_hub_without_doubling_them(loan_with_client, digibank_a):
    loan, *_ = loan_with_client
    text = _flat(pdf_text(loan_agreement_pdf(loan)))
    assert loan.hub.name.startswith("Digipunt") and digibank_a.name.startswith("Digibank")
    assert "Digipunt Digipunt" not in text
    assert "Digibank Digibank" not in text and "digibank Digibank" not in text
    assert f"Plaats {loan.hub.name}" in text
