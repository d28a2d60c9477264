"""The Department's figures on the staff screens: the reach of every digibank, the circularity
figures (a digibank's own, and the Department's across Flanders) and the CO2e factors with their
sources. Counts below 5 never leave a digibank (core.privacy)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import generic

from digibank.core import export
from digibank.core.roles import Perm
from digibank.core.views import StaffView, submit
from digibank.devices.register.lifecycle import Kind

from . import circularity, selectors, services
from .feedback import feedback_for_department
from .forms import EmissionFactorForm, period_from
from .models import EmissionFactor


class Reach(StaffView, generic.TemplateView):
    """How many people each digibank reaches, for the Department: counts below 5 are not shown."""

    permission = Perm.DEPARTMENT_VIEW
    template_name = "impact/reach.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.reach_per_digibank(), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            rows=page.object_list, page_obj=page, is_paginated=page.has_other_pages(), **kwargs
        )


def _keep_period(form) -> str:
    """The period in the query string of the page links, so paging keeps it."""
    if not form.is_bound:
        return ""
    return urlencode({name: form.data.get(name, "") for name in ("start", "end")}) + "&"


class Circularity(StaffView, generic.View):
    """What the digibank took in, refurbished, lent, handed over and recycled, and the CO2e reuse
    avoided, for a period: the digibank's own figures, in full."""

    permission = Perm.DEVICES_VIEW
    template_name = "impact/figures/circularity.html"

    def get(self, request):
        form, period = period_from(request.GET)
        context = {"form": form, "result": circularity.circularity_of(self.tenancy, period) if period else None}
        return render(request, self.template_name, context, status=200 if period else 400)


class CircularityDepartment(StaffView, generic.View):
    """The figures of every digibank and of Flanders, for the Department: counts below 5 are not
    shown, nor what could give them away."""

    permission = Perm.DEPARTMENT_VIEW
    template_name = "impact/figures/department.html"

    def get(self, request):
        form, period = period_from(request.GET)
        context: dict = {"form": form, "result": None, "keep_query": _keep_period(form)}
        if period is None:
            return render(request, self.template_name, context, status=400)
        result = circularity.circularity_per_digibank(period)
        page = Paginator(result.rows, 50).get_page(request.GET.get("page"))
        context.update(result=result, rows=page.object_list, page_obj=page, is_paginated=page.has_other_pages())
        return render(request, self.template_name, context)


class EmissionFactors(StaffView, generic.View):
    """The CO2e factor per type of device, each with its public source. The Department's programme
    officer changes one type at a time (`?kind=laptop` opens its form); the Department reads them."""

    permission = Perm.DEPARTMENT_VIEW
    template_name = "impact/figures/factors.html"

    def render_page(self, form=None, status=200):
        factors = circularity.emission_factors()
        can_edit = self.tenancy.can(Perm.DEPARTMENT_FACTORS)
        rows = [(kind, label, factors.get(kind)) for kind, label in Kind.choices]
        editing = None
        if can_edit and form is None and self.request.GET.get("kind") in Kind.values:
            kind = self.request.GET["kind"]
            factor = factors.get(kind)
            initial = {"kind": kind}
            if factor is not None:
                initial.update(kg_co2e=factor.kg_co2e, source=factor.source, source_url=factor.source_url)
            form = EmissionFactorForm(initial=initial)
        if form is not None:
            kind = form["kind"].value()
            editing = {
                "kind": kind,
                "label": Kind(kind).label if kind in Kind.values else "",
                "history": list(
                    EmissionFactor.history.filter(kind=kind).select_related("history_user")[:10]  # type: ignore[attr-defined]
                ),
            }
        context = {"rows": rows, "can_edit": can_edit, "form": form, "editing": editing}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page()

    def post(self, request):
        if not self.tenancy.can(Perm.DEPARTMENT_FACTORS):
            raise PermissionDenied
        form = EmissionFactorForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.emission_factor_set(
                kind=data["kind"],
                kg_co2e=data["kg_co2e"],
                source=data["source"],
                source_url=data["source_url"],
                actor=request.user,
            ),
            _("Factor saved."),
        ):
            return redirect("impact:factors")
        if form.has_error("kind"):  # a tampered type: there is no form to show it in
            messages.error(request, _("Choose a type of device."))
            return self.render_page(status=400)
        return self.render_page(form=form, status=400)


class FeedbackDepartment(StaffView, generic.View):
    """Per Flanders-wide e-service, the help contacts across Flanders, the share solved and the common
    topics, for the Department (`?format=csv` downloads them): small counts withheld."""

    permission = Perm.DEPARTMENT_VIEW
    template_name = "impact/figures/feedback.html"

    def get(self, request):
        form, period = period_from(request.GET)
        context: dict = {"form": form, "rows": None, "keep_query": _keep_period(form)}
        if period is None:
            return render(request, self.template_name, context, status=400)
        rows = feedback_for_department(period)
        if request.GET.get("format") == "csv":
            header = [_("E-service"), _("Provider"), _("Help contacts"), _("Solved"), _("Share solved"), _("Topics")]
            lines = (
                [r.name, r.provider, r.contacts, r.solved, export.percent(r.share_solved), ", ".join(r.topic_labels())]
                for r in rows
            )
            return export.csv_response(
                f"e-diensten-vlaanderen-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv", header, lines
            )
        context.update(rows=[(row, export.percent(row.share_solved)) for row in rows], period=period)
        return render(request, self.template_name, context)
