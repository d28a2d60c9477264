"""Lending's reads: loans (open, overdue, a client's, a device's), what becomes of each returned
device, incidents, and what a client may still borrow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.clients.numbers import normalise as normalise_number
from digibank.core.tenancy import Tenancy
from digibank.devices.lending.eligibility import Attestation, loan_check
from digibank.devices.lending.models import AgreementText, Incident, LendingRules, Loan, LoanItem
from digibank.devices.register.lifecycle import Kind, State, holds_data
from digibank.devices.register.models import Device
from digibank.devices.tags import LOAN, normalise_code, normalise_tag
from digibank.network.models import Partner

# A bundle's accessories: lent with a device, never counted as one of the client's devices.
ACCESSORY_KINDS = frozenset({Kind.CHARGER, Kind.BAG, Kind.MOUSE, Kind.KEYBOARD, Kind.HEADSET})


def _items_with_devices() -> Prefetch:
    return Prefetch("items", queryset=LoanItem.objects.select_related("device").order_by("pk"))


def loans_of(tenancy: Tenancy) -> QuerySet[Loan]:
    return Loan.objects.visible_to(tenancy)


class LoanFilter:
    OPEN = "open"
    OVERDUE = "overdue"
    RESERVED = "reserved"
    CLOSED = "closed"
    ALL = "all"


def loan_list(tenancy: Tenancy, *, show: str = LoanFilter.OPEN, query: str = "", today: dt.date | None = None):
    """The desk's loans: open ones (newest first), overdue ones (the oldest due date first),
    reservations, or closed ones; narrowed to a client number, a loan number or an asset tag."""
    today = today or timezone.localdate()
    loans = loans_of(tenancy).select_related("client", "partner", "hub").prefetch_related(_items_with_devices())
    if show == LoanFilter.OVERDUE:
        loans = loans.filter(status=Loan.Status.ON_LOAN, due_on__lt=today).order_by("due_on", "pk")
    elif show == LoanFilter.OPEN:
        loans = loans.filter(status=Loan.Status.ON_LOAN).order_by("due_on", "pk")
    elif show == LoanFilter.RESERVED:
        loans = loans.filter(status=Loan.Status.RESERVED).order_by("starts_on", "pk")
    elif show == LoanFilter.CLOSED:
        loans = loans.exclude(status__in=Loan.OPEN_STATUSES).order_by("-closed_at", "-pk")
    else:
        loans = loans.order_by("-created_at", "-pk")
    text = (query or "").strip()
    if text:
        number, tag, loan_number = normalise_number(text), normalise_tag(text), normalise_code(text, LOAN)
        if number:
            loans = loans.filter(client__number=number)
        elif tag:
            loans = loans.filter(items__device__asset_tag=tag).distinct()
        elif loan_number:
            loans = loans.filter(number=loan_number)
        else:
            loans = loans.none()
    return loans


def loan_detail(tenancy: Tenancy) -> QuerySet[Loan]:
    return loans_of(tenancy).select_related(
        "client", "partner", "hub", "agreement", "created_by", "checked_out_by", "closed_by"
    )


def loan_items(loan: Loan) -> list[LoanItem]:
    return list(loan.items.select_related("device", "device__hub").order_by("pk"))


def goes_back_to_wiping(loan: Loan, item: LoanItem) -> bool:
    """Whether this device of the loan went back to be wiped: it came back at the check-in (not
    missing, not cancelled, not handed over) and holds data, as `services.loan_check_in` marks it
    (a data-holding device that is returned needs an erasure)."""
    return (
        loan.status == Loan.Status.RETURNED
        and not item.open
        and not item.missing
        and item.device.state != State.HANDED_OVER
        and holds_data(item.device.kind)
    )


def back_to_wiping(loan: Loan, items: Iterable[LoanItem]) -> list[Device]:
    """The devices of a returned loan that went back to be wiped, for the loan page after the check-in."""
    return [item.device for item in items if goes_back_to_wiping(loan, item)]


def item_outcome(loan: Loan, item: LoanItem) -> str:
    """What became of one device of the loan, in words; '' while it is still out."""
    device = item.device
    if item.open:
        return ""
    if item.missing:
        return _("did not come back: taken out of the stock")
    if device.state == State.HANDED_OVER and loan.client_id and device.owner_id == loan.client_id:
        return _("handed over for good")
    if loan.status == Loan.Status.CANCELLED:
        return _("back in stock, ready")
    if holds_data(device.kind):
        return _("came back: goes to be wiped")
    return _("came back: to be checked before the next loan")


def referring_partner(loan: Loan) -> Partner | None:
    """The partner that referred the borrower, as noted in the loan's conditions at check-out."""
    pk = (loan.conditions or {}).get("referred_by")
    return Partner.objects.filter(pk=pk, digibank_id=loan.digibank_id).first() if pk else None


