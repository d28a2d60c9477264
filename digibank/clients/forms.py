"""Forms of the client screens. They check the shape of what is typed at the desk; the services
check the rules (adults only, Belgian postal code, a phone number that can be called)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.core.text import DATE_FORMATS
from digibank.network.models import Digibank, Partner

from .models import Client, Consent, FoundVia, Language, Traits
from .services import CLIENT_FIELDS, TRAIT_FIELDS

NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "words", "spellcheck": "false"}
DIGITS = {"inputmode": "numeric", "autocomplete": "off"}


def _yes_no_field(label) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=forms.NullBooleanSelect)


class ClientForm(forms.ModelForm):
    """The facts about a person: as few as the service needs."""

    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d-%m-%Y", attrs={**DIGITS, "placeholder": "dd-mm-jjjj", "maxlength": 10}),
        help_text=_("For example 05-03-1961. When the person does not want to say, give the year only."),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.TextInput(attrs={**DIGITS, "maxlength": 4, "pattern": "[0-9]{4}"}),
        help_text=_("Only when the date of birth is not given."),
    )

    class Meta:
        model = Client
        fields = list(CLIENT_FIELDS)
        widgets = {
            "first_name": forms.TextInput(attrs={**NO_AUTOFILL, "autofocus": True}),
            "last_name": forms.TextInput(attrs=NO_AUTOFILL),
            "postal_code": forms.TextInput(attrs={**DIGITS, "pattern": "[0-9]{4}", "maxlength": 4}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "type": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, digibank: Digibank, **kwargs):
        super().__init__(*args, **kwargs)
        partner = cast(forms.ModelChoiceField, self.fields["referred_by"])
        partner.queryset = Partner.objects.filter(digibank=digibank, left_on__isnull=True).order_by("name")
        partner.help_text = _("Only when the person was referred by a partner.")
        self.fields["postal_code"].help_text = _("The 4 digits of the municipality where the person lives.")
        self.fields["postal_code"].required = False

    def _post_clean(self):
        # The service cleans the client with its digibank set; the rules live there.
        pass

    def clean(self):
        data = super().clean()
        if data.get("found_via") == FoundVia.PARTNER:
            if not data.get("referred_by"):
                self.add_error("referred_by", _("Choose the partner who referred this person."))
        else:
            data["referred_by"] = None
        return data

    def client_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CLIENT_FIELDS}


class TraitsFields(forms.Form):
    """The optional target-group traits; a form of their own and part of the registration."""

    education = forms.ChoiceField(
        label=_("Education level"), choices=[("", _("Not asked")), *Traits.Education.choices], required=False
    )
    income = forms.ChoiceField(
        label=_("Income situation"), choices=[("", _("Not asked")), *Traits.Income.choices], required=False
    )
    home_language = forms.ChoiceField(
        label=_("Language at home"),
        choices=[("", _("Not asked")), *Language.choices],
        required=False,
    )
    reading_difficulty = _yes_no_field(_("Difficulty reading"))
    lives_alone = _yes_no_field(_("Lives alone"))
    disability = _yes_no_field(_("Disability"))

    def traits(self) -> dict[str, Any]:
        """Only the traits that were answered."""
        return {name: self.cleaned_data[name] for name in TRAIT_FIELDS if self.cleaned_data.get(name) not in ("", None)}


class TraitsForm(TraitsFields):
    def traits_all(self) -> dict[str, Any]:
        """Every trait, so clearing one in the form clears it in the record."""
        return {name: self.cleaned_data[name] for name in TRAIT_FIELDS}


class ClientRegisterForm(ClientForm):
    """Registration: the facts, the optional consents and traits, and the answer to a duplicate warning."""

    consent_traits = forms.BooleanField(
        label=_("The person agrees that we record target-group traits, used only in anonymous statistics"),
        required=False,
    )
    consent_contact = forms.BooleanField(label=_("The person agrees to be contacted by SMS or e-mail"), required=False)
    different_person = forms.BooleanField(
        label=_("I checked: this is a different person"), required=False, widget=forms.CheckboxInput
    )

    class Meta(ClientForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.traits_form = TraitsFields(self.data or None, prefix="traits")

    def is_valid(self) -> bool:
        # Both parts are validated, so every error shows at once.
        return super().is_valid() & self.traits_form.is_valid()

    def clean(self):
        data = super().clean()
        if self.traits_form.is_valid() and self.traits_form.traits() and not data.get("consent_traits"):
            self.add_error("consent_traits", _("Target-group traits need the person's consent first."))
        return data

    def consents(self) -> tuple[str, ...]:
        scopes = []
        if self.cleaned_data.get("consent_traits"):
            scopes.append(Consent.Scope.TRAITS)
        if self.cleaned_data.get("consent_contact"):
            scopes.append(Consent.Scope.CONTACT)
        return tuple(scopes)

    def facts_fields(self):
        skip = {"consent_traits", "consent_contact", "different_person"}
        return [field for field in self.visible_fields() if field.name not in skip]


class EraseForm(forms.Form):
    # A choice, not free text: the access log keeps why, and free text could hold a name.
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("request", _("The person asked to be erased")), ("other", _("Another reason"))],
        widget=forms.RadioSelect,
    )


class PrivacyNoticeForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the new version"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Plain Dutch, short sentences. The earlier versions stay, with the consents given under them."),
    )


class RetentionPolicyForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months without activity before personal data is erased"), min_value=1, max_value=120
    )


class RetentionPostponeForm(forms.Form):
    until = forms.DateField(label=_("Keep the data until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Why"), max_length=300, help_text=_("For example: the person still has a device on loan.")
    )


class AccessLogFilterForm(forms.Form):
    client = forms.CharField(
        label=_("Client number"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
