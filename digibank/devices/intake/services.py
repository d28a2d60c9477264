"""Intake's writes: a donor, a batch received at a hub, and each device recorded in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.core.services import record_actor, save_checked
from digibank.devices.intake.models import Donor, IntakeBatch
from digibank.devices.register.lifecycle import (
    State,
    holds_data,
)
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.register.services import DEVICE_FIELDS, clean_device, record_device_event
from digibank.network.models import Digibank, Hub, Partner

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


@transaction.atomic
def device_intake(*, batch: IntakeBatch, actor, **fields: Any) -> Device:
    """Record one donated item in a batch. It gets its asset tag and starts 'received' at the
    batch's hub; a device that holds data must be wiped before anyone borrows it."""
    unknown = set(fields) - set(DEVICE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    device = Device(digibank_id=batch.digibank_id, batch=batch, hub=batch.hub, **fields)
    device.needs_erasure = holds_data(device.kind)
    clean_device(device)
    record_actor(device, actor)
    device.save()
    record_device_event(
        device, DeviceEvent.Kind.INTAKE, actor, to_state=State.RECEIVED, to_hub=batch.hub, ref=f"batch:{batch.pk}"
    )
    return device
