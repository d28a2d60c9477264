"""HTML to PDF, for every printable document (client cards, exports, later receipts and reports)."""

from __future__ import annotations

import base64
import hashlib
import re

from weasyprint import HTML
from weasyprint.urls import URLFetcher


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML page (inline CSS and SVG, system fonts) to PDF bytes.

    Only data: URLs are fetched: a document about a person never reaches out to the network or
    the file system, whatever ends up in its HTML."""
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()


def own_style_sources(html: str) -> list[str]:
    """The Content-Security-Policy sources ('sha256-…') of the page's own <style> elements, for a document
    that is also shown in the browser: its style is allowed by hash, nothing else inline."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    ]
