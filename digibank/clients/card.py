"""The client card: the client number as text, QR code and Code 128 barcode, so a scanner (which
types what it reads) or a phone finds the record through the one search box."""

from __future__ import annotations

import io
import re

import barcode
import segno
from barcode.writer import SVGWriter
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from digibank.core.pdf import html_to_pdf

from .models import Client


def _qr_svg(number: str) -> str:
    # Version 1 is enough for a number; 2 modules of quiet zone suffice on a white card.
    qr = segno.make(number, error="m", micro=False)
    return qr.svg_inline(scale=0.8, unit="mm", border=2, svgclass="client-qr", title=number)


def _barcode_svg(number: str) -> str:
    # 0.33 mm bars stay readable from an office laser printer; the number is printed beside it, so
    # the barcode carries no text of its own.
    code = barcode.get("code128", number, writer=SVGWriter())
    out = io.BytesIO()
    code.write(out, options={"module_width": 0.33, "module_height": 10, "quiet_zone": 3, "write_text": False})
    svg = out.getvalue().decode()
    # Inline SVG in HTML takes no XML declaration or doctype; fill as an attribute rather than a
    # style keeps WeasyPrint's CSS parser from warning about every bar.
    svg = re.sub(r'style="fill:(\w+);?"', r'fill="\1"', svg[svg.index("<svg") :])
    return svg


def client_card_svg_codes(client: Client) -> tuple[str, str]:
    """The client number as an inline SVG QR code and an inline SVG Code 128 barcode (sizes in mm)."""
    return _qr_svg(client.number), _barcode_svg(client.number)


def client_card_pdf(client: Client) -> bytes:
    """A credit-card-sized PDF (85.6 × 54 mm) with the digibank's name, the person's name and the
    client number in large type, as a QR code and as a barcode. Self-contained: system fonts, no
    external resources."""
    qr, bars = client_card_svg_codes(client)
    html = render_to_string(
        "clients/card_pdf.html",
        {
            "client": client,
            "digibank_name": client.digibank.name,
            "qr_svg": mark_safe(qr),  # made by segno from the client number only
            "barcode_svg": mark_safe(bars),  # made by python-barcode from the number only
        },
    )
    return html_to_pdf(html)
