"""Validators shared by the models of every domain."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Bidirectional embeddings, overrides and isolates: they turn text around on screen ("Jan<U+202E>sneeP"
# shows as "JanPeens") so a name or serial number can pass for another.
_BIDI = r"\u202a-\u202e\u2066-\u2069"

MESSAGE = _(
    "This text holds invisible control or text-direction characters (often pasted along with it); "
    "type it again without them."
)


# Regex validators, written as what a text may hold, so that the API schema states the same pattern
# the server checks (drf-spectacular reads a RegexValidator's pattern into the field's schema). `+`, not
# `*`: a blank text is never validated, and the schema gives it an alternative of its own.
@deconstructible(path="digibank.core.validators.SingleLineText")
class SingleLineText(RegexValidator):
    """A name, serial number or other one-line text: no control or text-direction characters at all.
    Accents, apostrophes, hyphens and spaces are welcome ("Zoë D'Hondt-Van den Broeck")."""

    regex = rf"^[^\x00-\x1f\x7f{_BIDI}]+\Z"
    message = MESSAGE
    code = "control_characters"


@deconstructible(path="digibank.core.validators.MultiLineText")
class MultiLineText(RegexValidator):
    """A note or description: line breaks and tabs are allowed, other control and text-direction
    characters are not."""

    regex = rf"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f{_BIDI}]+\Z"
    message = MESSAGE
    code = "control_characters"


single_line_text = SingleLineText()
multi_line_text = MultiLineText()
