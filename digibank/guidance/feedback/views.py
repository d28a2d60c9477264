"""Feedback to service owners, for the digibank: per e-service and period the help contacts, the share
solved and the most common topics, on screen and as CSV. Counts only: no people in it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import generic

from digibank.core import export
from digibank.core.export import percent
from digibank.core.roles import Perm
from digibank.core.views import StaffView
from digibank.guidance.feedback import selectors
from digibank.guidance.feedback.forms import period_from


def csv_response(rows: list[selectors.FeedbackRow], filename: str) -> HttpResponse:
    """The digibank's figures as CSV for a spreadsheet in Belgium."""
    header = [_("E-service"), _("Provider"), _("Help contacts"), _("Solved"), _("Share solved"), _("Topics")]
    lines = (
        [row.name, row.provider, row.contacts, row.solved, percent(row.share_solved), ", ".join(row.top_topic_labels())]
        for row in rows
    )
    return export.csv_response(filename, header, lines)


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
