"""Forms of the staff screens. They check the shape of input; the services check the rules."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from digibank.core.roles import Role

from .models import Digibank, Hub, HubException, Municipality, Partner, Province, Weekday

PERIODS_PER_DAY = 2


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "enterprise_number",
            "role",
            "responsibilities",
            "contact_name",
            "email",
            "phone",
            "joined_on",
            "left_on",
        ]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "responsibilities": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self):
        # The service runs full_clean with the digibank set; unique checks need it.
        pass


class HubForm(forms.ModelForm):
    class Meta:
        model = Hub
        fields = [
            "name",
            "street",
            "postal_code",
            "municipality",
            "latitude",
            "longitude",
            "offers_guidance",
            "offers_lending",
            "offers_training",
            "offers_repair",
            "wheelchair_accessible",
            "accessibility_notes",
            "phone",
            "email",
            "description",
            "closed_on",
        ]
        widgets = {
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "pattern": "[0-9]{4}", "maxlength": 4}
            ),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, digibank: Digibank, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = cast(forms.ModelChoiceField, self.fields["municipality"])
        municipality.queryset = digibank.service_area.order_by("name")
        municipality.required = False
        municipality.help_text = _("Leave empty to take it from the postal code.")
        municipality.error_messages["invalid_choice"] = _(
            "This municipality is not in the service area of your digibank."
        )

    def _post_clean(self):
        pass


class WeekHoursForm(forms.Form):
    """The regular week as a grid: each day up to two periods (for example morning and afternoon)."""

    def __init__(self, *args, initial_periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        for day in Weekday:
            for n in range(PERIODS_PER_DAY):
                for edge, label in (("opens", _("opens")), ("closes", _("closes"))):
                    self.fields[self.key(day, n, edge)] = forms.TimeField(
                        required=False,
                        label=f"{day.label} {n + 1}: {label}",
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    )
        if not self.is_bound:
            seen: dict[int, int] = {}
            for weekday, opens, closes in sorted(initial_periods):
                n = seen.get(weekday, 0)
                if n < PERIODS_PER_DAY:
                    self.initial[self.key(weekday, n, "opens")] = opens
                    self.initial[self.key(weekday, n, "closes")] = closes
                seen[weekday] = n + 1

    @staticmethod
    def key(weekday: int, n: int, edge: str) -> str:
        return f"d{int(weekday)}_{n}_{edge}"

    def rows(self):
        """For the template: one row per day, with its periods' bound fields."""
        return [
            (day, [(self[self.key(day, n, "opens")], self[self.key(day, n, "closes")]) for n in range(PERIODS_PER_DAY)])
            for day in Weekday
        ]

    def clean(self):
        data = super().clean()
        periods: list[tuple[int, dt.time, dt.time]] = []
        for day in Weekday:
            day_periods = []
            for n in range(PERIODS_PER_DAY):
                opens, closes = data.get(self.key(day, n, "opens")), data.get(self.key(day, n, "closes"))
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None:
                    self.add_error(
                        self.key(day, n, "opens" if opens is None else "closes"),
                        _("Give both the opening and the closing time."),
                    )
                elif closes <= opens:
                    self.add_error(
                        self.key(day, n, "closes"), _("The closing time must be later than the opening time.")
                    )
                else:
                    day_periods.append((n, opens, closes))
            ordered = sorted(day_periods, key=lambda p: p[1])
            for (_n1, _o1, first_closes), (n2, second_opens, _c2) in zip(ordered, ordered[1:]):
                if second_opens < first_closes:
                    self.add_error(
                        self.key(day, n2, "opens"),
                        _("This period overlaps the other period of %(day)s.") % {"day": day.label},
                    )
            periods.extend((int(day), o, c) for _n, o, c in day_periods)
        data["periods"] = periods
        return data


class HubExceptionForm(forms.ModelForm):
    class Meta:
        model = HubException
        fields = ["starts_on", "ends_on", "opens", "closes", "reason"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def _post_clean(self):
        pass

    def clean(self):
        data = super().clean()
        probe = HubException(**{k: data.get(k) for k in self.Meta.fields})
        try:
            probe.clean()
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                self.add_error(name, errors)
        return data


class DigibankForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Digibank
        fields = ["name", "email", "phone", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        pass


class ServiceAreaForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.order_by("province", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def by_province(self) -> list[tuple[str, list]]:
        """The check boxes in one group per province, for a list of 285 that a person can scan."""
        province_of = dict(Municipality.objects.values_list("pk", "province"))
        groups: dict[str, list] = {code: [] for code in Province.values}
        for box in self["municipalities"]:
            groups[province_of[str(box.data["value"])]].append(box)
        return [(Province(code).label, boxes) for code, boxes in groups.items()]


class MembershipForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the staff member"))
    first_name = forms.CharField(
        label=_("First name"), max_length=150, required=False, help_text=_("Only needed for a new account.")
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.ModelChoiceField(label=_("Works for partner"), queryset=Partner.objects.none(), required=False)

    def __init__(self, *args, digibank: Digibank, **kwargs):
        super().__init__(*args, **kwargs)
        partner = cast(forms.ModelChoiceField, self.fields["partner"])
        partner.queryset = Partner.objects.filter(digibank=digibank, left_on__isnull=True)

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.PARTNER_WORKER and not data.get("partner"):
            self.add_error("partner", _("A partner worker works for one of the partners: choose which."))
        email = data.get("email")
        if email and not get_user_model().objects.filter(email__iexact=email).exists():
            if not data.get("first_name"):
                self.add_error("first_name", _("There is no account with this e-mail yet: give a first name."))
        return data


class DigibankStartForm(forms.Form):
    """The Department starts a digibank and names its first coordinator."""

    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Lower case letters, digits and hyphens, e.g. digibank-waasland."),
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Digibank.Phase.choices)
    service_area = forms.ModelMultipleChoiceField(
        label=_("Service area"),
        queryset=Municipality.objects.order_by("province", "name"),
        widget=forms.CheckboxSelectMultiple,
    )
    coordinator_email = forms.EmailField(label=_("E-mail of the first coordinator"))
    coordinator_first_name = forms.CharField(
        label=_("First name of the coordinator"),
        max_length=150,
        required=False,
        help_text=_("Only needed for a new account."),
    )
    coordinator_last_name = forms.CharField(label=_("Last name of the coordinator"), max_length=150, required=False)


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Digibank.Phase.choices)
