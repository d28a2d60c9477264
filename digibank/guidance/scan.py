"""A card scanner types the number and presses Enter, which posts the form before anything else is filled
in: a form with a card box treats such a post as a scan (show whom the card names, carry on filling in),
not as a form with every other field missing."""

from __future__ import annotations

from collections.abc import Iterable


def only_scanned(data, filled_in: Iterable[str], card: str = "card") -> bool:
    """True when `data` (a POST) holds a card number and none of the fields a person fills in besides it."""
    if not data.get(card, "").strip():
        return False
    return not any(value.strip() for name in filled_in for value in data.getlist(name))


def keep_card_errors(form, card: str = "card") -> None:
    """After a scan, only the card's own error stays: the other fields are still to come."""
    form.is_valid()
    for name in [name for name in form.errors if name != card]:
        del form.errors[name]
