"""The forms of appointments: generating slots, booking for a client at the desk, booking on the
public site (a name and a phone number or e-mail address, nothing more)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.core.validators import single_line_text
from digibank.guidance.appointments.models import Kind
from digibank.guidance.appointments.services import LENGTHS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class GenerateForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput(), help_text=_("At most three months later."))
    length = forms.TypedChoiceField(
        label=_("Length of a slot"),
        coerce=int,
        choices=[(n, _("%(minutes)s minutes") % {"minutes": n}) for n in LENGTHS],
        initial=30,
    )
    kind = forms.ChoiceField(label=_("Kind of help"), choices=Kind.choices)
    helper = forms.ModelChoiceField(
        label=_("Helper"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("The desk (no helper)"),
    )

    def __init__(self, *args, helpers=None, **kwargs):
        kwargs.setdefault("initial", {})
        today = timezone.localdate()
        kwargs["initial"].setdefault("first_day", today)
        kwargs["initial"].setdefault("last_day", today + dt.timedelta(days=13))
        super().__init__(*args, **kwargs)
        if helpers is not None:
            self.fields["helper"].queryset = helpers  # type: ignore[attr-defined]


class BookForClientForm(forms.Form):
    card = forms.CharField(
        label=_("Client number"),
        max_length=20,
        help_text=_("Scan the card or type the number."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class PublicBookingForm(forms.Form):
    """What the public gives: a name, and a phone number or an e-mail address (one is enough)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        required=False,
        help_text=_("For example 0470 12 34 56."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Or your e-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
