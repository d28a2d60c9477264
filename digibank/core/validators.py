"""Validators shared by the models of every domain."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidirectional embeddings, overrides and isolates: they turn text around on screen ("Jan<U+202E>sneeP"
# shows as "JanPeens") so a name or serial number can pass for another.
_BIDI = "\u202a-\u202e\u2066-\u2069"
# Control characters cannot be seen either, and break labels, exports and searches.
_ANY_CONTROL = re.compile(f"[\x00-\x1f\x7f{_BIDI}]")
_CONTROL_BUT_LINE_BREAKS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{_BIDI}]")

MESSAGE = _(
    "This text holds invisible control or text-direction characters (often pasted along with it); "
    "type it again without them."
)


def single_line_text(value: str) -> None:
    """A name, serial number or other one-line text: no control or text-direction characters at all.
    Accents, apostrophes, hyphens and spaces are welcome ("Zoë D'Hondt-Van den Broeck")."""
    if value and _ANY_CONTROL.search(value):
        raise ValidationError(MESSAGE, code="control_characters")


def multi_line_text(value: str) -> None:
    """A note or description: line breaks and tabs are allowed, other control and text-direction
    characters are not."""
    if value and _CONTROL_BUT_LINE_BREAKS.search(value):
        raise ValidationError(MESSAGE, code="control_characters")
