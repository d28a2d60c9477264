"""Every write to the network goes through one of these functions. Each validates completely before
it writes, runs in one transaction, and leaves a history record (django-simple-history) naming
the actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from digibank.core.roles import Role
from digibank.core.services import record_actor, save_checked

from . import hours
from .models import Digibank, Hub, HubException, Membership, Municipality, OpeningHours, Partner
from .selectors import municipality_for_postal_code

HUB_FIELDS = (
    "name street postal_code municipality latitude longitude offers_lending offers_training offers_guidance "
    "offers_repair wheelchair_accessible accessibility_notes phone email description closed_on"
).split()
PARTNER_FIELDS = (
    "name kind enterprise_number role responsibilities contact_name email phone joined_on left_on"
).split()
DIGIBANK_FIELDS = "name slug phase email phone website description".split()
DIGIBANK_DETAILS = "name email phone website description".split()  # what the digibank itself may change


def _save(obj, actor) -> None:
    save_checked(obj, actor=actor)


def _assign(obj, fields: Iterable[str], values: dict[str, Any]) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value)


# Digibanks ------------------------------------------------------------------------------------


@transaction.atomic
def digibank_create(*, actor, service_area: Iterable[Municipality] = (), **fields: Any) -> Digibank:
    """A new digibank (a Department or superuser task)."""
    digibank = Digibank()
    _assign(digibank, DIGIBANK_FIELDS, fields)
    _save(digibank, actor)
    digibank.service_area.set(list(service_area))
    return digibank


@transaction.atomic
def digibank_start(
    *,
    actor,
    service_area: Iterable[Municipality],
    coordinator_email: str,
    coordinator_first_name: str = "",
    coordinator_last_name: str = "",
    **fields: Any,
) -> Digibank:
    """The Department starts a digibank with its service area and first coordinator, all or nothing."""
    if not list(service_area):
        raise ValidationError({"service_area": _("A digibank serves at least one municipality.")})
    digibank = digibank_create(actor=actor, service_area=service_area, **fields)
    membership_grant_by_email(
        digibank=digibank,
        actor=actor,
        email=coordinator_email,
        role=Role.COORDINATOR,
        first_name=coordinator_first_name,
        last_name=coordinator_last_name,
    )
    return digibank


@transaction.atomic
def digibank_update(*, digibank: Digibank, actor, **fields: Any) -> Digibank:
    """The digibank's own details. Its short name and phase are the Department's (digibank_phase_set)."""
    digibank = Digibank.objects.select_for_update().get(pk=digibank.pk)
    _assign(digibank, DIGIBANK_DETAILS, fields)
    _save(digibank, actor)
    return digibank


@transaction.atomic
def digibank_phase_set(*, digibank: Digibank, phase: str, actor) -> Digibank:
    """The Department moves a digibank to another phase; an ended digibank stops covering its area."""
    digibank = Digibank.objects.select_for_update().get(pk=digibank.pk)
    digibank.phase = phase
    _save(digibank, actor)
    return digibank


@transaction.atomic
def service_area_set(*, digibank: Digibank, municipalities: Iterable[Municipality], actor) -> Digibank:
    """Replace the service area. Refused when a hub that is still open would fall outside it."""
    digibank = Digibank.objects.select_for_update().get(pk=digibank.pk)
    wanted = {m.pk for m in municipalities}
    if not wanted:
        raise ValidationError({"service_area": _("A digibank serves at least one municipality.")})
    stranded = (
        Hub.objects.filter(digibank=digibank, closed_on__isnull=True)
        .exclude(municipality__in=wanted)
        .select_related("municipality")
    )
    if stranded:
        names = ", ".join(sorted({f"{h.name} ({h.municipality.name})" for h in stranded}))
        raise ValidationError(
            {"service_area": _("These hubs would lie outside the service area: %(hubs)s.") % {"hubs": names}}
        )
    record_actor(digibank, actor)
    digibank.service_area.set(Municipality.objects.filter(pk__in=wanted))
    update_change_reason(digibank, "service area")
    return digibank


# Partners -------------------------------------------------------------------------------------


@transaction.atomic
def partner_create(*, digibank: Digibank, actor, **fields: Any) -> Partner:
    """A partner joins the digibank. Its enterprise number, if given, must pass the check digits."""
    partner = Partner(digibank=digibank)
    _assign(partner, PARTNER_FIELDS, fields)
    partner.normalise()
    _save(partner, actor)
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, actor, **fields: Any) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    _assign(partner, PARTNER_FIELDS, fields)
    partner.normalise()
    _save(partner, actor)
    return partner


# Hubs -----------------------------------------------------------------------------------------


def _check_hub_place(hub: Hub) -> None:
    errors: dict[str, str] = {}
    municipality = municipality_for_postal_code(hub.postal_code) if hub.postal_code else None
    if hub.postal_code and municipality is None:
        errors["postal_code"] = _("We do not know this postal code in Flanders.")
    elif municipality is not None and hub.municipality_id is None:
        hub.municipality = municipality
    if hub.municipality_id and hub.postal_code and municipality is not None:
        codes = set(hub.municipality.postal_codes.values_list("code", flat=True))
        if hub.postal_code not in codes:
            errors["postal_code"] = _("Postal code %(code)s is not in %(name)s.") % {
                "code": hub.postal_code,
                "name": hub.municipality.name,
            }
    if hub.municipality_id and not hub.digibank.service_area.filter(pk=hub.municipality_id).exists():
        errors["municipality"] = _("%(name)s is not in the service area of %(digibank)s.") % {
            "name": hub.municipality.name,
            "digibank": hub.digibank.name,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def hub_create(
    *, digibank: Digibank, actor, opening_hours: Sequence[tuple[int, dt.time, dt.time]] = (), **fields: Any
) -> Hub:
    """A new hub of the digibank, in its service area, with its regular week (optional)."""
    hub = Hub(digibank=digibank)
    _assign(hub, HUB_FIELDS, fields)
    _check_hub_place(hub)
    _save(hub, actor)
    if opening_hours:
        opening_hours_set(hub=hub, periods=opening_hours, actor=actor)
    return hub


@transaction.atomic
def hub_update(*, hub: Hub, actor, **fields: Any) -> Hub:
    """Change a hub. A new postal code without a municipality takes the municipality from the code."""
    hub = Hub.objects.select_for_update().select_related("digibank").get(pk=hub.pk)
    if "postal_code" in fields and fields.get("municipality") is None and fields["postal_code"] != hub.postal_code:
        fields["municipality"] = None
    _assign(hub, HUB_FIELDS, fields)
    _check_hub_place(hub)
    _save(hub, actor)
    return hub


@transaction.atomic
def opening_hours_set(*, hub: Hub, periods: Sequence[tuple[int, dt.time, dt.time]], actor) -> list[OpeningHours]:
    """Replace the regular week of a hub by `periods` (weekday, opens, closes): all or nothing.
    Refused when a period ends before it starts or two periods of one day overlap."""
    hub = Hub.objects.select_for_update().get(pk=hub.pk)
    for index, (_weekday, opens, closes) in enumerate(periods):
        if closes <= opens:
            raise ValidationError(
                {
                    "opening_hours": _("Row %(row)d: the closing time must be later than the opening time.")
                    % {"row": index + 1}
                }
            )
    clashing = hours.overlaps(periods)
    if clashing:
        from .models import Weekday

        days = ", ".join(str(Weekday(d).label) for d in clashing)
        raise ValidationError({"opening_hours": _("Opening hours overlap on %(days)s.") % {"days": days}})
    for row in OpeningHours.objects.filter(hub=hub):
        record_actor(row, actor)
        row.delete()
    created = []
    for weekday, opens, closes in sorted(periods):
        row = OpeningHours(hub=hub, weekday=weekday, opens=opens, closes=closes)
        _save(row, actor)
        created.append(row)
    return created


@transaction.atomic
def hub_exception_add(
    *,
    hub: Hub,
    actor,
    starts_on: dt.date,
    ends_on: dt.date,
    opens: dt.time | None = None,
    closes: dt.time | None = None,
    reason: str = "",
) -> HubException:
    """A closure or other hours for a run of days. Two exceptions of one hub may not cover one day."""
    hub = Hub.objects.select_for_update().get(pk=hub.pk)
    exception = HubException(hub=hub, starts_on=starts_on, ends_on=ends_on, opens=opens, closes=closes, reason=reason)
    exception.full_clean()
    if HubException.objects.filter(hub=hub, starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise ValidationError({"starts_on": _("Another exception already covers some of these days.")})
    _save(exception, actor)
    return exception


@transaction.atomic
def hub_exception_remove(*, exception: HubException, actor) -> None:
    """An exception is a plan, not a record: removing one is kept in its history."""
    record_actor(exception, actor)
    exception.delete()


# Roles ----------------------------------------------------------------------------------------


@transaction.atomic
def membership_grant(*, digibank: Digibank, user, role: str, actor, partner: Partner | None = None) -> Membership:
    """Give a staff member a role in the digibank."""
    if role == Role.PARTNER_WORKER and partner is None:
        raise ValidationError({"partner": _("A partner worker works for one of the partners: choose which.")})
    if partner is not None and partner.digibank_id != digibank.pk:
        raise ValidationError({"partner": _("This partner is not part of this digibank.")})
    if Membership.objects.filter(user=user, digibank=digibank, role=role, is_active=True).exists():
        raise ValidationError({"role": _("This person already has this role in this digibank.")})
    membership = Membership(user=user, digibank=digibank, role=role, partner=partner)
    _save(membership, actor)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor) -> Membership:
    """End a role. The row stays, inactive, with its history. A digibank keeps at least one
    coordinator, so somebody can always manage it."""
    # The digibank's row is the lock: two coordinators ending each other's role queue up here.
    Digibank.objects.select_for_update().get(pk=membership.digibank_id)
    membership = Membership.objects.get(pk=membership.pk)
    if membership.role == Role.COORDINATOR and membership.is_active:
        others = Membership.objects.filter(
            digibank_id=membership.digibank_id, role=Role.COORDINATOR, is_active=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError(
                {"role": _("A digibank needs at least one coordinator: give the role to someone else first.")}
            )
    membership.is_active = False
    record_actor(membership, actor)
    membership.save()
    return membership


@transaction.atomic
def hub_update_with_hours(
    *, hub: Hub, actor, opening_hours: Sequence[tuple[int, dt.time, dt.time]], **fields: Any
) -> Hub:
    """The hub's details and its regular week, saved together or not at all."""
    hub = hub_update(hub=hub, actor=actor, **fields)
    current = sorted((h.weekday, h.opens, h.closes) for h in OpeningHours.objects.filter(hub=hub))
    if current != sorted(opening_hours):
        opening_hours_set(hub=hub, periods=opening_hours, actor=actor)
    return hub


@transaction.atomic
def membership_grant_by_email(
    *,
    digibank: Digibank,
    actor,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    partner: Partner | None = None,
) -> Membership:
    """Give a role to the staff member with this e-mail. When there is no account yet, one is made
    with a password nobody knows, and the person gets a mail with a link to choose their own."""
    import secrets

    from django.contrib.auth import get_user_model

    from digibank.core.accounts import send_password_link

    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        if not first_name:
            raise ValidationError({"first_name": _("There is no account with this e-mail yet: give a first name.")})
        user = User(username=email.lower(), email=email.lower(), first_name=first_name, last_name=last_name)
        user.set_password(secrets.token_urlsafe(32))
        user.full_clean()
        user.save()
        transaction.on_commit(lambda: send_password_link(user))
    return membership_grant(digibank=digibank, user=user, role=role, actor=actor, partner=partner)
