"""The queue's two small forms: what a person came for when they take a number, and the desk that calls."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.core.validators import single_line_text
from digibank.guidance.queue.models import DESK_LENGTH, Purpose


class TakeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What for (if the person says)"),
        choices=[("", _("Not asked")), *Purpose.choices],
        required=False,
    )


class CallNextForm(forms.Form):
    desk = forms.CharField(
        label=_("Your desk"),
        max_length=DESK_LENGTH,
        validators=[single_line_text],
        help_text=_("Shown on the waiting-room screen next to the number, e.g. Desk 2."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].widget.attrs.update(autocomplete="off")
