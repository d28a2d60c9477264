"""Every write of the device bank goes through these functions. Each owns its transaction, locks
the rows it contends for, checks the rules, writes, and records the history: a DeviceEvent for the
device, a ClientEvent on the client's timeline for what concerns them.

A device's state changes only here, along lifecycle.TRANSITIONS."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.clients.services import record_event
from digibank.core.services import field_errors, latest_version, publish_version, record_actor, save_checked
from digibank.network.models import Digibank, Hub, Partner

from . import erasure_log
from .lifecycle import (
    CHECKABLE_STATES,
    FINAL_STATES,
    STOCK_STATES,
    Kind,
    ReadyNeed,
    State,
    allowed,
    holds_data,
    ready_needs,
    takes_erasure,
)
from .models import (
    READY_CHECKLIST,
    AgreementText,
    CollectionBatch,
    Condition,
    Device,
    DeviceEvent,
    DeviceRequest,
    Donor,
    ErasureRecord,
    Incident,
    IntakeBatch,
    LendingRules,
    Loan,
    LoanItem,
    Offer,
    QueueMove,
    ReadyCheck,
    RepairTicket,
    SoftwareProfile,
    StockTake,
    StockTakeScan,
)
from .notify import tell_offer
from .rules import (  # noqa: F401 - their callers import them from here
    LoanTerms,
    lending_hubs,
    loan_hub,
    loan_terms,
    rules_for,
    rules_of,
)
from .tags import normalise_tag

DEVICE_FIELDS = (
    "kind make model_name serial_number processor memory_gb storage_gb storage_serial screen_inches "
    "battery_health condition notes"
).split()

DEFAULT_AGREEMENT = """Afspraken voor het lenen van een toestel

1. De digibank leent u dit toestel voor de periode op dit blad. Het blijft van de digibank.
2. U zorgt goed voor het toestel en de onderdelen. U leent het niet door aan iemand anders.
3. Is er iets stuk, kwijt of gestolen? Meld het zo snel mogelijk aan de balie.
4. U brengt het toestel en alle onderdelen terug op de einddatum, of vraagt op tijd om te verlengen.
5. Bij het terugbrengen wissen we alles wat op het toestel staat. Zet uw bestanden zelf op een veilige plek.
6. Betaalde u een waarborg? U krijgt die terug als alles in orde is."""


# --- donors and intake -----------------------------------------------------------------------


def donor_create(
    *,
    digibank: Digibank,
    actor,
    name: str,
    partner: Partner | None = None,
    enterprise_number: str = "",
    email: str = "",
) -> Donor:
    """A donor of this digibank; the enterprise number is checked (KBO check digits)."""
    from stdnum.be import vat

    if partner is not None and partner.digibank_id != digibank.pk:
        raise ValidationError({"partner": _("This partner is not part of your digibank.")})
    donor = Donor(
        digibank=digibank,
        name=name.strip(),
        partner=partner,
        enterprise_number=vat.compact(enterprise_number) if enterprise_number.strip() else "",
        email=email.strip().lower(),
    )
    try:
        save_checked(donor, actor=actor)
    except ValidationError as error:
        errors = error.message_dict
        # A donor's only non-field rule is its name once per digibank: say so next to the name.
        if errors.pop(NON_FIELD_ERRORS, None):
            errors.setdefault("name", []).append(_("Your digibank already has a donor with this name."))
        raise ValidationError(errors) from None
    return donor


@transaction.atomic
def batch_receive(
    *,
    digibank: Digibank,
    donor: Donor,
    hub: Hub,
    actor,
    received_on: dt.date | None = None,
    reference: str = "",
    note: str = "",
) -> IntakeBatch:
    """Open an intake batch: one hand-over by a donor at a hub of this digibank."""
    errors = {}
    if donor.digibank_id != digibank.pk:
        errors["donor"] = [_("This donor is not one of your digibank's.")]
    if hub.digibank_id != digibank.pk:
        errors["hub"] = [_("This hub is not part of your digibank.")]
    if received_on and received_on > timezone.localdate():
        errors["received_on"] = [_("The date of receipt cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    batch = IntakeBatch(
        digibank=digibank,
        donor=donor,
        hub=hub,
        received_on=received_on or timezone.localdate(),
        reference=reference.strip(),
        note=note.strip(),
        received_by=actor,
    )
    batch.full_clean()
    batch.save()
    return batch


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


def _clean_device(device: Device) -> None:
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


def _event(device: Device, kind: str, actor, *, note: str = "", **fields: Any) -> DeviceEvent:
    """One line of the device's history; its note is the start of a longer text (a fault, the work done)."""
    note_length = DeviceEvent._meta.get_field("note").max_length
    return DeviceEvent.objects.create(device=device, kind=kind, actor=actor, note=note[:note_length], **fields)