def agreement_texts(tenancy: Tenancy, *, last: int = 10) -> list[AgreementText]:
    """The digibank's last agreement texts, the current one first, with who published each."""
    return list(AgreementText.objects.visible_to(tenancy).select_related("published_by")[:last])


def open_loan_for_label(tenancy: Tenancy, text: str) -> tuple[Loan | None, str]:
    """The loan in progress that a scanned label belongs to: a device's asset tag or the loan
    number on the agreement. With a message for the desk when there is none."""
    tag, number = normalise_tag(text), normalise_code(text, LOAN)
    if not tag and not number:
        return None, _("“%(code)s” is not a device label or a loan number: check what was typed.") % {
            "code": (text or "").strip()[:20]
        }
    loans = loans_of(tenancy)
    if number:
        loan = loans.filter(number=number).first()
        if loan is None:
            return None, _("No loan of your digibank has the number %(number)s.") % {"number": number}
    else:
        item = (
            LoanItem.objects.visible_to(tenancy)
            .filter(device__asset_tag=tag)
            .select_related("loan")
            .order_by("-open", "-pk")
            .first()
        )
        if item is None:
            return None, _("No device of your digibank with the tag %(tag)s has been lent.") % {"tag": tag}
        loan = item.loan
        if not item.open and loan.status == Loan.Status.ON_LOAN:
            return None, _("The device %(tag)s already came back.") % {"tag": tag}
    if loan.status != Loan.Status.ON_LOAN:
        return None, _("Loan %(number)s is not in progress (%(status)s): there is nothing to take back.") % {
            "number": loan.number,
            "status": loan.get_status_display(),
        }
    return loan, ""


def client_loans(tenancy: Tenancy, client: Client) -> list[Loan]:
    """The client's loans in progress and reservations, with their devices, soonest due first."""
    return list(
        loans_of(tenancy)
        .filter(client=client, status__in=Loan.OPEN_STATUSES)
        .select_related("hub")
        .prefetch_related(_items_with_devices())
        .order_by("due_on", "pk")
    )


def lending_outlook(*, rules: LendingRules, client: Client, open_loans: list[Loan]) -> list[str]:
    """Before a device is scanned: whether the rules let this client borrow at all, with every
    reason why not (the reasons about the person, and a full allowance of devices)."""
    verdict = loan_check(rules=rules, client=client, devices=[], attestation=Attestation())
    reasons = list(verdict.reasons.get("client", []))
    held = sum(
        1
        for loan in open_loans
        if loan.status == Loan.Status.ON_LOAN
        for item in loan.items.all()
        if item.open and item.device.kind not in ACCESSORY_KINDS
    )
    if held >= rules.max_devices_per_client:
        reasons.append(
            _("A client may borrow %(max)s device(s) at a time; this client already has %(now)s.")
            % {"max": rules.max_devices_per_client, "now": held}
        )
    return reasons


def incident_list(tenancy: Tenancy, *, status: str = Incident.Status.OPEN) -> QuerySet[Incident]:
    incidents = Incident.objects.visible_to(tenancy).select_related(
        "device", "loan", "loan__client", "loan__partner", "reported_by"
    )
    if status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    return incidents.order_by("-reported_at", "-pk")


def loans_of_device(device: Device, *, with_borrower: bool = False) -> QuerySet[LoanItem]:
    """A device's loans (its loan items with their loan), the latest first; with the borrower (a
    client or a partner) only for someone who may see it."""
    items = LoanItem.objects.filter(device=device).select_related("loan").order_by("-pk")
    return items.select_related("loan__client", "loan__partner") if with_borrower else items
