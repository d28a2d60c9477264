"""The digihelpers' screens: the coordinator's list, a helper's page with their weekly times, recording
hours, "who helped how much" in a period; and for everyone at the desk, who can help with what today."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from digibank.core.days import period_bounds
from digibank.core.roles import Perm
from digibank.core.views import ButtonView, ScopedListView, ScopedMixin, StaffView, submit
from digibank.guidance.contacts.selectors import minutes_per_helper
from digibank.guidance.helpers import selectors, services
from digibank.guidance.helpers.forms import AvailabilityForm, DigihelperForm, FinderForm, HoursForm, PeriodForm
from digibank.guidance.helpers.models import Availability, Digihelper
from digibank.network.selectors import own_digibank


class HelperList(ScopedListView):
    """The digibank's helpers, active first, with their hubs, skills and weekly times."""

    permission = Perm.HELPERS_MANAGE
    model = Digihelper
    template_name = "guidance/helpers/list.html"
    context_object_name = "helpers"

    def get_queryset(self):
        return selectors.helpers_of(self.tenancy)


class HelperCreate(StaffView):
    permission = Perm.HELPERS_MANAGE
    template_name = "guidance/helpers/form.html"

    def page(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request):
        return self.page(DigihelperForm(tenancy=self.tenancy))

    def post(self, request):
        form = DigihelperForm(request.POST, tenancy=self.tenancy)
        created: list[Digihelper] = []
        if submit(
            request,
            form,
            lambda data: created.append(
                services.helper_create(digibank=own_digibank(self.tenancy), actor=request.user, **data)
            ),
            _("Digihelper added. Add the times they usually help."),
        ):
            return redirect("guidance:helper", pk=created[0].pk)
        return self.page(form, status=400)


class HelperPage(StaffView, ScopedMixin, generic.View):
    """A helper's page: change them, and their weekly times at their hubs."""

    permission = Perm.HELPERS_MANAGE
    model = Digihelper
    template_name = "guidance/helpers/form.html"

    def get_queryset(self):
        return selectors.helpers_of(self.tenancy)

    def load(self, pk) -> Digihelper:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def page(self, helper, form=None, time_form=None, status=200):
        context = {
            "object": helper,
            "form": form or DigihelperForm(tenancy=self.tenancy, helper=helper),
            "time_form": time_form or AvailabilityForm(helper=helper),
            "times": helper.availability.all(),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.page(self.load(pk))

    def post(self, request, pk):
        helper = self.load(pk)
        form = DigihelperForm(request.POST, tenancy=self.tenancy, helper=helper)
        if submit(
            request,
            form,
            lambda data: services.helper_update(helper, actor=request.user, **data),
            _("Digihelper saved."),
        ):
            return redirect("guidance:helpers")
        return self.page(helper, form=form, status=400)


class AvailabilityAdd(HelperPage):
    """Add a weekly time from the helper's page; a refusal shows that page again with the message."""

    def get(self, request, pk):
        return redirect("guidance:helper", pk=self.load(pk).pk)

    def post(self, request, pk):
        helper = self.load(pk)
        form = AvailabilityForm(request.POST, helper=helper)
        if submit(
            request,
            form,
            lambda data: services.availability_add(helper=helper, actor=request.user, **data),
            _("Time added."),
        ):
            return redirect(reverse("guidance:helper", kwargs={"pk": helper.pk}) + "#times")
        return self.page(helper, time_form=form, status=400)


class AvailabilityRemove(ButtonView):
    permission = Perm.HELPERS_MANAGE
    model = Availability
    success = _("Time removed.")

    def act(self, obj):
        services.availability_remove(obj, actor=self.request.user)

    def back(self, obj) -> str:
        return reverse("guidance:helper", kwargs={"pk": obj.helper_id}) + "#times"


class HoursRecord(StaffView, ScopedMixin, generic.View):
    """Record hours a helper gave: the latest ones they gave are listed under the form."""

    permission = Perm.HELPERS_MANAGE
    model = Digihelper
    template_name = "guidance/helpers/hours.html"

    def page(self, helper, form, status=200):
        latest = selectors.hours_of(self.tenancy).filter(helper=helper)[:10]
        context = {"object": helper, "form": form, "latest": latest}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        helper = get_object_or_404(self.get_queryset().select_related("user"), pk=pk)
        return self.page(helper, HoursForm(tenancy=self.tenancy))

    def post(self, request, pk):
        helper = get_object_or_404(self.get_queryset().select_related("user"), pk=pk)
        form = HoursForm(request.POST, tenancy=self.tenancy)
        if submit(
            request,
            form,
            lambda data: services.hours_record(helper=helper, actor=request.user, **data),
            _("Hours recorded."),
        ):
            return redirect("guidance:helper_hours", pk=helper.pk)
        return self.page(helper, form, status=400)


def _this_month(today: dt.date) -> tuple[dt.date, dt.date]:
    return today.replace(day=1), today


class HoursOverview(StaffView):
    """Who helped how much in a period (this month until today unless another is typed)."""

    permission = Perm.HELPERS_MANAGE
    template_name = "guidance/helpers/overview.html"

    def tallies(self, start: dt.date, end: dt.date, by_hours: bool) -> list[selectors.Tally]:
        """Recorded hours plus the minutes of the help contacts a helper with a staff account logged (from
        the first moment of `start` up to the end of `end`, Brussels time)."""
        since, until = period_bounds(start, end)
        minutes = minutes_per_helper(self.tenancy, since, until)
        return selectors.hours_given(self.tenancy, start, end, contact_minutes=minutes, by_hours=by_hours)

    def get(self, request):
        start, end = _this_month(timezone.localdate())
        form = PeriodForm(request.GET or {"start": start, "end": end, "sort": "hours"})
        tallies: list[selectors.Tally] = []
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            tallies = self.tallies(start, end, by_hours=form.cleaned_data["sort"] != "name")
        context = {
            "form": form,
            "tallies": tallies,
            "start": start,
            "end": end,
            "total_hours": sum(t.minutes for t in tallies) / 60,
            "counts_contacts": any(t.contact_minutes for t in tallies),
        }
        return render(request, self.template_name, context, status=200 if form.is_valid() else 400)


class HelperFinder(StaffView):
    """The desk's question: who can help with this e-service at this hub today?"""

    permission = Perm.GUIDANCE_VIEW
    template_name = "guidance/helpers/finder.html"

    def get(self, request):
        form = FinderForm(request.GET or None, tenancy=self.tenancy)
        matches, status = None, 200
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            matches = selectors.helpers_who_can_help(
                self.tenancy, day=data["day"], e_service=data["e_service"], hub=data["hub"]
            )
        elif form.is_bound:
            status = 400
        day = form.cleaned_data["day"] if matches is not None else timezone.localdate()
        return render(request, self.template_name, {"form": form, "matches": matches, "day": day}, status=status)