@transaction.atomic
def device_intake(*, batch: IntakeBatch, actor, **fields: Any) -> Device:
    """Record one donated item in a batch. It gets its asset tag and starts 'received' at the
    batch's hub; a device that holds data must be wiped before anyone borrows it."""
    unknown = set(fields) - set(DEVICE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    device = Device(digibank_id=batch.digibank_id, batch=batch, hub=batch.hub, **fields)
    device.needs_erasure = holds_data(device.kind)
    _clean_device(device)
    record_actor(device, actor)
    device.save()
    _event(device, DeviceEvent.Kind.INTAKE, actor, to_state=State.RECEIVED, to_hub=batch.hub, ref=f"batch:{batch.pk}")
    return device


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
    _clean_device(device)
    record_actor(device, actor)
    device.save()
    _event(device, DeviceEvent.Kind.EDIT, actor, note=", ".join(sorted(fields))[:300])
    return device


# --- the lifecycle ---------------------------------------------------------------------------


def _lock(device: Device) -> Device:
    return Device.objects.select_for_update().select_related("hub").get(pk=device.pk)


def _move(device: Device, target: str, actor, *, note: str = "", ref: str = "") -> None:
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
    _event(device, DeviceEvent.Kind.TRANSITION, actor, from_state=source, to_state=target, note=note[:300], ref=ref)


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
    device = _lock(device)
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
        _move(device, target, actor)  # raises the refusal
    if target == State.READY:
        problems = _ready_problems(device, grade)
        if problems:
            raise ValidationError({"grade" if not grade else "state": problems})
        device.grade = grade
    if target == State.RETIRED and not note.strip():
        raise ValidationError({"note": _("Say why the device is retired.")})
    _move(device, target, actor, note=note)
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
    device = _lock(device)
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
    _event(
        device, DeviceEvent.Kind.ERASURE, actor, note=f"{record.get_level_display()} {record.result}", ref=record.number
    )
    if device.state != State.WIPING:
        _move(device, State.WIPING, actor, ref=record.number)
    if result == ErasureRecord.Result.PASSED:
        device.needs_erasure = False
        if not device.storage_serial and record.medium_serial:
            device.storage_serial = record.medium_serial
        _move(device, State.WIPED, actor, ref=record.number)
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
    device = _lock(device)
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
    _event(device, DeviceEvent.Kind.CHECK, actor, note=software_profile.name)
    return check


@transaction.atomic
def repair_open(*, device: Device, actor, fault: str, trainee: str = "") -> RepairTicket:
    """Open a repair ticket; the device goes into repair."""
    device = _lock(device)
    if not fault.strip():
        raise ValidationError({"fault": _("Describe the fault.")})
    if device.state != State.IN_REPAIR:
        _move(device, State.IN_REPAIR, actor, note=fault)
    ticket = RepairTicket(device=device, fault=fault.strip(), technician=actor, trainee=trainee.strip())
    ticket.full_clean()
    record_actor(ticket, actor)
    ticket.save()
    _event(device, DeviceEvent.Kind.REPAIR, actor, note=fault, ref=f"repair:{ticket.pk}")
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
    _event(ticket.device, DeviceEvent.Kind.REPAIR, actor, note=work_done, ref=f"repair:{ticket.pk}")
    return ticket


@transaction.atomic
def device_transfer(*, device: Device, hub: Hub, actor, note: str = "") -> Device:
    """Move a device in stock to another hub of the same digibank."""
    device = _lock(device)
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
    _event(device, DeviceEvent.Kind.TRANSFER, actor, from_hub=source, to_hub=hub, note=note)
    if device.state == State.READY:
        transaction.on_commit(lambda: offer_next(device=device, actor=actor))
    return device


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
    device = _lock(device)
    if collection.digibank_id != device.digibank_id:
        raise ValidationError({"collection": _("This collection is not one of your digibank's.")})
    if weight_kg is None or weight_kg <= 0:
        raise ValidationError({"weight_kg": _("Give the weight in kg: more than 0.")})
    if weight_kg > 1000:
        raise ValidationError({"weight_kg": _("The weight of one device cannot be more than 1000 kg.")})
    if device.state != State.RETIRED:
        raise ValidationError({"state": _("Only a retired device can go to recycling.")})
    device.weight_kg, device.collection = weight_kg, collection
    _move(device, State.RECYCLED, actor, ref=f"collection:{collection.pk}", note=collection.reference)
    return device


# --- lending rules ---------------------------------------------------------------------------


RULE_FIELDS = [f.name for f in LendingRules._meta.concrete_fields if f.name not in ("id", "digibank")]


@transaction.atomic
def rules_update(*, digibank: Digibank, actor, **fields: Any) -> LendingRules:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    rules, _made = LendingRules.objects.select_for_update().get_or_create(digibank=digibank)
    for name, value in fields.items():
        setattr(rules, name, value)
    errors = {}
    if rules.income_condition in (LendingRules.Income.THRESHOLD, LendingRules.Income.EITHER) and (
        rules.income_threshold is None
    ):
        errors["income_threshold"] = [_("Give the income limit for one person.")]
    if rules.training and not rules.training_name.strip():
        errors["training_name"] = [_("Say which training is asked.")]
    if errors:
        raise ValidationError(errors)
    save_checked(rules, actor=actor)
    return rules


def current_agreement(*, digibank: Digibank, actor) -> AgreementText:
    return latest_version(AgreementText, digibank=digibank, first_text=DEFAULT_AGREEMENT, actor=actor)


def agreement_publish(*, digibank: Digibank, text: str, actor) -> AgreementText:
    """A new version of the loan agreement; loans signed under earlier versions keep theirs."""
    if not text.strip():
        raise ValidationError({"text": _("The agreement text cannot be empty.")})
    return publish_version(AgreementText, digibank=digibank, text=text, actor=actor)


# --- check-out -------------------------------------------------------------------------------


@dataclass
class Attestation:
    """What the desk establishes with the client for the rules, at the desk. Only the outcome is
    kept with the loan (which condition was met), never the income itself."""

    increased_allowance: bool = False
    household_size: int | None = None
    household_income: Decimal | None = None  # per year or per month, as the rules' income limit
    training_done: bool = False
    goals_plan: str = ""


@dataclass
class Verdict:
    """Whether the rules allow this loan, and if not, why, by field."""

    reasons: dict[str, list[str]] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return not self.reasons

    def refuse(self, name: str, message: str) -> None:
        self.reasons.setdefault(name, []).append(message)

    def raise_if_refused(self) -> None:
        if self.reasons:
            raise ValidationError(self.reasons)


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


def _year_ago(today: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time()))


