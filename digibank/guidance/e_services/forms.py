"""The form of an e-service: what a person sees in the catalogue and what they need for it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.core.validators import single_line_text
from digibank.guidance.e_services.models import Category, EService, Need


class EServiceForm(forms.Form):
    """Add or change a service. `active` is shown when changing one (a new service is active)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        validators=[single_line_text],
        help_text=_("As people know it, e.g. Tax-on-web."),
    )
    provider = forms.CharField(
        label=_("Provider"),
        max_length=150,
        validators=[single_line_text],
        help_text=_("The agency that owns the service, e.g. FPS Finance."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices])
    link = forms.URLField(
        label=_("Web address"),
        max_length=200,
        assume_scheme="https",
        help_text=_("The public page where people start, e.g. https://www.vdab.be/mijnvdab."),
    )
    needs = forms.MultipleChoiceField(
        label=_("What a person needs"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(
        label=_("Active: people still get help with it"),
        required=False,
        help_text=_("Untick it when the service is no longer offered. Nothing is deleted."),
    )

    def __init__(self, *args, service: EService | None = None, **kwargs):
        if service is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(service, name) for name in ("name", "provider", "category", "link")}
            kwargs["initial"].update(needs=list(service.needs), active=service.active)
        super().__init__(*args, **kwargs)
        if service is None:
            del self.fields["active"]
        for name in ("name", "provider", "link"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
