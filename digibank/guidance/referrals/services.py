"""Every write of a referral goes through these functions. Each step of the life cycle locks the referral
(two desks cannot both accept, or one accept while the other declines), checks the step against the one
table of allowed steps, writes, and notes it on the client's timeline. Nothing is deleted."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.clients.services import record_event
from digibank.core.services import save_checked
from digibank.guidance.e_services.models import EService
from digibank.guidance.referrals.models import (
    Referral,
    ReferralSettings,
    Service,
    Status,
    new_referral_code,
)
from digibank.network.models import Digibank, Hub, Partner

EVENT = "referral"


def _ref(referral: Referral) -> str:
    return f"guidance.referral:{referral.pk}"


def _summary(referral: Referral, what: str) -> str:
    # Never a name: the timeline outlives the person's identity.
    return f"{what}: {Service(referral.service).label}, {referral.to_hub.name}"


def _note(referral: Referral, *, actor, what: str) -> None:
    if referral.client is not None:
        record_event(
            client=referral.client, kind=EVENT, actor=actor, summary=_summary(referral, what), ref=_ref(referral)
        )


def referral_create(
    *,
    digibank: Digibank,
    actor,
    to_hub: Hub | None,
    service: str,
    consent_how: str,
    reason: str,
    client: Client | None = None,
    person_name: str = "",
    person_phone: str = "",
    e_service: EService | None = None,
    from_partner: Partner | None = None,
) -> Referral:
    """Refer a person to a service at a hub of the same digibank, with their consent recorded (how they gave
    it). The person is a client, or a name and a phone number of someone not yet a client (never both).
    `from_partner` is the referrer's organisation; None for an internal referral. Gets a unique short code
    for the printed slip."""
    errors: dict[str, list[str]] = {}
    if to_hub is None:
        errors["to_hub"] = [_("Choose the hub the person is referred to.")]
    elif to_hub.digibank_id != digibank.pk:
        errors["to_hub"] = [_("This hub is not part of your digibank: refer only to your digibank's hubs.")]
    elif to_hub.closed_on is not None and to_hub.closed_on <= timezone.localdate():
        errors["to_hub"] = [_("This hub has closed: choose another hub.")]
    if not consent_how:
        errors["consent_how"] = [
            _("Record how the person agreed to be referred: without their consent no referral is made.")
        ]
    if client is not None:
        if client.digibank_id != digibank.pk or client.is_anonymised:
            errors["client"] = [_("This client is not registered at your digibank.")]
        person_name, person_phone = "", ""
    elif not (person_name or "").strip():
        errors["person_name"] = [_("Give the client's card number, or the name of a person not yet a client.")]
    if e_service is not None and e_service.digibank_id not in (None, digibank.pk):
        errors["e_service"] = [_("Choose an e-service your digibank helps with.")]
    if from_partner is not None and from_partner.digibank_id != digibank.pk:
        errors["from_partner"] = [_("This partner is not part of your digibank.")]
    if errors:
        raise ValidationError(errors)
    assert to_hub is not None
    referral = Referral(
        digibank=digibank,
        to_hub=to_hub,
        service=service,
        e_service=e_service,
        client=client,
        person_name=(person_name or "").strip(),
        person_phone=(person_phone or "").strip(),
        consent_how=consent_how,
        reason=(reason or "").strip(),
        referred_by=actor,
        from_partner=from_partner,
    )
    for _attempt in range(5):  # 25^8 codes: a clash is rare, but the database has the last word
        referral.code = new_referral_code()
        if Referral.objects.filter(code=referral.code).exists():
            continue
        try:
            with transaction.atomic():
                save_checked(referral, actor=actor)
        except IntegrityError:
            continue
        _note(referral, actor=actor, what=_("Referred"))
        return referral
    raise ValidationError(_("No free referral code was found: try again."))


@transaction.atomic
def _step(referral: Referral, to: str, *, actor, **fields) -> Referral:
    """Move the referral (locked) to `to` if the table allows it from where it is now."""
    locked = Referral.objects.select_for_update(of=("self",)).select_related("to_hub", "client").get(pk=referral.pk)
    if not locked.may_become(to):
        raise ValidationError(
            {
                "status": [
                    _("A referral that is %(now)s cannot become %(to)s.")
                    % {"now": Status(locked.status).label, "to": Status(to).label}
                ]
            }
        )
    now = timezone.now()
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.status = to
    locked.changed_at = now
    if not locked.is_open:
        locked.closed_at = now
    save_checked(locked, actor=actor)
    _note(locked, actor=actor, what=str(Status(to).label).capitalize())
    return locked


def referral_accept(referral: Referral, *, actor) -> Referral:
    """The receiving hub takes the referral on."""
    return _step(referral, Status.ACCEPTED, actor=actor)


def referral_plan(referral: Referral, *, actor, planned_on: dt.date | None) -> Referral:
    """The receiving hub sets the day the person comes (again, to move it)."""
    if planned_on is None:
        raise ValidationError({"planned_on": [_("Give the day the person is expected.")]})
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": [_("Choose today or a day in the future.")]})
    return _step(referral, Status.PLANNED, actor=actor, planned_on=planned_on)


def referral_complete(referral: Referral, *, actor, outcome: str) -> Referral:
    """The person was served: the outcome is what the referrer reads."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": [_("Write the outcome in a few words: the referrer reads it.")]})
    return _step(referral, Status.COMPLETED, actor=actor, outcome=outcome)


