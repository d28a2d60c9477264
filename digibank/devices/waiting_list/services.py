"""The waiting list's writes: a request, a move in the line, withdrawing, and offering a ready
device to the first in line (a reservation), declined or expired."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.clients.services import record_event
from digibank.core.services import field_errors, record_actor, save_checked
from digibank.devices.lending.models import Loan
from digibank.devices.lending.rules import rules_for
from digibank.devices.lending.services import lock_client, open_items, reservation_cancel
from digibank.devices.register.lifecycle import (
    Kind,
    State,
)
from digibank.devices.register.models import Device
from digibank.devices.register.services import lock_device, move_device
from digibank.devices.waiting_list.models import DeviceRequest, Offer, QueueMove
from digibank.devices.waiting_list.notify import tell_offer
from digibank.network.models import Digibank, Hub, Partner

# --- requests, the waiting list and offers ---------------------------------------------------


@transaction.atomic
def request_create(
    *,
    digibank: Digibank,
    client: Client,
    hub: Hub,
    kind: str,
    actor,
    urgent_partner: Partner | None = None,
    urgent_reason: str = "",
) -> DeviceRequest:
    """Put a client on the waiting list for a type of device at a hub. A referring partner may
    mark the need urgent, with a reason: urgent requests go first, each line first come, first served."""
    errors: dict[str, list[str]] = {}
    if client.digibank_id != digibank.pk or client.is_anonymised:
        errors["client"] = [_("This client is not registered at your digibank.")]
    if hub.digibank_id != digibank.pk:
        errors["hub"] = [_("This hub is not part of your digibank.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a type of device.")]
    if urgent_partner is not None:
        if urgent_partner.digibank_id != digibank.pk:
            errors["urgent_partner"] = [_("This partner is not part of your digibank.")]
        if not urgent_reason.strip():
            errors["urgent_reason"] = [_("Say why the need is urgent.")]
    if errors:
        raise ValidationError(errors)
    client = lock_client(client)  # one open request per client and type, checked one desk at a time
    request = DeviceRequest(
        digibank=digibank,
        client=client,
        hub=hub,
        kind=kind,
        urgent=urgent_partner is not None,
        urgent_partner=urgent_partner,
        urgent_reason=urgent_reason.strip(),
        created_by=actor,
    )
    try:
        save_checked(request, actor=actor)
    except ValidationError as error:
        if "__all__" in error.message_dict:
            raise ValidationError({"kind": [_("This client is already waiting for this type of device.")]}) from None
        raise
    record_event(
        client=client,
        kind="device_requested",
        actor=actor,
        summary=str(Kind(kind).label),
        ref=f"devices.request:{request.pk}",
    )
    transaction.on_commit(lambda: offer_ready_devices(digibank_id=digibank.pk, actor=actor))
    return request


def queue_of(request: DeviceRequest):
    """The waiting line this request stands in, in order."""
    return DeviceRequest.objects.filter(
        hub_id=request.hub_id, kind=request.kind, status=DeviceRequest.Status.WAITING
    ).order_by("-urgent", "queued_at", "pk")


@transaction.atomic
def request_move(*, request: DeviceRequest, before: DeviceRequest | None, actor, reason: str) -> DeviceRequest:
    """Move someone in the queue: just before `before`, or to the end when None. Only with a
    written reason, which is kept with the move."""
    if not reason.strip():
        raise ValidationError({"reason": _("Write down why this person moves in the queue.")})
    if len(reason.strip()) > (QueueMove._meta.get_field("reason").max_length or 0):
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    if errors := field_errors(QueueMove, "reason", reason.strip()):
        raise ValidationError(errors)
    request = DeviceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != DeviceRequest.Status.WAITING:
        raise ValidationError(_("Only a waiting request can move in the queue."))
    line = list(queue_of(request).exclude(pk=request.pk))
    if before is not None:
        if before.pk == request.pk or before.pk not in {r.pk for r in line}:
            raise ValidationError({"before": _("Choose someone in the same queue.")})
        index = [r.pk for r in line].index(before.pk)
        previous = line[index - 1].queued_at if index > 0 else before.queued_at - dt.timedelta(minutes=1)
        new_at = previous + (before.queued_at - previous) / 2
    else:
        new_at = (line[-1].queued_at if line else request.queued_at) + dt.timedelta(seconds=1)
    QueueMove.objects.create(
        request=request, old_queued_at=request.queued_at, new_queued_at=new_at, reason=reason.strip(), moved_by=actor
    )
    request.queued_at = new_at
    record_actor(request, actor)
    request.save()
    return request


@transaction.atomic
def request_withdraw(*, request: DeviceRequest, actor) -> DeviceRequest:
    lock_client(request.client_id)  # its offer's reservation ends too: the borrower goes first
    request = DeviceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in DeviceRequest.OPEN_STATUSES:
        raise ValidationError(_("This request is already closed."))
    for offer in request.offers.filter(status=Offer.Status.OPEN).select_related("loan"):
        _close_offer(offer, Offer.Status.DECLINED, actor)
    request.status, request.closed_at = DeviceRequest.Status.WITHDRAWN, timezone.now()
    record_actor(request, actor)
    request.save()
    return request


def _close_offer(offer: Offer, status: str, actor) -> None:
    offer.status, offer.closed_at = status, timezone.now()
    offer.save()
    reservation_cancel(loan=offer.loan, actor=actor, reason=str(Offer.Status(status).label))


def offer_next(*, device: Device, actor) -> Offer | None:
    """Offer a ready device to the first person waiting for its type at its hub. The device is
    reserved for them for the digibank's offer period; the client is told by SMS or e-mail."""
    # The first in line is read before any lock, since the client is locked before the device (see
    # lock_client); when the line changed meanwhile, the next attempt reads it again.
    for _attempt in range(5):
        device = Device.objects.get(pk=device.pk)
        first = (
            DeviceRequest.objects.filter(hub_id=device.hub_id, kind=device.kind, status=DeviceRequest.Status.WAITING)
            .order_by("-urgent", "queued_at", "pk")
            .first()
        )
        if device.state != State.READY or first is None:
            return None
        with transaction.atomic():
            lock_client(first.client_id)
            device = lock_device(device)
            if device.state != State.READY:
                return None
            request = (
                DeviceRequest.objects.select_for_update()
                .filter(pk=first.pk, hub_id=device.hub_id, kind=device.kind, status=DeviceRequest.Status.WAITING)
                .first()
            )
            if request is not None:
                return _offer(device, request, actor)
    return None


