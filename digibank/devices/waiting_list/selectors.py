"""The waiting list's reads: the line per hub and type, a request with its moves and offers, and
the offers to act on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.core.tenancy import Tenancy
from digibank.devices.lending.models import Incident, Loan, LoanItem
from digibank.devices.lending.selectors import loans_of
from digibank.devices.waiting_list.models import DeviceRequest, Offer, QueueMove
from digibank.guidance.referrals.selectors import device_referrals
from digibank.network.models import Partner


def offer_of(loan: Loan) -> Offer | None:
    """The waiting-list offer a reservation was made for, if it was one."""
    return Offer.objects.filter(loan=loan).select_related("request").first()


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


def mark_referred(requests: Sequence[DeviceRequest]) -> None:
    """Set `referred_by` on each request (its client loaded): the partner that referred the client for a
    device, or None. One query for them all (a page of the list)."""
    referrals = device_referrals([r.client for r in requests])
    for request in requests:
        referral = referrals.get(request.client_id)
        request.referred_by = referral.from_partner if referral else None  # type: ignore[attr-defined]


@dataclass(frozen=True)
class UrgencyProposal:
    """What the desk is offered when it puts a referred client on the waiting list: urgent, according to
    the referring partner, with a reason that names the referral and never repeats its own reason (it
    may be personal)."""

    partner: Partner
    code: str  # as printed on the slip
    hub_id: int | None = None  # the hub the client was referred to: where the desk puts them first

    @property
    def reason(self) -> str:
        return _("Referred by %(partner)s (referral %(code)s)") % {"partner": self.partner.name, "code": self.code}


def urgency_proposal(client: Client) -> UrgencyProposal | None:
    """The urgency a partner's open referral of the client for a device proposes; None without one, or when
    that partner has left the digibank (the desk can no longer name them)."""
    referral = device_referrals([client], open_only=True).get(client.pk)
    if referral is None or referral.from_partner is None or referral.from_partner.left_on is not None:
        return None
    return UrgencyProposal(partner=referral.from_partner, code=referral.code_display, hub_id=referral.to_hub_id)


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
