"""Checks on what is typed at the desk, each with a message that says what to do."""

from __future__ import annotations

import datetime as dt

import belgica
import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ADULT_AGE


def normalise_phone(raw: str) -> str:
    """A Belgian or international phone number in E.164 (+32470123456), or a ValidationError."""
    if not raw.strip():
        return ""
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a phone number we can call. Check the digits, e.g. 0470 12 34 56."), code="invalid"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "BE")
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 32
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def check_postal_code(code: str) -> None:
    if code and not belgica.get_municipalities_for_postal_code(code):
        raise ValidationError(_("This is not a Belgian postal code. Type the 4 digits, e.g. 9000."), code="invalid")


def check_birth(birth_date: dt.date | None, birth_year: int | None, today: dt.date | None = None) -> None:
    """Adults only. A date in the future, or a year before 1900, is a typing error."""
    today = today or timezone.localdate()
    if birth_date is not None:
        if birth_date > today:
            raise ValidationError({"birth_date": _("This date of birth is in the future.")})
        if birth_date.year < 1900:
            raise ValidationError({"birth_date": _("Check the year of birth.")})
        age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
        if age < ADULT_AGE:
            raise ValidationError({"birth_date": _("A digibank serves adults only: this person is under 18.")})
        if birth_year is not None and birth_year != birth_date.year:
            raise ValidationError({"birth_year": _("The year of birth does not match the date of birth.")})
    elif birth_year is not None:
        if birth_year > today.year or birth_year < 1900:
            raise ValidationError({"birth_year": _("Check the year of birth.")})
        if today.year - birth_year < ADULT_AGE:
            raise ValidationError({"birth_year": _("A digibank serves adults only: this person is under 18.")})
        if today.year - birth_year == ADULT_AGE:
            raise ValidationError({"birth_date": _("This person turns 18 this year: give the full date of birth.")})
    else:
        raise ValidationError({"birth_date": _("Give the date of birth, or at least the year of birth.")})