def _offer(device: Device, request: DeviceRequest, actor) -> Offer:
    """Reserve a locked ready device for a locked waiting request, and tell the client."""
    rules = rules_for(device.digibank_id)
    loan = Loan(
        digibank_id=device.digibank_id,
        client=request.client,
        hub_id=device.hub_id,
        status=Loan.Status.RESERVED,
        starts_on=timezone.localdate(),
        due_on=timezone.localdate(),
        created_by=actor,
    )
    loan.save()
    open_items(loan, [device])
    move_device(device, State.RESERVED, actor, ref=f"loan:{loan.pk}")
    offer = Offer.objects.create(
        request=request, loan=loan, expires_on=timezone.localdate() + dt.timedelta(days=rules.offer_days)
    )
    request.status = DeviceRequest.Status.OFFERED
    request.save(update_fields=["status"])
    record_event(
        client=request.client,
        kind="device_offered",
        actor=actor,
        summary=device.description,
        ref=f"devices.offer:{offer.pk}",
    )
    transaction.on_commit(lambda: tell_offer(offer.pk))
    return offer


def offer_ready_devices(*, digibank_id: int, actor) -> int:
    """Offer every ready device of the digibank that someone waits for; how many were offered."""
    offered = 0
    waiting = DeviceRequest.objects.filter(digibank_id=digibank_id, status=DeviceRequest.Status.WAITING)
    for hub_id, kind in set(waiting.values_list("hub_id", "kind")):
        for device in Device.objects.filter(hub_id=hub_id, kind=kind, state=State.READY).order_by("grade", "pk"):
            if offer_next(device=device, actor=actor) is None:
                break
            offered += 1
    return offered


@transaction.atomic
def offer_decline(*, offer: Offer, actor) -> Offer:
    """The client does not want this device: it goes to the next person; they stay on the list, at its end."""
    lock_client(Offer.objects.values_list("request__client_id", flat=True).get(pk=offer.pk))
    offer = Offer.objects.select_for_update().select_related("loan", "request").get(pk=offer.pk)
    if offer.status != Offer.Status.OPEN:
        raise ValidationError(_("This offer is no longer open."))
    device = offer.loan.items.get().device
    _close_offer(offer, Offer.Status.DECLINED, actor)
    offer.request.queued_at = timezone.now()  # still waiting, now behind those who were next
    _back_in_line(offer.request, actor)
    transaction.on_commit(lambda: offer_next(device=device, actor=actor))
    return offer


def _back_in_line(request: DeviceRequest, actor) -> None:
    request.status = DeviceRequest.Status.WAITING
    record_actor(request, actor)
    request.save()


def offers_expire(*, actor=None, today: dt.date | None = None) -> int:
    """Pass every offer not taken up in time to the next person in line. The person whose offer
    expired goes to the back of the line (first come, first served for those who come)."""
    today = today or timezone.localdate()
    expired = 0
    for offer in Offer.objects.filter(status=Offer.Status.OPEN, expires_on__lt=today).select_related("loan", "request"):
        with transaction.atomic():
            lock_client(offer.request.client_id)
            offer = Offer.objects.select_for_update().select_related("loan", "request").get(pk=offer.pk)
            if offer.status != Offer.Status.OPEN:
                continue
            device = offer.loan.items.get().device
            _close_offer(offer, Offer.Status.EXPIRED, actor or offer.loan.created_by)
            request = offer.request
            request.queued_at = timezone.now()
            _back_in_line(request, actor or offer.loan.created_by)
        offer_next(device=device, actor=actor or offer.loan.created_by)
        expired += 1
    return expired
