"""The screens of help contacts: log one in seconds, the digibank's list (by hub and day), one contact
with its cancel button, and the hubs' open follow-ups with their done button. Every page that shows a
client says so to the access log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.clients.access import AccessLogged, Shows
from digibank.clients.models import Client
from digibank.clients.selectors import client_by_number
from digibank.core.days import day_bounds
from digibank.core.roles import Perm
from digibank.core.views import ButtonView, ScopedDetailView, ScopedListView, StaffView, submit
from digibank.guidance.contacts import selectors, services
from digibank.guidance.contacts.forms import ContactFilterForm, ContactForm
from digibank.guidance.contacts.models import FollowUp, HelpContact
from digibank.guidance.e_services.selectors import e_services_seen_by
from digibank.guidance.scan import keep_card_errors, only_scanned
from digibank.guidance.selectors import guidance_hubs
from digibank.network.selectors import own_digibank

LOG = Perm.CONTACTS_LOG
# The service names a field as the model does; the form as the desk knows it.
FORM_NAMES = {"client": "card", "started_at": "started_time", "municipality": "postal_code"}


# What a person fills in besides the card: none of these posted means the scanner's Enter (guidance.scan).
FILLED_IN = ("e_services", "outcome", "duration_minutes", "follow_up_on", "topics", "started_on", "started_time")
FILLED_IN_TOO = ("age_band", "postal_code", "note")


def renamed(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({FORM_NAMES.get(name, name): errors for name, errors in error.error_dict.items()})


class ContactNew(AccessLogged, StaffView, generic.View):
    """Log a help contact: scan the card (or leave it empty), tick the e-services, choose the outcome,
    type the minutes, Enter. `?hub=` presets the hub, `?card=` the client (from a record or the day view)."""

    permission = LOG
    shows = Shows("log a help contact", client="client")
    template_name = "guidance/contacts/new.html"
    client: Client | None = None

    def form(self, data=None) -> ContactForm:
        hubs = guidance_hubs(self.tenancy)
        initial: dict[str, Any] = {}
        wished = self.request.GET.get("hub", "")
        hub = hubs.filter(pk=int(wished)).first() if wished.isdigit() and len(wished) < 18 else None
        hub = hub or selectors.default_hub(self.tenancy, self.request.user, hubs)
        if hub is not None:
            initial["hub"] = hub.pk
        if card := self.request.GET.get("card", "").strip()[:20]:
            initial["card"] = card
        self.hub_known = hub is not None
        return ContactForm(
            data,
            tenancy=self.tenancy,
            hubs=hubs,
            e_services=e_services_seen_by(self.tenancy),
            default_hub=hub,
            initial=initial,
        )

    def page(self, form: ContactForm, status: int = 200):
        context = {"form": form, "client": self.client, "open_more": form.more_has_errors() or not self.hub_known}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        form = self.form()
        if card := form.initial.get("card"):
            # Who the card names, shown above the form (the form checks the number again on posting).
            self.client = client_by_number(self.tenancy, card)
        return self.page(form)

    def post(self, request):
        form = self.form(request.POST)
        if only_scanned(request.POST, (*FILLED_IN, *FILLED_IN_TOO)):
            keep_card_errors(form)
            self.client = form.cleaned_data.get("client")
            return self.page(form, status=200 if self.client else 400)
        digibank = own_digibank(self.tenancy)

        def log(data: dict[str, Any]) -> HelpContact:
            try:
                return services.contact_log(digibank=digibank, actor=request.user, **form.service_arguments())
            except ValidationError as error:
                raise renamed(error) from None

        if submit(request, form, log, _("Help contact logged.")):
            hub = form.service_arguments()["hub"]
            return redirect(f"{reverse('guidance:contact_new')}?{urlencode({'hub': hub.pk})}")
        self.client = getattr(form, "cleaned_data", {}).get("client")
        return self.page(form, status=400)


class ContactList(AccessLogged, ScopedListView):
    """The digibank's help contacts, newest first, by hub and day."""

    permission = LOG
    model = HelpContact
    shows = Shows("help contacts", client=None)
    template_name = "guidance/contacts/list.html"

    def get_queryset(self):
        self.filter_form = ContactFilterForm(self.request.GET or None, hubs=guidance_hubs(self.tenancy))
        contacts = selectors.contacts_of(self.tenancy)
        if self.filter_form.is_bound and self.filter_form.is_valid():
            hub, day = self.filter_form.cleaned_data.get("hub"), self.filter_form.cleaned_data.get("day")
            if hub is not None and day is not None:
                return selectors.contacts_on(self.tenancy, hub, day).order_by("-started_at", "-pk")
            if hub is not None:
                contacts = contacts.filter(hub=hub)
            if day is not None:
                start, end = day_bounds(day)
                contacts = contacts.filter(started_at__gte=start, started_at__lt=end)
        return contacts

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class ContactDetail(AccessLogged, ScopedDetailView):
    permission = LOG
    model = HelpContact
    shows = Shows("help contact", client="object.client")
    template_name = "guidance/contacts/detail.html"

    def get_queryset(self):
        return selectors.contacts_of(self.tenancy)


class ContactCancel(ButtonView):
    """Cancel a contact logged by mistake: it stays, out of every count."""

    permission = LOG
    model = HelpContact
    success = gettext_lazy("The help contact is cancelled.")

    def act(self, obj):
        return services.contact_cancel(obj, actor=self.request.user)

    def back(self, obj) -> str:
        return reverse("guidance:contact", kwargs={"pk": obj.pk})


class FollowUpList(AccessLogged, ScopedListView):
    """The hubs' follow-ups still to do, the most urgent first (`?hub=` narrows to one hub)."""

    permission = LOG
    model = FollowUp
    shows = Shows("follow-ups", client=None)
    template_name = "guidance/contacts/follow_ups.html"

    def get_queryset(self):
        self.filter_form = ContactFilterForm(self.request.GET or None, hubs=guidance_hubs(self.tenancy))
        hub = None
        if self.filter_form.is_bound and self.filter_form.is_valid():
            hub = self.filter_form.cleaned_data.get("hub")
        return selectors.open_follow_ups(self.tenancy, hub)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["today"] = timezone.localdate()
        return context


class FollowUpDone(ButtonView):
    permission = LOG
    model = FollowUp
    success = gettext_lazy("The follow-up is done.")

    def act(self, obj):
        return services.follow_up_done(obj, actor=self.request.user)

    def back(self, obj) -> str:
        return reverse("guidance:follow_ups")
