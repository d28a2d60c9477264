"""The screens of referrals: the list (incoming per hub for the receiving side, with the code box and the
stale flag; a referrer's own referrals), making one, a referral with its steps, and the printed slip.
A referrer who does not handle referrals sees the status and the outcome only, on pages of their own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.clients.access import AccessLogged, Shows
from digibank.core.roles import Perm
from digibank.core.views import ScopedListView, ScopedMixin, StaffView, submit
from digibank.guidance.referrals import selectors, services
from digibank.guidance.referrals.forms import (
    CodeForm,
    CompleteForm,
    DeclineForm,
    LinkForm,
    NotesForm,
    PlanForm,
    ReferralForm,
    SettingsForm,
)
from digibank.guidance.referrals.models import OPEN, Referral, Status
from digibank.guidance.referrals.slip import referral_slip_pdf
from digibank.guidance.scan import keep_card_errors, only_scanned
from digibank.guidance.selectors import open_hubs
from digibank.network.models import Digibank, Hub

SEE = (Perm.REFERRALS_HANDLE, Perm.REFERRALS_MAKE)


class ReferralScope(ScopedMixin):
    """Only the referrals the person may see: a referral of another digibank, or (for a referrer) of
    another organisation, is a 404."""

    def get_queryset(self):
        return selectors.referrals_for(self.tenancy)


class ReferralList(AccessLogged, ReferralScope, ScopedListView):
    permission = SEE
    model = Referral
    shows = Shows("referrals", client=None)

    def get_template_names(self):
        return ["guidance/referrals/list.html"]

    def hub(self) -> Hub | None:
        raw = self.request.GET.get("hub", "")
        if not raw.isdigit() or len(raw) > 18:
            return None
        return Hub.objects.visible_to(self.tenancy).filter(pk=int(raw)).first()

    def get_queryset(self):
        referrals = super().get_queryset()
        hub = self.hub()
        if hub is not None:
            referrals = referrals.filter(to_hub=hub)
        if self.request.GET.get("status") == "open":
            referrals = referrals.filter(status__in=OPEN)
        return referrals.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["handles"] = selectors.handles(self.tenancy)
        context["stale"] = selectors.stale_ids(self.tenancy, list(context["object_list"]))
        context["hubs"] = open_hubs(self.tenancy)
        context["hub"] = self.hub()
        context["open_only"] = self.request.GET.get("status") == "open"
        context["code_form"] = CodeForm()
        return context


class ReferralByCode(StaffView):
    """The desk scans or types the code of a slip: the referral opens."""

    permission = SEE

    def get(self, request):
        form = CodeForm(request.GET)
        if form.is_valid():
            referral = selectors.referral_by_code(self.tenancy, form.cleaned_data["code"])
            if referral is not None:
                return redirect("guidance:referral", pk=referral.pk)
            messages.error(request, _("No referral of your digibank has this code."))
        else:
            messages.error(request, _("Scan the slip or type the code on it."))
        return redirect("guidance:referrals")


# What a person fills in besides the card: none of these posted means the scanner's Enter (guidance.scan).
FILLED_IN = ("person_name", "person_phone", "to_hub", "service", "e_service", "consent_how", "reason")


class ReferralCreate(AccessLogged, StaffView):
    """Refer a person. A scanned card (its Enter posts the form) shows whom the card names, and the form
    goes on at the hub, without the errors of fields not filled in yet."""

    permission = Perm.REFERRALS_MAKE
    shows = Shows("make a referral", client="client")
    template_name = "guidance/referrals/form.html"
    client = None

    def page(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "client": self.client}, status=status)

    def get(self, request):
        return self.page(ReferralForm(tenancy=self.tenancy))

    def post(self, request):
        form = ReferralForm(request.POST, tenancy=self.tenancy)
        if only_scanned(request.POST, FILLED_IN):
            keep_card_errors(form)
            self.client = form.cleaned_data.get("client")
            if self.client is not None:
                form.fields["to_hub"].widget.attrs["autofocus"] = True
            return self.page(form, status=200 if self.client else 400)
        digibank = get_object_or_404(Digibank.objects.visible_to(self.tenancy), pk=self.tenancy.digibank_id)
        made: list[Referral] = []

        def make(data):
            made.append(
                services.referral_create(
                    digibank=digibank,
                    actor=request.user,
                    from_partner=selectors.partner_of(self.tenancy),
                    **data,
                )
            )

        if submit(request, form, make, _("Referral sent.")):
            return redirect("guidance:referral", pk=made[0].pk)
        return self.page(form, status=400)


class ReferralDetail(AccessLogged, ReferralScope, StaffView, generic.DetailView):
    """The receiving side sees everything and the steps; a referrer only the status and the outcome."""

    permission = SEE
    model = Referral
    shows = Shows("referral {object.code}", client="object.client")

    def get_template_names(self):
        if selectors.handles(self.tenancy):
            return ["guidance/referrals/detail.html"]
        return ["guidance/referrals/referrer_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        referral = self.object
        context["handles"] = selectors.handles(self.tenancy)
        context["stale"] = referral.pk in selectors.stale_ids(self.tenancy, [referral])
        context["may_withdraw"] = referral.may_become(Status.WITHDRAWN) and (
            referral.referred_by_id == self.request.user.pk
            or (referral.from_partner_id is not None and referral.from_partner == selectors.partner_of(self.tenancy))
        )
        if context["handles"]:
            context["forms"] = {
                "plan": kwargs.get("plan") or PlanForm(initial={"planned_on": referral.planned_on}),
                "complete": kwargs.get("complete") or CompleteForm(),
                "decline": kwargs.get("decline") or DeclineForm(),
                "notes": kwargs.get("notes") or NotesForm(initial={"internal_notes": referral.internal_notes}),
                "link": kwargs.get("link") or LinkForm(tenancy=self.tenancy),
            }
            context["history"] = referral.history.select_related("history_user").order_by("-history_date")[:20]
        return context


class ReferralStep(ReferralScope, StaffView, generic.View):
    """One step of the receiving hub: a form (or none) and one service; its refusal next to the field on the
    referral's page, shown again."""

    permission = Perm.REFERRALS_HANDLE
    model = Referral
    form_class: type | None = None
    form_key = ""
    success: object = ""

    def make_form(self):
        return self.form_class(self.request.POST) if self.form_class else None

    def act(self, referral: Referral, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        referral = get_object_or_404(self.get_queryset(), pk=pk)
        form = self.make_form()
        if form is None:
            try:
                self.act(referral, {})
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, str(self.success))
            return redirect("guidance:referral", pk=referral.pk)
        if submit(request, form, lambda data: self.act(referral, data), str(self.success)):
            return redirect("guidance:referral", pk=referral.pk)
        detail = ReferralDetail(request=request, kwargs={"pk": pk})
        detail.tenancy, detail.object = self.tenancy, referral
        context = detail.get_context_data(object=referral, **{self.form_key: form})
        return render(request, "guidance/referrals/detail.html", context, status=400)


