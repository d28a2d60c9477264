"""The walk-in queue's screens: the hubs, taking a number (one big button), the ticket to print, the
desk that calls the next person, and the waiting-room screen (no log-in: reached by its secret)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_GET

from digibank.core.roles import Perm
from digibank.core.views import (
    ButtonView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    StaffView,
    add_service_errors,
    submit,
)
from digibank.guidance.queue import selectors, services
from digibank.guidance.queue.forms import CallNextForm, TakeForm
from digibank.guidance.queue.models import QueueTicket
from digibank.guidance.selectors import open_hubs
from digibank.network.models import Hub

DESK_SESSION_KEY = "queue_desk"  # the desk a person last called to, offered again
STATS_DAYS = 7
REFRESH_SECONDS = 10


class QueueHubs(ScopedListView):
    """Where the queue starts: the digibank's open hubs, each with its number button and its desk."""

    permission = Perm.QUEUE_MANAGE
    model = Hub
    template_name = "guidance/queue/hubs.html"

    def get_queryset(self):
        return open_hubs(self.tenancy)


class HubMixin(StaffView, ScopedMixin, generic.View):
    permission = Perm.QUEUE_MANAGE
    model = Hub

    def get_queryset(self):
        return open_hubs(self.tenancy)

    def load(self, pk) -> Hub:
        return get_object_or_404(self.get_queryset(), pk=pk)


class QueueTake(HubMixin):
    """One big button hands the next number out (Enter presses it); the ticket follows, to print."""

    template_name = "guidance/queue/take.html"

    def page(self, hub, form, status=200):
        today = timezone.localdate()
        context = {
            "hub": hub,
            "form": form,
            "waiting": selectors.waiting_at(self.tenancy, hub, today).count(),
            "last": selectors.queue_of(self.tenancy, hub, today).last(),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.page(self.load(pk), TakeForm())

    def post(self, request, pk):
        hub = self.load(pk)
        form = TakeForm(request.POST)
        taken: list[QueueTicket] = []
        if submit(
            request,
            form,
            lambda data: taken.append(services.ticket_take(hub=hub, actor=request.user, purpose=data["purpose"])),
            _("Number taken."),
        ):
            return redirect("guidance:queue_ticket", pk=taken[0].pk)
        return self.page(hub, form, status=400)


class QueueTicketPage(ScopedDetailView):
    """A ticket to print or to show: the number large, the hub, the time and how many wait before it."""

    permission = Perm.QUEUE_MANAGE
    model = QueueTicket
    template_name = "guidance/queue/ticket.html"

    def get_queryset(self):
        return super().get_queryset().select_related("hub")

    def get_context_data(self, **kwargs):
        return super().get_context_data(ahead=selectors.ahead_of(self.object), form=TakeForm(), **kwargs)


class QueueDesk(HubMixin):
    """The desk: call the next number, mark the called ones served or left, see who waits and how long
    people waited on the last days."""

    template_name = "guidance/queue/desk.html"

    def page(self, hub, form, status=200):
        today = timezone.localdate()
        waiting = Paginator(selectors.waiting_at(self.tenancy, hub, today), per_page=25)
        page_obj = waiting.get_page(self.request.GET.get("page"))
        context = {
            "hub": hub,
            "form": form,
            "called": list(selectors.called_at_desks(self.tenancy, hub, today)[:25]),
            "waiting": page_obj.object_list,
            "waiting_count": waiting.count,
            "page_obj": page_obj,
            "is_paginated": page_obj.has_other_pages(),
            "days": selectors.waiting_times(self.tenancy, hub, STATS_DAYS),
            "screen": selectors.screen_of(self.tenancy, hub),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        hub = self.load(pk)
        return self.page(hub, CallNextForm(initial={"desk": request.session.get(DESK_SESSION_KEY, "")}))

    def post(self, request, pk):
        """Call the next number to the desk given."""
        hub = self.load(pk)
        form = CallNextForm(request.POST)
        if form.is_valid():
            request.session[DESK_SESSION_KEY] = form.cleaned_data["desk"]
            try:
                ticket = services.ticket_call_next(hub=hub, desk=form.cleaned_data["desk"], actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                called = {"number": ticket.number, "desk": ticket.desk}
                messages.success(request, _("Number %(number)s is called to %(desk)s.") % called)
                return redirect("guidance:queue_desk", pk=hub.pk)
        return self.page(hub, form, status=400)


class TicketButton(ButtonView):
    permission = Perm.QUEUE_MANAGE
    model = QueueTicket

    def back(self, obj) -> str:
        return reverse("guidance:queue_desk", kwargs={"pk": obj.hub_id})


class TicketServed(TicketButton):
    def act(self, obj):
        return services.ticket_serve(ticket=obj, actor=self.request.user)

    def success_message(self, obj) -> str:
        return _("Number %(number)s is served.") % {"number": obj.number}


class TicketLeft(TicketButton):
    def act(self, obj):
        return services.ticket_leave(ticket=obj, actor=self.request.user)

    def success_message(self, obj) -> str:
        return _("Number %(number)s is marked as left.") % {"number": obj.number}


class ScreenRenew(HubMixin):
    """A (new) secret address for the hub's waiting-room screen."""

    def post(self, request, pk):
        hub = self.load(pk)
        services.screen_renew(hub=hub, actor=request.user)
        messages.success(request, _("The waiting-room screen has a new address; the old one no longer works."))
        return redirect("guidance:queue_desk", pk=hub.pk)


@require_GET
def waiting_room(request, token: str):
    """The waiting-room screen: the number called and its desk in large type, the next numbers; it
    reloads itself every few seconds without JavaScript. Public by its secret; numbers only."""
    board = selectors.board_for(token)
    if board is None:
        raise Http404
    response = render(
        request,
        "guidance/queue/screen.html",
        {"board": board, "refresh": REFRESH_SECONDS, "now": timezone.localtime()},
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
