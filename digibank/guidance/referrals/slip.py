"""The printed referral slip, for a person without e-mail: the code as text and as a Code 128 barcode (a
desk scanner types what it reads into the code box), the hub, its address, and what to bring. Always in
Dutch and in Brussels time, whatever the language of the person printing it."""

from __future__ import annotations

import io
import re
from zoneinfo import ZoneInfo

import barcode
from barcode.writer import SVGWriter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from digibank.core.pdf import html_to_pdf
from digibank.guidance.referrals.models import Referral, Service

BRUSSELS = ZoneInfo("Europe/Brussels")


def code_barcode_svg(code: str) -> str:
    """The code as an inline SVG Code 128 barcode; the code is printed beside it, so the bars carry no text."""
    out = io.BytesIO()
    barcode.get("code128", code, writer=SVGWriter()).write(
        out, options={"module_width": 0.33, "module_height": 12, "quiet_zone": 3, "write_text": False}
    )
    svg = out.getvalue().decode()
    return re.sub(r'style="fill:(\w+);?"', r'fill="\1"', svg[svg.index("<svg") :])


def what_to_bring(referral: Referral) -> list[str]:
    bring = [_("this slip"), _("your identity card (eID)")]
    if referral.service == Service.DEVICE:
        bring.append(_("a proof of your income or of the increased allowance, if you have one"))
    if referral.service == Service.GUIDANCE:
        bring.append(_("your phone with itsme, if you have it, and the letters you got about it"))
    return bring


def referral_slip_pdf(referral: Referral) -> bytes:
    with translation.override(settings.LANGUAGE_CODE), timezone.override(BRUSSELS):
        html = render_to_string(
            "guidance/referrals/slip_pdf.html",
            {
                "referral": referral,
                "hub": referral.to_hub,
                "barcode_svg": mark_safe(code_barcode_svg(referral.code)),  # from the code alone
                "bring": what_to_bring(referral),
                "issued_on": timezone.localdate(),
            },
        )
    return html_to_pdf(html)
