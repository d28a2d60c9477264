"""Every write of help contacts and follow-ups. A contact is logged with its e-services in one
transaction, with its follow-up task when one is needed and on the client's timeline; it is never
deleted, only cancelled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.models import Client
from digibank.clients.services import record_event
from digibank.core.services import record_actor, save_checked
from digibank.guidance.contacts.models import Channel, FollowUp, HelpContact, Outcome, Status, Topic
from digibank.guidance.e_services.models import EService
from digibank.network.models import Digibank, Hub, Municipality

EVENT_LOGGED = "help_contact"
EVENT_CANCELLED = "help_contact_cancelled"


def _clean_topics(topics: Iterable[str]) -> list[str]:
    """The topics in the order of their choices, each once; unknown ones stay, for the validator to refuse."""
    chosen = list(topics or [])
    return [t for t in Topic.values if t in chosen] + [t for t in chosen if t not in Topic.values]


def _check_e_services(digibank: Digibank, e_services: list[EService]) -> None:
    """Flanders-wide services and the digibank's own: another digibank's local service is unknown here."""
    if any(s.digibank_id not in (None, digibank.pk) for s in e_services):
        raise ValidationError({"e_services": [_("Choose e-services from the list.")]})


def _summary(contact: HelpContact, e_services: list[EService]) -> str:
    """What the timeline says: the services and the outcome, never the note (it is not for everyone)."""
    names = ", ".join(s.name for s in e_services) or _("no e-service named")
    return f"{names} · {contact.get_outcome_display()}"


@transaction.atomic
def contact_log(
    *,
    digibank: Digibank,
    actor,
    hub: Hub | None,
    duration_minutes: int | None,
    outcome: str,
    helper=None,
    client: Client | None = None,
    age_band: str = "",
    municipality: Municipality | None = None,
    started_at: dt.datetime | None = None,
    channel: str = Channel.WALK_IN,
    e_services: Iterable[EService] = (),
    topics: Iterable[str] = (),
    follow_up_on: dt.date | None = None,
    note: str = "",
) -> HelpContact:
    """Log one help contact. Everything is checked before anything is written (each fault next to its
    field); a follow-up outcome makes the hub's dated task; a client's contact goes on their timeline."""
    if hub is None:
        raise ValidationError({"hub": [_("Choose the hub where the help was given.")]})
    services = list(e_services or [])
    _check_e_services(digibank, services)
    contact = HelpContact(
        digibank=digibank,
        hub=hub,
        helper=helper or actor,
        client=client,
        age_band="" if client is not None else (age_band or ""),
        municipality=None if client is not None else municipality,
        started_at=started_at or timezone.now(),
        duration_minutes=duration_minutes,  # type: ignore[misc]  # None is refused by full_clean
        channel=channel or Channel.WALK_IN,
        topics=_clean_topics(topics),
        outcome=outcome,
        follow_up_on=follow_up_on,
        note=(note or "").strip(),
        logged_by=actor,
    )
    save_checked(contact, actor=actor)
    contact.e_services.add(*services)  # a new contact has none yet: no read of the old ones
    if contact.outcome == Outcome.FOLLOW_UP and contact.follow_up_on is not None:
        follow_up = FollowUp(hub=hub, contact=contact, due_on=contact.follow_up_on)  # contact.follow_up is it
        save_checked(follow_up, actor=actor)
    else:  # a new contact has no follow-up: known, so reading contact.follow_up asks nothing
        HelpContact.follow_up.related.set_cached_value(contact, None)
    if client is not None:
        record_event(
            client=client,
            kind=EVENT_LOGGED,
            actor=actor,
            summary=_summary(contact, services),
            ref=f"guidance.contact:{contact.pk}",
            occurred_at=contact.started_at,
        )
    return contact


@transaction.atomic
def contact_cancel(contact: HelpContact, *, actor) -> HelpContact:
    """A contact logged by mistake: cancelled for good, out of every count, kept in its history."""
    contact = HelpContact.objects.select_for_update().get(pk=contact.pk)
    if contact.status == Status.CANCELLED:
        raise ValidationError(_("This help contact was already cancelled."))
    contact.status = Status.CANCELLED
    contact.cancelled_at = timezone.now()
    contact.cancelled_by = actor
    record_actor(contact, actor)
    contact.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    if contact.client is not None:
        record_event(client=contact.client, kind=EVENT_CANCELLED, actor=actor, ref=f"guidance.contact:{contact.pk}")
    return contact


@transaction.atomic
def follow_up_done(follow_up: FollowUp, *, actor) -> FollowUp:
    """Mark the hub's task done, once; a second click (another desk at the same moment) is refused."""
    follow_up = FollowUp.objects.select_for_update().select_related("contact").get(pk=follow_up.pk)
    if follow_up.done_at is not None:
        raise ValidationError(_("This follow-up was already done."))
    if follow_up.contact.status == Status.CANCELLED:
        raise ValidationError(_("The help contact of this follow-up was cancelled."))
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    record_actor(follow_up, actor)
    follow_up.save(update_fields=["done_at", "done_by"])
    return follow_up
