"""The incidents' screens: the list of open and closed incidents and one incident with its close form."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from digibank.clients.access import AccessLogged, Shows
from digibank.core.roles import Perm
from digibank.core.views import (
    ScopedDetailView,
    ScopedListView,
    submit,
)
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import selectors as lending_selectors
from digibank.devices.lending.forms import (
    IncidentCloseForm,
    IncidentFilterForm,
)
from digibank.devices.lending.models import Incident

# --- incidents -------------------------------------------------------------------------------


class IncidentList(AccessLogged, ScopedListView):
    permission = Perm.LOANS_MANAGE
    model = Incident
    template_name = "devices/desk/incidents.html"
    shows = Shows("incident list", client=None)

    def get_queryset(self):
        self.filter_form = IncidentFilterForm(self.request.GET or None)
        status = self.filter_form.cleaned_data.get("status") if self.filter_form.is_valid() else ""
        self.status = status or Incident.Status.OPEN
        return lending_selectors.incident_list(self.tenancy, status=self.status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form, keep_query=urlencode({"status": self.status}) + "&", **kwargs
        )


class IncidentDetail(AccessLogged, ScopedDetailView):
    """An incident, closed with how it was settled."""

    permission = Perm.LOANS_MANAGE
    model = Incident
    template_name = "devices/desk/incident_detail.html"
    shows = Shows("incident", client="object.loan.client")

    def get_queryset(self):
        return lending_selectors.incident_list(self.tenancy, status="all")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", IncidentCloseForm() if self.object.status == Incident.Status.OPEN else None)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = incident = self.get_object()
        form = IncidentCloseForm(request.POST)
        if submit(
            request,
            form,
            lambda data: lending_incidents.incident_close(
                incident=incident, actor=request.user, resolution=data["resolution"]
            ),
            _("The incident is closed."),
        ):
            return redirect("devices:incident", pk=incident.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)
