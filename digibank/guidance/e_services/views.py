"""The catalogue's screens: the list for everyone in a digibank and the Department; adding and changing
a service for whoever keeps it (the coordinator their digibank's own, the Department Flanders-wide ones)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import generic

from digibank.core.roles import Perm
from digibank.core.views import ScopedListView, ScopedMixin, StaffView, submit
from digibank.guidance.e_services import selectors, services
from digibank.guidance.e_services.forms import EServiceForm
from digibank.guidance.e_services.models import EService

READ = (Perm.GUIDANCE_VIEW, Perm.DEPARTMENT_VIEW)
KEEP = (Perm.E_SERVICES_MANAGE, Perm.DEPARTMENT_E_SERVICES)


class EServiceList(ScopedListView):
    """The e-services the digibank helps with: Flanders-wide and its own, the inactive ones last."""

    permission = READ
    model = EService
    template_name = "guidance/e_services/list.html"

    def get_queryset(self):
        return selectors.catalogue_of(self.tenancy)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(service, selectors.may_keep(self.tenancy, service)) for service in context["object_list"]]
        context["may_add"] = selectors.may_add(self.tenancy)
        return context


class EServiceCreate(StaffView):
    permission = KEEP
    template_name = "guidance/e_services/form.html"

    def page(self, form, status=200):
        flanders = selectors.digibank_of_new(self.tenancy) is None
        return render(self.request, self.template_name, {"form": form, "flanders": flanders}, status=status)

    def get(self, request):
        return self.page(EServiceForm())

    def post(self, request):
        form = EServiceForm(request.POST)
        digibank = selectors.digibank_of_new(self.tenancy)
        if submit(
            request,
            form,
            lambda data: services.e_service_create(digibank=digibank, actor=request.user, **data),
            _("E-service added."),
        ):
            return redirect("guidance:e_services")
        return self.page(form, status=400)


class EServiceEdit(StaffView, ScopedMixin, generic.View):
    """Change a service one keeps; another digibank's local service is a 404, a Flanders-wide one (for a
    coordinator) a 403."""

    permission = KEEP
    model = EService
    template_name = "guidance/e_services/form.html"

    def load(self, pk) -> EService:
        service = get_object_or_404(self.get_queryset(), pk=pk)
        if not selectors.may_keep(self.tenancy, service):
            raise PermissionDenied
        return service

    def page(self, service, form, status=200):
        context = {"form": form, "object": service, "flanders": service.is_flanders_wide}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        service = self.load(pk)
        return self.page(service, EServiceForm(service=service))

    def post(self, request, pk):
        service = self.load(pk)
        form = EServiceForm(request.POST, service=service)
        if submit(
            request,
            form,
            lambda data: services.e_service_update(service, actor=request.user, **data),
            _("E-service saved."),
        ):
            return redirect("guidance:e_services")
        return self.page(service, form, status=400)
