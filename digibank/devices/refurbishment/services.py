"""Refurbishment's writes: a device's move through wiping to ready, an erasure (typed or imported
from the eraser's log), the ready check, repairs, and recycling in a collection."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.core.services import record_actor, save_checked
from digibank.devices.refurbishment import erasure_log
from digibank.devices.refurbishment.models import (
    READY_CHECKLIST,
    CollectionBatch,
    ErasureRecord,
    ReadyCheck,
    RepairTicket,
    SoftwareProfile,
)
from digibank.devices.register.lifecycle import (
    CHECKABLE_STATES,
    ReadyNeed,
    State,
    allowed,
    holds_data,
    ready_needs,
    takes_erasure,
)
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.register.services import lock_device, move_device, record_device_event
from digibank.devices.waiting_list.services import offer_next
from digibank.network.models import Digibank


def software_profile_create(
    *,
    digibank: Digibank,
    actor,
    name: str,
    operating_system: str,
    office_software: str = "",
    other_software: str = "",
) -> SoftwareProfile:
    """A software profile of this digibank, to name on a device's ready check; names are unique."""
    profile = SoftwareProfile(
        digibank=digibank,
        name=name.strip(),
        operating_system=operating_system.strip(),
        office_software=office_software.strip(),
        other_software=other_software.strip(),
    )
    try:
        save_checked(profile, actor=actor)
    except ValidationError as error:
        if "__all__" in error.message_dict:
            raise ValidationError(
                {"name": [_("Your digibank already has a software profile with this name.")]}
            ) from None
        raise
    return profile


def _ready_problems(device: Device, grade: str) -> list[str]:
    """lifecycle.ready_needs, the one ready rule, in the words of a refusal; a passed erasure is
    also looked up, should a device's flag ever say otherwise."""
    problems = []
    if grade not in ("A", "B", "C"):
        problems.append(_("Give the device a grade (A, B or C) before it is ready."))
    needs = ready_needs(device)
    if holds_data(device.kind) and (
        ReadyNeed.ERASURE in needs or not device.erasures.filter(result=ErasureRecord.Result.PASSED).exists()
    ):
        problems.append(_("A device that holds data needs a passed erasure since its last use before it is ready."))
    if ReadyNeed.CHECK in needs:
        problems.append(_("Complete the ready checklist and choose a software profile first."))
    return problems


@transaction.atomic
def device_transition(*, device: Device, target: str, actor, note: str = "", grade: str = "") -> Device:
    """Move a device by hand to the next state of its life (start wiping, send to repair, mark
    ready, retire). Moves that belong to a loan, an erasure or recycling have their own service;
    a refused move changes nothing."""
    device = lock_device(device)
    if target not in State.values:
        raise ValidationError({"state": _("Unknown state.")})
    if target in (State.RESERVED, State.ON_LOAN, State.RETURNED):
        raise ValidationError({"state": _("Lending and taking back happen at the desk, with the loan.")})
    if target == State.RECYCLED:
        raise ValidationError({"state": _("Recycling is recorded with a collection and the weight.")})
    if target == State.HANDED_OVER:
        raise ValidationError({"state": _("Handing over for good is recorded with the client who receives it.")})
    if device.state == State.RESERVED and target == State.READY:
        raise ValidationError({"state": _("Cancel the reservation to make this device available again.")})
    if target == State.WIPED:
        raise ValidationError({"state": _("A device becomes wiped when a passed erasure is recorded.")})
    if not allowed(device.state, target):
        move_device(device, target, actor)  # raises the refusal
    if target == State.READY:
        problems = _ready_problems(device, grade)
        if problems:
            raise ValidationError({"grade" if not grade else "state": problems})
        device.grade = grade
    if target == State.RETIRED and not note.strip():
        raise ValidationError({"note": _("Say why the device is retired.")})
    move_device(device, target, actor, note=note)
    if target == State.READY:
        transaction.on_commit(lambda: offer_next(device=device, actor=actor))
    return device


