"""The desk's screens of the device bank: lend with a scanner, take back, the loans and the
overdue list, incidents, the waiting list and its offers, partner bookings, the lending rules.

Thin views: permission, form, one service, redirect or render. Every screen that shows a borrower
logs the read, like the client record does; the technician (no LOANS_MANAGE) gets none of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.clients.access import AccessLogged, Shows
from digibank.clients.models import Client
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
from digibank.network.selectors import own_digibank

from .. import selectors, services
from ..forms.desk import (
    AgreementForm,
    BookingForm,
    CancelForm,
    CheckInForm,
    ClientCardForm,
    HandOverForm,
    IncidentCloseForm,
    IncidentFilterForm,
    IncidentReportForm,
    LendForm,
    LoanFilterForm,
    RequestFilterForm,
    RequestForm,
    RequestMoveForm,
    RulesForm,
    SignForm,
    TakeBackForm,
)
from ..models import DeviceRequest, Incident, LendingRules, Loan, Offer


def desk_url(client: Client | None, tags: Sequence[str] = ()) -> str:
    """The desk page with a client (and devices) filled in: from an offer or a client's record."""
    query = {}
    if client is not None:
        query["card"] = client.number
    if tags:
        query["tags"] = "\n".join(tags)
    return f"{reverse('devices:desk')}?{urlencode(query)}" if query else reverse("devices:desk")


# --- lending at the desk ---------------------------------------------------------------------


def render_desk(
    request,
    tenancy,
    *,
    card_form: ClientCardForm,
    client: Client | None = None,
    lend_form: LendForm | None = None,
    take_back: TakeBackForm | None = None,
    devices=(),
    checked: bool = False,
    status: int = 200,
):
    digibank = own_digibank(tenancy)
    rules = services.rules_for(digibank)
    context: dict[str, Any] = {
        "card_form": card_form,
        "client": client,
        "lend_form": lend_form,
        "take_back_form": take_back or TakeBackForm(),
        "rules": rules,
        "to_attest": rules.conditions_to_attest(),
        "devices": devices,
        "checked": checked,
        "counts": selectors.open_count(tenancy),
    }
    if client is not None:
        open_loans = selectors.client_loans(tenancy, client)
        context["open_loans"] = open_loans
        if lend_form is not None and not lend_form.is_bound:
            context["outlook"] = selectors.lending_outlook(rules=rules, client=client, open_loans=open_loans)
        card_form.fields["card"].widget.attrs.pop("autofocus", None)
        if lend_form is not None:
            lend_form.fields["tags"].widget.attrs["autofocus"] = True
    if lend_form is not None and lend_form.is_bound:
        context["household_limit"] = lend_form.household_limit()
        context["household_size"] = getattr(lend_form, "cleaned_data", {}).get("household_size")
    if checked and lend_form is not None and not lend_form.errors:
        context["terms"] = {**asdict(services.loan_terms(rules)), "deposit_payment": lend_form.deposit_answer()}
        lend_form.fields["tags"].widget.attrs.pop("autofocus", None)
    return render(request, "devices/desk/desk.html", context, status=status)


