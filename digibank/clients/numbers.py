"""Client numbers: short, typed by hand or scanned, with a check character against typing errors."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: letters and digits a volunteer cannot confuse when typing from a card.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"


# A client number as the API takes it: its eight characters in either case, with or without the dash (or a
# space). The schema states this shape; the check character it cannot.
_CHARACTER = "[" + ALPHABET + "".join(ch for ch in ALPHABET if ch.isalpha()).lower() + "]"
PATTERN = rf"^{_CHARACTER}{{4}}[- ]?{_CHARACTER}{{4}}$"


def check_character(body: str) -> str:
    """Luhn mod N over the alphabet: catches every single wrong character and most swaps."""
    n = len(ALPHABET)
    total = 0
    for i, ch in enumerate(reversed(body)):
        value = ALPHABET.index(ch)
        if i % 2 == 0:
            value *= 2
            value = value // n + value % n
        total += value
    return ALPHABET[(n - total % n) % n]


def new_client_number() -> str:
    """A random number like 'K7QM-4XRA': eight characters, the last one a check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(7))
    number = body + check_character(body)
    return f"{number[:4]}-{number[4:]}"


def normalise(text: str) -> str:
    """What a person typed or a scanner sent, in the stored form, or '' when it cannot be a number."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(compact) != 8 or any(ch not in ALPHABET for ch in compact):
        return ""
    return f"{compact[:4]}-{compact[4:]}" if check_character(compact[:7]) == compact[7] else ""
