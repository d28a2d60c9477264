"""Staff screens for clients: find, register, read, change, consent, erase, and the access log.
Thin views over the services and selectors; every screen that shows a person logs the read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.core.pdf import own_style_sources
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

from . import card, retention, rights, selectors, services
from .access import SEARCH, AccessLogged, Shows
from .forms import (
    AccessLogFilterForm,
    ClientForm,
    ClientRegisterForm,
    EraseForm,
    PrivacyNoticeForm,
    RetentionPolicyForm,
    RetentionPostponeForm,
    TraitsForm,
)
from .models import AccessLog, Client, Consent, PrivacyNotice, Traits
from .numbers import normalise as normalise_number
from .validation import display_phone

TIMELINE_ON_RECORD = 20  # the rest is one click away, on the timeline page
TIMELINE_PAGE = 50
OPTIONAL_SCOPES = (Consent.Scope.TRAITS, Consent.Scope.CONTACT)
# The kinds of this domain; other domains' kinds show as they are stored until they add theirs here.
EVENT_LABELS = {
    "registered": gettext_lazy("Registered"),
    "consent_given": gettext_lazy("Consent given"),
    "consent_withdrawn": gettext_lazy("Consent withdrawn"),
    # The device bank's kinds (the device bank's services and reminders record them).
    "loan_out": gettext_lazy("Device lent"),
    "loan_returned": gettext_lazy("Device brought back"),
    "loan_extended": gettext_lazy("Loan extended"),
    "device_requested": gettext_lazy("On the waiting list for a device"),
    "device_offered": gettext_lazy("Offered a device"),
    "device_handed_over": gettext_lazy("Device handed over for good"),
    "loan_reminder_due_soon": gettext_lazy("Reminder: the loan ends soon"),
    "loan_reminder_overdue": gettext_lazy("Reminder: the loan has ended"),
    # Guidance's kinds (the help contacts' services record them).
    "help_contact": gettext_lazy("Help contact at a hub"),
    "help_contact_cancelled": gettext_lazy("Help contact cancelled"),
}


def _labelled(events):
    scopes = dict(Consent.Scope.choices)
    for event in events:
        event.label = EVENT_LABELS.get(event.kind, event.kind)
        event.summary_label = (
            scopes.get(event.summary, event.summary) if event.kind.startswith("consent") else event.summary
        )
    return events


class ClientSearch(AccessLogged, ScopedListView):
    """The desk's start page: one box. A scanned card number opens the record at once."""

    permission = Perm.CLIENTS_VIEW
    model = Client
    template_name = "clients/search.html"
    # The log says that someone searched, never for what: the query may be a name.
    shows = Shows("client search", client=None, action=SEARCH)

    def logs_access(self) -> bool:
        return bool(getattr(self, "query", ""))

    def get(self, request, *args, **kwargs):
        self.query = request.GET.get("q", "").strip()
        if self.query:
            if normalise_number(self.query):
                found = list(self.get_queryset()[:2])
                if len(found) == 1:
                    return redirect("clients:client", pk=found[0].pk)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.client_search(self.tenancy, self.query).order_by("last_name", "first_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, keep_query=urlencode({"q": self.query}) + "&", **kwargs)
        for client in context["object_list"]:
            client.phone_display = display_phone(client.phone)
        return context


class ClientRegister(AccessLogged, StaffView, generic.View):
    """Register a person at the desk; possible duplicates are shown before anything is saved (a
    search that names people: logged as one, naming nobody, as the API's answer is)."""

    shows = Shows("client register possible duplicates", client=None, action=SEARCH)
    permission = Perm.CLIENTS_MANAGE

    template_name = "clients/register.html"

    def logs_access(self) -> bool:
        return bool(getattr(self, "duplicates_shown", False))

    def render_form(self, form, duplicates=(), status=200):
        return render(self.request, self.template_name, {"form": form, "duplicates": duplicates}, status=status)

    def get(self, request):
        return self.render_form(ClientRegisterForm(digibank=own_digibank(self.tenancy)))

    def post(self, request):
        digibank = own_digibank(self.tenancy)
        form = ClientRegisterForm(request.POST, digibank=digibank)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            client = services.client_register(
                digibank=digibank,
                actor=request.user,
                traits=form.traits_form.traits() or None,
                consents=form.consents(),
                new_person_confirmed=form.cleaned_data["different_person"],
                **form.client_fields(),
            )
        except services.PossibleDuplicates as error:
            # The desk worker's next step is the check box: focus it, not the first name.
            form.fields["first_name"].widget.attrs.pop("autofocus", None)
            form.fields["different_person"].widget.attrs["autofocus"] = True
            self.duplicates_shown = True
            return self.render_form(form, duplicates=error.duplicates)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "traits" in error.error_dict:
                error = ValidationError({"consent_traits": error.error_dict.pop("traits"), **error.error_dict})
            add_service_errors(form, error)
            return self.render_form(form, status=400)
        messages.success(request, _("Client %(number)s registered.") % {"number": client.number})
        return redirect("clients:client", pk=client.pk)


class ClientDetail(AccessLogged, ScopedDetailView):
    """The record: facts, consents, traits and the latest of the journey. Each view is logged."""

    permission = Perm.CLIENTS_VIEW
    model = Client
    template_name = "clients/client_detail.html"
    shows = Shows("client record")

    def get_queryset(self):
        return super().get_queryset().select_related("municipality", "referred_by", "traits")

    def get_context_data(self, **kwargs):
        client = self.object
        events = list(client.events.select_related("actor")[: TIMELINE_ON_RECORD + 1])
        consents = list(client.consents.select_related("notice", "recorded_by", "withdrawn_recorded_by"))
        active = {c.scope: c for c in consents if c.withdrawn_at is None}
        try:
            traits = client.traits
        except Traits.DoesNotExist:
            traits = None
        return super().get_context_data(
            events=_labelled(events[:TIMELINE_ON_RECORD]),
            more_events=len(events) > TIMELINE_ON_RECORD,
            consents=consents,
            active_consents=active,
            scopes_to_give=[(s, s.label) for s in OPTIONAL_SCOPES if s not in active],
            withdrawable=[active[s] for s in OPTIONAL_SCOPES if s in active],
            traits=traits,
            phone_display=display_phone(client.phone),
            can_manage=Perm.CLIENTS_MANAGE in self.tenancy.granted,
            **kwargs,
        )


class ClientTimeline(AccessLogged, ScopedDetailView):
    """The whole journey of one client, newest first, a page at a time."""

    permission = Perm.CLIENTS_VIEW
    model = Client
    template_name = "clients/timeline.html"
    shows = Shows("client timeline")

    def get_context_data(self, **kwargs):
        page = Paginator(self.object.events.select_related("actor"), TIMELINE_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            page_obj=page, events=_labelled(list(page.object_list)), is_paginated=page.has_other_pages(), **kwargs
        )


class ActiveClientMixin(ScopedMixin):
    """Changes are made only to a client who still has an identity; an erased one is a 404 here."""

    model = Client

    def load(self, pk) -> Client:
        self.object = get_object_or_404(self.get_queryset().filter(status=Client.Status.ACTIVE), pk=pk)
        return self.object


class ClientUpdate(AccessLogged, StaffView, ActiveClientMixin, generic.View):
    permission = Perm.CLIENTS_MANAGE
    shows = Shows("client change form")
    template_name = "clients/client_form.html"

    def render_form(self, client, form, status=200):
        return render(self.request, self.template_name, {"object": client, "form": form}, status=status)

    def get(self, request, pk):
        client = self.load(pk)
        return self.render_form(client, ClientForm(instance=client, digibank=client.digibank))

    def post(self, request, pk):
        client = self.load(pk)
        form = ClientForm(request.POST, instance=client, digibank=client.digibank)
        if submit(
            request,
            form,
            lambda _data: services.client_update(client=client, actor=request.user, **form.client_fields()),
            _("Changes saved."),
        ):
            return redirect("clients:client", pk=client.pk)
        return self.render_form(client, form, status=400)


class TraitsUpdate(AccessLogged, StaffView, ActiveClientMixin, generic.View):
    """The optional traits; only with an active consent for them."""

    permission = Perm.CLIENTS_MANAGE
    shows = Shows("client traits form")
    template_name = "clients/traits_form.html"

    def render_form(self, client, form, status=200):
        has_consent = client.consents.filter(scope=Consent.Scope.TRAITS, withdrawn_at__isnull=True).exists()
        return render(
            self.request,
            self.template_name,
            {"object": client, "form": form, "has_consent": has_consent},
            status=status,
        )

    def get(self, request, pk):
        client = self.load(pk)
        traits = selectors.client_traits(client)
        initial = {name: getattr(traits, name) for name in services.TRAIT_FIELDS} if traits else {}
        return self.render_form(client, TraitsForm(initial=initial))

    def post(self, request, pk):
        client = self.load(pk)
        form = TraitsForm(request.POST)
        if submit(
            request,
            form,
            lambda _data: services.traits_set(client=client, actor=request.user, **form.traits_all()),
            _("Changes saved."),
        ):
            return redirect("clients:client", pk=client.pk)
        return self.render_form(client, form, status=400)


class ConsentGive(StaffView, ActiveClientMixin, generic.View):
    permission = Perm.CLIENTS_MANAGE

    def post(self, request, pk):
        client = self.load(pk)
        scope = request.POST.get("scope", "")
        if scope not in OPTIONAL_SCOPES:
            messages.error(request, _("Choose which consent the person gives."))
            return redirect("clients:client", pk=client.pk)
        try:
            services.consent_give(client=client, scope=scope, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Consent recorded."))
        return redirect("clients:client", pk=client.pk)


class ConsentWithdraw(ButtonView):
    """Withdraw a consent; withdrawing the one for traits deletes the traits."""

    permission = Perm.CLIENTS_MANAGE
    model = Consent
    success = gettext_lazy("Consent withdrawn.")

    def act(self, obj):
        services.consent_withdraw(consent=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("clients:client", kwargs={"pk": obj.client_id})


class ClientErase(AccessLogged, StaffView, ActiveClientMixin, generic.View):
    """Erase the person after a confirmation with a reason; the anonymous events stay."""

    permission = Perm.CLIENTS_MANAGE
    shows = Shows("client erase form")
    template_name = "clients/erase.html"

    def get(self, request, pk):
        client = self.load(pk)
        return render(request, self.template_name, {"object": client, "form": EraseForm()})

    def post(self, request, pk):
        client = self.load(pk)
        form = EraseForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"object": client, "form": form}, status=400)
        client = services.client_anonymise(client=client, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The personal data of this client has been erased."))
        return redirect("clients:client", pk=client.pk)


class ClientCard(AccessLogged, StaffView, ActiveClientMixin, generic.View):
    """The printable card with the client number as QR code and barcode, so a scan opens the record."""

    permission = Perm.CLIENTS_MANAGE
    shows = Shows("client card")

    def get(self, request, pk):
        client = self.load(pk)
        pdf = card.client_card_pdf(client)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="card-{client.number}.pdf"'
        return response


class ClientExport(AccessLogged, StaffView, ActiveClientMixin, generic.View):
    """Everything held about the person, as a file or a printable page, after a confirmation."""

    permission = Perm.CLIENTS_MANAGE
    # A post answers with the export, which rights.py logs as one.
    shows = Shows("client export form", on_post=False)
    template_name = "clients/export_confirm.html"
    FORMATS = ("html", "pdf", "json")

    def get(self, request, pk):
        client = self.load(pk)
        return render(request, self.template_name, {"object": client})

    def post(self, request, pk):
        client = self.load(pk)
        kind = request.POST.get("format", "")
        if kind not in self.FORMATS:
            return render(request, self.template_name, {"object": client, "bad_format": True}, status=400)
        filename = f"digibank-{client.number}"
        if kind == "json":
            response: HttpResponse = JsonResponse(
                rights.export_json(client, actor=request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        elif kind == "pdf":
            response = HttpResponse(rights.export_pdf(client, actor=request.user), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        else:
            html = rights.export_html(client, actor=request.user)
            response = HttpResponse(html)
            # The page is the PDF's source too, so it keeps its own <style>: django-csp adds its hash.
            response._csp_update = {"style-src": own_style_sources(html)}  # type: ignore[attr-defined]
        return response


class AccessLogList(ScopedListView):
    """Who saw or changed which client record, for the coordinator. Read-only: no view writes it."""

    permission = Perm.CLIENTS_AUDIT
    model = AccessLog
    template_name = "clients/access_log.html"

    def get_queryset(self):
        lines = super().get_queryset().select_related("actor", "client").order_by("-at", "-pk")
        self.filter_form = AccessLogFilterForm(self.request.GET or None)
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["client"]:
            number = normalise_number(self.filter_form.cleaned_data["client"])
            lines = lines.filter(client__number=number) if number else lines.none()
        return lines

    def get_context_data(self, **kwargs):
        number = self.request.GET.get("client", "")
        keep = urlencode({"client": number}) + "&" if number else ""
        return super().get_context_data(filter_form=self.filter_form, keep_query=keep, **kwargs)


class PrivacyNoticeCurrent(StaffView, generic.View):
    """The digibank's privacy notice to print or show at the desk; the coordinator publishes a new version."""

    permission = Perm.CLIENTS_VIEW
    template_name = "clients/privacy_notice.html"

    def render_page(self, form=None, status=200):
        digibank = own_digibank(self.tenancy)
        notice = services.notice_to_show(digibank=digibank)
        versions = selectors.privacy_notices(self.tenancy)
        can_publish = self.tenancy.can(Perm.CLIENTS_AUDIT)
        context = {
            "notice": notice,
            "versions": versions[:20],
            "can_publish": can_publish,
            "form": form or (PrivacyNoticeForm(initial={"text": notice.text}) if can_publish else None),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page()

    def post(self, request):
        if not self.tenancy.can(Perm.CLIENTS_AUDIT):
            raise PermissionDenied
        form = PrivacyNoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = services.privacy_notice_publish(
                    digibank=own_digibank(self.tenancy), text=form.cleaned_data["text"], actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Version %(n)d of the privacy notice is published.") % {"n": notice.version}
                )
                return redirect("clients:notice")
        return self.render_page(form=form, status=400)


class PrivacyNoticeVersion(ScopedDetailView):
    """An earlier version, as the people who consented under it read it."""

    permission = Perm.CLIENTS_VIEW
    model = PrivacyNotice
    template_name = "clients/privacy_notice_version.html"


class RetentionOverview(AccessLogged, StaffView, generic.View):
    """Who the next retention run will anonymise, so the coordinator can postpone one in time."""

    permission = Perm.CLIENTS_AUDIT
    shows = Shows("retention list", client=None)
    template_name = "clients/retention.html"

    def render_page(self, form=None, status=200):
        digibank = own_digibank(self.tenancy)
        due = Paginator(retention.clients_due(digibank), 50).get_page(self.request.GET.get("page"))
        months = retention.retention_months(digibank)
        context = {
            "page_obj": due,
            "is_paginated": due.has_other_pages(),
            "months": months,
            "form": form or RetentionPolicyForm(initial={"months": months}),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page()

    def post(self, request):
        form = RetentionPolicyForm(request.POST)
        digibank = own_digibank(self.tenancy)
        if submit(
            request,
            form,
            lambda data: retention.retention_policy_set(digibank=digibank, months=data["months"], actor=request.user),
            _("Retention period saved."),
        ):
            return redirect("clients:retention")
        return self.render_page(form=form, status=400)


class RetentionPostpone(AccessLogged, StaffView, ActiveClientMixin, generic.View):
    permission = Perm.CLIENTS_AUDIT
    shows = Shows("retention postpone")
    template_name = "clients/retention_postpone.html"

    def get(self, request, pk):
        client = self.load(pk)
        return render(request, self.template_name, {"object": client, "form": RetentionPostponeForm()})

    def post(self, request, pk):
        client = self.load(pk)
        form = RetentionPostponeForm(request.POST)
        if submit(
            request,
            form,
            lambda data: retention.retention_postpone(client=client, actor=request.user, **data),
            _("The data is kept longer."),
        ):
            return redirect("clients:retention")
        return render(request, self.template_name, {"object": client, "form": form}, status=400)
