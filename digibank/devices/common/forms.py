"""What the device bank's forms share: the attributes of a field a scanner types into, the client
card field that reads a scanned or typed client number, the base form whose model checks the
service runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.clients.numbers import normalise as normalise_number
from digibank.clients.selectors import client_by_number
from digibank.core.tenancy import Tenancy

SCAN = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


DIGITS = {"inputmode": "numeric", "autocomplete": "off"}


MONEY = {"inputmode": "decimal", "autocomplete": "off"}


def scanned_lines(text: str) -> list[str]:
    """One label a line, as a scanner types them; commas and spaces between labels work too."""
    return [part for line in (text or "").splitlines() for part in line.replace(",", " ").split() if part]


NOT_A_NUMBER = _("This is not a client number: scan the card again or type the 8 characters on it.")


NOT_FOUND = _("No client of your digibank has this number.")


class ClientCardField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Client card"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


class ClientCardMixin:
    """A desk form with a `card` field: the number scanned or typed names a client of this
    digibank, put in cleaned_data["client"]."""

    tenancy: Tenancy
    cleaned_data: dict[str, Any]

    def clean_card(self) -> str:
        number = normalise_number(self.cleaned_data["card"])
        if not number:
            raise forms.ValidationError(NOT_A_NUMBER)
        client = client_by_number(self.tenancy, number)
        if client is None:
            raise forms.ValidationError(NOT_FOUND)
        self.cleaned_data["client"] = client
        return number


class ClientCardForm(ClientCardMixin, forms.Form):
    """Step 1 at the desk: the scanner types the client number and Enter."""

    card = ClientCardField(
        help_text=_("Scan the client card, or type the client number."),
        widget=forms.TextInput(attrs={**SCAN, "autofocus": True}),
    )

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        self.tenancy = tenancy
        super().__init__(*args, **kwargs)


NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}


NUMBER = {"inputmode": "numeric", "autocomplete": "off"}


# Belgian decimals (1,5 and 1.250,75): a text box, as a number box sends what the browser's locale made of it.
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceValidatedModelForm(forms.ModelForm):
    """A model form whose model is cleaned by the service, with the digibank set: the form only
    checks the shape of the input."""

    def _post_clean(self):
        pass
