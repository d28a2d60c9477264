"""The waiting list's forms: a request, the list's filter and a move in the line."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.core.tenancy import Tenancy
from digibank.devices.common.forms import SCAN, ClientCardField, ClientCardMixin
from digibank.devices.register.lifecycle import REQUESTABLE_KINDS
from digibank.devices.waiting_list.models import DeviceRequest
from digibank.devices.waiting_list.selectors import UrgencyProposal, urgency_proposal
from digibank.network.models import Digibank, Hub, Partner


class RequestForm(ClientCardMixin, forms.Form):
    """Put a client on the waiting list for a type of device at a hub."""

    card = ClientCardField(
        help_text=_("Scan the client card, or type the client number."), widget=forms.TextInput(SCAN)
    )
    hub = forms.ModelChoiceField(label=_("At hub"), queryset=Hub.objects.none())
    kind = forms.ChoiceField(label=_("Type of device"), choices=[(k.value, k.label) for k in REQUESTABLE_KINDS])
    urgent = forms.BooleanField(label=_("A partner says the need is urgent"), required=False)
    urgent_partner = forms.ModelChoiceField(
        label=_("Partner who says it is urgent"), queryset=Partner.objects.none(), required=False
    )
    urgent_reason = forms.CharField(
        label=_("Why it is urgent"),
        help_text=_("For example: needs a laptop to apply for jobs with VDAB this month."),
        required=False,
        max_length=300,
    )
    # The referral whose urgency the desk was shown (its code): unticked after that, it is not urgent.
    proposed = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, tenancy: Tenancy, digibank: Digibank, **kwargs):
        self.tenancy, self.digibank = tenancy, digibank
        super().__init__(*args, **kwargs)
        hubs = Hub.objects.filter(digibank=digibank, closed_on__isnull=True).order_by("-offers_lending", "name")
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs
        partners = Partner.objects.filter(digibank=digibank, left_on__isnull=True).order_by("name")
        cast(forms.ModelChoiceField, self.fields["urgent_partner"]).queryset = partners

    def clean(self):
        data = super().clean()
        if data.get("urgent"):
            if not data.get("urgent_partner"):
                self.add_error("urgent_partner", _("Choose the partner who says the need is urgent."))
        else:
            data["urgent_partner"], data["urgent_reason"] = None, ""
        return data

    @staticmethod
    def proposal_data(proposal: UrgencyProposal) -> dict[str, Any]:
        return {
            "urgent": True,
            "urgent_partner": proposal.partner.pk,
            "urgent_reason": proposal.reason,
            "proposed": proposal.code,
        }

    def unseen_proposal(self) -> UrgencyProposal | None:
        """After a valid post: the urgency the client's open device referral proposes, when the desk was not
        shown it yet (they did not tick urgent, nor untick this proposal)."""
        data = self.cleaned_data
        if data["urgent"]:
            return None
        proposal = urgency_proposal(data["client"])
        if proposal is None or data["proposed"] == proposal.code:
            return None
        return proposal

    def proposing(self, proposal: UrgencyProposal) -> RequestForm:
        """The same form again, with the proposal ticked and filled in, for the desk to check."""
        data = dict(self.data.items())  # one value a field
        for name, value in self.proposal_data(proposal).items():
            data[name] = "on" if value is True else value
        return RequestForm(data, tenancy=self.tenancy, digibank=self.digibank)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "client": data["client"],
            "hub": data["hub"],
            "kind": data["kind"],
            "urgent_partner": data["urgent_partner"],
            "urgent_reason": data["urgent_reason"],
        }


class RequestFilterForm(forms.Form):
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), required=False, empty_label=_("all hubs"))
    kind = forms.ChoiceField(
        label=_("Type of device"),
        required=False,
        choices=[("", _("all types")), *[(k.value, k.label) for k in REQUESTABLE_KINDS]],
    )

    def __init__(self, *args, digibank: Digibank, **kwargs):
        # The page also holds the form that adds a request, with fields of the same names: ids of its own,
        # so each label names its own field.
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = Hub.objects.filter(digibank=digibank).order_by(
            "name"
        )


class RequestMoveForm(forms.Form):
    before = forms.TypedChoiceField(label=_("Move to just before"), required=False, coerce=int, empty_value=None)
    reason = forms.CharField(
        label=_("Why this person moves"),
        help_text=_("Required. It is kept with the queue, for everyone to see later."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, request: DeviceRequest, line: list[DeviceRequest], **kwargs):
        super().__init__(*args, **kwargs)
        self.others = {r.pk: r for r in line if r.pk != request.pk}
        choices: list[tuple[str, Any]] = [("", _("the end of the line"))]
        for position, other in enumerate(line, start=1):
            if other.pk != request.pk:
                choices.append((str(other.pk), f"{position}. {other.client} ({other.queued_at:%d/%m/%Y})"))
        cast(forms.ChoiceField, self.fields["before"]).choices = choices

    def before_request(self) -> DeviceRequest | None:
        pk = self.cleaned_data.get("before")
        return self.others.get(pk) if pk else None
