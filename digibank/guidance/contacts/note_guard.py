"""The sensitive-note guard: a help contact's short note may not hold a national register number, an IBAN
or a password or PIN. Helpers write notes in a hurry, at the desk, with the person next to them; what
they must not write down is refused with a Dutch message that says why, never stored.

python-stdnum checks the numbers' check digits, so a date or a phone number that merely looks like one
is let through: only a number that *is* a valid national register number or IBAN is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.be import nn
from stdnum.exceptions import ValidationError as NumberError

NATIONAL_NUMBER = "national_number"
IBAN = "iban"
SECRET = "secret"

MESSAGES = {
    NATIONAL_NUMBER: _(
        "This note seems to hold a national register number. Do not write it down: the client's record "
        "already says who the person is."
    ),
    IBAN: _("This note seems to hold a bank account number (IBAN). Do not write down bank details."),
    SECRET: _(
        "This note seems to hold a password or PIN code. Never write one down: the person keeps it to themselves."
    ),
}

# 11 digits, as typed: 85073003328, 85.07.30-033.28, 85 07 30 033 28, 850730-033-28.
_NATIONAL_NUMBER = re.compile(r"(?<![0-9])[0-9]{2}(?:[ .-]?[0-9]{2}){2}[ .-]?[0-9]{3}[ .-]?[0-9]{2}(?![0-9])")
# Where an IBAN may start: a country code and two check digits, not inside a word.
_IBAN_START = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}")
# A password or PIN written down: "pin 1234", "pincode: 0000", "wachtwoord: Zomer2024", "password = x".
_PIN = re.compile(r"\bpin(?:code)?\s*[:=]?\s*[0-9]{4,8}\b", re.IGNORECASE)
_PASSWORD = re.compile(
    r"\b(?:wachtwoord|paswoord|passwoord|password|pincode|pin)\b\s*(?P<sep>[:=]|\bis\b|\bwas\b)?\s*(?P<value>\S+)",
    re.IGNORECASE,
)


def _national_numbers(text: str) -> Iterator[str]:
    for match in _NATIONAL_NUMBER.finditer(text):
        if nn.is_valid(match.group()):
            yield match.group()


def _ibans(text: str) -> Iterator[str]:
    """Each valid IBAN in the text, written with or without spaces (groups of four or not)."""
    for start in _IBAN_START.finditer(text):
        compact = ""
        for char in text[start.start() : start.start() + 50]:
            if char.isalnum() and char.isascii():
                compact += char.upper()
            elif char != " ":
                break
            if 15 <= len(compact) <= 34 and _is_iban(compact):
                yield compact
                break


def _is_iban(compact: str) -> bool:
    # The IBAN's own check (ISO 13616, modulo 97) and its country's length; not the bank's own
    # check, so an account of any bank is refused.
    try:
        iban.validate(compact, check_country=False)
    except NumberError:
        return False
    return True


def _secrets(text: str) -> Iterator[str]:
    yield from (m.group() for m in _PIN.finditer(text))
    for match in _PASSWORD.finditer(text):
        value = match.group("value").rstrip(".,;:!?)'\"")
        # "wachtwoord vergeten" is a topic; "wachtwoord: …" or a value with a digit or sign is a password.
        if match.group("sep") in (":", "=") or (value and not value.isalpha()):
            yield match.group()


def sensitive_data_in(text: str | None) -> list[str]:
    """What the text holds that may not be written down: a list of NATIONAL_NUMBER, IBAN, SECRET."""
    text = text or ""
    found = []
    for kind, finder in ((NATIONAL_NUMBER, _national_numbers), (IBAN, _ibans), (SECRET, _secrets)):
        if next(finder(text), None) is not None:
            found.append(kind)
    return found


def check_note(text: str | None) -> None:
    """Refuse a note that holds sensitive data, saying why for each kind found."""
    found = sensitive_data_in(text)
    if found:
        raise ValidationError([ValidationError(MESSAGES[kind], code=kind) for kind in found])


@deconstructible(path="digibank.guidance.contacts.note_guard.NoSensitiveData")
class NoSensitiveData:
    """The guard as a Django validator, for a model or form field."""

    def __call__(self, value) -> None:
        check_note(value)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoSensitiveData)

    def __hash__(self) -> int:
        return hash(type(self))


no_sensitive_data = NoSensitiveData()
