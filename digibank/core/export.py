"""Figures as a file for a spreadsheet in Belgium: CSV with semicolons, decimal commas and a BOM (so Excel
reads the accents), and shares written the Belgian way."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import formats


def percent(share: float | None) -> str:
    """A share (0..1) the Belgian way: 62,5 %; empty for none (nothing to show, or withheld)."""
    return "" if share is None else f"{formats.number_format(round(share * 100, 1), 1)} %"


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    """A download of `rows` under `header`; None is written as an empty cell."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response
