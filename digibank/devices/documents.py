"""What the device bank's printed papers share: the label sheet, the page, the rendering to PDF by
core.pdf and the QR code of an asset tag. The papers themselves sit with their features.

Each is self-contained HTML (inline CSS and SVG, system fonts) rendered to PDF by core.pdf, which
fetches nothing but data: URLs. A paper is always in the platform's language (Dutch) and its dates
in Brussels time, whatever the language or clock of the person printing it. These functions only
read: the caller has already scoped the object to the staff member's digibank."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from digibank.core.pdf import html_to_pdf

BRUSSELS = ZoneInfo("Europe/Brussels")


P = ParamSpec("P")


@dataclass(frozen=True)
class LabelSheet:
    """An A4 sheet of self-adhesive labels; sizes in mm. The default is the common sheet of
    3 × 8 labels of 70 × 37 mm, which leaves half a millimetre at the top and the bottom."""

    columns: int = 3
    rows: int = 8
    width: float = 70
    height: float = 37
    top: float = 0.5
    left: float = 0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LABEL_SHEET = LabelSheet()


def paper(build: Callable[P, bytes]) -> Callable[P, bytes]:
    """Build the whole paper, texts made in Python included, in Dutch and in Brussels time."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> bytes:
        with translation.override(settings.LANGUAGE_CODE), timezone.override(BRUSSELS):
            return build(*args, **kwargs)

    return wrapper


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, {"issued_on": timezone.localdate(), **context})
    return html_to_pdf(html)


def person_line(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def tag_qr(tag: str) -> SafeString:
    # Made by segno from the asset tag alone (letters, digits and dashes): safe to inline. Version 1
    # holds the tag; about 1 mm per module is easy for a cheap desk scanner.
    qr = segno.make(tag, error="m", micro=False)
    return mark_safe(qr.svg_inline(scale=1, unit="mm", border=2, svgclass="tag-qr", title=tag))
