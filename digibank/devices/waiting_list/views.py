"""The waiting list's screens: the line, one request with its moves, and the open offers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.clients.access import AccessLogged, Shows
from digibank.clients.selectors import client_by_number
from digibank.core.roles import Perm
from digibank.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    StaffView,
    submit,
)
from digibank.devices.common.views import ButtonAction
from digibank.devices.lending.views import desk_url
from digibank.devices.waiting_list import selectors as waiting_list_selectors
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.forms import RequestFilterForm, RequestForm, RequestMoveForm
from digibank.devices.waiting_list.models import DeviceRequest, Offer
from digibank.devices.waiting_list.selectors import UrgencyProposal
from digibank.network.selectors import own_digibank

# --- the waiting list and its offers ---------------------------------------------------------


class RequestList(AccessLogged, ScopedListView):
    """Per hub and type the waiting line in its order (urgent first, then first come, first
    served); a client is put on it here."""

    permission = Perm.REQUESTS_MANAGE
    model = DeviceRequest
    template_name = "devices/desk/requests.html"
    shows = Shows("waiting list", client=None)

    def get_queryset(self):
        self.digibank = own_digibank(self.tenancy)
        self.filter_form = RequestFilterForm(self.request.GET or None, digibank=self.digibank)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        hub = data.get("hub")
        self.filters = {"hub": hub.pk if hub else "", "kind": data.get("kind", "")}
        return waiting_list_selectors.queue(self.tenancy, hub_id=hub.pk if hub else None, kind=data.get("kind", ""))

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["proposal"] = self.new_form()
        context = super().get_context_data(
            filter_form=self.filter_form, keep_query=urlencode(self.filters) + "&", **kwargs
        )
        requests = context["object_list"] = list(context["object_list"])
        waiting_list_selectors.mark_referred(requests)
        return context

    def new_form(self) -> tuple[RequestForm, UrgencyProposal | None]:
        """The empty form; with `?card=` (from a referral), the client filled in and the urgency their
        referral proposes."""
        client = client_by_number(self.tenancy, self.request.GET.get("card", "")[:40])
        proposal = waiting_list_selectors.urgency_proposal(client) if client else None
        initial: dict[str, object] = {"card": client.number} if client else {}
        if proposal:
            initial.update(RequestForm.proposal_data(proposal))
            initial["hub"] = proposal.hub_id  # the referral's hub; the desk may choose another
        return RequestForm(tenancy=self.tenancy, digibank=self.digibank, initial=initial), proposal

    def post(self, request, *args, **kwargs):
        digibank = own_digibank(self.tenancy)
        form = RequestForm(request.POST, tenancy=self.tenancy, digibank=digibank)
        made: dict[str, DeviceRequest] = {}
        if form.is_valid() and (proposal := form.unseen_proposal()):
            # Referred by a partner: the desk sees the urgency proposed first, and may untick it.
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(form=form.proposing(proposal), proposal=proposal))

        def create(_data):
            made["request"] = waiting_list_services.request_create(
                digibank=digibank, actor=request.user, **form.service_kwargs()
            )

        if submit(request, form, create, _("The client is on the waiting list.")):
            return redirect("devices:request", pk=made["request"].pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


def render_request(request, tenancy, obj: DeviceRequest, *, move_form=None, status=200):
    line = waiting_list_selectors.line_of(obj)
    position = next((n for n, r in enumerate(line, start=1) if r.pk == obj.pk), None)
    waiting = obj.status == DeviceRequest.Status.WAITING
    context = {
        "object": obj,
        "line_length": len(line),
        "position": position,
        "moves": waiting_list_selectors.moves_of(obj),
        "offers": waiting_list_selectors.offers_of(obj),
        "move_form": (move_form or RequestMoveForm(request=obj, line=line)) if waiting and len(line) > 1 else None,
        "can_withdraw": obj.status in DeviceRequest.OPEN_STATUSES,
    }
    return render(request, "devices/desk/request_detail.html", context, status=status)


class RequestDetail(AccessLogged, ScopedDetailView):
    """One place in the line: where it stands, its moves with their reasons, its offers."""

    permission = Perm.REQUESTS_MANAGE
    model = DeviceRequest
    shows = Shows("waiting list request", client="object.client")

    def get_queryset(self):
        return waiting_list_selectors.request_detail(self.tenancy)

    def get(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        return render_request(request, self.tenancy, obj)


class RequestMove(AccessLogged, StaffView, ScopedMixin, generic.View):
    """Move someone in the line: only with a written reason, which is kept. Refused, the request's
    page comes back (a read of the client, logged like that page)."""

    shows = Shows("waiting list request", client="object.client")
    permission = Perm.REQUESTS_MANAGE
    model = DeviceRequest

    def post(self, request, pk):
        obj = self.object = get_object_or_404(waiting_list_selectors.request_detail(self.tenancy), pk=pk)
        form = RequestMoveForm(request.POST, request=obj, line=waiting_list_selectors.line_of(obj))
        if submit(
            request,
            form,
            lambda data: waiting_list_services.request_move(
                request=obj, before=form.before_request(), actor=request.user, reason=data["reason"]
            ),
            _("The place in the line is changed; the reason is kept."),
        ):
            return redirect("devices:request", pk=obj.pk)
        return render_request(request, self.tenancy, obj, move_form=form, status=400)


class RequestWithdraw(ButtonAction):
    permission = Perm.REQUESTS_MANAGE
    model = DeviceRequest
    success = gettext_lazy("The request is withdrawn.")

    def act(self, obj):
        waiting_list_services.request_withdraw(request=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:request", kwargs={"pk": obj.pk})


class OfferList(AccessLogged, ScopedListView):
    """Devices reserved for the next person in line: the desk lends it when they come, or notes
    that they declined, so it passes on."""

    permission = Perm.LOANS_MANAGE
    model = Offer
    template_name = "devices/desk/offers.html"
    shows = Shows("offers", client=None)

    def get_queryset(self):
        return waiting_list_selectors.open_offers(self.tenancy)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offers = list(context["object_list"])
        for offer in offers:
            offer.devices = [item.device for item in offer.loan.items.all() if item.open]
            offer.lend_url = desk_url(offer.request.client, [d.asset_tag for d in offer.devices])
        context.update(object_list=offers, today=timezone.localdate())
        return context


class OfferDecline(ButtonAction):
    model = Offer
    success = gettext_lazy("Noted: the device goes to the next person in line.")

    def act(self, obj):
        waiting_list_services.offer_decline(offer=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:offers")
