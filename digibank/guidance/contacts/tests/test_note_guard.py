"""The sensitive-note guard on real check-digit examples: what is refused, what is let through."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from stdnum import iban
from stdnum.be import nn

from digibank.guidance.contacts.note_guard import (
    IBAN,
    NATIONAL_NUMBER,
    SECRET,
    check_note,
    no_sensitive_data,
    sensitive_data_in,
)

VALID_NN = "85.07.30-033.28"  # check digits right (97 - 850730033 mod 97 = 28)
INVALID_NN = "85.07.30-033.29"


def test_the_examples_are_what_they_claim_to_be():
    assert nn.is_valid(VALID_NN) and not nn.is_valid(INVALID_NN)
    assert iban.validate("BE68 5390 0754 7034", check_country=False)


@pytest.mark.parametrize(
    "note",
    [
        "Rijksregisternummer 85.07.30-033.28 nagekeken",
        "rrn 85073003328",
        "85 07 30 033 28",
        "nr:85073003328.",
    ],
)
def test_a_valid_national_register_number_is_refused(note):
    assert sensitive_data_in(note) == [NATIONAL_NUMBER]


@pytest.mark.parametrize("note", [f"nummer {INVALID_NN}", "85073003329", "afspraak 12.03.2026 om 14.30"])
def test_an_invalid_national_register_number_or_a_date_is_allowed(note):
    assert sensitive_data_in(note) == []
    check_note(note)  # no error


@pytest.mark.parametrize(
    "note",
    [
        "Domiciliëring op BE68 5390 0754 7034 gezet",
        "BE68539007547034",
        "be68 5390 0754 7034",
        "rekening BE71 0961 2345 6769.",
        "NL91ABNA0417164300",
    ],
)
def test_an_iban_with_or_without_spaces_is_refused(note):
    assert sensitive_data_in(note) == [IBAN]


def test_an_iban_with_a_wrong_check_digit_is_allowed():
    assert sensitive_data_in("BE68 5390 0754 7035") == []


@pytest.mark.parametrize(
    "note",
    ["pin 1234", "PIN: 0000", "pincode 123456", "wachtwoord: Zomer", "paswoord is Zomer2024!", "password = abc"],
)
def test_a_password_or_pin_is_refused(note):
    assert sensitive_data_in(note) == [SECRET]


@pytest.mark.parametrize(
    "note",
    [
        "Tax-on-web aangifte ingediend met itsme; volgende week Mijn VDAB. Bel 0470 12 34 56.",
        "wachtwoord vergeten, opnieuw ingesteld via itsme",
        "pin vergeten: nieuwe pincode aangevraagd bij de bank",
        "",
        None,
    ],
)
def test_a_note_without_any_of_these_is_allowed(note):
    assert sensitive_data_in(note) == []
    no_sensitive_data(note or "")


def test_the_refusal_says_why_in_dutch_for_each_kind_found():
    with pytest.raises(ValidationError) as error:
        no_sensitive_data(f"rrn {VALID_NN}, rekening BE68 5390 0754 7034, pin 1234")
    assert [e.code for e in error.value.error_list] == [NATIONAL_NUMBER, IBAN, SECRET]
    assert error.value.messages == [
        "Deze notitie lijkt een rijksregisternummer te bevatten. Schrijf dat niet op: het cliëntdossier zegt al "
        "wie de persoon is.",
        "Deze notitie lijkt een rekeningnummer (IBAN) te bevatten. Schrijf geen bankgegevens op.",
        "Deze notitie lijkt een wachtwoord of pincode te bevatten. Schrijf die nooit op: de persoon houdt die "
        "voor zichzelf.",
    ]


def test_the_validator_can_sit_on_a_model_field():
    from django.db import models

    field = models.TextField(validators=[no_sensitive_data])
    assert field.deconstruct()[3]["validators"] == [no_sensitive_data]
    with pytest.raises(ValidationError):
        field.run_validators("pin 4321")
