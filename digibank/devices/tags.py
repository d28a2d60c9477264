"""Codes printed on labels and papers, read by a scanner or typed from the paper.

A code is a letter that says what it names (T: a device's asset tag, L: a loan, W: an erasure
certificate) and eight characters of the client numbers' alphabet, the last a check character:
nine characters, so a code is never taken for a client number (eight) in a scan box."""

from __future__ import annotations

import secrets

from digibank.clients.numbers import ALPHABET, check_character

TAG = "T"
LOAN = "L"
CERTIFICATE = "W"


# An asset tag as the API takes it: as printed, in either case, with or without the dashes (or spaces).
_CHARACTER = "[" + ALPHABET + "".join(ch for ch in ALPHABET if ch.isalpha()).lower() + "]"
TAG_PATTERN = rf"^[{TAG}{TAG.lower()}][- ]?{_CHARACTER}{{4}}[- ]?{_CHARACTER}{{4}}$"


def new_code(prefix: str) -> str:
    """A random code like 'T-K7QM-4XRA'."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(7))
    compact = body + check_character(body)
    return f"{prefix}-{compact[:4]}-{compact[4:]}"


def normalise_code(text: str, prefix: str) -> str:
    """What a scanner sent or a person typed, in the stored form, or '' when it cannot be such a code."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(compact) != 9 or not compact.startswith(prefix):
        return ""
    body = compact[1:]
    if any(ch not in ALPHABET for ch in body) or check_character(body[:7]) != body[7]:
        return ""
    return f"{prefix}-{body[:4]}-{body[4:]}"


def new_asset_tag() -> str:
    return new_code(TAG)


def new_loan_number() -> str:
    return new_code(LOAN)


def new_certificate_number() -> str:
    return new_code(CERTIFICATE)


def normalise_tag(text: str) -> str:
    return normalise_code(text, TAG)