@transaction.atomic
def erasure_record(
    *,
    device: Device,
    actor,
    level: str,
    method: str,
    tool: str,
    medium: str,
    result: str,
    verification: str,
    medium_serial: str = "",
    performed_on: dt.date | None = None,
    report: str = "",
) -> ErasureRecord:
    """Record an erasure of the device's storage. A passed one clears the device for its next
    use and moves it to 'wiped'; a failed one is kept as well, and the device stays where it is."""
    device = lock_device(device)
    if not holds_data(device.kind):
        raise ValidationError(_("This type of device holds no data to erase."))
    if not takes_erasure(device):
        raise ValidationError(
            _("An erasure can be recorded for a device that is received, returned, in repair or being wiped.")
        )
    if performed_on and performed_on > timezone.localdate():
        raise ValidationError({"performed_on": _("The date of the erasure cannot be in the future.")})
    if medium_serial and device.storage_serial and _compact(medium_serial) != _compact(device.storage_serial):
        raise ValidationError(
            {
                "medium_serial": _("This disk serial number is not the one recorded for the device (%(serial)s).")
                % {"serial": device.storage_serial}
            }
        )
    record = ErasureRecord(
        device=device,
        level=level,
        method=method.strip(),
        tool=tool.strip(),
        medium=medium,
        medium_serial=medium_serial.strip(),
        operator=actor,
        performed_on=performed_on or timezone.localdate(),
        result=result,
        verification=verification,
        report=report,
        report_sha256=hashlib.sha256(report.encode()).hexdigest() if report else "",
    )
    record.full_clean(exclude=["number", "operator"])
    record.save()
    record_device_event(
        device, DeviceEvent.Kind.ERASURE, actor, note=f"{record.get_level_display()} {record.result}", ref=record.number
    )
    if device.state != State.WIPING:
        move_device(device, State.WIPING, actor, ref=record.number)
    if result == ErasureRecord.Result.PASSED:
        device.needs_erasure = False
        if not device.storage_serial and record.medium_serial:
            device.storage_serial = record.medium_serial
        move_device(device, State.WIPED, actor, ref=record.number)
    return record


def _compact(serial: str) -> str:
    return "".join(ch for ch in serial.upper() if ch.isalnum())


def erasure_import(*, device: Device, actor, log_text: str, medium: str) -> ErasureRecord:
    """Take in the report of nwipe (or ShredOS) itself: the disk in the log must be the device's
    disk, by serial number; the method, verification, date and result come from the log."""
    try:
        report = erasure_log.parse_nwipe_log(log_text)
        level = erasure_log.nist_level(report.method)
    except erasure_log.NwipeLogError as error:
        raise ValidationError({"log": [str(error)]}) from None
    serial = device.storage_serial or device.serial_number
    disk = report.disk_with_serial(serial) if serial else None
    if disk is None:
        found = ", ".join(d.serial for d in report.disks) or _("none")
        raise ValidationError(
            {
                "log": [
                    _("No disk in this log has the device's serial number %(serial)s (the log names: %(found)s).")
                    % {"serial": serial or "?", "found": found}
                ]
            }
        )
    finished = report.finished_at or report.started_at
    return erasure_record(
        device=device,
        actor=actor,
        level=level,
        method=report.method,
        tool=f"nwipe {report.tool_version}".strip(),
        medium=medium,
        result=ErasureRecord.Result.PASSED if disk.status == "erased" else ErasureRecord.Result.FAILED,
        verification={"off": "none"}.get(report.verification, report.verification),
        medium_serial=disk.serial,
        performed_on=finished.date() if finished else None,
        report=log_text,
    )


