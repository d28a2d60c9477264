"""The register's writes that every feature builds on: a device's details, its lock, a move to
another state with its event, and finding devices by the codes scanned."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.core.services import record_actor
from digibank.devices.register.lifecycle import (
    FINAL_STATES,
    State,
    allowed,
    holds_data,
)
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.tags import normalise_tag

DEVICE_FIELDS = (
    "kind make model_name serial_number processor memory_gb storage_gb storage_serial screen_inches "
    "battery_health condition notes"
).split()


def clean_device(device: Device) -> None:
    for name in ("make", "model_name", "serial_number", "processor", "storage_serial"):
        setattr(device, name, (getattr(device, name) or "").strip())
    errors: dict[str, list[str]] = {}
    if device.serial_number:
        clash = (
            Device.objects.filter(digibank_id=device.digibank_id, serial_number__iexact=device.serial_number)
            .exclude(pk=device.pk)
            .exclude(state__in=FINAL_STATES)
            .first()
        )
        if clash is not None:
            errors["serial_number"] = [
                _("A device with this serial number is already in your stock: %(tag)s.") % {"tag": clash.asset_tag}
            ]
    try:
        device.full_clean(exclude=["digibank", "hub", "batch", *errors])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def record_device_event(device: Device, kind: str, actor, *, note: str = "", **fields: Any) -> DeviceEvent:
    """One line of the device's history; its note is the start of a longer text (a fault, the work done)."""
    note_length = DeviceEvent._meta.get_field("note").max_length
    return DeviceEvent.objects.create(device=device, kind=kind, actor=actor, note=note[:note_length], **fields)


@transaction.atomic
def device_update(*, device: Device, actor, **fields: Any) -> Device:
    """Correct a device's details (not its state: that only moves through the lifecycle)."""
    unknown = set(fields) - set(DEVICE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.state in FINAL_STATES:
        raise ValidationError(_("This device has left the digibank; its record can no longer change."))
    if "kind" in fields and fields["kind"] != device.kind and device.state not in (State.RECEIVED,):
        raise ValidationError({"kind": _("The type can only change while the device has just been received.")})
    kind_changed = "kind" in fields and fields["kind"] != device.kind
    for name, value in fields.items():
        setattr(device, name, value)
    if kind_changed:
        device.needs_erasure = holds_data(device.kind)  # still received: nothing was wiped yet
    clean_device(device)
    record_actor(device, actor)
    device.save()
    record_device_event(device, DeviceEvent.Kind.EDIT, actor, note=", ".join(sorted(fields))[:300])
    return device


# --- the lifecycle ---------------------------------------------------------------------------


def lock_device(device: Device) -> Device:
    return Device.objects.select_for_update().select_related("hub").get(pk=device.pk)


def move_device(device: Device, target: str, actor, *, note: str = "", ref: str = "") -> None:
    """Change the state of a locked device along the table, and record it."""
    if not allowed(device.state, target):
        raise ValidationError(
            {
                "state": _("A device that is %(source)s cannot become %(target)s.")
                % {"source": State(device.state).label, "target": State(target).label}
            }
        )
    source = device.state
    device.state = target
    device.state_changed_at = timezone.now()
    if target in (State.RETURNED, State.IN_REPAIR, State.WIPING):
        device.ready_checked = False  # the checklist comes after the erasure and the repair
    if target == State.RETURNED and holds_data(device.kind):
        device.needs_erasure = True
    record_actor(device, actor)
    device.save()
    record_device_event(
        device, DeviceEvent.Kind.TRANSITION, actor, from_state=source, to_state=target, note=note[:300], ref=ref
    )


def find_devices(*, digibank_id: int, codes: Iterable[str]) -> tuple[list[Device], dict[str, list[str]]]:
    """The devices for scanned or typed tags, in order, with a message for each code that is not one."""
    found: list[Device] = []
    problems: list[str] = []
    wanted = []
    for raw in codes:
        raw = raw.strip()
        if not raw:
            continue
        tag = normalise_tag(raw)
        if not tag:
            problems.append(_("“%(code)s” is not an asset tag: check what was typed.") % {"code": raw[:20]})
        elif tag not in wanted:
            wanted.append(tag)
    # Another digibank's tag reads exactly like an unknown one: the desk learns nothing of their stock.
    devices = Device.objects.filter(asset_tag__in=wanted, digibank_id=digibank_id).select_related("hub")
    by_tag = {d.asset_tag: d for d in devices}
    for tag in wanted:
        device = by_tag.get(tag)
        if device is None:
            problems.append(_("No device of your digibank has the tag %(tag)s.") % {"tag": tag})
        else:
            found.append(device)
    if not found and not problems:
        problems.append(_("Scan at least one device label."))
    return found, ({"tags": problems} if problems else {})
