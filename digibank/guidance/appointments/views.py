"""The staff screens of appointments: the hubs, a hub's agenda of a day (book for a client, mark who
came, cancel, withdraw a slot), generating slots, and the calendar feeds."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.clients.access import AccessLogged, Shows, log_shown
from digibank.clients.selectors import client_by_number
from digibank.core.roles import Perm
from digibank.core.views import ButtonView, ScopedListView, ScopedMixin, StaffView, add_service_errors, submit
from digibank.guidance.appointments import selectors, services
from digibank.guidance.appointments.forms import BookForClientForm, GenerateForm
from digibank.guidance.appointments.models import AgendaFeed, Appointment, Slot
from digibank.guidance.days import day_asked
from digibank.guidance.selectors import guidance_hubs, staff_of
from digibank.network.models import Hub
from digibank.network.selectors import own_digibank

MANAGE = Perm.APPOINTMENTS_MANAGE


class AgendaHubs(ScopedListView):
    """The hubs that take appointments, each to its agenda of today."""

    permission = MANAGE
    model = Hub
    template_name = "guidance/appointments/hubs.html"

    def get_queryset(self):
        return guidance_hubs(self.tenancy)


class HubAgenda(AccessLogged, ScopedListView):
    """A hub's slots of one day with who booked them: the desk's agenda."""

    permission = MANAGE
    model = Hub  # the one in the URL; the list is of its slots
    template_name = "guidance/appointments/agenda.html"
    shows = Shows("appointments agenda", client="clients_shown")
    clients_shown: list = []
    bookers_shown = False

    def get(self, request, *args, **kwargs):
        self.hub = get_object_or_404(Hub.objects.visible_to(self.tenancy), pk=kwargs["pk"])
        self.day = day_asked(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.agenda_on(self.tenancy, self.hub, self.day)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            hub=self.hub,
            day=self.day,
            previous_day=self.day - dt.timedelta(days=1),
            next_day=self.day + dt.timedelta(days=1),
            now=timezone.now(),
        )
        bookings = [a for slot in context["object_list"] for a in slot.booking]
        self.clients_shown = [a.client for a in bookings if a.client_id]
        self.bookers_shown = any(a.client_id is None for a in bookings)
        return context

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if self.bookers_shown:  # names given on the public site: no client record, still a read of people
            log_shown(self, Shows("appointments agenda", client=None))
        return response


class SlotsGenerate(StaffView, ScopedMixin, generic.View):
    """Open slots at a hub for a range of days, from its opening hours."""

    permission = MANAGE
    model = Hub
    template_name = "guidance/appointments/generate.html"

    def load(self, pk) -> Hub:
        return get_object_or_404(guidance_hubs(self.tenancy), pk=pk)

    def form(self, data=None):
        return GenerateForm(data, helpers=staff_of(self.tenancy))

    def page(self, hub, form, status=200):
        return render(self.request, self.template_name, {"hub": hub, "form": form}, status=status)

    def get(self, request, pk):
        return self.page(self.load(pk), self.form())

    def post(self, request, pk):
        hub = self.load(pk)
        form = self.form(request.POST)
        added: list[int] = []

        def generate(data):
            added.append(services.slots_generate(hub=hub, actor=request.user, **data))

        if form.is_valid():
            try:
                generate(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(count)s slots added.") % {"count": added[0]})
                url = reverse("guidance:agenda", kwargs={"pk": hub.pk})
                return redirect(f"{url}?dag={form.cleaned_data['first_day']:%Y-%m-%d}")
        return self.page(hub, form, status=400)


class SlotWithdraw(ButtonView):
    permission = MANAGE
    model = Slot
    success = gettext_lazy("The time is withdrawn.")

    def act(self, obj):
        return services.slot_withdraw(obj, actor=self.request.user)

    def back(self, obj):
        return agenda_url(obj)


def agenda_url(slot: Slot) -> str:
    local = timezone.localtime(slot.starts_at)
    return f"{reverse('guidance:agenda', kwargs={'pk': slot.hub_id})}?dag={local:%Y-%m-%d}"


class BookForClient(AccessLogged, StaffView, ScopedMixin, generic.View):
    """Book a slot for a client of the digibank, by the number on their card."""

    permission = MANAGE
    model = Slot
    template_name = "guidance/appointments/book.html"
    shows = Shows("appointment booking", client="client")
    client = None

    def load(self, pk) -> Slot:
        return get_object_or_404(self.get_queryset().select_related("hub"), pk=pk)

    def page(self, slot, form, status=200):
        return render(self.request, self.template_name, {"slot": slot, "form": form}, status=status)

    def get(self, request, pk):
        return self.page(self.load(pk), BookForClientForm())

    def post(self, request, pk):
        slot = self.load(pk)
        form = BookForClientForm(request.POST)

        def book(data):
            self.client = client_by_number(self.tenancy, data["card"])
            if self.client is None:
                raise ValidationError({"card": [_("No client of your digibank has this number.")]})
            services.appointment_book(slot=slot, via=Appointment.Via.STAFF, actor=request.user, client=self.client)

        if submit(request, form, book, _("The appointment is booked.")):
            return redirect(agenda_url(slot))
        return self.page(slot, form, status=400)


class AppointmentStatus(ButtonView):
    """One button of the agenda: cancel, came, did not come."""

    permission = MANAGE
    model = Appointment
    status = ""

    def act(self, obj):
        return services.appointment_set_status(obj, status=self.status, actor=self.request.user)

    def back(self, obj):
        return agenda_url(obj.slot)

    def success_message(self, obj):
        return {
            Appointment.Status.CANCELLED: _("The appointment is cancelled: the time is free again."),
            Appointment.Status.ATTENDED: _("Marked as came."),
            Appointment.Status.NO_SHOW: _("Marked as did not come."),
        }[self.status]


class AppointmentCancel(AppointmentStatus):
    status = Appointment.Status.CANCELLED


class AppointmentAttended(AppointmentStatus):
    status = Appointment.Status.ATTENDED


class AppointmentNoShow(AppointmentStatus):
    status = Appointment.Status.NO_SHOW


class Feeds(ScopedListView):
    """The secret calendar addresses of the digibank: make one for a hub or a helper, revoke one."""

    permission = MANAGE
    model = AgendaFeed
    template_name = "guidance/appointments/feeds.html"

    def get_queryset(self):
        return selectors.feeds_of(self.tenancy)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hubs"] = guidance_hubs(self.tenancy)
        context["helpers"] = staff_of(self.tenancy)
        return context

    def post(self, request):
        hub = helper = None
        if request.POST.get("hub"):
            hub = guidance_hubs(self.tenancy).filter(pk=_int(request.POST["hub"])).first()
            if hub is None:
                raise Http404
        elif request.POST.get("helper"):
            helper = staff_of(self.tenancy).filter(pk=_int(request.POST["helper"])).first()
            if helper is None:
                raise Http404
        try:
            services.feed_create(digibank=own_digibank(self.tenancy), actor=request.user, hub=hub, helper=helper)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The calendar address is made."))
        return redirect("guidance:feeds")


def _int(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 19 else 0


class FeedRevoke(ButtonView):
    permission = MANAGE
    model = AgendaFeed
    success = gettext_lazy("The calendar address no longer works.")

    def act(self, obj):
        return services.feed_revoke(obj, actor=self.request.user)

    def back(self, obj):
        return reverse("guidance:feeds")
