"""Digihelpers' reads: the list, the choices of their forms, the finder at the desk and who helped how much."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf

from digibank.core.tenancy import Tenancy
from digibank.guidance.e_services.models import EService
from digibank.guidance.e_services.selectors import e_services_seen_by
from digibank.guidance.helpers.models import Availability, Digihelper, HelperHours
from digibank.network.models import Hub

# A helper's name is their account's or the one recorded: lists sort on whichever they have.
SORT_NAME = Lower(
    Coalesce(NullIf(Concat("user__first_name", Value(" "), "user__last_name"), Value(" ")), "user__username", "name")
)


def helpers_of(tenancy: Tenancy) -> QuerySet[Digihelper]:
    """The digibank's helpers, active first, by name, with what a list shows of them."""
    return (
        Digihelper.objects.visible_to(tenancy)
        .select_related("user")
        .prefetch_related(
            Prefetch("hubs", queryset=Hub.objects.order_by("name")),
            Prefetch("skills", queryset=EService.objects.order_by("name")),
            Prefetch("availability", queryset=Availability.objects.select_related("hub")),
        )
        .order_by("-active", SORT_NAME.asc(), "pk")
    )


def skill_choices(tenancy: Tenancy) -> QuerySet[EService]:
    """The e-services a helper can help with: those the digibank helps with (Flanders-wide and its own)."""
    return e_services_seen_by(tenancy)


def hours_of(tenancy: Tenancy) -> QuerySet[HelperHours]:
    """The recorded hours the digibank sees, newest first."""
    return (
        HelperHours.objects.visible_to(tenancy)
        .select_related("helper__user", "hub", "recorded_by")
        .order_by("-day", "-pk")
    )


@dataclass(frozen=True)
class Tally:
    """What one helper gave in a period: minutes the coordinator recorded, and minutes of help contacts."""

    helper: Digihelper
    recorded_minutes: int
    contact_minutes: int

    @property
    def minutes(self) -> int:
        return self.recorded_minutes + self.contact_minutes

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def recorded_hours(self) -> float:
        return self.recorded_minutes / 60

    @property
    def contact_hours(self) -> float:
        return self.contact_minutes / 60


def hours_given(
    tenancy: Tenancy,
    since: dt.date,
    until: dt.date,
    *,
    contact_minutes: Mapping[int, int] | None = None,
    by_hours: bool = True,
) -> list[Tally]:
    """Per helper, the minutes given from `since` to `until` (both days included): the recorded hours,
    plus `contact_minutes` (the minutes of help contacts per user id, from the help contacts' own
    selector) for helpers with a staff account. Every active helper is listed, and an ended one who gave
    time in the period; most hours first (`by_hours`), or by name."""
    in_period = Q(hours__day__gte=since, hours__day__lte=until)
    helpers = (
        Digihelper.objects.visible_to(tenancy)
        .select_related("user")
        .annotate(recorded=Coalesce(Sum("hours__minutes", filter=in_period), 0))
    )
    contact_minutes = contact_minutes or {}
    tallies = [
        Tally(helper, helper.recorded, contact_minutes.get(helper.user_id, 0) if helper.user_id else 0)
        for helper in helpers.order_by(SORT_NAME.asc(), "pk")
    ]
    tallies = [t for t in tallies if t.helper.active or t.minutes]
    if by_hours:
        tallies.sort(key=lambda t: -t.minutes)  # stable: equal hours stay by name
    return tallies


@dataclass(frozen=True)
class Match:
    """A helper who can help, and when they are at the hub on the day asked about (may be none)."""

    helper: Digihelper
    times: list[Availability]


def helpers_who_can_help(
    tenancy: Tenancy, *, day: dt.date, e_service: EService | None = None, hub: Hub | None = None
) -> list[Match]:
    """The desk's question "who can help with itsme today?": active helpers with that skill at that hub
    (either may be left open), those who are there on `day` first, then by name."""
    helpers = Digihelper.objects.visible_to(tenancy).filter(active=True)
    if e_service is not None:
        helpers = helpers.filter(skills=e_service)
    if hub is not None:
        helpers = helpers.filter(hubs=hub)
    on_day = Availability.objects.filter(weekday=day.weekday()).select_related("hub").order_by("starts")
    if hub is not None:
        on_day = on_day.filter(hub=hub)
    found = (
        helpers.distinct()
        .select_related("user")
        .prefetch_related(
            Prefetch("availability", queryset=on_day, to_attr="on_day"),
            Prefetch("skills", queryset=EService.objects.order_by("name")),
            Prefetch("hubs", queryset=Hub.objects.order_by("name")),
        )
    )
    matches = [Match(h, list(h.on_day)) for h in found.order_by(SORT_NAME.asc(), "pk")]
    matches.sort(key=lambda m: not m.times)
    return matches
