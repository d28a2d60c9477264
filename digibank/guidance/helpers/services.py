"""Every write of the digihelpers goes through these functions. Nothing that matters is deleted: a
helper who stops is ended, and every change is kept in the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.clients.validation import normalise_phone
from digibank.core.services import record_actor, save_checked
from digibank.core.tenancy import Tenancy
from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers import selectors
from digibank.guidance.helpers.models import Availability, Digihelper, HelperHours
from digibank.guidance.selectors import open_hubs, staff_of
from digibank.network.models import Digibank, Hub

EDITABLE = ("user", "name", "phone", "email", "hubs", "skills", "active", "since")


def _tenancy_of(digibank: Digibank) -> Tenancy:
    """The scope of the digibank's own rows, to check that what is chosen belongs to it."""
    return Tenancy(digibank_id=digibank.pk)


def _check_choices(helper: Digihelper, hubs: Iterable[Hub] | None, skills: Iterable[EService] | None) -> dict:
    """The account, hubs and e-services must be the digibank's own (an API caller may name any id)."""
    scope = _tenancy_of(helper.digibank)
    errors: dict[str, list[str]] = {}
    if helper.user_id is not None and not staff_of(scope).filter(pk=helper.user_id).exists():
        errors["user"] = [_("Choose someone with a role in your digibank.")]
    elif helper.user_id is not None:
        taken = Digihelper.objects.filter(digibank=helper.digibank, user_id=helper.user_id).exclude(pk=helper.pk)
        if taken.exists():
            errors["user"] = [_("This staff member is already a digihelper of your digibank.")]
    if hubs is not None:
        allowed = set(open_hubs(scope).values_list("pk", flat=True))
        if any(hub.pk not in allowed for hub in hubs):
            errors["hubs"] = [_("Choose open hubs of your digibank.")]
    if skills is not None:
        allowed = set(selectors.skill_choices(scope).values_list("pk", flat=True))
        if any(skill.pk not in allowed for skill in skills):
            errors["skills"] = [_("Choose active e-services your digibank helps with.")]
    return errors


def _clean_contact(helper: Digihelper) -> dict:
    # The account's own name is the helper's name: a recorded one would go stale next to it.
    helper.name = "" if helper.user_id is not None else (helper.name or "").strip()
    helper.email = (helper.email or "").strip()
    try:
        helper.phone = normalise_phone(helper.phone or "")
    except ValidationError as error:
        return {"phone": error.messages}
    return {}


def _save(helper: Digihelper, *, actor, hubs, skills) -> Digihelper:
    errors = {**_clean_contact(helper), **_check_choices(helper, hubs, skills)}
    try:
        helper.full_clean(exclude=list(errors))
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    save_checked(helper, actor=actor)
    if hubs is not None:
        helper.hubs.set(hubs)
    if skills is not None:
        helper.skills.set(skills)
    return helper


@transaction.atomic
def helper_create(
    *,
    digibank: Digibank,
    actor,
    user=None,
    name: str = "",
    phone: str = "",
    email: str = "",
    hubs: Iterable[Hub] = (),
    skills: Iterable[EService] = (),
    since: dt.date | None = None,
    active: bool = True,
) -> Digihelper:
    """A new helper of `digibank`: a staff account of the digibank, or a name for someone without a
    log-in; with the open hubs of the digibank they work at and the e-services it helps with."""
    helper = Digihelper(
        digibank=digibank,
        user=user,
        name=name,
        phone=phone,
        email=email,
        since=since or timezone.localdate(),
        active=active,
        ended_on=None if active else timezone.localdate(),
    )
    return _save(helper, actor=actor, hubs=list(hubs), skills=list(skills))


@transaction.atomic
def helper_update(helper: Digihelper, *, actor, **changes) -> Digihelper:
    """Change what is given of `EDITABLE`. `active=False` ends the helper (the day is kept), `True`
    takes them back; the hours they gave stay theirs either way."""
    helper = Digihelper.objects.select_for_update().get(pk=helper.pk)
    hubs = skills = None
    for field, value in changes.items():
        if field not in EDITABLE:
            raise TypeError(f"{field} cannot be changed")
        if field == "hubs":
            hubs = list(value)
        elif field == "skills":
            skills = list(value)
        elif field == "active" and value != helper.active:
            helper.active = value
            helper.ended_on = None if value else timezone.localdate()
        else:
            setattr(helper, field, value)
    return _save(helper, actor=actor, hubs=hubs, skills=skills)


@transaction.atomic
def availability_add(
    *, helper: Digihelper, actor, hub: Hub, weekday: int, starts: dt.time, ends: dt.time
) -> Availability:
    """A weekly time at one of the helper's hubs; it may not overlap another time of theirs that day."""
    Digihelper.objects.select_for_update().get(pk=helper.pk)  # two adds at once see each other
    errors: dict[str, list[str]] = {}
    if not helper.hubs.filter(pk=hub.pk).exists():
        errors["hub"] = [_("Choose one of the helper's hubs.")]
    slot = Availability(helper=helper, hub=hub, weekday=weekday, starts=starts, ends=ends)
    if starts and ends and ends > starts:
        overlapping = helper.availability.filter(weekday=weekday, starts__lt=ends, ends__gt=starts)
        if overlapping.exists():
            errors["starts"] = [_("The helper already has a time on this day that overlaps.")]
    try:
        slot.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    save_checked(slot, actor=actor)
    return slot


@transaction.atomic
def availability_remove(slot: Availability, *, actor) -> None:
    """A weekly time the helper no longer keeps. Its history keeps that it was there."""
    record_actor(slot, actor)
    slot.delete()


@transaction.atomic
def hours_record(*, helper: Digihelper, actor, day: dt.date, hub: Hub, minutes: int, note: str = "") -> HelperHours:
    """Time a helper gave on a day at a hub of the digibank: not in the future, not before they began,
    not after they stopped."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if day > today:
        errors["day"] = [_("Hours are recorded once they are given: choose today or an earlier day.")]
    elif day < helper.since:
        errors["day"] = [
            _("The helper began on %(day)s: choose that day or a later one.") % {"day": _date(helper.since)}
        ]
    elif helper.ended_on is not None and day > helper.ended_on:
        errors["day"] = [
            _("The helper stopped on %(day)s: choose that day or an earlier one.") % {"day": _date(helper.ended_on)}
        ]
    if hub.digibank_id != helper.digibank_id:
        errors["hub"] = [_("Choose a hub of your digibank.")]
    hours = HelperHours(helper=helper, day=day, hub=hub, minutes=minutes, note=(note or "").strip(), recorded_by=actor)
    try:
        hours.full_clean(exclude=list(errors))
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    save_checked(hours, actor=actor)
    return hours


def _date(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"