_LOAN_SPAN = ("checked_out_at", "closed_at", "due_on")


def _days_on_loan(span: tuple[dt.datetime | None, dt.datetime | None, dt.date], *, since: dt.datetime, today) -> int:
    """Days of one loan (checked out, closed, due: `_LOAN_SPAN`) that fall in the year since `since`;
    an open loan counts until its due date, or today when it is overdue."""
    start, end, due = span
    if start is None:
        return 0
    until = end.date() if end else max(due, today)
    return max((until - max(start.date(), since.date())).days, 0)


def loan_check(
    *,
    rules: LendingRules,
    client: Client,
    devices: Sequence[Device],
    attestation: Attestation,
    reservation: Loan | None = None,
    today: dt.date | None = None,
) -> Verdict:
    """Apply the digibank's rules to lending these devices to this client, now. Every reason
    against is given, so the desk sees at once what is missing."""
    today = today or timezone.localdate()
    verdict = Verdict()
    conditions: dict[str, Any] = {"loan_days": rules.loan_days, "deposit": str(rules.deposit)}
    if client.digibank_id != rules.digibank_id or client.is_anonymised:
        verdict.refuse("client", _("This client is not registered at your digibank."))
        return verdict
    age = client.age_on(today)
    if age is None:
        verdict.refuse("client", _("The age of this client is not known: record the year of birth first."))
    elif age < 18:
        verdict.refuse("client", _("Devices are lent to adults only."))
    if rules.residents_only:
        area = set(rules.digibank.service_area.values_list("pk", flat=True))
        if client.municipality_id not in area:
            verdict.refuse("client", _("This client does not live in the digibank's service area."))
    if rules.referral_required:
        if client.referred_by_id is None:
            verdict.refuse("client", _("A referral by a partner is needed: record the referring partner first."))
        else:
            conditions["referred_by"] = client.referred_by_id
    reserved = [d.pk for d in devices if d.state == State.RESERVED]
    held = (  # one query for the whole bundle
        set(reservation.items.filter(device__in=reserved, open=True).values_list("device_id", flat=True))
        if reservation is not None and reserved
        else set()
    )
    for device in devices:
        if device.state != State.READY and device.pk not in held:
            verdict.refuse(
                "tags",
                _("%(tag)s is not ready to lend: it is %(state)s.")
                % {"tag": device.asset_tag, "state": State(device.state).label},
            )
    main = [d for d in devices if d.kind in _MAIN_KINDS]
    if devices and not main:
        verdict.refuse("tags", _("Scan the device itself, not only accessories."))
    open_main = LoanItem.objects.filter(
        loan__client=client, open=True, loan__status=Loan.Status.ON_LOAN, device__kind__in=_MAIN_KINDS
    ).count()
    if open_main + len(main) > rules.max_devices_per_client:
        verdict.refuse(
            "tags",
            _("A client may borrow %(max)s device(s) at a time; this client already has %(now)s.")
            % {"max": rules.max_devices_per_client, "now": open_main},
        )
    since = _year_ago(today)
    past = Loan.objects.filter(client=client, checked_out_at__gte=since).exclude(status=Loan.Status.CANCELLED)
    if reservation is not None:
        past = past.exclude(pk=reservation.pk)
    if rules.max_loans_per_year and past.count() + 1 > rules.max_loans_per_year:
        verdict.refuse(
            "client",
            _("This client has reached the limit of %(max)s loans in a year.") % {"max": rules.max_loans_per_year},
        )
    if rules.max_weeks_per_year:
        days = sum(_days_on_loan(row, since=since, today=today) for row in past.values_list(*_LOAN_SPAN))
        if days + rules.loan_days > rules.max_weeks_per_year * 7:
            verdict.refuse(
                "client",
                _("This loan would take the client past %(max)s weeks on loan in a year (already %(weeks)s).")
                % {"max": rules.max_weeks_per_year, "weeks": days // 7},
            )
    _check_income(rules, attestation, verdict, conditions)
    if rules.training:
        conditions["training"] = {"when": rules.training, "name": rules.training_name}
        if rules.training == LendingRules.Training.BEFORE and not attestation.training_done:
            verdict.refuse(
                "training_done",
                _("The training “%(name)s” must be completed before the loan.") % {"name": rules.training_name},
            )
    if rules.goals_plan_required:
        if not attestation.goals_plan.strip():
            verdict.refuse("goals_plan", _("Agree a goals plan with the client and write it down."))
    verdict.conditions = conditions
    return verdict


_MAIN_KINDS = [k for k in Kind.values if k not in (Kind.CHARGER, Kind.BAG, Kind.MOUSE, Kind.KEYBOARD, Kind.HEADSET)]


def _check_income(rules: LendingRules, attestation: Attestation, verdict: Verdict, conditions: dict) -> None:
    condition = rules.income_condition
    if not condition:
        return
    by_allowance = attestation.increased_allowance
    by_income = False
    answered = attestation.household_size is not None and attestation.household_income is not None
    if condition in (LendingRules.Income.THRESHOLD, LendingRules.Income.EITHER) and answered:
        assert attestation.household_size is not None and attestation.household_income is not None
        if attestation.household_size < 1:
            verdict.refuse("household_size", _("A household has at least one member."))
            return
        if attestation.household_income < 0:
            verdict.refuse("household_income", _("An income cannot be negative."))
            return
        limit = rules.income_limit(attestation.household_size)
        by_income = limit is not None and attestation.household_income <= limit
    if condition == LendingRules.Income.INCREASED_ALLOWANCE:
        met = by_allowance
        message = _("Only clients with the increased allowance (verhoogde tegemoetkoming) can borrow.")
    elif condition == LendingRules.Income.THRESHOLD:
        met = by_income
        message = (
            _("The household's income is above the limit for its size.")
            if answered
            else _("Still to check: fill in the household size and its income.")
        )
    else:
        met = by_allowance or by_income
        message = (
            _("The client needs the increased allowance or a household income below the limit.")
            if answered
            else _("Still to check: the increased allowance, or the household size and its income.")
        )
    if not met:
        verdict.refuse("income", message)
    else:
        conditions["income"] = "increased_allowance" if by_allowance else "below_threshold"


def _lock_client(client: Client | int) -> Client:
    """Lock the borrower first, before a loan and before its devices (in pk order): every path that
    counts or changes a client's loans, requests or offers keeps this order, so the limits per
    client are counted by one desk at a time and two desks never wait on each other. NO KEY:
    rows that merely refer to the client (an event, a new loan) can still be written meanwhile."""
    pk = client if isinstance(client, int) else client.pk
    return Client.objects.select_for_update(no_key=connection.features.has_select_for_no_key_update).get(pk=pk)


def _lock_partner(partner: Partner | int) -> Partner:
    """A partner borrowing sets is locked like a client (see _lock_client), for its yearly limit."""
    pk = partner if isinstance(partner, int) else partner.pk
    return Partner.objects.select_for_update(no_key=connection.features.has_select_for_no_key_update).get(pk=pk)


def _lock_borrower(loan: Loan) -> None:
    """Lock the loan's client or partner, before the loan itself (see _lock_client)."""
    if loan.client_id:
        _lock_client(loan.client_id)
    elif loan.partner_id:
        _lock_partner(loan.partner_id)


def _lock_devices(devices: Sequence[Device]) -> list[Device]:
    """Lock in a fixed order (by pk), so two desks with overlapping bundles cannot deadlock."""
    ids = sorted({d.pk for d in devices})
    locked = {d.pk: d for d in Device.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [locked[d.pk] for d in devices]


def _open_items(loan: Loan, devices: Sequence[Device]) -> None:
    try:
        with transaction.atomic():
            LoanItem.objects.bulk_create([LoanItem(loan=loan, device=d) for d in devices])
    except IntegrityError:
        # The partial unique index said no: another desk lent one of these devices at this moment.
        raise ValidationError(
            {"tags": [_("One of these devices was just lent or reserved at another desk.")]}
        ) from None


@transaction.atomic
def loan_check_out(
    *,
    digibank: Digibank,
    client: Client,
    devices: Sequence[Device],
    actor,
    hub: Hub | None = None,
    attestation: Attestation | None = None,
    deposit_payment: str = "",
    today: dt.date | None = None,
) -> Loan:
    """Lend devices (a device and its accessories, as one bundle) to a client at the desk.

    The rules are checked with every reason given. The client is locked, then the devices: of
    desks lending to the same client at the same second each counts what the one before lent
    (devices at a time, loans and weeks a year), and of two desks lending the same device one
    gets the loan and the other a clear message; the partial unique index on LoanItem holds
    the same line should anything slip past. A device reserved for this client (an offer taken
    up) is lent from its reservation. When the rules ask a deposit, the desk says whether it is
    paid, waived or still owed; only a paid one is held. The loan's hub is the one chosen, or
    where the device is (rules.loan_hub); its due date and deposit are rules.loan_terms."""
    attestation = attestation or Attestation()
    today = today or timezone.localdate()
    if not devices:
        raise ValidationError({"tags": [_("Scan at least one device label.")]})
    hub = loan_hub(digibank=digibank, devices=devices, hub=hub)
    client = _lock_client(client)
    devices = _lock_devices(devices)
    reservation = _reservation_for(client, devices)
    rules = rules_for(digibank)
    verdict = loan_check(
        rules=rules, client=client, devices=devices, attestation=attestation, reservation=reservation, today=today
    )
    payment = _deposit_payment(rules, deposit_payment)
    if payment is None:
        verdict.refuse("deposit_payment", _("Say whether the deposit is paid, waived or still to pay."))
    verdict.raise_if_refused()
    agreement = current_agreement(digibank=digibank, actor=actor)
    now = timezone.now()
    if reservation is not None:
        loan = reservation
        extra = [d for d in devices if d.state == State.READY]
        _open_items(loan, extra)
        loan.starts_on = today
    else:
        loan = Loan(digibank=digibank, client=client, hub=hub, starts_on=today, created_by=actor, due_on=today)
        extra = list(devices)
    loan.status = Loan.Status.ON_LOAN
    loan.hub = hub
    terms = loan_terms(rules, starts_on=today)
    loan.due_on = terms.due_on
    loan.deposit = terms.deposit
    loan.deposit_payment = payment or Loan.DepositPayment.NONE  # None was refused above
    loan.deposit_status = Loan.Deposit.HELD if payment == Loan.DepositPayment.PAID else Loan.Deposit.NONE
    loan.agreement = agreement
    loan.conditions = verdict.conditions
    loan.goals_plan = attestation.goals_plan.strip()
    loan.checked_out_at, loan.checked_out_by = now, actor
    record_actor(loan, actor)
    loan.full_clean(exclude=["number", "created_by", "client", "partner", "agreement", "checked_out_by"])
    loan.save()
    if reservation is None:
        _open_items(loan, extra)
    for device in devices:
        _move(device, State.ON_LOAN, actor, ref=f"loan:{loan.pk}")
    summary = ", ".join(d.description for d in devices)
    record_event(client=client, kind="loan_out", actor=actor, summary=summary, ref=f"devices.loan:{loan.pk}")
    _fulfil_requests(client, devices, loan)
    return loan


def _deposit_payment(rules: LendingRules, given: str) -> str | None:
    """The deposit's answer at check-out, or None when the rules ask a deposit and it is not answered."""
    if rules.deposit <= 0:
        return Loan.DepositPayment.NONE
    if given in (Loan.DepositPayment.PAID, Loan.DepositPayment.WAIVED, Loan.DepositPayment.OWED):
        return given
    return None


def _reservation_for(client: Client, devices: Sequence[Device]) -> Loan | None:
    reserved = [d for d in devices if d.state == State.RESERVED]
    if not reserved:
        return None
    item = (
        LoanItem.objects.filter(device__in=reserved, open=True, loan__client=client, loan__status=Loan.Status.RESERVED)
        .select_related("loan")
        .first()
    )
    return item.loan if item else None


def loan_preview(
    *,
    digibank: Digibank,
    client: Client,
    devices: Sequence[Device],
    attestation: Attestation | None = None,
    deposit_payment: str = "",
    today: dt.date | None = None,
) -> Verdict:
    """What loan_check_out would decide now, without lending or locking: the same rules, with a
    device reserved for this client (an offer) counted as theirs. For the desk's Check button."""
    rules = rules_for(digibank)
    verdict = loan_check(
        rules=rules,
        client=client,
        devices=devices,
        attestation=attestation or Attestation(),
        reservation=_reservation_for(client, devices),
        today=today,
    )
    if _deposit_payment(rules, deposit_payment) is None:
        verdict.refuse("deposit_payment", _("Say whether the deposit is paid, waived or still to pay."))
    return verdict


def _fulfil_requests(client: Client, devices: Sequence[Device], loan: Loan) -> None:
    kinds = {d.kind for d in devices}
    now = timezone.now()
    Offer.objects.filter(loan=loan, status=Offer.Status.OPEN).update(status=Offer.Status.TAKEN, closed_at=now)
    DeviceRequest.objects.filter(client=client, kind__in=kinds, status__in=DeviceRequest.OPEN_STATUSES).update(
        status=DeviceRequest.Status.FULFILLED, closed_at=now
    )


@transaction.atomic
def loan_sign(*, loan: Loan, actor, signed_by_name: str) -> Loan:
    """Record that the client signed the agreement on screen, with the name as they wrote it."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != Loan.Status.ON_LOAN:
        raise ValidationError(_("Only a loan in progress can be signed."))
    if loan.signed_at:
        raise ValidationError(_("This agreement has already been signed."))
    if not signed_by_name.strip():
        raise ValidationError({"signed_by_name": _("Let the client write their name to sign.")})
    if errors := field_errors(Loan, "signed_by_name", signed_by_name.strip()[:200]):
        raise ValidationError(errors)
    loan.signed_at, loan.signed_by_name = timezone.now(), signed_by_name.strip()[:200]
    record_actor(loan, actor)
    loan.save()
    return loan


@transaction.atomic
def loan_deposit_paid(*, loan: Loan, actor) -> Loan:
    """The client pays a deposit that was still owed at check-out: from now on it is held."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != Loan.Status.ON_LOAN or loan.deposit_payment != Loan.DepositPayment.OWED:
        raise ValidationError(_("This loan has no deposit still to pay."))
    loan.deposit_payment, loan.deposit_status = Loan.DepositPayment.PAID, Loan.Deposit.HELD
    record_actor(loan, actor)
    loan.save()
    return loan


@transaction.atomic
def loan_extend(*, loan: Loan, actor, today: dt.date | None = None) -> Loan:
    """Extend a loan by the digibank's extension period, if its rules still allow one."""
    today = today or timezone.localdate()
    _lock_borrower(loan)  # a check-out for this client counts this loan's weeks: one at a time
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    rules = rules_for(loan.digibank_id)
    refusal = extension_refusals([loan], today=today)[loan.pk]
    if refusal:
        raise ValidationError(refusal)
    loan.due_on = max(loan.due_on, today) + dt.timedelta(days=rules.extension_days)
    loan.extensions += 1
    record_actor(loan, actor)
    loan.save()
    if loan.client_id:
        record_event(
            client=loan.client,  # type: ignore[arg-type]  # client_id is set
            kind="loan_extended",
            actor=actor,
            summary=loan.due_on.isoformat(),
            ref=f"devices.loan:{loan.pk}",
        )
    return loan


def extension_refusals(loans: Sequence[Loan], *, today: dt.date | None = None) -> dict[int, str]:
    """Why each loan cannot be extended today, or '' where it can: the rules loan_extend applies,
    for a whole page of loans in a fixed number of queries (the desk shows the button only where
    it works). Someone waiting for a type of device in the loan blocks an extension while no
    device of that type is ready."""
    today = today or timezone.localdate()
    if not loans:
        return {}
    rules = rules_of(loan.digibank_id for loan in loans)
    kinds: dict[int, set[str]] = {loan.pk: set() for loan in loans}
    items = LoanItem.objects.filter(loan_id__in=list(kinds), open=True).values_list("loan_id", "device__kind")
    for loan_id, kind in items:
        kinds[loan_id].add(kind)
    waiting = set(
        DeviceRequest.objects.filter(digibank_id__in=list(rules), status=DeviceRequest.Status.WAITING)
        .values_list("digibank_id", "kind")
        .distinct()
    )
    ready = set()
    if waiting:
        ready = set(
            Device.objects.filter(
                digibank_id__in=list(rules), state=State.READY, kind__in={kind for _, kind in waiting}
            )
            .values_list("digibank_id", "kind")
            .distinct()
        )
    short = waiting - ready
    # The weeks a client already had on other loans this year count towards the limit too.
    since = _year_ago(today)
    other_days: dict[int, dict[int, int]] = {}
    borrowers = {loan.client_id for loan in loans if loan.client_id}
    if borrowers and any(rule.max_weeks_per_year for rule in rules.values()):
        spans = (
            Loan.objects.filter(client_id__in=borrowers, checked_out_at__gte=since)
            .exclude(status=Loan.Status.CANCELLED)
            .values_list("client_id", "pk", *_LOAN_SPAN)
        )
        for client_id, pk, *span in spans:
            other_days.setdefault(client_id, {})[pk] = _days_on_loan(tuple(span), since=since, today=today)
    refusals: dict[int, str] = {}
    for loan in loans:
        rule = rules[loan.digibank_id]
        year_start = max(loan.starts_on, today - dt.timedelta(days=365))
        days_after = (loan.due_on + dt.timedelta(days=rule.extension_days) - year_start).days
        days_after += sum(days for pk, days in other_days.get(loan.client_id or 0, {}).items() if pk != loan.pk)
        refusal = ""
        if loan.status != Loan.Status.ON_LOAN:
            refusal = _("Only a loan in progress can be extended.")
        elif loan.extensions >= rule.extensions_allowed:
            refusal = _("This loan cannot be extended again: %(max)s extension(s) allowed.") % {
                "max": rule.extensions_allowed
            }
        elif loan.client_id and rule.max_weeks_per_year and days_after > rule.max_weeks_per_year * 7:
            refusal = _("An extension would go past %(max)s weeks on loan in a year.") % {
                "max": rule.max_weeks_per_year
            }
        elif any((loan.digibank_id, kind) in short for kind in kinds[loan.pk]):
            refusal = _("Someone is waiting for this type of device: the loan cannot be extended.")
        refusals[loan.pk] = refusal
    return refusals


@dataclass
class ReturnedItem:
    """What the desk found for one device of the loan at check-in."""

    device: Device
    present: bool = True
    condition: str = Condition.GOOD
    damage: str = ""


@transaction.atomic
def loan_check_in(
    *,
    loan: Loan,
    actor,
    items: Sequence[ReturnedItem],
    deposit_kept: Decimal = Decimal("0"),
    missing_kind: str = Incident.Kind.MISSING_PART,
    note: str = "",
) -> Loan:
    """Take back a loan: every device is looked at. A returned device goes back to be wiped; a
    damaged one is an incident; a missing one is an incident and leaves the stock. The deposit is
    returned, or (part of it) kept when there is an incident."""
    _lock_borrower(loan)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != Loan.Status.ON_LOAN:
        raise ValidationError({"tags": [_("This loan is not in progress: there is nothing to take back.")]})
    open_items = {i.device_id: i for i in loan.items.filter(open=True).select_related("device")}
    seen = {item.device.pk for item in items}
    errors: dict[str, list[str]] = {}
    strangers = [item.device.asset_tag for item in items if item.device.pk not in open_items]
    if strangers:
        errors["tags"] = [_("Not part of this loan: %(tags)s.") % {"tags": ", ".join(strangers)}]
    if set(open_items) - seen:
        errors["tags"] = errors.get("tags", []) + [_("Say for every device of the loan whether it came back.")]
    if deposit_kept < 0:
        errors["deposit_kept"] = [_("The amount kept cannot be negative.")]
    elif deposit_kept > loan.deposit_held:
        errors["deposit_kept"] = [
            _("You cannot keep more than the deposit (€ %(amount)s).")
            % {"amount": formats.number_format(loan.deposit_held, 2)}
        ]
    if missing_kind not in (Incident.Kind.MISSING_PART, Incident.Kind.LOST, Incident.Kind.STOLEN):
        errors["missing_kind"] = [_("Choose what happened to what is missing.")]
    if errors:
        raise ValidationError(errors)
    incidents: list[tuple[Device, str, str]] = []
    now = timezone.now()
    devices = {d.pk: d for d in _lock_devices([i.device for i in items])}
    for item in items:
        device = devices[item.device.pk]
        loan_item = open_items[device.pk]
        loan_item.open, loan_item.returned_at = False, now
        if item.present:
            loan_item.returned_condition = item.condition
            _move(device, State.RETURNED, actor, ref=f"loan:{loan.pk}", note=item.damage)
            if item.condition in (Condition.POOR, Condition.BROKEN) or item.damage.strip():
                incidents.append(
                    (device, str(Incident.Kind.DAMAGED), item.damage.strip() or str(Condition(item.condition).label))
                )
            device.condition = item.condition
            device.save(update_fields=["condition"])
        else:
            loan_item.missing = True
            kind = missing_kind if device.kind in _MAIN_KINDS else Incident.Kind.MISSING_PART
            _move(device, State.RETIRED, actor, ref=f"loan:{loan.pk}", note=_("not returned"))
            incidents.append((device, str(kind), note.strip()))
        loan_item.save()
    if deposit_kept > 0 and not incidents:
        raise ValidationError({"deposit_kept": _("A deposit is only kept for damage or a missing device.")})
    for i, (device, kind, description) in enumerate(incidents):
        incident = Incident(
            digibank_id=loan.digibank_id,
            loan=loan,
            device=device,
            kind=kind,
            description=description[:500],
            deposit_kept=deposit_kept if i == 0 else Decimal("0"),
            reported_by=actor,
        )
        record_actor(incident, actor)
        incident.save()
    loan.status, loan.closed_at, loan.closed_by = Loan.Status.RETURNED, now, actor
    if loan.deposit_held > 0:
        loan.deposit_status = Loan.Deposit.KEPT if deposit_kept > 0 else Loan.Deposit.RETURNED
    record_actor(loan, actor)
    loan.save()
    if loan.client_id:
        summary = _("with an incident") if incidents else ""
        record_event(
            client=loan.client,  # type: ignore[arg-type]  # client_id is set
            kind="loan_returned",
            actor=actor,
            summary=summary,
            ref=f"devices.loan:{loan.pk}",
        )
    return loan


@transaction.atomic
def incident_report(*, loan: Loan, device: Device, kind: str, actor, description: str = "") -> Incident:
    """A loss or theft reported during the loan: the device leaves the stock, the incident stays open."""
    _lock_borrower(loan)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != Loan.Status.ON_LOAN:
        raise ValidationError(_("This loan is not in progress."))
    item = loan.items.filter(device=device, open=True).first()
    if item is None:
        raise ValidationError({"device": _("This device is not part of the loan.")})
    if kind not in Incident.Kind.values:
        raise ValidationError({"kind": _("Choose what happened.")})
    incident = Incident(
        digibank_id=loan.digibank_id,
        loan=loan,
        device=device,
        kind=kind,
        description=description.strip(),
        reported_by=actor,
    )
    incident.full_clean(exclude=["reported_by"])
    record_actor(incident, actor)
    incident.save()
    if kind in (Incident.Kind.LOST, Incident.Kind.STOLEN):
        item.open, item.missing, item.returned_at = False, True, timezone.now()
        item.save()
        _move(_lock(device), State.RETIRED, actor, ref=f"loan:{loan.pk}", note=str(Incident.Kind(kind).label))
        if not loan.items.filter(open=True).exists():
            loan.status, loan.closed_at, loan.closed_by = Loan.Status.RETURNED, timezone.now(), actor
            record_actor(loan, actor)
            loan.save()
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, actor, resolution: str) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError(_("This incident is already closed."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how it was settled.")})
    if errors := field_errors(Incident, "resolution", resolution.strip()):
        raise ValidationError(errors)
    incident.status, incident.closed_at, incident.resolution = (
        Incident.Status.CLOSED,
        timezone.now(),
        resolution.strip(),
    )
    record_actor(incident, actor)
    incident.save()
    return incident


@transaction.atomic
def device_hand_over(*, device: Device, client: Client, actor, note: str = "") -> Device:
    """Ownership passes to the client for good, under the digibank's conditions: from stock
    (ready) or at the end of the client's own loan of it."""
    client = _lock_client(client)
    device = _lock(device)
    if client.digibank_id != device.digibank_id or client.is_anonymised:
        raise ValidationError({"client": _("This client is not registered at your digibank.")})
    if device.state == State.ON_LOAN:
        item = device.loan_items.filter(open=True).select_related("loan").first()
        if item is None or item.loan.client_id != client.pk:
            raise ValidationError({"client": _("This device is on loan to someone else.")})
        item.open, item.returned_at = False, timezone.now()
        item.save()
        loan = item.loan
        if not loan.items.filter(open=True).exists():
            loan.status, loan.closed_at, loan.closed_by = Loan.Status.HANDED_OVER, timezone.now(), actor
            record_actor(loan, actor)
            loan.save()
    elif device.state != State.READY:
        raise ValidationError({"state": _("Only a ready device, or one on loan to this client, can be handed over.")})
    device.owner = client
    _move(device, State.HANDED_OVER, actor, note=note)
    record_event(
        client=client,
        kind="device_handed_over",
        actor=actor,
        summary=device.description,
        ref=f"devices.device:{device.pk}",
    )
    return device


# --- partner bookings ------------------------------------------------------------------------


@transaction.atomic
def partner_booking(
    *, digibank: Digibank, hub: Hub, partner: Partner, devices: Sequence[Device], starts_on: dt.date, actor
) -> Loan:
    """A partner organisation books a set of devices ahead (for a course); they are reserved
    until it is checked out with loan_start. The partner is locked before its loans of the year
    are counted, then the devices: two bookings at once cannot both take the last one."""
    rules = rules_for(digibank)
    errors: dict[str, list[str]] = {}
    if not rules.lends_to_partners:
        raise ValidationError(_("Your digibank does not lend sets to partner organisations."))
    partner = _lock_partner(partner)
    if partner.digibank_id != digibank.pk or partner.left_on:
        errors["partner"] = [_("This partner is not part of your digibank.")]
    if hub.digibank_id != digibank.pk:
        errors["hub"] = [_("This hub is not part of your digibank.")]
    if starts_on < timezone.localdate() + dt.timedelta(days=rules.partner_book_days_ahead):
        errors["starts_on"] = [_("Book at least %(days)s days ahead.") % {"days": rules.partner_book_days_ahead}]
    if len(devices) > rules.partner_max_devices:
        errors["tags"] = [_("A partner can book at most %(max)s devices at once.") % {"max": rules.partner_max_devices}]
    if rules.partner_max_loans_per_year:
        count = (
            Loan.objects.filter(partner=partner, created_at__gte=_year_ago(timezone.localdate()))
            .exclude(status=Loan.Status.CANCELLED)
            .count()
        )
        if count >= rules.partner_max_loans_per_year:
            errors["partner"] = [
                _("This partner has reached its limit of %(max)s loans a year.")
                % {"max": rules.partner_max_loans_per_year}
            ]
    if errors:
        raise ValidationError(errors)
    devices = _lock_devices(devices)
    not_ready = [d.asset_tag for d in devices if d.state != State.READY]
    if not_ready:
        raise ValidationError({"tags": [_("Not ready to lend: %(tags)s.") % {"tags": ", ".join(not_ready)}]})
    terms = loan_terms(rules, starts_on=starts_on, partner=True)
    loan = Loan(
        digibank=digibank,
        partner=partner,
        hub=hub,
        status=Loan.Status.RESERVED,
        starts_on=starts_on,
        due_on=terms.due_on,
        created_by=actor,
        conditions={"loan_days": terms.days, "partner": True},
    )
    record_actor(loan, actor)
    loan.save()
    _open_items(loan, devices)
    for device in devices:
        _move(device, State.RESERVED, actor, ref=f"loan:{loan.pk}")
    return loan


@transaction.atomic
def loan_start(*, loan: Loan, actor, today: dt.date | None = None) -> Loan:
    """Hand a partner's booked set over: the reservation becomes a loan."""
    today = today or timezone.localdate()
    _lock_borrower(loan)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != Loan.Status.RESERVED or loan.partner_id is None:
        raise ValidationError(_("Only a partner's booking can be started here."))
    devices = _lock_devices([i.device for i in loan.items.filter(open=True).select_related("device")])
    days = (loan.due_on - loan.starts_on).days
    loan.status, loan.starts_on, loan.due_on = Loan.Status.ON_LOAN, today, today + dt.timedelta(days=days)
    loan.checked_out_at, loan.checked_out_by = timezone.now(), actor
    loan.agreement = current_agreement(digibank=loan.digibank, actor=actor)
    record_actor(loan, actor)
    loan.save()
    for device in devices:
        _move(device, State.ON_LOAN, actor, ref=f"loan:{loan.pk}")
    return loan


@transaction.atomic
def reservation_cancel(*, loan: Loan, actor, reason: str = "") -> Loan:
    """End a reservation (a booking or an offer) without a loan; its devices are ready again."""
    _lock_borrower(loan)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != Loan.Status.RESERVED:
        raise ValidationError(_("Only a reservation can be cancelled."))
    items = list(loan.items.filter(open=True).select_related("device"))
    devices = _lock_devices([i.device for i in items])
    now = timezone.now()
    loan.items.filter(open=True).update(open=False, returned_at=now)
    loan.status, loan.closed_at, loan.closed_by = Loan.Status.CANCELLED, now, actor
    record_actor(loan, actor)
    loan.save()
    for device in devices:
        _move(device, State.READY, actor, ref=f"loan:{loan.pk}", note=reason)
    return loan


def booking_cancel(*, loan: Loan, actor, reason: str = "") -> Loan:
    """Cancel a partner's booking from the desk or the API; its devices are ready again. A device
    reserved for someone on the waiting list is not cancelled so: its offer ends with the client's
    answer (offer_decline), so that the next person in line gets the device."""
    if loan.status == Loan.Status.RESERVED and loan.partner_id is None:
        raise ValidationError(_("This device is offered to someone on the waiting list: answer the offer instead."))
    return reservation_cancel(loan=loan, actor=actor, reason=reason)


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
    client = _lock_client(client)  # one open request per client and type, checked one desk at a time
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
    _lock_client(request.client_id)  # its offer's reservation ends too: the borrower goes first
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
    # _lock_client); when the line changed meanwhile, the next attempt reads it again.
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
            _lock_client(first.client_id)
            device = _lock(device)
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
    _open_items(loan, [device])
    _move(device, State.RESERVED, actor, ref=f"loan:{loan.pk}")
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
    _lock_client(Offer.objects.values_list("request__client_id", flat=True).get(pk=offer.pk))
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
            _lock_client(offer.request.client_id)
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
