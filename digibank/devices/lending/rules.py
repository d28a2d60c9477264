"""The lending rules of a digibank, read (their writes are in services), and what follows from them
for a loan: its terms and its hub. A module of its own so that the reminders, the
waiting list and the desk read them without importing lending's writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.devices.lending.models import LendingRules
from digibank.devices.register.models import Device
from digibank.network.models import Digibank, Hub


def rules_of(digibank_ids: Iterable[int]) -> dict[int, LendingRules]:
    """The lending rules of these digibanks in one query; the defaults, unsaved, where a
    coordinator has not set them yet. A read writes nothing: the row is made on the first change."""
    ids = set(digibank_ids)
    found = {rules.digibank_id: rules for rules in LendingRules.objects.filter(digibank_id__in=ids)}
    return {pk: found.get(pk) or LendingRules(digibank_id=pk) for pk in ids}


def rules_for(digibank: Digibank | int) -> LendingRules:
    """The digibank's lending rules; the defaults until its coordinator sets them."""
    digibank_id = digibank if isinstance(digibank, int) else digibank.pk
    rules = rules_of([digibank_id])[digibank_id]
    if rules.pk is None and isinstance(digibank, Digibank):
        rules.digibank = digibank
    return rules


@dataclass(frozen=True)
class LoanTerms:
    """What a loan made now comes with: the desk shows it before Lend, check-out writes it."""

    starts_on: dt.date
    days: int
    due_on: dt.date
    deposit: Decimal
    training_during: str  # the training followed during the loan, by name; "" when none


def loan_terms(rules: LendingRules, *, starts_on: dt.date | None = None, partner: bool = False) -> LoanTerms:
    """The terms of a loan under these rules, starting today unless told: the loan period (a
    partner's set has its own) and so the due date, the deposit, the training during the loan.
    The one place they are computed: the desk's preview, the check-out (screen and API alike) and
    a partner's booking all ask here."""
    starts_on = starts_on or timezone.localdate()
    days = rules.partner_loan_days if partner else rules.loan_days
    training = rules.training_name if rules.training == LendingRules.Training.DURING and not partner else ""
    return LoanTerms(
        starts_on=starts_on,
        days=days,
        due_on=starts_on + dt.timedelta(days=days),
        deposit=Decimal("0") if partner else rules.deposit,
        training_during=training,
    )


def lending_hubs(digibank: Digibank | int) -> QuerySet[Hub]:
    """The hubs of a digibank where a loan can be handed over: open, and lending devices. Staff
    roles are per digibank, not per hub, so these are the hubs a desk worker of it works at; the
    desk asks which one only when there is more than one."""
    digibank_id = digibank if isinstance(digibank, int) else digibank.pk
    return Hub.objects.filter(digibank_id=digibank_id, closed_on__isnull=True, offers_lending=True).order_by(
        "name", "pk"
    )


def loan_hub(*, digibank: Digibank, devices: Sequence[Device], hub: Hub | None = None) -> Hub:
    """The hub of a loan, one rule for the desk and the API: the hub chosen (the desk's select, the
    API's `hub`), which must be one of `lending_hubs`; when none is chosen, the hub where the
    (first) device is."""
    if hub is None:
        if not devices:
            raise ValidationError({"tags": [_("Scan at least one device label.")]})
        return devices[0].hub
    if hub.digibank_id != digibank.pk:
        raise ValidationError({"hub": [_("This hub is not part of your digibank.")]})
    if hub.closed_on is not None or not hub.offers_lending:
        raise ValidationError({"hub": [_("No devices are lent at this hub: choose a hub that lends.")]})
    return hub
