"""Lending's paper: the loan agreement a client signs, with the digibank's current text."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.devices.documents import BRUSSELS, paper, person_line, render_pdf
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import AgreementText, LendingRules, Loan

# --- the loan agreement ----------------------------------------------------------------------


def _agreement_of(loan: Loan) -> tuple[str, int | None]:
    """The text the loan is signed under; for a booking not yet handed over, the digibank's
    current text (read, never created here)."""
    agreement = (
        loan.agreement or AgreementText.objects.filter(digibank_id=loan.digibank_id).order_by("-version").first()
    )
    if agreement is None:
        return lending_services.DEFAULT_AGREEMENT, None
    return agreement.text, agreement.version


def _training(loan: Loan) -> str:
    training = loan.conditions.get("training") if isinstance(loan.conditions, dict) else None
    if not training or not training.get("when"):
        return ""
    if training["when"] == LendingRules.Training.BEFORE:
        return _("“%(name)s”, completed before the loan") % {"name": training.get("name", "")}
    return _("“%(name)s”, to follow during the loan") % {"name": training.get("name", "")}


@paper
def loan_agreement_pdf(loan: Loan) -> bytes:
    """The loan agreement: the digibank and the borrower (the client with their client number, or
    the partner organisation), who lent it, every item, the dates, the conditions that applied at
    check-out, the agreement text in the version signed, and lines for both signatures, or the
    record of the signature given on screen."""
    loan = Loan.objects.select_related(
        "digibank", "client", "partner", "hub__municipality", "agreement", "checked_out_by", "created_by"
    ).get(pk=loan.pk)
    rules = lending_rules.rules_for(loan.digibank)
    text, version = _agreement_of(loan)
    conditions = loan.conditions if isinstance(loan.conditions, dict) else {}
    loan_days = conditions.get("loan_days") or (loan.due_on - loan.starts_on).days
    signed_at = timezone.localtime(loan.signed_at, BRUSSELS) if loan.signed_at else None
    return render_pdf(
        "devices/pdf/loan_agreement.html",
        {
            "loan": loan,
            "digibank": loan.digibank,
            "client": loan.client,
            "partner": loan.partner,
            "staff_name": person_line(loan.checked_out_by or loan.created_by),
            "items": [item.device for item in loan.items.select_related("device").order_by("pk")],
            "loan_days": loan_days,
            "rules": rules,
            "training": _training(loan),
            "agreement_text": text,
            "agreement_version": version,
            "signed_at": signed_at,
            "signed_on": signed_at.date() if signed_at else None,
            "printed_at": timezone.localtime(timezone.now(), BRUSSELS),
        },
    )