def referral_decline(referral: Referral, *, actor, reason: str) -> Referral:
    """The receiving hub cannot help: the reason is what the referrer reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": [_("Say why the referral is declined: the referrer reads it.")]})
    return _step(referral, Status.DECLINED, actor=actor, decline_reason=reason)


def referral_withdraw(referral: Referral, *, actor, actor_partner: Partner | None = None) -> Referral:
    """The referrer takes the referral back: the one who made it, or a worker of the same partner."""
    made_by_them = referral.referred_by_id == actor.pk or (
        actor_partner is not None and referral.from_partner_id == actor_partner.pk
    )
    if not made_by_them:
        raise ValidationError({"status": [_("Only the referrer can withdraw a referral.")]})
    return _step(referral, Status.WITHDRAWN, actor=actor)


@transaction.atomic
def referral_set_notes(referral: Referral, *, actor, internal_notes: str) -> Referral:
    """The receiving hub's own notes; never shown to the referrer."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    locked.internal_notes = (internal_notes or "").strip()
    locked.changed_at = timezone.now()
    save_checked(locked, actor=actor)
    return locked


@transaction.atomic
def referral_link_client(referral: Referral, *, actor, client: Client | None) -> Referral:
    """The person who was not yet a client has become one: the referral points to the client, and the name
    and phone kept on it are removed (they live on the client now)."""
    locked = Referral.objects.select_for_update(of=("self",)).select_related("to_hub").get(pk=referral.pk)
    if client is None:
        raise ValidationError({"card": [_("No client of your digibank has this number.")]})
    if client.digibank_id != locked.digibank_id or client.is_anonymised:
        raise ValidationError({"card": [_("This client is not registered at your digibank.")]})
    if locked.client_id is not None:
        raise ValidationError({"card": [_("This referral is already linked to a client.")]})
    locked.client = client
    locked.person_name, locked.person_phone = "", ""
    locked.changed_at = timezone.now()
    save_checked(locked, actor=actor)
    _note(locked, actor=actor, what=_("Referred"))
    return locked


@transaction.atomic
def referral_settings_set(*, digibank: Digibank, actor, stale_after_days: int) -> ReferralSettings:
    """After how many days an open referral is flagged to the coordinator."""
    row = ReferralSettings.objects.select_for_update().filter(digibank=digibank).first()
    row = row or ReferralSettings(digibank=digibank)
    row.stale_after_days = stale_after_days
    save_checked(row, actor=actor)
    return row
