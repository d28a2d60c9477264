"""Stock's writes: moving a device to another hub, and a stock-take started, scanned and closed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.core.services import record_actor
from digibank.devices.register.lifecycle import (
    STOCK_STATES,
    State,
)
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.register.services import lock_device, record_device_event
from digibank.devices.stock.models import StockTake, StockTakeScan
from digibank.devices.tags import normalise_tag
from digibank.devices.waiting_list.services import offer_next
from digibank.network.models import Hub


@transaction.atomic
def device_transfer(*, device: Device, hub: Hub, actor, note: str = "") -> Device:
    """Move a device in stock to another hub of the same digibank."""
    device = lock_device(device)
    if hub.digibank_id != device.digibank_id:
        raise ValidationError({"hub": _("A device can only move to a hub of its own digibank.")})
    if device.state not in STOCK_STATES:
        raise ValidationError({"hub": _("Only a device in stock can move to another hub.")})
    if hub.pk == device.hub_id:
        raise ValidationError({"hub": _("The device is already at this hub.")})
    source = device.hub
    device.hub = hub
    record_actor(device, actor)
    device.save()
    record_device_event(device, DeviceEvent.Kind.TRANSFER, actor, from_hub=source, to_hub=hub, note=note)
    if device.state == State.READY:
        transaction.on_commit(lambda: offer_next(device=device, actor=actor))
    return device


# --- stock-take ------------------------------------------------------------------------------


def stocktake_start(*, hub: Hub, actor) -> StockTake:
    if StockTake.objects.filter(hub=hub, closed_at__isnull=True).exists():
        raise ValidationError(_("A stock-take is already going on at this hub: finish that one first."))
    return StockTake.objects.create(hub=hub, started_by=actor)


def stocktake_scan(*, stocktake: StockTake, code: str, actor) -> StockTakeScan:
    """Record one scanned label. An unknown code is kept too: it shows on the result as unknown."""
    if stocktake.closed_at:
        raise ValidationError(_("This stock-take is finished."))
    raw = code.strip()
    if not raw:
        raise ValidationError({"code": _("Scan a label.")})
    tag = normalise_tag(raw)
    device = Device.objects.filter(asset_tag=tag, digibank_id=stocktake.hub.digibank_id).first() if tag else None
    scan = StockTakeScan(stocktake=stocktake, device=device, scanned=tag or raw[:40])
    try:
        with transaction.atomic():
            scan.save()
    except IntegrityError:
        raise ValidationError({"code": _("This label was already scanned.")}) from None
    return scan


def stocktake_close(*, stocktake: StockTake, actor) -> StockTake:
    if stocktake.closed_at:
        raise ValidationError(_("This stock-take is already finished."))
    stocktake.closed_at = timezone.now()
    stocktake.save(update_fields=["closed_at"])
    return stocktake
