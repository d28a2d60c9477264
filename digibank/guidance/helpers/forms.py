"""The digihelpers' forms: a helper, a weekly time, hours given, the period of the overview and the finder.
Dates are typed the Belgian way (3/12/2026); the services check what a form cannot."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.clients.validation import display_phone
from digibank.core.tenancy import Tenancy
from digibank.core.validators import multi_line_text, single_line_text
from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers import selectors
from digibank.guidance.helpers.models import MOST_MINUTES, Digihelper
from digibank.guidance.selectors import open_hubs, staff_of
from digibank.network.models import Hub, Weekday

# What people type for a date: 3/12/2026, 3-12-2026, 3.12.2026, 3/12/26, or ISO.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d-%m-%y", "%Y-%m-%d"]
User = get_user_model()
DATE_HELP = _("Day/month/year, e.g. 3/12/2026.")


def date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=DATE_HELP,
        error_messages={"invalid": _("Type a date as day/month/year, e.g. 3/12/2026.")},
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off", "size": 10}),
    )


def set_choices(form: forms.Form, name: str, queryset) -> None:
    """The rows a choice field offers, known only once the form knows the digibank."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class HelperChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class DigihelperForm(forms.Form):
    """A helper: a staff account or a name, where and with what they help. `active` only when changing."""

    user = HelperChoice(
        label=_("Staff account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("None: the helper does not log in"),
        help_text=_("A digihelper who logs in needs a role in your digibank, normally the volunteer role."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        validators=[single_line_text],
        help_text=_("Only for a helper without a staff account."),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, help_text=_("Optional, e.g. 0470 12 34 56.")
    )
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("Optional."))
    hubs = forms.ModelMultipleChoiceField(
        label=_("Hubs"), queryset=Hub.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Helps with these e-services"),
        queryset=EService.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    since = date_field(_("Helps since"))
    active = forms.BooleanField(
        label=_("Active: still helps"),
        required=False,
        help_text=_("Untick it when the helper stops. Nothing is deleted: the hours given stay."),
    )

    def __init__(self, *args, tenancy: Tenancy, helper: Digihelper | None = None, **kwargs):
        if "initial" not in kwargs:
            if helper is not None:
                kwargs["initial"] = {
                    "user": helper.user_id,
                    "name": helper.name,
                    "phone": display_phone(helper.phone),
                    "email": helper.email,
                    "hubs": list(helper.hubs.all()),
                    "skills": list(helper.skills.all()),
                    "since": helper.since,
                    "active": helper.active,
                }
            else:
                kwargs["initial"] = {"since": timezone.localdate()}
        super().__init__(*args, **kwargs)
        set_choices(self, "user", staff_of(tenancy))
        set_choices(self, "hubs", open_hubs(tenancy))
        set_choices(self, "skills", selectors.skill_choices(tenancy))
        if helper is None:
            del self.fields["active"]
        for name in ("name", "phone", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("user") is None and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose a staff account or type the helper's name."))
        return data


class AvailabilityForm(forms.Form):
    """A weekly time at one of the helper's hubs."""

    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), empty_label="—")
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}), help_text=_("e.g. 13:30")
    )
    ends = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}), help_text=_("e.g. 16:30")
    )

    def __init__(self, *args, helper: Digihelper, **kwargs):
        kwargs.setdefault("prefix", "time")
        super().__init__(*args, **kwargs)
        hubs = list(helper.hubs.order_by("name"))
        set_choices(self, "hub", helper.hubs.order_by("name"))
        if len(hubs) == 1:  # nothing to choose: the helper's one hub
            self.fields["hub"].initial = hubs[0].pk

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end time must be later than the start time."))
        return data


class HoursForm(forms.Form):
    """Time a helper gave on one day at one hub."""

    day = date_field(_("Day"))
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), empty_label="—")
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MOST_MINUTES,
        help_text=_("From 1 to 720 (12 hours), e.g. 150 for two and a half hours."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        validators=[multi_line_text],
        help_text=_("Optional: what the time was for. Never write down personal data of the people helped."),
    )

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        kwargs.setdefault("initial", {"day": timezone.localdate()})
        super().__init__(*args, **kwargs)
        set_choices(self, "hub", open_hubs(tenancy))


class PeriodForm(forms.Form):
    """The period of "who helped how much": from and until, both days included."""

    SORTS = [("hours", _("Most hours first")), ("name", _("By name"))]

    start = date_field(_("From"))
    end = date_field(_("Until"))
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first day."))
        elif start and end and (end - start).days > 366 * 5:
            self.add_error("start", _("Choose a period of at most five years."))
        return data


class FinderForm(forms.Form):
    """Who can help with an e-service at a hub on a day (today unless another is typed)."""

    e_service = forms.ModelChoiceField(
        label=_("E-service"), queryset=EService.objects.none(), required=False, empty_label=_("Any")
    )
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), required=False, empty_label=_("Any"))
    day = date_field(_("Day"), required=False)

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self, "e_service", selectors.skill_choices(tenancy))
        set_choices(self, "hub", open_hubs(tenancy))

    def clean_day(self):
        return self.cleaned_data.get("day") or timezone.localdate()
