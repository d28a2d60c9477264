"""Reads of the device bank for the desk: loans open and overdue, the waiting line per hub and
type, the offers to act on, a client's loans. Every function takes the tenancy, so a digibank
sees only its own; each list comes with what its page shows, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.clients.numbers import normalise as normalise_number
from digibank.core.tenancy import Tenancy
from digibank.network.models import Partner

from .lifecycle import Kind, State, holds_data
from .models import (
    AgreementText,
    Device,
    DeviceEvent,
    DeviceRequest,
    Incident,
    LendingRules,
    Loan,
    LoanItem,
    Offer,
    QueueMove,
)
from .services import Attestation, loan_check
from .tags import LOAN, normalise_code, normalise_tag

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


def offer_of(loan: Loan) -> Offer | None:
    """The waiting-list offer a reservation was made for, if it was one."""
    return Offer.objects.filter(loan=loan).select_related("request").first()


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


def queue(tenancy: Tenancy, *, hub_id: int | None = None, kind: str = ""):
    """The waiting lines, each (hub, type) in its order: urgent first, then first come, first
    served; `position` is the place in its own line."""
    requests = DeviceRequest.objects.visible_to(tenancy).filter(status=DeviceRequest.Status.WAITING)
    if hub_id:
        requests = requests.filter(hub_id=hub_id)
    if kind:
        requests = requests.filter(kind=kind)
    return (
        requests.select_related("client", "hub", "urgent_partner")
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("hub_id"), F("kind")],
                order_by=[F("urgent").desc(), F("queued_at").asc(), F("pk").asc()],
            )
        )
        .order_by("hub__name", "hub_id", "kind", "-urgent", "queued_at", "pk")
    )


def request_detail(tenancy: Tenancy):
    return DeviceRequest.objects.visible_to(tenancy).select_related("client", "hub", "urgent_partner", "created_by")


def line_of(request: DeviceRequest) -> list[DeviceRequest]:
    """The waiting line this request stands in (or would stand in), in order, with the clients."""
    return list(
        DeviceRequest.objects.filter(hub_id=request.hub_id, kind=request.kind, status=DeviceRequest.Status.WAITING)
        .select_related("client")
        .order_by("-urgent", "queued_at", "pk")
    )


def moves_of(request: DeviceRequest) -> QuerySet[QueueMove]:
    return request.moves.select_related("moved_by").order_by("-moved_at", "-pk")


def offers_of(request: DeviceRequest) -> QuerySet[Offer]:
    return request.offers.select_related("loan").order_by("-offered_at", "-pk")


def open_offers(tenancy: Tenancy) -> QuerySet[Offer]:
    """The offers the desk must act on: a device waits for someone; the soonest to expire first."""
    return (
        Offer.objects.visible_to(tenancy)
        .filter(status=Offer.Status.OPEN)
        .select_related("request", "request__client", "request__hub", "loan")
        .prefetch_related(Prefetch("loan__items", queryset=LoanItem.objects.select_related("device").order_by("pk")))
        .order_by("expires_on", "pk")
    )


def open_count(tenancy: Tenancy) -> dict[str, int]:
    """For the desk's menu: what is waiting for it."""
    today = timezone.localdate()
    loans = loans_of(tenancy)
    return {
        "overdue": loans.filter(status=Loan.Status.ON_LOAN, due_on__lt=today).count(),
        "offers": Offer.objects.visible_to(tenancy).filter(status=Offer.Status.OPEN).count(),
        "incidents": Incident.objects.visible_to(tenancy).filter(status=Incident.Status.OPEN).count(),
    }


def counts_per_digibank(first: dt.datetime, after: dt.datetime, tenancy: Tenancy | None = None) -> dict[int, dict]:
    """The raw counts of the device bank from `first` up to `after`, per digibank id, for the
    circularity figures (impact): taken_in, refurbished, lent, handed_over, recycled, recycled_kg,
    and reused_by_kind ({kind: devices lent or handed over for the first time}). Only the digibanks
    the tenancy may see; every digibank when `tenancy` is None (for the Department, whose caller
    publishes them through core.privacy). A digibank without any count is missing. Each count is
    one aggregate query grouped by digibank, whatever the number of devices or digibanks."""

    def rows(model):
        return (model.objects.visible_to(tenancy) if tenancy is not None else model.objects.all()).order_by()

    per: dict[int, dict] = defaultdict(dict)
    intake = rows(Device).filter(received_at__gte=first, received_at__lt=after)
    for row in intake.values("digibank_id").annotate(n=Count("pk")):
        per[row["digibank_id"]]["taken_in"] = row["n"]

    moves = rows(DeviceEvent).filter(
        kind=DeviceEvent.Kind.TRANSITION,
        to_state__in=(State.READY, State.HANDED_OVER, State.RECYCLED),
        occurred_at__gte=first,
        occurred_at__lt=after,
    )
    for row in moves.values("device__digibank_id").annotate(
        # Back from a cancelled reservation is not made ready again: nothing was done to it.
        refurbished=Count("device_id", distinct=True, filter=Q(to_state=State.READY) & ~Q(from_state=State.RESERVED)),
        handed_over=Count("device_id", distinct=True, filter=Q(to_state=State.HANDED_OVER)),
        recycled=Count("device_id", distinct=True, filter=Q(to_state=State.RECYCLED)),
        # A device is recycled once (nothing follows), so its weight is summed once.
        recycled_kg=Sum("device__weight_kg", filter=Q(to_state=State.RECYCLED)),
    ):
        counts = per[row["device__digibank_id"]]
        for name in ("refurbished", "handed_over", "recycled"):
            counts[name] = row[name]
        counts["recycled_kg"] = row["recycled_kg"] or Decimal("0")

    lent = rows(Loan).filter(checked_out_at__gte=first, checked_out_at__lt=after)
    for row in lent.values("digibank_id").annotate(n=Count("pk")):
        per[row["digibank_id"]]["lent"] = row["n"]

    # Each device counts once, in the period of its first reuse, so adding up years never counts
    # one laptop twice.
    first_reuse = (
        rows(DeviceEvent)
        .filter(kind=DeviceEvent.Kind.TRANSITION, to_state__in=(State.ON_LOAN, State.HANDED_OVER))
        .values("device_id")
        .annotate(first=Min("occurred_at"))
        .filter(first__gte=first, first__lt=after)
        .values("device_id")
    )
    reused = rows(Device).filter(pk__in=first_reuse).values("digibank_id", "kind").annotate(n=Count("pk"))
    for row in reused:
        per[row["digibank_id"]].setdefault("reused_by_kind", {})[row["kind"]] = row["n"]
    return dict(per)
