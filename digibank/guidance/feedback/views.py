"""Feedback to service owners, for the digibank: per e-service and period the help contacts, the share
solved and the most common topics, on screen and as CSV. Counts only: no people in it."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views import generic

from digibank.core.roles import Perm
from digibank.core.views import StaffView
from digibank.guidance.feedback import selectors
from digibank.guidance.feedback.forms import period_from


def percent(share: float | None) -> str:
    """A share the Belgian way: 62,5 %."""
    return "" if share is None else f"{formats.number_format(round(share * 100, 1), 1)} %"


def csv_response(rows: list[selectors.FeedbackRow], filename: str, counts=None) -> HttpResponse:
    """The figures as CSV for a spreadsheet in Belgium: semicolons, decimal commas, UTF-8 with a BOM.
    `counts` gives, per row, the (contacts, solved, share) to write (the Department's suppressed ones)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("E-service"), _("Provider"), _("Help contacts"), _("Solved"), _("Share solved"), _("Topics")])
    for i, row in enumerate(rows):
        contacts, solved, share = counts[i] if counts else (row.contacts, row.solved, row.share_solved)
        writer.writerow(
            [
                row.name,
                row.provider,
                "" if contacts is None else contacts,
                "" if solved is None else solved,
                percent(share),
                ", ".join(row.top_topic_labels()),
            ]
        )
    return response


class Feedback(StaffView, generic.View):
    """The digibank's figures per e-service for a period; `?format=csv` downloads them."""

    permission = Perm.CONTACTS_LOG
    template_name = "guidance/feedback/feedback.html"

    def get(self, request):
        form, period = period_from(request.GET)
        if period is None:
            return render(request, self.template_name, {"form": form, "rows": None}, status=400)
        rows = selectors.feedback_of(self.tenancy, *period)
        if request.GET.get("format") == "csv":
            return csv_response(rows, f"e-diensten-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.csv")
        shown = [(row, percent(row.share_solved)) for row in rows]
        query = f"start={period[0]:%Y-%m-%d}&end={period[1]:%Y-%m-%d}"
        return render(request, self.template_name, {"form": form, "rows": shown, "period": period, "query": query})
