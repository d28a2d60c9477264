"""Lending's forms: lending at the desk, taking back, signing, reports during a loan, incidents,
partner bookings, the lending rules and the agreement text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from digibank.core.tenancy import Tenancy
from digibank.core.text import DATE_FORMATS
from digibank.devices.common.forms import DIGITS, MONEY, SCAN, ClientCardMixin, scanned_lines
from digibank.devices.lending.eligibility import Attestation
from digibank.devices.lending.models import Incident, LendingRules, Loan, LoanItem
from digibank.devices.lending.services import RULE_FIELDS, ReturnedItem
from digibank.devices.register.models import Condition
from digibank.network.models import Digibank, Hub, Partner


class LendForm(ClientCardMixin, forms.Form):
    """Step 2: the scanned labels (a device and its accessories, one bundle) and only the
    questions the digibank's rules ask."""

    card = forms.CharField(widget=forms.HiddenInput(attrs={"id": "lend_card"}))
    tags = forms.CharField(
        label=_("Device labels"),
        help_text=_("Scan the device, then each accessory (charger, bag, mouse): one label a line."),
        widget=forms.Textarea(attrs={**SCAN, "rows": 4}),
        error_messages={"required": _("Scan at least one device label.")},
    )
    increased_allowance = forms.BooleanField(
        label=_("The client has the increased allowance (verhoogde tegemoetkoming)"),
        help_text=_("Look at the certificate or the sticker of the health insurance fund."),
        required=False,
    )
    household_size = forms.IntegerField(
        label=_("Household size (people)"),
        required=False,
        widget=forms.TextInput(attrs={**DIGITS, "maxlength": 2}),
    )
    household_income = forms.DecimalField(
        label=_("Net taxable income of the household per year (EUR)"),
        help_text=_("Only to check the limit: the amount itself is not stored."),
        required=False,
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs=MONEY),
    )
    training_done = forms.BooleanField(label=_("The client completed the training"), required=False)
    goals_plan = forms.CharField(
        label=_("Goals plan"),
        help_text=_("What the client wants to learn or do with the device, as agreed together."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deposit_payment = forms.ChoiceField(
        label=_("Deposit"),
        choices=[
            (Loan.DepositPayment.PAID, _("paid now")),
            (Loan.DepositPayment.WAIVED, _("waived")),
            (Loan.DepositPayment.OWED, _("still to pay")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    # Where each reason of the rules goes: next to the field it is about.
    REASON_FIELDS = {"client": "card", "hub": "tags"}

    def __init__(self, *args, tenancy: Tenancy, rules: LendingRules, hubs: QuerySet[Hub] | None = None, **kwargs):
        self.tenancy, self.rules = tenancy, rules
        super().__init__(*args, **kwargs)
        # The hub of the loan: asked only where there is a choice (services.lending_hubs); without
        # an answer, the hub where the device is (services.loan_hub).
        if hubs is not None and hubs.count() > 1:
            self.fields["hub"] = forms.ModelChoiceField(
                label=_("Hub where the loan is handed over"),
                queryset=hubs,
                required=False,
                empty_label=_("the hub where the device is"),
            )
            self.order_fields(["card", "hub", "tags"])
        income = rules.income_condition
        if income not in (LendingRules.Income.INCREASED_ALLOWANCE, LendingRules.Income.EITHER):
            del self.fields["increased_allowance"]
        if rules.asks_income_amount:
            self.fields["household_size"].help_text = _("Everyone living in the home, the client included.")
            if rules.income_period == LendingRules.Period.MONTH:
                self.fields["household_income"].label = _("Net income of the household per month (EUR)")
        else:
            del self.fields["household_size"], self.fields["household_income"]
        if rules.training == LendingRules.Training.BEFORE:
            self.fields["training_done"].label = _("The client completed the training “%(name)s”") % {
                "name": rules.training_name
            }
        else:
            del self.fields["training_done"]
        if not rules.goals_plan_required:
            del self.fields["goals_plan"]
        if rules.deposit > 0:
            self.fields["deposit_payment"].help_text = _("The deposit is € %(amount)s.") % {
                "amount": formats.number_format(rules.deposit, 2)
            }
        else:
            del self.fields["deposit_payment"]

    @property
    def asks_income(self) -> bool:
        return "increased_allowance" in self.fields or "household_income" in self.fields

    def rule_fields(self):
        return [self[name] for name in ("training_done", "goals_plan", "deposit_payment") if name in self.fields]

    def household_limit(self) -> Decimal | None:
        """The income limit for the household size given, once it is given."""
        size = self.cleaned_data.get("household_size") if self.is_bound and hasattr(self, "cleaned_data") else None
        return self.rules.income_limit(size) if size and size > 0 else None

    def income_fields(self):
        return [
            self[name] for name in ("increased_allowance", "household_size", "household_income") if name in self.fields
        ]

    def codes(self) -> list[str]:
        return scanned_lines(self.cleaned_data.get("tags", ""))

    def attestation(self) -> Attestation:
        data = self.cleaned_data
        return Attestation(
            increased_allowance=bool(data.get("increased_allowance")),
            household_size=data.get("household_size"),
            household_income=data.get("household_income"),
            training_done=bool(data.get("training_done")),
            goals_plan=data.get("goals_plan") or "",
        )

    def deposit_answer(self) -> str:
        return self.cleaned_data.get("deposit_payment") or ""

    def chosen_hub(self) -> Hub | None:
        """The hub chosen for the loan, or None: the service then takes the device's (loan_hub)."""
        return self.cleaned_data.get("hub")

    def add_reasons(self, reasons: dict[str, list[str]]) -> None:
        """Put every reason of the rules next to the field it is about."""
        for key, messages in reasons.items():
            name = key if key in self.fields else self.REASON_FIELDS.get(key, key)
            if key == "income":
                name = next(
                    (n for n in ("increased_allowance", "household_income") if n in self.fields), "household_size"
                )
            self.add_error(name if name in self.fields else None, messages)


class TakeBackForm(forms.Form):
    label = forms.CharField(
        label=_("Label of a device being returned"),
        help_text=_("Scan any label of the loan: the device, an accessory, or the loan number on the agreement."),
        max_length=40,
        widget=forms.TextInput(attrs=SCAN),
    )


class SignForm(forms.Form):
    signed_by_name = forms.CharField(
        label=_("Name of the client, typed by the client"),
        help_text=_("By typing their name, the client signs the agreement shown on this page."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class _LoanDeviceForm(forms.Form):
    """A form about one device of a loan in progress."""

    device = forms.TypedChoiceField(label=_("Device"), coerce=int)

    id_format = "id_%s"

    def __init__(self, *args, loan: Loan, **kwargs):
        self.loan = loan
        kwargs.setdefault("auto_id", self.id_format)  # two of these forms share the loan page
        super().__init__(*args, **kwargs)
        items = loan.items.filter(open=True).select_related("device").order_by("pk")
        self.devices = {item.device_id: item.device for item in items}
        cast(forms.ChoiceField, self.fields["device"]).choices = [
            (str(pk), f"{d.asset_tag} {d.description}") for pk, d in self.devices.items()
        ]

    def chosen_device(self):
        return self.devices[self.cleaned_data["device"]]


class IncidentReportForm(_LoanDeviceForm):
    id_format = "report_%s"
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[(Incident.Kind.LOST, Incident.Kind.LOST.label), (Incident.Kind.STOLEN, Incident.Kind.STOLEN.label)]
        + [(k, label) for k, label in Incident.Kind.choices if k not in (Incident.Kind.LOST, Incident.Kind.STOLEN)],
    )
    description = forms.CharField(
        label=_("What the client told"),
        help_text=_("For a theft: the police report number, if there is one."),
        required=False,
        max_length=500,
    )


class HandOverForm(_LoanDeviceForm):
    id_format = "handover_%s"
    note = forms.CharField(
        label=_("Why the client may keep it"),
        help_text=_("For example: the digibank's conditions for handing over for good are met."),
        max_length=300,
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why the booking is cancelled"), required=False, max_length=300)


class CheckInForm(forms.Form):
    """Taking back: a row per device of the loan (came back, condition, damage) and what
    happened to what did not come back."""

    missing_kind = forms.ChoiceField(
        label=_("What happened to what did not come back"),
        choices=[
            (Incident.Kind.MISSING_PART, _("missing part (for example a charger)")),
            (Incident.Kind.LOST, Incident.Kind.LOST.label),
            (Incident.Kind.STOLEN, Incident.Kind.STOLEN.label),
        ],
        initial=Incident.Kind.MISSING_PART,
        help_text=_("An accessory that did not come back is always a missing part."),
    )
    deposit_kept = forms.DecimalField(
        label=_("Deposit kept (EUR)"),
        required=False,
        max_digits=7,
        decimal_places=2,
        initial=Decimal("0"),
        localize=True,
        widget=forms.TextInput(attrs=MONEY),
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("What the client said about what is missing or damaged."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, items: list[LoanItem], deposit: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = [item for item in items if item.open]
        self.rows = []
        for item in self.items:
            device = item.device
            pk = device.pk
            self.fields[f"present_{pk}"] = forms.BooleanField(
                label=_("%(tag)s came back") % {"tag": device.asset_tag}, required=False, initial=True
            )
            self.fields[f"condition_{pk}"] = forms.ChoiceField(
                label=_("Condition of %(tag)s") % {"tag": device.asset_tag},
                choices=Condition.choices,
                initial=device.condition,
            )
            self.fields[f"damage_{pk}"] = forms.CharField(
                label=_("Damage to %(tag)s") % {"tag": device.asset_tag}, required=False, max_length=300
            )
            self.rows.append((device, self[f"present_{pk}"], self[f"condition_{pk}"], self[f"damage_{pk}"]))
        self.fields["deposit_kept"].help_text = (
            _("Of the deposit of € %(amount)s; only for damage or a missing device. 0 gives it all back.")
            % {"amount": formats.number_format(deposit, 2)}
            if deposit
            else _("This loan has no deposit.")
        )
        self.order_fields(["missing_kind", "deposit_kept", "note"])

    def returned_items(self) -> list[ReturnedItem]:
        data = self.cleaned_data
        return [
            ReturnedItem(
                device=item.device,
                present=bool(data.get(f"present_{item.device_id}")),
                condition=data.get(f"condition_{item.device_id}") or Condition.GOOD,
                damage=data.get(f"damage_{item.device_id}") or "",
            )
            for item in self.items
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "items": self.returned_items(),
            "deposit_kept": data.get("deposit_kept") or Decimal("0"),
            "missing_kind": data["missing_kind"],
            "note": data.get("note") or "",
        }


class LoanFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("open", _("on loan")),
            ("overdue", _("overdue")),
            ("reserved", _("reserved and booked")),
            ("closed", _("returned or ended")),
            ("all", _("all loans")),
        ],
    )
    q = forms.CharField(
        label=_("Client number, asset tag or loan number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**SCAN, "type": "search"}),
    )


class IncidentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("open", _("open incidents")), ("closed", _("closed incidents")), ("all", _("all incidents"))],
    )


class IncidentCloseForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was settled"),
        help_text=_("For example: deposit kept, replaced by the client, charger found."),
        required=False,
        max_length=300,
    )


class BookingForm(forms.Form):
    """A partner organisation books a set of devices ahead, for a course."""

    partner = forms.ModelChoiceField(label=_("Partner organisation"), queryset=Partner.objects.none())
    hub = forms.ModelChoiceField(label=_("Hub where the set is picked up"), queryset=Hub.objects.none())
    starts_on = forms.DateField(
        label=_("Picked up on"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d-%m-%Y", attrs={**DIGITS, "placeholder": "dd-mm-jjjj", "maxlength": 10}),
        help_text=_("For example 14-10-2025."),
    )
    tags = forms.CharField(
        label=_("Device labels"),
        help_text=_("Scan every device of the set: one label a line."),
        widget=forms.Textarea(attrs={**SCAN, "rows": 6}),
        error_messages={"required": _("Scan at least one device label.")},
    )

    def __init__(self, *args, digibank: Digibank, **kwargs):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.filter(digibank=digibank, left_on__isnull=True).order_by("name")
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = partners
        hubs = Hub.objects.filter(digibank=digibank, closed_on__isnull=True).order_by("-offers_lending", "name")
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs

    def codes(self) -> list[str]:
        return scanned_lines(self.cleaned_data.get("tags", ""))


RULE_HELP = {
    "residents_only": _("Lend only to people who live in one of the digibank's municipalities."),
    "referral_required": _("Lend only to people referred by a partner (OCMW, CAW, VDAB ...)."),
    "max_devices_per_client": _("Main devices at the same time; accessories such as a charger do not count."),
    "loan_days": _("How long a loan lasts. 91 days is about 3 months."),
    "extensions_allowed": _("How many times the desk may extend one loan. 0: never."),
    "extension_days": _("How many days each extension adds."),
    "deposit": _("Paid at the desk when lending, given back when all comes back in order. 0: no deposit."),
    "training": _("A training the client follows before the loan, or during it."),
    "training_name": _("The name of the training, as the desk and the client know it."),
    "income_condition": _("Who may borrow by income. The desk checks it with the client; the amount is not stored."),
    "income_threshold": _(
        "The highest household income for a person living alone. For a bigger household the limit rises by the "
        "amount below for each extra member."
    ),
    "income_period": _("Published limits are usually a yearly income; the desk asks the income in the same period."),
    "income_per_member": _("Added to the limit for each member of the household after the first."),
    "goals_plan_required": _("The desk and the client write down together what the client wants to do or learn."),
    "max_loans_per_year": _("Loans per client in the last 12 months. Empty: no limit."),
    "max_weeks_per_year": _("Weeks on loan per client in the last 12 months. Empty: no limit."),
    "offer_days": _("Days a reserved device waits for the next person on the waiting list before it passes on."),
    "reminder_days": _("The client gets a reminder by SMS or e-mail this many days before the due date."),
    "lends_to_partners": _("Partner organisations may book a set of devices, for a course for example."),
    "partner_max_devices": _("The most devices in one partner booking."),
    "partner_max_loans_per_year": _("Bookings per partner in the last 12 months. Empty: no limit."),
    "partner_book_days_ahead": _("A partner books at least this many days before picking up."),
    "partner_loan_days": _("How long a partner keeps a set."),
}


class RulesForm(forms.ModelForm):
    """Every lending rule of the digibank, each with what it means at the desk."""

    class Meta:
        model = LendingRules
        fields = list(RULE_FIELDS)
        help_texts = {name: text for name, text in RULE_HELP.items() if text}
        localized_fields = ("deposit", "income_threshold", "income_per_member")
        widgets = {
            "deposit": forms.TextInput(attrs=MONEY),
            "income_threshold": forms.TextInput(attrs=MONEY),
            "income_per_member": forms.TextInput(attrs=MONEY),
        }

    def _post_clean(self):
        # The service validates the rules as a whole (a threshold needs an amount, a training a name).
        pass

    GROUPS = (
        (
            _("Who may borrow"),
            (
                "residents_only",
                "referral_required",
                "income_condition",
                "income_threshold",
                "income_per_member",
                "income_period",
                "training",
                "training_name",
                "goals_plan_required",
            ),
        ),
        (
            _("The loan"),
            ("max_devices_per_client", "loan_days", "extensions_allowed", "extension_days", "deposit", "reminder_days"),
        ),
        (_("Limits per year"), ("max_loans_per_year", "max_weeks_per_year")),
        (_("Waiting list"), ("offer_days",)),
        (
            _("Sets for partner organisations"),
            (
                "lends_to_partners",
                "partner_max_devices",
                "partner_max_loans_per_year",
                "partner_book_days_ahead",
                "partner_loan_days",
            ),
        ),
    )

    def groups(self):
        placed: set[str] = set()
        result = []
        for title, names in self.GROUPS:
            fields = [self[n] for n in names if n in self.fields]
            placed.update(names)
            result.append((title, fields))
        rest = [self[n] for n in self.fields if n not in placed]
        if rest:
            result.append((_("Other"), rest))
        return result


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the loan agreement"),
        help_text=_(
            "Publishing makes a new version for the loans from now on. Loans signed earlier keep the version they "
            "were signed under."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
    )
