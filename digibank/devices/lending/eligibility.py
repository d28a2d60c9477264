"""Who may borrow what, and why not: a digibank's conditions (residence, age, income, training,
goals plan, referral), its limits per client (devices at a time, loans and weeks a year), and why
an extension is refused. Reads only: the services check again under their locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.devices.lending.models import LendingRules, Loan, LoanItem
from digibank.devices.lending.rules import rules_of
from digibank.devices.register.lifecycle import (
    Kind,
    State,
)
from digibank.devices.register.models import Device
from digibank.devices.waiting_list.models import DeviceRequest
from digibank.guidance.referrals.selectors import device_referral_partner_id

# --- check-out -------------------------------------------------------------------------------


@dataclass
class Attestation:
    """What the desk establishes with the client for the rules, at the desk. Only the outcome is
    kept with the loan (which condition was met), never the income itself."""

    increased_allowance: bool = False
    household_size: int | None = None
    household_income: Decimal | None = None  # per year or per month, as the rules' income limit
    training_done: bool = False
    goals_plan: str = ""


@dataclass
class Verdict:
    """Whether the rules allow this loan, and if not, why, by field."""

    reasons: dict[str, list[str]] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return not self.reasons

    def refuse(self, name: str, message: str) -> None:
        self.reasons.setdefault(name, []).append(message)

    def raise_if_refused(self) -> None:
        if self.reasons:
            raise ValidationError(self.reasons)


def _year_ago(today: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time()))


_LOAN_SPAN = ("checked_out_at", "closed_at", "due_on")


def _days_on_loan(span: tuple[dt.datetime | None, dt.datetime | None, dt.date], *, since: dt.datetime, today) -> int:
    """Days of one loan (checked out, closed, due: `_LOAN_SPAN`) that fall in the year since `since`;
    an open loan counts until its due date, or today when it is overdue."""
    start, end, due = span
    if start is None:
        return 0
    until = end.date() if end else max(due, today)
    return max((until - max(start.date(), since.date())).days, 0)


def loan_check(
    *,
    rules: LendingRules,
    client: Client,
    devices: Sequence[Device],
    attestation: Attestation,
    reservation: Loan | None = None,
    today: dt.date | None = None,
) -> Verdict:
    """Apply the digibank's rules to lending these devices to this client, now. Every reason
    against is given, so the desk sees at once what is missing."""
    today = today or timezone.localdate()
    verdict = Verdict()
    conditions: dict[str, Any] = {"loan_days": rules.loan_days, "deposit": str(rules.deposit)}
    if client.digibank_id != rules.digibank_id or client.is_anonymised:
        verdict.refuse("client", _("This client is not registered at your digibank."))
        return verdict
    age = client.age_on(today)
    if age is None:
        verdict.refuse("client", _("The age of this client is not known: record the year of birth first."))
    elif age < 18:
        verdict.refuse("client", _("Devices are lent to adults only."))
    if rules.residents_only:
        area = set(rules.digibank.service_area.values_list("pk", flat=True))
        if client.municipality_id not in area:
            verdict.refuse("client", _("This client does not live in the digibank's service area."))
    if rules.referral_required:
        # The partner noted on the client's record, else a partner's referral for a device (guidance's).
        referred_by = client.referred_by_id or device_referral_partner_id(client)
        if referred_by is None:
            verdict.refuse("client", _("A referral by a partner is needed: record the referring partner first."))
        else:
            conditions["referred_by"] = referred_by
    reserved = [d.pk for d in devices if d.state == State.RESERVED]
    held = (  # one query for the whole bundle
        set(reservation.items.filter(device__in=reserved, open=True).values_list("device_id", flat=True))
        if reservation is not None and reserved
        else set()
    )
    for device in devices:
        if device.state != State.READY and device.pk not in held:
            verdict.refuse(
                "tags",
                _("%(tag)s is not ready to lend: it is %(state)s.")
                % {"tag": device.asset_tag, "state": State(device.state).label},
            )
    main = [d for d in devices if d.kind in _MAIN_KINDS]
    if devices and not main:
        verdict.refuse("tags", _("Scan the device itself, not only accessories."))
    open_main = LoanItem.objects.filter(
        loan__client=client, open=True, loan__status=Loan.Status.ON_LOAN, device__kind__in=_MAIN_KINDS
    ).count()
    if open_main + len(main) > rules.max_devices_per_client:
        verdict.refuse(
            "tags",
            _("A client may borrow %(max)s device(s) at a time; this client already has %(now)s.")
            % {"max": rules.max_devices_per_client, "now": open_main},
        )
    since = _year_ago(today)
    past = Loan.objects.filter(client=client, checked_out_at__gte=since).exclude(status=Loan.Status.CANCELLED)
    if reservation is not None:
        past = past.exclude(pk=reservation.pk)
    if rules.max_loans_per_year and past.count() + 1 > rules.max_loans_per_year:
        verdict.refuse(
            "client",
            _("This client has reached the limit of %(max)s loans in a year.") % {"max": rules.max_loans_per_year},
        )
    if rules.max_weeks_per_year:
        days = sum(_days_on_loan(row, since=since, today=today) for row in past.values_list(*_LOAN_SPAN))
        if days + rules.loan_days > rules.max_weeks_per_year * 7:
            verdict.refuse(
                "client",
                _("This loan would take the client past %(max)s weeks on loan in a year (already %(weeks)s).")
                % {"max": rules.max_weeks_per_year, "weeks": days // 7},
            )
    _check_income(rules, attestation, verdict, conditions)
    if rules.training:
        conditions["training"] = {"when": rules.training, "name": rules.training_name}
        if rules.training == LendingRules.Training.BEFORE and not attestation.training_done:
            verdict.refuse(
                "training_done",
                _("The training “%(name)s” must be completed before the loan.") % {"name": rules.training_name},
            )
    if rules.goals_plan_required:
        if not attestation.goals_plan.strip():
            verdict.refuse("goals_plan", _("Agree a goals plan with the client and write it down."))
    verdict.conditions = conditions
    return verdict


_MAIN_KINDS = [k for k in Kind.values if k not in (Kind.CHARGER, Kind.BAG, Kind.MOUSE, Kind.KEYBOARD, Kind.HEADSET)]


def _check_income(rules: LendingRules, attestation: Attestation, verdict: Verdict, conditions: dict) -> None:
    condition = rules.income_condition
    if not condition:
        return
    by_allowance = attestation.increased_allowance
    by_income = False
    answered = attestation.household_size is not None and attestation.household_income is not None
    if condition in (LendingRules.Income.THRESHOLD, LendingRules.Income.EITHER) and answered:
        assert attestation.household_size is not None and attestation.household_income is not None
        if attestation.household_size < 1:
            verdict.refuse("household_size", _("A household has at least one member."))
            return
        if attestation.household_income < 0:
            verdict.refuse("household_income", _("An income cannot be negative."))
            return
        limit = rules.income_limit(attestation.household_size)
        by_income = limit is not None and attestation.household_income <= limit
    if condition == LendingRules.Income.INCREASED_ALLOWANCE:
        met = by_allowance
        message = _("Only clients with the increased allowance (verhoogde tegemoetkoming) can borrow.")
    elif condition == LendingRules.Income.THRESHOLD:
        met = by_income
        message = (
            _("The household's income is above the limit for its size.")
            if answered
            else _("Still to check: fill in the household size and its income.")
        )
    else:
        met = by_allowance or by_income
        message = (
            _("The client needs the increased allowance or a household income below the limit.")
            if answered
            else _("Still to check: the increased allowance, or the household size and its income.")
        )
    if not met:
        verdict.refuse("income", message)
    else:
        conditions["income"] = "increased_allowance" if by_allowance else "below_threshold"


def extension_refusals(loans: Sequence[Loan], *, today: dt.date | None = None) -> dict[int, str]:
    """Why each loan cannot be extended today, or '' where it can: the rules loan_extend applies,
    for a whole page of loans in a fixed number of queries (the desk shows the button only where
    it works). Someone waiting for a type of device in the loan blocks an extension while no
    device of that type is ready."""
    today = today or timezone.localdate()
    if not loans:
        return {}
    rules = rules_of(loan.digibank_id for loan in loans)
    kinds: dict[int, set[str]] = {loan.pk: set() for loan in loans}
    items = LoanItem.objects.filter(loan_id__in=list(kinds), open=True).values_list("loan_id", "device__kind")
    for loan_id, kind in items:
        kinds[loan_id].add(kind)
    waiting = set(
        DeviceRequest.objects.filter(digibank_id__in=list(rules), status=DeviceRequest.Status.WAITING)
        .values_list("digibank_id", "kind")
        .distinct()
    )
    ready = set()
    if waiting:
        ready = set(
            Device.objects.filter(
                digibank_id__in=list(rules), state=State.READY, kind__in={kind for _, kind in waiting}
            )
            .values_list("digibank_id", "kind")
            .distinct()
        )
    short = waiting - ready
    # The weeks a client already had on other loans this year count towards the limit too.
    since = _year_ago(today)
    other_days: dict[int, dict[int, int]] = {}
    borrowers = {loan.client_id for loan in loans if loan.client_id}
    if borrowers and any(rule.max_weeks_per_year for rule in rules.values()):
        spans = (
            Loan.objects.filter(client_id__in=borrowers, checked_out_at__gte=since)
            .exclude(status=Loan.Status.CANCELLED)
            .values_list("client_id", "pk", *_LOAN_SPAN)
        )
        for client_id, pk, *span in spans:
            other_days.setdefault(client_id, {})[pk] = _days_on_loan(tuple(span), since=since, today=today)
    refusals: dict[int, str] = {}
    for loan in loans:
        rule = rules[loan.digibank_id]
        year_start = max(loan.starts_on, today - dt.timedelta(days=365))
        days_after = (loan.due_on + dt.timedelta(days=rule.extension_days) - year_start).days
        days_after += sum(days for pk, days in other_days.get(loan.client_id or 0, {}).items() if pk != loan.pk)
        refusal = ""
        if loan.status != Loan.Status.ON_LOAN:
            refusal = _("Only a loan in progress can be extended.")
        elif loan.extensions >= rule.extensions_allowed:
            refusal = _("This loan cannot be extended again: %(max)s extension(s) allowed.") % {
                "max": rule.extensions_allowed
            }
        elif loan.client_id and rule.max_weeks_per_year and days_after > rule.max_weeks_per_year * 7:
            refusal = _("An extension would go past %(max)s weeks on loan in a year.") % {
                "max": rule.max_weeks_per_year
            }
        elif any((loan.digibank_id, kind) in short for kind in kinds[loan.pk]):
            refusal = _("Someone is waiting for this type of device: the loan cannot be extended.")
        refusals[loan.pk] = refusal
    return refusals
