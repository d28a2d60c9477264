"""HTML to PDF, for every printable document (client cards, exports, later receipts and reports)."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML page (inline CSS and SVG, system fonts) to PDF bytes.

    Only data: URLs are fetched: a document about a person never reaches out to the network or
    the file system, whatever ends up in its HTML."""
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()
