"""The desk: lend and take back by scanning a card and asset tags, the loans and one loan with its
actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
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
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    StaffView,
    submit,
)
from digibank.devices.common.forms import ClientCardForm
from digibank.devices.common.views import ButtonAction
from digibank.devices.lending import eligibility as lending_eligibility
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import selectors as lending_selectors
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.forms import (
    CancelForm,
    CheckInForm,
    HandOverForm,
    IncidentReportForm,
    LendForm,
    LoanFilterForm,
    SignForm,
    TakeBackForm,
)
from digibank.devices.lending.models import LendingRules, Loan
from digibank.devices.register import services as register_services
from digibank.devices.waiting_list import selectors as waiting_list_selectors
from digibank.network.selectors import own_digibank


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
    rules = lending_rules.rules_for(digibank)
    context: dict[str, Any] = {
        "card_form": card_form,
        "client": client,
        "lend_form": lend_form,
        "take_back_form": take_back or TakeBackForm(),
        "rules": rules,
        "to_attest": rules.conditions_to_attest(),
        "devices": devices,
        "checked": checked,
        "counts": waiting_list_selectors.open_count(tenancy),
    }
    if client is not None:
        open_loans = lending_selectors.client_loans(tenancy, client)
        context["open_loans"] = open_loans
        if lend_form is not None and not lend_form.is_bound:
            context["outlook"] = lending_selectors.lending_outlook(rules=rules, client=client, open_loans=open_loans)
        card_form.fields["card"].widget.attrs.pop("autofocus", None)
        if lend_form is not None:
            lend_form.fields["tags"].widget.attrs["autofocus"] = True
    if lend_form is not None and lend_form.is_bound:
        context["household_limit"] = lend_form.household_limit()
        context["household_size"] = getattr(lend_form, "cleaned_data", {}).get("household_size")
    if checked and lend_form is not None and not lend_form.errors:
        context["terms"] = {**asdict(lending_rules.loan_terms(rules)), "deposit_payment": lend_form.deposit_answer()}
        lend_form.fields["tags"].widget.attrs.pop("autofocus", None)
    return render(request, "devices/desk/desk.html", context, status=status)


class Desk(AccessLogged, StaffView, generic.View):
    """Step 1: scan the client card (the page shows who it is, their loans and whether the rules
    allow a loan). Step 2: scan the device and its accessories, answer what the rules ask, Check,
    then Lend. Works with a scanner and a keyboard alone."""

    permission = Perm.LOANS_MANAGE
    shows = Shows("lending desk", client="client")

    def get(self, request):
        rules = lending_rules.rules_for(own_digibank(self.tenancy))
        bound = bool(request.GET.get("card", "").strip())
        card_form = ClientCardForm(request.GET if bound else None, tenancy=self.tenancy)
        self.client = client = card_form.cleaned_data["client"] if bound and card_form.is_valid() else None
        lend_form = None
        if client is not None:
            lend_form = LendForm(
                tenancy=self.tenancy,
                rules=rules,
                hubs=lending_rules.lending_hubs(self.tenancy.digibank_id),
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
        rules = lending_rules.rules_for(digibank)
        form = LendForm(request.POST, tenancy=self.tenancy, rules=rules, hubs=lending_rules.lending_hubs(digibank))
        card_form = ClientCardForm(tenancy=self.tenancy, initial={"card": request.POST.get("card", "")})
        valid = form.is_valid()
        self.client = client = form.cleaned_data.get("client")
        if not valid:
            return render_desk(request, self.tenancy, card_form=card_form, client=client, lend_form=form, status=400)
        devices, problems = register_services.find_devices(digibank_id=digibank.pk, codes=form.codes())
        attestation = form.attestation()
        if request.POST.get("action") == "lend" and not problems:
            try:
                loan = lending_services.loan_check_out(
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
        verdict = lending_services.loan_preview(
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
            loan, problem = lending_selectors.open_loan_for_label(self.tenancy, form.cleaned_data["label"])
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
        partner = lending_selectors.referring_partner(loan)
        lines.append(_("Referred by %(partner)s.") % {"partner": partner.name if partner else _("a partner")})
    return lines


def render_loan(request, tenancy, loan: Loan, *, status: int = 200, **forms):
    items = lending_selectors.loan_items(loan)
    rows = [(item, lending_selectors.item_outcome(loan, item)) for item in items]
    on_loan = loan.status == Loan.Status.ON_LOAN
    offer = waiting_list_selectors.offer_of(loan)
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
        "extension_refusal": lending_eligibility.extension_refusals([loan])[loan.pk] if on_loan else "",
        "back_to_wiping": lending_selectors.back_to_wiping(loan, items),
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
        return lending_selectors.loan_detail(self.tenancy)

    def get(self, request, *args, **kwargs):
        self.object = loan = self.get_object()
        return render_loan(request, self.tenancy, loan)


class LoanAgreementPdf(AccessLogged, StaffView, ScopedMixin, generic.View):
    """The loan agreement as a PDF to print and sign: both names, the devices, dates, conditions, deposit."""

    permission = Perm.LOANS_MANAGE
    model = Loan
    shows = Shows("loan agreement", client="object.client")

    def get(self, request, pk):
        from digibank.devices.lending.documents import loan_agreement_pdf

        self.object = loan = get_object_or_404(lending_selectors.loan_detail(self.tenancy), pk=pk)
        pdf = loan_agreement_pdf(loan)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="agreement-{loan.number}.pdf"'
        return response


class LoanFormAction(AccessLogged, StaffView, ScopedMixin, generic.View):
    """A form on the loan page: valid input runs one service; bad input shows the page again, 400
    (a read of the borrower, logged like the loan page)."""

    shows = Shows("loan", client="object.client")
    permission = Perm.LOANS_MANAGE
    model = Loan
    form_name = ""
    success: Any = ""

    def make_form(self, loan: Loan, data):
        raise NotImplementedError

    def act(self, loan: Loan, form, data) -> object:
        raise NotImplementedError

    def post(self, request, pk):
        loan = self.object = get_object_or_404(lending_selectors.loan_detail(self.tenancy), pk=pk)
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
        return lending_services.loan_sign(loan=loan, actor=self.request.user, signed_by_name=data["signed_by_name"])


class LoanReport(LoanFormAction):
    form_name = "report_form"
    success = gettext_lazy("The incident is recorded.")

    def make_form(self, loan, data):
        return IncidentReportForm(data, loan=loan)

    def act(self, loan, form, data):
        return lending_incidents.incident_report(
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
        return lending_incidents.device_hand_over(
            device=form.chosen_device(), client=loan.client, actor=self.request.user, note=data["note"]
        )


class LoanCancel(LoanFormAction):
    """Cancel a partner's booking; its devices are ready again."""

    form_name = "cancel_form"
    success = gettext_lazy("The booking is cancelled; its devices are ready again.")

    def make_form(self, loan, data):
        return CancelForm(data)

    def act(self, loan, form, data):
        return lending_services.booking_cancel(loan=loan, actor=self.request.user, reason=data["reason"])


