"""Incidents during a loan (damage, loss, theft) and their closing, and handing a device over to its
borrower for good."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.clients.services import record_event
from digibank.core.services import field_errors, record_actor
from digibank.devices.lending.models import Incident, Loan
from digibank.devices.lending.services import lock_borrower, lock_client
from digibank.devices.register.lifecycle import (
    State,
)
from digibank.devices.register.models import Device
from digibank.devices.register.services import lock_device, move_device


@transaction.atomic
def incident_report(*, loan: Loan, device: Device, kind: str, actor, description: str = "") -> Incident:
    """A loss or theft reported during the loan: the device leaves the stock, the incident stays open."""
    lock_borrower(loan)
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
        move_device(
            lock_device(device), State.RETIRED, actor, ref=f"loan:{loan.pk}", note=str(Incident.Kind(kind).label)
        )
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
    client = lock_client(client)
    device = lock_device(device)
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
    move_device(device, State.HANDED_OVER, actor, note=note)
    record_event(
        client=client,
        kind="device_handed_over",
        actor=actor,
        summary=device.description,
        ref=f"devices.device:{device.pk}",
    )
    return device
