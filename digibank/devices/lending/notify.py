"""Reminders to borrowers (a loan's end comes near, or has passed), by SMS or e-mail and only with
their consent."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digibank.clients.selectors import may_contact
from digibank.clients.services import record_event
from digibank.core.senders import SendError, send_message
from digibank.devices.lending.models import Loan, Reminder
from digibank.devices.lending.rules import rules_of

log = logging.getLogger(__name__)


OVERDUE_REMINDER_DAYS = (1, 7, 14, 28)  # days after the due date on which an overdue loan is reminded


def send_to_client(client, subject: str, text: str) -> str:
    if not may_contact(client):
        return ""
    try:
        return send_message(to_email=client.email, to_phone=client.phone, subject=subject, text=text)
    except SendError:
        log.warning("message to client %s could not be sent", client.pk, exc_info=True)
        return ""


def _reminder_text(loan: Loan, kind: str) -> tuple[str, str]:
    values = {"digibank": loan.digibank.name, "date": date_format(loan.due_on, "j F"), "hub": loan.hub.name}
    if kind == Reminder.Kind.DUE_SOON:
        return _("Your loan ends soon"), _(
            "%(digibank)s: please bring your device back to %(hub)s by %(date)s, or ask us to extend the loan."
        ) % values
    return _("Your loan has ended"), _(
        "%(digibank)s: your loan ended on %(date)s. Please bring the device back to %(hub)s, or call us."
    ) % values


def due_reminders(today: dt.date) -> list[tuple[Loan, str]]:
    """The loans to remind today: nearly due (the digibank's number of days before), and overdue
    on the days of OVERDUE_REMINDER_DAYS."""
    found: list[tuple[Loan, str]] = []
    open_loans = Loan.objects.filter(status=Loan.Status.ON_LOAN, client__isnull=False).select_related(
        "client", "digibank", "hub"
    )
    overdue_days = [today - dt.timedelta(days=n) for n in OVERDUE_REMINDER_DAYS]
    horizon = today + dt.timedelta(days=30)
    soon = list(open_loans.filter(due_on__gt=today, due_on__lte=horizon))
    rules = rules_of(loan.digibank_id for loan in soon)  # each digibank's rules once, not per loan
    for loan in soon:
        if loan.due_on - today == dt.timedelta(days=rules[loan.digibank_id].reminder_days):
            found.append((loan, Reminder.Kind.DUE_SOON))
    for loan in open_loans.filter(due_on__in=overdue_days):
        found.append((loan, Reminder.Kind.OVERDUE))
    return found


def send_reminders(today: dt.date | None = None) -> int:
    """Remind every loan due; once per loan, kind and day, however often the job runs."""
    today = today or timezone.localdate()
    sent = 0
    for loan, kind in due_reminders(today):
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(loan=loan, kind=kind, sent_on=today)
        except IntegrityError:
            continue  # already reminded today
        with translation.override("nl"):
            subject, text = _reminder_text(loan, kind)
            channel = send_to_client(loan.client, subject, text)
        Reminder.objects.filter(pk=reminder.pk).update(channel=channel)
        record_event(
            client=loan.client,  # type: ignore[arg-type]  # only loans to clients are reminded
            kind=f"loan_reminder_{kind}",
            summary=channel or "-",
            ref=f"devices.loan:{loan.pk}",
        )
        sent += 1
    return sent