class Desk(AccessLogged, StaffView, generic.View):
    """Step 1: scan the client card (the page shows who it is, their loans and whether the rules
    allow a loan). Step 2: scan the device and its accessories, answer what the rules ask, Check,
    then Lend. Works with a scanner and a keyboard alone."""

    permission = Perm.LOANS_MANAGE
    shows = Shows("lending desk", client="client")

    def get(self, request):
        rules = services.rules_for(own_digibank(self.tenancy))
        bound = bool(request.GET.get("card", "").strip())
        card_form = ClientCardForm(request.GET if bound else None, tenancy=self.tenancy)
        self.client = client = card_form.cleaned_data["client"] if bound and card_form.is_valid() else None
        lend_form = None
        if client is not None:
            lend_form = LendForm(
                tenancy=self.tenancy,
                rules=rules,
                hubs=services.lending_hubs(self.tenancy.digibank_id),
                initial={"card": client.number, "tags": request.GET.get("tags", "")},
            )
        return render_desk(
            request,
            self.tenancy,
            card_form=card_form,
            client=client,
            lend_form=lend_form,
            status=400 if bound and client is None else 200,
        )

    def post(self, request):
        digibank = own_digibank(self.tenancy)
        rules = services.rules_for(digibank)
        form = LendForm(request.POST, tenancy=self.tenancy, rules=rules, hubs=services.lending_hubs(digibank))
        card_form = ClientCardForm(tenancy=self.tenancy, initial={"card": request.POST.get("card", "")})
        valid = form.is_valid()
        self.client = client = form.cleaned_data.get("client")
        if not valid:
            return render_desk(request, self.tenancy, card_form=card_form, client=client, lend_form=form, status=400)
        devices, problems = services.find_devices(digibank_id=digibank.pk, codes=form.codes())
        attestation = form.attestation()
        if request.POST.get("action") == "lend" and not problems:
            try:
                loan = services.loan_check_out(
                    digibank=digibank,
                    hub=form.chosen_hub(),
                    client=client,
                    devices=devices,
                    actor=request.user,
                    attestation=attestation,
                    deposit_payment=form.deposit_answer(),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    form.add_reasons(error.message_dict)
                else:
                    form.add_error(None, error)
                return render_desk(
                    request,
                    self.tenancy,
                    card_form=card_form,
                    client=client,
                    lend_form=form,
                    devices=devices,
                    checked=True,
                    status=400,
                )
            messages.success(
                request,
                _("Loan %(number)s is made. Print the agreement or let the client sign it on screen.")
                % {"number": loan.number},
            )
            return redirect("devices:loan", pk=loan.pk)
        verdict = services.loan_preview(
            digibank=digibank,
            client=client,
            devices=devices,
            attestation=attestation,
            deposit_payment=form.deposit_answer(),
        )
        reasons = {key: list(messages_) for key, messages_ in verdict.reasons.items()}
        for key, messages_ in problems.items():
            reasons[key] = list(messages_) + reasons.get(key, [])
        form.add_reasons(reasons)
        return render_desk(
            request,
            self.tenancy,
            card_form=card_form,
            client=client,
            lend_form=form,
            devices=devices,
            checked=True,
            status=400 if form.errors else 200,
        )


class TakeBack(StaffView, generic.View):
    """Scan any label of a loan: the device, an accessory or the loan number; the check-in opens."""

    permission = Perm.LOANS_MANAGE

    def get(self, request):
        form = TakeBackForm(request.GET if request.GET.get("label", "").strip() else None)
        if not form.is_bound:
            return redirect("devices:desk")
        if form.is_valid():
            loan, problem = selectors.open_loan_for_label(self.tenancy, form.cleaned_data["label"])
            if loan is not None:
                return redirect("devices:checkin", pk=loan.pk)
            form.add_error("label", problem)
        form.fields["label"].widget.attrs["autofocus"] = True
        card_form = ClientCardForm(tenancy=self.tenancy)
        card_form.fields["card"].widget.attrs.pop("autofocus", None)
        return render_desk(request, self.tenancy, card_form=card_form, take_back=form, status=400)


# --- the loan page and what is done from it --------------------------------------------------


def _conditions(loan: Loan) -> list[str]:
    """The rules as they applied at check-out, in words."""
    said = loan.conditions or {}
    lines = []
    if said.get("partner"):
        lines.append(_("A set lent to a partner organisation."))
    if "loan_days" in said:
        lines.append(_("Loan period: %(days)s days.") % {"days": said["loan_days"]})
    income = said.get("income")
    if income == "increased_allowance":
        lines.append(_("Income condition met: the client has the increased allowance."))
    elif income == "below_threshold":
        lines.append(_("Income condition met: the household income is below the limit."))
    training = said.get("training")
    if isinstance(training, dict):
        if training.get("when") == LendingRules.Training.BEFORE:
            lines.append(_("Training “%(name)s” completed before the loan.") % {"name": training.get("name", "")})
        else:
            lines.append(_("Training “%(name)s” to follow during the loan.") % {"name": training.get("name", "")})
    if said.get("referred_by"):
        partner = selectors.referring_partner(loan)
        lines.append(_("Referred by %(partner)s.") % {"partner": partner.name if partner else _("a partner")})
    return lines


def render_loan(request, tenancy, loan: Loan, *, status: int = 200, **forms):
    items = selectors.loan_items(loan)
    rows = [(item, selectors.item_outcome(loan, item)) for item in items]
    on_loan = loan.status == Loan.Status.ON_LOAN
    offer = selectors.offer_of(loan)
    context: dict[str, Any] = {
        "object": loan,
        "loan": loan,
        "items": items,
        "rows": rows,
        "incidents": list(loan.incidents.select_related("device").order_by("reported_at", "pk")),
        "conditions": _conditions(loan),
        "offer": offer,
        "on_loan": on_loan,
        "overdue": loan.is_overdue(),
        "extension_refusal": services.extension_refusals([loan])[loan.pk] if on_loan else "",
        "back_to_wiping": selectors.back_to_wiping(loan, items),
        "taken_out": [i.device for i in items if i.missing],
        "can_see_client": tenancy.can(Perm.CLIENTS_VIEW),
    }
    if on_loan:
        if not loan.signed_at:
            context["sign_form"] = forms.get("sign_form") or SignForm()
        context["report_form"] = forms.get("report_form") or IncidentReportForm(loan=loan)
        if loan.client_id:
            context["hand_over_form"] = forms.get("hand_over_form") or HandOverForm(loan=loan)
    if loan.status == Loan.Status.RESERVED:
        if loan.partner_id:
            context["cancel_form"] = forms.get("cancel_form") or CancelForm()
        elif loan.client_id:
            context["lend_url"] = desk_url(loan.client, [i.device.asset_tag for i in items if i.open])
    return render(request, "devices/desk/loan_detail.html", context, status=status)


class LoanDetail(AccessLogged, ScopedDetailView):
    """The loan: borrower, devices, dates, deposit, conditions, agreement and signature; from here
    the desk prints, signs, extends, reports a loss, hands over for good, or takes it back."""

    permission = Perm.LOANS_MANAGE
    model = Loan
    shows = Shows("loan", client="object.client")

    def get_queryset(self):
        return selectors.loan_detail(self.tenancy)

    def get(self, request, *args, **kwargs):
        self.object = loan = self.get_object()
        return render_loan(request, self.tenancy, loan)


class LoanAgreementPdf(AccessLogged, StaffView, ScopedMixin, generic.View):
    """The loan agreement as a PDF to print and sign: both names, the devices, dates, conditions, deposit."""

    permission = Perm.LOANS_MANAGE
    model = Loan
    shows = Shows("loan agreement", client="object.client")

    def get(self, request, pk):
        from ..documents import loan_agreement_pdf

        self.object = loan = get_object_or_404(selectors.loan_detail(self.tenancy), pk=pk)
        pdf = loan_agreement_pdf(loan)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="agreement-{loan.number}.pdf"'
        return response


class LoanFormAction(StaffView, ScopedMixin, generic.View):
    """A form on the loan page: valid input runs one service; bad input shows the page again, 400."""

    permission = Perm.LOANS_MANAGE
    model = Loan
    form_name = ""
    success: Any = ""

    def make_form(self, loan: Loan, data):
        raise NotImplementedError

    def act(self, loan: Loan, form, data) -> object:
        raise NotImplementedError

    def post(self, request, pk):
        loan = get_object_or_404(selectors.loan_detail(self.tenancy), pk=pk)
        form = self.make_form(loan, request.POST)
        if submit(request, form, lambda data: self.act(loan, form, data), str(self.success)):
            return redirect("devices:loan", pk=loan.pk)
        return render_loan(request, self.tenancy, loan, status=400, **{self.form_name: form})


class LoanSign(LoanFormAction):
    form_name = "sign_form"
    success = gettext_lazy("The signature is recorded.")

    def make_form(self, loan, data):
        return SignForm(data)

    def act(self, loan, form, data):
        return services.loan_sign(loan=loan, actor=self.request.user, signed_by_name=data["signed_by_name"])


class LoanReport(LoanFormAction):
    form_name = "report_form"
    success = gettext_lazy("The incident is recorded.")

    def make_form(self, loan, data):
        return IncidentReportForm(data, loan=loan)

    def act(self, loan, form, data):
        return services.incident_report(
            loan=loan,
            device=form.chosen_device(),
            kind=data["kind"],
            actor=self.request.user,
            description=data["description"],
        )


class LoanHandOver(LoanFormAction):
    form_name = "hand_over_form"
    success = gettext_lazy("The device now belongs to the client.")

    def make_form(self, loan, data):
        return HandOverForm(data, loan=loan)

    def act(self, loan, form, data):
        if loan.client is None:
            raise ValidationError(_("Only a client's loan can be handed over for good."))
        return services.device_hand_over(
            device=form.chosen_device(), client=loan.client, actor=self.request.user, note=data["note"]
        )


class LoanCancel(LoanFormAction):
    """Cancel a partner's booking; its devices are ready again."""

    form_name = "cancel_form"
    success = gettext_lazy("The booking is cancelled; its devices are ready again.")

    def make_form(self, loan, data):
        return CancelForm(data)

    def act(self, loan, form, data):
        return services.booking_cancel(loan=loan, actor=self.request.user, reason=data["reason"])


class ButtonAction(ButtonView):
    permission = Perm.LOANS_MANAGE


class LoanExtend(ButtonAction):
    """One click, where the rules allow it; from the loan page or the overdue list."""

    model = Loan

    def act(self, obj):
        self.extended = services.loan_extend(loan=obj, actor=self.request.user)

    def success_message(self, obj):
        return _("Loan %(number)s is extended until %(date)s.") % {
            "number": obj.number,
            "date": formats.date_format(self.extended.due_on, "SHORT_DATE_FORMAT"),
        }

    def back(self, obj):
        back = self.request.POST.get("next", "")
        return back if back.startswith(reverse("devices:loans")) else reverse("devices:loan", kwargs={"pk": obj.pk})


class LoanStart(ButtonAction):
    """A partner's booked set is picked up: the reservation becomes a loan."""

    model = Loan
    success = gettext_lazy("The set is handed over: the loan has started.")

    def act(self, obj):
        services.loan_start(loan=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:loan", kwargs={"pk": obj.pk})


class LoanDepositPaid(ButtonAction):
    """The client pays a deposit that was still owed at check-out."""

    model = Loan
    success = gettext_lazy("The deposit is recorded as paid.")

    def act(self, obj):
        services.loan_deposit_paid(loan=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:loan", kwargs={"pk": obj.pk})


class CheckIn(AccessLogged, StaffView, ScopedMixin, generic.View):
    """Taking back: every device of the loan is looked at; what is missing or damaged becomes an
    incident; the deposit is given back or (partly) kept."""

    permission = Perm.LOANS_MANAGE
    model = Loan
    shows = Shows("loan check-in", client="object.client")

    def render_page(self, loan, form=None, status=200):
        items = selectors.loan_items(loan)
        form = form or CheckInForm(items=items, deposit=loan.deposit_held)
        context = {"object": loan, "loan": loan, "form": form, "on_loan": loan.status == Loan.Status.ON_LOAN}
        return render(self.request, "devices/desk/checkin.html", context, status=status)

    def load(self, pk) -> Loan:
        self.object = get_object_or_404(selectors.loan_detail(self.tenancy), pk=pk)
        return self.object

    def get(self, request, pk):
        loan = self.load(pk)
        return self.render_page(loan)

    def post(self, request, pk):
        loan = self.load(pk)
        form = CheckInForm(request.POST, items=selectors.loan_items(loan), deposit=loan.deposit_held)
        if submit(
            request,
            form,
            lambda _data: services.loan_check_in(loan=loan, actor=request.user, **form.service_kwargs()),
            _("Loan %(number)s is taken back.") % {"number": loan.number},
        ):
            return redirect("devices:loan", pk=loan.pk)
        return self.render_page(loan, form, status=400)


class LoanList(AccessLogged, ScopedListView):
    """The desk's loans: on loan, overdue (oldest due first, one-click extend where the rules
    allow), reservations, returned; found by client number, asset tag or loan number."""

    permission = Perm.LOANS_MANAGE
    model = Loan
    template_name = "devices/desk/loans.html"
    # A list of borrowers' names: logged as a read of the digibank's records, naming nobody.
    shows = Shows("loan list", client=None)

    def get_queryset(self):
        self.filter_form = LoanFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        self.show = data.get("show") or selectors.LoanFilter.OPEN
        self.query = data.get("q", "")
        return selectors.loan_list(self.tenancy, show=self.show, query=self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        loans = list(context["object_list"])
        refusals = services.extension_refusals([loan for loan in loans if loan.status == Loan.Status.ON_LOAN])
        today = timezone.localdate()
        for loan in loans:
            loan.extension_refusal = refusals.get(loan.pk, "")
            loan.late_days = (today - loan.due_on).days if loan.is_overdue(today) else 0
        keep = urlencode({"show": self.show, "q": self.query}) + "&"
        context.update(
            object_list=loans,
            filter_form=self.filter_form,
            show=self.show,
            keep_query=keep,
            here=f"{reverse('devices:loans')}?{urlencode({'show': self.show, 'q': self.query})}",
        )
        return context


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
        return selectors.incident_list(self.tenancy, status=self.status)

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
        return selectors.incident_list(self.tenancy, status="all")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", IncidentCloseForm() if self.object.status == Incident.Status.OPEN else None)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = incident = self.get_object()
        form = IncidentCloseForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.incident_close(incident=incident, actor=request.user, resolution=data["resolution"]),
            _("The incident is closed."),
        ):
            return redirect("devices:incident", pk=incident.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


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
        return selectors.queue(self.tenancy, hub_id=hub.pk if hub else None, kind=data.get("kind", ""))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RequestForm(tenancy=self.tenancy, digibank=self.digibank))
        return super().get_context_data(
            filter_form=self.filter_form, keep_query=urlencode(self.filters) + "&", **kwargs
        )

    def post(self, request, *args, **kwargs):
        digibank = own_digibank(self.tenancy)
        form = RequestForm(request.POST, tenancy=self.tenancy, digibank=digibank)
        made: dict[str, DeviceRequest] = {}

        def create(_data):
            made["request"] = services.request_create(digibank=digibank, actor=request.user, **form.service_kwargs())

        if submit(request, form, create, _("The client is on the waiting list.")):
            return redirect("devices:request", pk=made["request"].pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


def render_request(request, tenancy, obj: DeviceRequest, *, move_form=None, status=200):
    line = selectors.line_of(obj)
    position = next((n for n, r in enumerate(line, start=1) if r.pk == obj.pk), None)
    waiting = obj.status == DeviceRequest.Status.WAITING
    context = {
        "object": obj,
        "line_length": len(line),
        "position": position,
        "moves": selectors.moves_of(obj),
        "offers": selectors.offers_of(obj),
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
        return selectors.request_detail(self.tenancy)

    def get(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        return render_request(request, self.tenancy, obj)


class RequestMove(StaffView, ScopedMixin, generic.View):
    """Move someone in the line: only with a written reason, which is kept."""

    permission = Perm.REQUESTS_MANAGE
    model = DeviceRequest

    def post(self, request, pk):
        obj = get_object_or_404(selectors.request_detail(self.tenancy), pk=pk)
        form = RequestMoveForm(request.POST, request=obj, line=selectors.line_of(obj))
        if submit(
            request,
            form,
            lambda data: services.request_move(
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
        services.request_withdraw(request=obj, actor=self.request.user)

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
        return selectors.open_offers(self.tenancy)

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
        services.offer_decline(offer=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:offers")


# --- partner bookings ------------------------------------------------------------------------


class BookingNew(StaffView, generic.View):
    """A partner organisation books a set of devices ahead; the set is reserved until picked up."""

    permission = Perm.LOANS_MANAGE
    template_name = "devices/desk/booking_form.html"

    def render_form(self, form, status=200):
        rules = services.rules_for(own_digibank(self.tenancy))
        return render(self.request, self.template_name, {"form": form, "rules": rules}, status=status)

    def get(self, request):
        return self.render_form(BookingForm(digibank=own_digibank(self.tenancy)))

    def post(self, request):
        digibank = own_digibank(self.tenancy)
        form = BookingForm(request.POST, digibank=digibank)
        if not form.is_valid():
            return self.render_form(form, status=400)
        devices, problems = services.find_devices(digibank_id=digibank.pk, codes=form.codes())
        if problems:
            add_service_errors(form, ValidationError(problems))
            return self.render_form(form, status=400)
        data = form.cleaned_data
        try:
            loan = services.partner_booking(
                digibank=digibank,
                hub=data["hub"],
                partner=data["partner"],
                devices=devices,
                starts_on=data["starts_on"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form, status=400)
        messages.success(request, _("Booking %(number)s is made: the devices are reserved.") % {"number": loan.number})
        return redirect("devices:loan", pk=loan.pk)


# --- the lending rules -----------------------------------------------------------------------


def _rules_in_words(rules: LendingRules) -> list[tuple[str, str]]:
    """Every rule with its value, for the desk, who reads them and does not change them."""
    lines = []
    for name in services.RULE_FIELDS:
        field = cast(models.Field, LendingRules._meta.get_field(name))
        value = getattr(rules, name)
        if getattr(field, "choices", None):
            shown = str(getattr(rules, f"get_{name}_display")()) or "—"
        elif isinstance(value, bool):
            shown = _("yes") if value else _("no")
        elif value is None:
            shown = _("no limit")
        else:
            shown = formats.localize(value) if isinstance(value, int | Decimal) else str(value) or "—"
        lines.append((str(field.verbose_name), shown))
    return lines


class Rules(StaffView, generic.View):
    """The digibank's lending rules and agreement text: the coordinator changes them, the desk
    reads them."""

    permission = Perm.LOANS_MANAGE
    template_name = "devices/desk/rules.html"

    def render_page(self, rules_form=None, agreement_form=None, status=200):
        digibank = own_digibank(self.tenancy)
        rules = services.rules_for(digibank)
        can_edit = self.tenancy.can(Perm.LENDING_RULES)
        agreements = selectors.agreement_texts(self.tenancy)
        current = agreements[0] if agreements else None
        limits = []
        if rules.income_threshold is not None:
            limits = [(size, rules.income_limit(size)) for size in range(1, 7)]
        context = {
            "rules": rules,
            "can_edit": can_edit,
            "rules_form": rules_form or (RulesForm(instance=rules) if can_edit else None),
            "agreement_form": agreement_form
            or (
                AgreementForm(initial={"text": current.text if current else services.DEFAULT_AGREEMENT})
                if can_edit
                else None
            ),
            "agreement": current,
            "agreements": agreements,
            "default_agreement": services.DEFAULT_AGREEMENT,
            "limits": limits,
            "shown_rules": _rules_in_words(rules),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page()

    def post(self, request):
        if not self.tenancy.can(Perm.LENDING_RULES):
            raise PermissionDenied
        digibank = own_digibank(self.tenancy)
        form = RulesForm(request.POST, instance=services.rules_for(digibank))
        if submit(
            request,
            form,
            lambda data: services.rules_update(digibank=digibank, actor=request.user, **data),
            _("The lending rules are saved."),
        ):
            return redirect("devices:rules")
        return self.render_page(rules_form=form, status=400)


class AgreementPublish(Rules):
    permission = Perm.LENDING_RULES

    def get(self, request):
        return redirect("devices:rules")

    def post(self, request):
        form = AgreementForm(request.POST)
        digibank = own_digibank(self.tenancy)
        if submit(
            request,
            form,
            lambda data: services.agreement_publish(digibank=digibank, text=data["text"], actor=request.user),
            _("The new agreement text is published. Loans from now on are made under it."),
        ):
            return redirect("devices:rules")
        return self.render_page(agreement_form=form, status=400)