class ReferralAccept(ReferralStep):
    success = gettext_lazy("Referral accepted.")

    def act(self, referral, data):
        services.referral_accept(referral, actor=self.request.user)


class ReferralPlan(ReferralStep):
    success = gettext_lazy("Referral planned.")
    form_class, form_key = PlanForm, "plan"

    def act(self, referral, data):
        services.referral_plan(referral, actor=self.request.user, planned_on=data["planned_on"])


class ReferralComplete(ReferralStep):
    success = gettext_lazy("Referral completed.")
    form_class, form_key = CompleteForm, "complete"

    def act(self, referral, data):
        services.referral_complete(referral, actor=self.request.user, outcome=data["outcome"])


class ReferralDecline(ReferralStep):
    success = gettext_lazy("Referral declined.")
    form_class, form_key = DeclineForm, "decline"

    def act(self, referral, data):
        services.referral_decline(referral, actor=self.request.user, reason=data["reason"])


class ReferralNotes(ReferralStep):
    success = gettext_lazy("Notes saved.")
    form_class, form_key = NotesForm, "notes"

    def act(self, referral, data):
        services.referral_set_notes(referral, actor=self.request.user, internal_notes=data["internal_notes"])


class ReferralLink(ReferralStep):
    success = gettext_lazy("Referral linked to the client.")
    form_class, form_key = LinkForm, "link"

    def make_form(self):
        return LinkForm(self.request.POST, tenancy=self.tenancy)

    def act(self, referral, data):
        services.referral_link_client(referral, actor=self.request.user, client=data["client"])


class ReferralWithdraw(ReferralScope, StaffView, generic.View):
    """The referrer takes the referral back."""

    permission = Perm.REFERRALS_MAKE
    model = Referral

    def post(self, request, pk):
        referral = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            services.referral_withdraw(referral, actor=request.user, actor_partner=selectors.partner_of(self.tenancy))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Referral withdrawn."))
        return redirect("guidance:referral", pk=referral.pk)


class ReferralSlip(AccessLogged, ReferralScope, StaffView, generic.View):
    """The printed slip: the code as text and barcode, where to go and what to bring."""

    permission = SEE
    model = Referral
    shows = Shows("referral slip {object.code}", client="object.client")

    def get(self, request, pk):
        self.object = get_object_or_404(self.get_queryset(), pk=pk)
        response = HttpResponse(referral_slip_pdf(self.object), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="doorverwijzing-{self.object.code}.pdf"'
        return response


class ReferralSettingsEdit(StaffView):
    """The coordinator sets after how many days an open referral is flagged."""

    permission = Perm.NETWORK_MANAGE
    template_name = "guidance/referrals/settings.html"

    def page(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request):
        row = selectors.settings_of(self.tenancy)
        return self.page(SettingsForm(initial={"stale_after_days": row.stale_after_days}))

    def post(self, request):
        form = SettingsForm(request.POST)
        digibank = get_object_or_404(Digibank.objects.visible_to(self.tenancy), pk=self.tenancy.digibank_id)
        if submit(
            request,
            form,
            lambda data: services.referral_settings_set(digibank=digibank, actor=request.user, **data),
            _("Settings saved."),
        ):
            return redirect(reverse("guidance:referrals"))
        return self.page(form, status=400)