class LoanExtend(ButtonAction):
    """One click, where the rules allow it; from the loan page or the overdue list."""

    model = Loan

    def act(self, obj):
        self.extended = lending_services.loan_extend(loan=obj, actor=self.request.user)

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
        lending_services.loan_start(loan=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:loan", kwargs={"pk": obj.pk})


class LoanDepositPaid(ButtonAction):
    """The client pays a deposit that was still owed at check-out."""

    model = Loan
    success = gettext_lazy("The deposit is recorded as paid.")

    def act(self, obj):
        lending_services.loan_deposit_paid(loan=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:loan", kwargs={"pk": obj.pk})


class CheckIn(AccessLogged, StaffView, ScopedMixin, generic.View):
    """Taking back: every device of the loan is looked at; what is missing or damaged becomes an
    incident; the deposit is given back or (partly) kept."""

    permission = Perm.LOANS_MANAGE
    model = Loan
    shows = Shows("loan check-in", client="object.client")

    def render_page(self, loan, form=None, status=200):
        items = lending_selectors.loan_items(loan)
        form = form or CheckInForm(items=items, deposit=loan.deposit_held)
        context = {"object": loan, "loan": loan, "form": form, "on_loan": loan.status == Loan.Status.ON_LOAN}
        return render(self.request, "devices/desk/checkin.html", context, status=status)

    def load(self, pk) -> Loan:
        self.object = get_object_or_404(lending_selectors.loan_detail(self.tenancy), pk=pk)
        return self.object

    def get(self, request, pk):
        loan = self.load(pk)
        return self.render_page(loan)

    def post(self, request, pk):
        loan = self.load(pk)
        form = CheckInForm(request.POST, items=lending_selectors.loan_items(loan), deposit=loan.deposit_held)
        if submit(
            request,
            form,
            lambda _data: lending_services.loan_check_in(loan=loan, actor=request.user, **form.service_kwargs()),
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
        self.show = data.get("show") or lending_selectors.LoanFilter.OPEN
        self.query = data.get("q", "")
        return lending_selectors.loan_list(self.tenancy, show=self.show, query=self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        loans = list(context["object_list"])
        refusals = lending_eligibility.extension_refusals(
            [loan for loan in loans if loan.status == Loan.Status.ON_LOAN]
        )
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