@transaction.atomic
def ready_check_record(*, device: Device, actor, software_profile: SoftwareProfile, items: Iterable[str]) -> ReadyCheck:
    """The ready checklist of a data-holding device, all items ticked, with its software profile."""
    device = lock_device(device)
    if software_profile.digibank_id != device.digibank_id:
        raise ValidationError({"software_profile": _("This software profile is not one of your digibank's.")})
    ticked = set(items)
    missing = [str(label) for key, label in READY_CHECKLIST.items() if key not in ticked]
    if missing:
        raise ValidationError({"items": [_("Not yet checked: %(items)s.") % {"items": "; ".join(missing)}]})
    if device.state not in CHECKABLE_STATES:
        raise ValidationError(_("The ready check comes after the erasure, when the device is wiped or repaired."))
    check = ReadyCheck.objects.create(
        device=device, software_profile=software_profile, items={k: True for k in READY_CHECKLIST}, checked_by=actor
    )
    device.software_profile = software_profile
    device.ready_checked = True
    record_actor(device, actor)
    device.save()
    record_device_event(device, DeviceEvent.Kind.CHECK, actor, note=software_profile.name)
    return check


@transaction.atomic
def repair_open(*, device: Device, actor, fault: str, trainee: str = "") -> RepairTicket:
    """Open a repair ticket; the device goes into repair."""
    device = lock_device(device)
    if not fault.strip():
        raise ValidationError({"fault": _("Describe the fault.")})
    if device.state != State.IN_REPAIR:
        move_device(device, State.IN_REPAIR, actor, note=fault)
    ticket = RepairTicket(device=device, fault=fault.strip(), technician=actor, trainee=trainee.strip())
    ticket.full_clean()
    record_actor(ticket, actor)
    ticket.save()
    record_device_event(device, DeviceEvent.Kind.REPAIR, actor, note=fault, ref=f"repair:{ticket.pk}")
    return ticket


@transaction.atomic
def repair_close(
    *, ticket: RepairTicket, actor, work_done: str, parts_used: str = "", minutes_spent: int = 0
) -> RepairTicket:
    ticket = RepairTicket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == RepairTicket.Status.DONE:
        raise ValidationError(_("This repair is already done."))
    if not work_done.strip():
        raise ValidationError({"work_done": _("Say what was done.")})
    ticket.work_done, ticket.parts_used, ticket.minutes_spent = work_done.strip(), parts_used.strip(), minutes_spent
    ticket.status, ticket.closed_at = RepairTicket.Status.DONE, timezone.now()
    ticket.full_clean()
    record_actor(ticket, actor)
    ticket.save()
    record_device_event(ticket.device, DeviceEvent.Kind.REPAIR, actor, note=work_done, ref=f"repair:{ticket.pk}")
    return ticket


def collection_create(
    *, digibank: Digibank, actor, recycler: str, reference: str, handed_over_on: dt.date | None = None
) -> CollectionBatch:
    collection = CollectionBatch(
        digibank=digibank,
        recycler=recycler.strip(),
        reference=reference.strip(),
        handed_over_on=handed_over_on or timezone.localdate(),
        created_by=actor,
    )
    collection.full_clean()
    collection.save()
    return collection


@transaction.atomic
def device_recycle(*, device: Device, collection: CollectionBatch, weight_kg: Decimal, actor) -> Device:
    """Hand a retired device to a recycler in a collection, with its weight."""
    device = lock_device(device)
    if collection.digibank_id != device.digibank_id:
        raise ValidationError({"collection": _("This collection is not one of your digibank's.")})
    if weight_kg is None or weight_kg <= 0:
        raise ValidationError({"weight_kg": _("Give the weight in kg: more than 0.")})
    if weight_kg > 1000:
        raise ValidationError({"weight_kg": _("The weight of one device cannot be more than 1000 kg.")})
    if device.state != State.RETIRED:
        raise ValidationError({"state": _("Only a retired device can go to recycling.")})
    device.weight_kg, device.collection = weight_kg, collection
    move_device(device, State.RECYCLED, actor, ref=f"collection:{collection.pk}", note=collection.reference)
    return device
