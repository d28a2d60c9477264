"""The lending rules' screens: the rules and agreement text a coordinator sets, and a partner's
booking of devices."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views import generic

from digibank.core.roles import Perm
from digibank.core.views import (
    StaffView,
    add_service_errors,
    submit,
)
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import selectors as lending_selectors
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.forms import (
    AgreementForm,
    BookingForm,
    RulesForm,
)
from digibank.devices.lending.models import LendingRules
from digibank.devices.register import services as register_services
from digibank.network.selectors import own_digibank

# --- partner bookings ------------------------------------------------------------------------


class BookingNew(StaffView, generic.View):
    """A partner organisation books a set of devices ahead; the set is reserved until picked up."""

    permission = Perm.LOANS_MANAGE
    template_name = "devices/desk/booking_form.html"

    def render_form(self, form, status=200):
        rules = lending_rules.rules_for(own_digibank(self.tenancy))
        return render(self.request, self.template_name, {"form": form, "rules": rules}, status=status)

    def get(self, request):
        return self.render_form(BookingForm(digibank=own_digibank(self.tenancy)))

    def post(self, request):
        digibank = own_digibank(self.tenancy)
        form = BookingForm(request.POST, digibank=digibank)
        if not form.is_valid():
            return self.render_form(form, status=400)
        devices, problems = register_services.find_devices(digibank_id=digibank.pk, codes=form.codes())
        if problems:
            add_service_errors(form, ValidationError(problems))
            return self.render_form(form, status=400)
        data = form.cleaned_data
        try:
            loan = lending_services.partner_booking(
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
    for name in lending_services.RULE_FIELDS:
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
        rules = lending_rules.rules_for(digibank)
        can_edit = self.tenancy.can(Perm.LENDING_RULES)
        agreements = lending_selectors.agreement_texts(self.tenancy)
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
                AgreementForm(initial={"text": current.text if current else lending_services.DEFAULT_AGREEMENT})
                if can_edit
                else None
            ),
            "agreement": current,
            "agreements": agreements,
            "default_agreement": lending_services.DEFAULT_AGREEMENT,
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
        form = RulesForm(request.POST, instance=lending_rules.rules_for(digibank))
        if submit(
            request,
            form,
            lambda data: lending_services.rules_update(digibank=digibank, actor=request.user, **data),
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
            lambda data: lending_services.agreement_publish(digibank=digibank, text=data["text"], actor=request.user),
            _("The new agreement text is published. Loans from now on are made under it."),
        ):
            return redirect("devices:rules")
        return self.render_page(agreement_form=form, status=400)
