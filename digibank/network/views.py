"""Staff screens of the network: thin views over the services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.core.roles import Perm
from digibank.core.startpage import panels_for
from digibank.core.tenancy import choose_digibank
from digibank.core.views import (
    ButtonView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    StaffView,
    add_service_errors,
    submit,
)

from . import selectors, services
from .forms import (
    DigibankForm,
    DigibankStartForm,
    HubExceptionForm,
    HubForm,
    MembershipForm,
    PartnerForm,
    PhaseForm,
    ServiceAreaForm,
    WeekHoursForm,
)
from .models import Digibank, Hub, HubException, Membership, Partner


class Home(StaffView, generic.TemplateView):
    """The start page after log-in: the day's work of the person's roles, in panels the domains give
    (core.startpage). The Department goes to its overview, a person with several digibanks chooses
    one first."""

    permission = None
    template_name = "network/home.html"

    def get(self, request, *args, **kwargs):
        if self.tenancy.digibank_id is None:
            if self.tenancy.is_department and not self.tenancy.needs_choice:
                return redirect("staff:department")
            return redirect("staff:choose")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        digibank = selectors.own_digibank(self.tenancy)
        return super().get_context_data(digibank=digibank, panels=panels_for(self.tenancy), **kwargs)


class Choose(StaffView, generic.TemplateView):
    """A person with roles in several digibanks chooses the one they work in now."""

    permission = None
    template_name = "network/choose.html"

    def post(self, request, *args, **kwargs):
        try:
            digibank_id = int(request.POST.get("digibank", ""))
        except ValueError:
            digibank_id = 0
        if not choose_digibank(request, digibank_id):
            messages.error(request, _("You have no role in that digibank."))
            return redirect("staff:choose")
        target = request.POST.get("next") or reverse("staff:home")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("staff:home")
        return HttpResponseRedirect(target)


# Partners -------------------------------------------------------------------------------------


class PartnerList(ScopedListView):
    permission = Perm.NETWORK_VIEW
    model = Partner
    template_name = "network/partner_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by(F("left_on").desc(nulls_first=True), "name")


class PartnerDetail(ScopedDetailView):
    permission = Perm.NETWORK_VIEW
    model = Partner
    template_name = "network/partner_detail.html"

    def get_context_data(self, **kwargs):
        history = self.object.history.select_related("history_user").order_by("-history_date")[:20]
        return super().get_context_data(history=history, **kwargs)


class PartnerCreate(StaffView, generic.FormView):
    permission = Perm.NETWORK_MANAGE
    form_class = PartnerForm
    template_name = "network/partner_form.html"

    def form_valid(self, form):
        digibank = selectors.own_digibank(self.tenancy)
        try:
            partner = services.partner_create(digibank=digibank, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Partner %(name)s added.") % {"name": partner.name})
        return redirect("staff:partner", pk=partner.pk)


class PartnerUpdate(StaffView, ScopedMixin, generic.UpdateView):
    permission = Perm.NETWORK_MANAGE
    model = Partner
    form_class = PartnerForm
    template_name = "network/partner_form.html"

    def form_valid(self, form):
        try:
            partner = services.partner_update(partner=self.object, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Changes saved."))
        return redirect("staff:partner", pk=partner.pk)


# Hubs -----------------------------------------------------------------------------------------


class HubList(ScopedListView):
    permission = Perm.NETWORK_VIEW
    model = Hub
    template_name = "network/hub_list.html"

    def get_queryset(self):
        return super().get_queryset().with_hours().order_by(F("closed_on").desc(nulls_first=True), "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for hub in context["object_list"]:
            hub.open_now = hub.is_open_at(now)
        return context


class HubDetail(ScopedDetailView):
    permission = Perm.NETWORK_VIEW
    model = Hub
    template_name = "network/hub_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_hours()

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        history = self.object.history.select_related("history_user").order_by("-history_date")[:20]
        return super().get_context_data(
            week=self.object.week(today),
            history=history,
            exceptions=self.object.exceptions.all(),
            **kwargs,  # prefetched: from today on
        )


class HubEditMixin:
    """The hub form and its week grid are one page, saved together."""

    template_name = "network/hub_form.html"

    def render_forms(self, form, week, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "week": week, "object": getattr(self, "object", None)},
            status=status,
        )

    def digibank(self):
        return selectors.own_digibank(self.tenancy)


class HubCreate(StaffView, HubEditMixin, generic.View):
    permission = Perm.NETWORK_MANAGE

    def get(self, request):
        return self.render_forms(HubForm(digibank=self.digibank()), WeekHoursForm())

    def post(self, request):
        digibank = self.digibank()
        form, week = HubForm(request.POST, digibank=digibank), WeekHoursForm(request.POST)
        if form.is_valid() & week.is_valid():
            try:
                hub = services.hub_create(
                    digibank=digibank,
                    actor=request.user,
                    opening_hours=week.cleaned_data["periods"],
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Hub %(name)s added.") % {"name": hub.name})
                return redirect("staff:hub", pk=hub.pk)
        return self.render_forms(form, week, status=400)


class HubUpdate(StaffView, ScopedMixin, HubEditMixin, generic.View):
    permission = Perm.NETWORK_MANAGE
    model = Hub

    def load(self, pk):
        self.object = get_object_or_404(self.get_queryset().with_hours(), pk=pk)
        return self.object

    def periods(self, hub):
        return [(h.weekday, h.opens, h.closes) for h in hub.opening_hours.all()]

    def get(self, request, pk):
        hub = self.load(pk)
        return self.render_forms(
            HubForm(instance=hub, digibank=hub.digibank), WeekHoursForm(initial_periods=self.periods(hub))
        )

    def post(self, request, pk):
        hub = self.load(pk)
        form, week = HubForm(request.POST, instance=hub, digibank=hub.digibank), WeekHoursForm(request.POST)
        if form.is_valid() & week.is_valid():
            try:
                services.hub_update_with_hours(
                    hub=hub, actor=request.user, opening_hours=week.cleaned_data["periods"], **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("staff:hub", pk=hub.pk)
        return self.render_forms(form, week, status=400)


class HubExceptionCreate(StaffView, ScopedMixin, generic.View):
    """Add a closure or other hours to a hub (named by pk)."""

    permission = Perm.NETWORK_MANAGE
    model = Hub
    template_name = "network/hub_exception_form.html"

    def get(self, request, pk):
        hub = get_object_or_404(self.get_queryset(), pk=pk)
        return render(request, self.template_name, {"hub": hub, "form": HubExceptionForm()})

    def post(self, request, pk):
        hub = get_object_or_404(self.get_queryset(), pk=pk)
        form = HubExceptionForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.hub_exception_add(hub=hub, actor=request.user, **data),
            _("Exception added."),
        ):
            return redirect("staff:hub", pk=hub.pk)
        return render(request, self.template_name, {"hub": hub, "form": form}, status=400)


class HubExceptionRemove(StaffView, ScopedMixin, generic.View):
    permission = Perm.NETWORK_MANAGE
    model = HubException

    def post(self, request, pk):
        exception = get_object_or_404(self.get_queryset(), pk=pk)
        services.hub_exception_remove(exception=exception, actor=request.user)
        messages.success(request, _("Exception removed."))
        return redirect("staff:hub", pk=exception.hub_id)


# The digibank itself ----------------------------------------------------------------------------


class DigibankSettings(StaffView, generic.View):
    """The coordinator's page for the digibank's own details and its service area."""

    permission = Perm.NETWORK_MANAGE
    template_name = "network/digibank_settings.html"

    def digibank(self):
        return selectors.own_digibank(self.tenancy)

    def render_page(self, digibank, form=None, area=None, status=200):
        form = form or DigibankForm(instance=digibank)
        area = area or ServiceAreaForm(initial={"municipalities": list(digibank.service_area.all())})
        return render(
            self.request,
            self.template_name,
            {"digibank": digibank, "form": form, "area": area, "area_groups": area.by_province()},
            status=status,
        )

    def get(self, request):
        return self.render_page(self.digibank())

    def post(self, request):
        digibank = self.digibank()
        if request.POST.get("part") == "area":
            area = ServiceAreaForm(request.POST)
            if area.is_valid():
                try:
                    services.service_area_set(
                        digibank=digibank, actor=request.user, municipalities=area.cleaned_data["municipalities"]
                    )
                except ValidationError as error:
                    add_service_errors(
                        area,
                        error.error_dict
                        and ValidationError({"municipalities": error.error_dict["service_area"]})
                        or error,
                    )
                else:
                    messages.success(request, _("Service area saved."))
                    return redirect("staff:settings")
            return self.render_page(digibank, area=area, status=400)
        form = DigibankForm(request.POST, instance=digibank)
        if submit(
            request,
            form,
            lambda data: services.digibank_update(digibank=digibank, actor=request.user, **data),
            _("Changes saved."),
        ):
            return redirect("staff:settings")
        return self.render_page(digibank, form=form, status=400)


# Roles ----------------------------------------------------------------------------------------


class MembershipList(ScopedListView):
    permission = Perm.MEMBERS_MANAGE
    model = Membership
    template_name = "network/membership_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("user", "partner").order_by("-is_active", "user__last_name")


class MembershipCreate(StaffView, generic.FormView):
    permission = Perm.MEMBERS_MANAGE
    form_class = MembershipForm
    template_name = "network/membership_form.html"

    def digibank(self):
        return selectors.own_digibank(self.tenancy)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "digibank": self.digibank()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.membership_grant_by_email(
                digibank=self.digibank(),
                actor=self.request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                partner=data["partner"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Role given."))
        return redirect("staff:members")


class MembershipEnd(ButtonView):
    permission = Perm.MEMBERS_MANAGE
    model = Membership
    success = gettext_lazy("Role ended.")

    def act(self, obj):
        services.membership_end(membership=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("staff:members")


# The Department -------------------------------------------------------------------------------


class DepartmentOverview(StaffView, generic.ListView):
    """All digibanks, for the Department: network facts only, never people."""

    permission = Perm.DEPARTMENT_VIEW
    template_name = "network/department_overview.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.digibanks_overview()


class DepartmentDigibank(StaffView, generic.DetailView):
    permission = Perm.DEPARTMENT_VIEW
    template_name = "network/department_digibank.html"
    model = Digibank

    def get_queryset(self):
        return selectors.digibanks_overview().prefetch_related("service_area")

    def get_context_data(self, **kwargs):
        hubs, partners = selectors.hubs_and_partners(self.object)
        return super().get_context_data(
            hubs=hubs, partners=partners, phase_form=PhaseForm(initial={"phase": self.object.phase}), **kwargs
        )


class DepartmentDigibankStart(StaffView, generic.FormView):
    permission = Perm.DEPARTMENT_DIGIBANKS
    form_class = DigibankStartForm
    template_name = "network/department_start.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            digibank = services.digibank_start(actor=self.request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Digibank %(name)s started.") % {"name": digibank.name})
        return redirect("staff:department_digibank", pk=digibank.pk)


class DepartmentDigibankPhase(StaffView, generic.View):
    permission = Perm.DEPARTMENT_DIGIBANKS
    model = Digibank

    def post(self, request, pk):
        digibank = get_object_or_404(selectors.digibanks_of(self.tenancy), pk=pk)
        form = PhaseForm(request.POST)
        if form.is_valid():
            services.digibank_phase_set(digibank=digibank, actor=request.user, phase=form.cleaned_data["phase"])
            messages.success(request, _("Phase changed."))
        else:
            messages.error(request, _("Choose a phase."))
        return redirect("staff:department_digibank", pk=digibank.pk)


class Coverage(StaffView, generic.TemplateView):
    permission = Perm.DEPARTMENT_VIEW
    template_name = "network/coverage.html"

    def get_context_data(self, **kwargs):
        provinces, flanders = selectors.coverage()
        return super().get_context_data(provinces=provinces, flanders=flanders, **kwargs)
