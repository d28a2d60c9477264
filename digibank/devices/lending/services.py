"""Lending's writes: the rules and agreement, check-out (with the borrower, then the devices locked),
signing, deposit, extension, check-in, reservations and partner bookings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.clients.services import record_event
from digibank.core.services import field_errors, latest_version, publish_version, record_actor, save_checked
from digibank.devices.lending.eligibility import (
    _MAIN_KINDS,
    Attestation,
    Verdict,
    _year_ago,
    extension_refusals,
    loan_check,
)
from digibank.devices.lending.models import AgreementText, Incident, LendingRules, Loan, LoanItem
from digibank.devices.lending.rules import loan_hub, loan_terms, rules_for
from digibank.devices.register.lifecycle import (
    State,
)
from digibank.devices.register.models import Condition, Device
from digibank.devices.register.services import move_device
from digibank.devices.waiting_list.models import DeviceRequest, Offer
from digibank.network.models import Digibank, Hub, Partner

DEFAULT_AGREEMENT = """Afspraken voor het lenen van een toestel

1. De digibank leent u dit toestel voor de periode op dit blad. Het blijft van de digibank.
2. U zorgt goed voor het toestel en de onderdelen. U leent het niet door aan iemand anders.
3. Is er iets stuk, kwijt of gestolen? Meld het zo snel mogelijk aan de balie.
4. U brengt het toestel en alle onderdelen terug op de einddatum, of vraagt op tijd om te verlengen.
5. Bij het terugbrengen wissen we alles wat op het toestel staat. Zet uw bestanden zelf op een veilige plek.
6. Betaalde u een waarborg? U krijgt die terug als alles in orde is."""


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


def lock_client(client: Client | int) -> Client:
    """Lock the borrower first, before a loan and before its devices (in pk order): every path that
    counts or changes a client's loans, requests or offers keeps this order, so the limits per
    client are counted by one desk at a time and two desks never wait on each other. NO KEY:
    rows that merely refer to the client (an event, a new loan) can still be written meanwhile."""
    pk = client if isinstance(client, int) else client.pk
    return Client.objects.select_for_update(no_key=connection.features.has_select_for_no_key_update).get(pk=pk)


def lock_partner(partner: Partner | int) -> Partner:
    """A partner borrowing sets is locked like a client (see lock_client), for its yearly limit."""
    pk = partner if isinstance(partner, int) else partner.pk
    return Partner.objects.select_for_update(no_key=connection.features.has_select_for_no_key_update).get(pk=pk)


def lock_borrower(loan: Loan) -> None:
    """Lock the loan's client or partner, before the loan itself (see lock_client)."""
    if loan.client_id:
        lock_client(loan.client_id)
    elif loan.partner_id:
        lock_partner(loan.partner_id)


def lock_devices(devices: Sequence[Device]) -> list[Device]:
    """Lock in a fixed order (by pk), so two desks with overlapping bundles cannot deadlock."""
    ids = sorted({d.pk for d in devices})
    locked = {d.pk: d for d in Device.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [locked[d.pk] for d in devices]


def open_items(loan: Loan, devices: Sequence[Device]) -> None:
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
    client = lock_client(client)
    devices = lock_devices(devices)
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
        open_items(loan, extra)
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
        open_items(loan, extra)
    for device in devices:
        move_device(device, State.ON_LOAN, actor, ref=f"loan:{loan.pk}")
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
    lock_borrower(loan)  # a check-out for this client counts this loan's weeks: one at a time
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
    lock_borrower(loan)
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
    devices = {d.pk: d for d in lock_devices([i.device for i in items])}
    for item in items:
        device = devices[item.device.pk]
        loan_item = open_items[device.pk]
        loan_item.open, loan_item.returned_at = False, now
        if item.present:
            loan_item.returned_condition = item.condition
            move_device(device, State.RETURNED, actor, ref=f"loan:{loan.pk}", note=item.damage)
            if item.condition in (Condition.POOR, Condition.BROKEN) or item.damage.strip():
                incidents.append(
                    (device, str(Incident.Kind.DAMAGED), item.damage.strip() or str(Condition(item.condition).label))
                )
            device.condition = item.condition
            device.save(update_fields=["condition"])
        else:
            loan_item.missing = True
            kind = missing_kind if device.kind in _MAIN_KINDS else Incident.Kind.MISSING_PART
            move_device(device, State.RETIRED, actor, ref=f"loan:{loan.pk}", note=_("not returned"))
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
    partner = lock_partner(partner)
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
    devices = lock_devices(devices)
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
    open_items(loan, devices)
    for device in devices:
        move_device(device, State.RESERVED, actor, ref=f"loan:{loan.pk}")
    return loan


@transaction.atomic
def loan_start(*, loan: Loan, actor, today: dt.date | None = None) -> Loan:
    """Hand a partner's booked set over: the reservation becomes a loan."""
    today = today or timezone.localdate()
    lock_borrower(loan)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != Loan.Status.RESERVED or loan.partner_id is None:
        raise ValidationError(_("Only a partner's booking can be started here."))
    devices = lock_devices([i.device for i in loan.items.filter(open=True).select_related("device")])
    days = (loan.due_on - loan.starts_on).days
    loan.status, loan.starts_on, loan.due_on = Loan.Status.ON_LOAN, today, today + dt.timedelta(days=days)
    loan.checked_out_at, loan.checked_out_by = timezone.now(), actor
    loan.agreement = current_agreement(digibank=loan.digibank, actor=actor)
    record_actor(loan, actor)
    loan.save()
    for device in devices:
        move_device(device, State.ON_LOAN, actor, ref=f"loan:{loan.pk}")
    return loan


@transaction.atomic
def reservation_cancel(*, loan: Loan, actor, reason: str = "") -> Loan:
    """End a reservation (a booking or an offer) without a loan; its devices are ready again."""
    lock_borrower(loan)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != Loan.Status.RESERVED:
        raise ValidationError(_("Only a reservation can be cancelled."))
    items = list(loan.items.filter(open=True).select_related("device"))
    devices = lock_devices([i.device for i in items])
    now = timezone.now()
    loan.items.filter(open=True).update(open=False, returned_at=now)
    loan.status, loan.closed_at, loan.closed_by = Loan.Status.CANCELLED, now, actor
    record_actor(loan, actor)
    loan.save()
    for device in devices:
        move_device(device, State.READY, actor, ref=f"loan:{loan.pk}", note=reason)
    return loan


def booking_cancel(*, loan: Loan, actor, reason: str = "") -> Loan:
    """Cancel a partner's booking from the desk or the API; its devices are ready again. A device
    reserved for someone on the waiting list is not cancelled so: its offer ends with the client's
    answer (offer_decline), so that the next person in line gets the device."""
    if loan.status == Loan.Status.RESERVED and loan.partner_id is None:
        raise ValidationError(_("This device is offered to someone on the waiting list: answer the offer instead."))
    return reservation_cancel(loan=loan, actor=actor, reason=reason)
