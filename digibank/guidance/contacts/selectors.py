"""Reads of help contacts and follow-ups, always scoped to the tenancy. The hub day view and the
digihelpers feature call `contacts_on`, `open_follow_ups` and `minutes_per_helper` by these names."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet, Sum

from digibank.core.days import day_bounds
from digibank.core.tenancy import Tenancy
from digibank.guidance.contacts.models import FollowUp, HelpContact, Status
from digibank.guidance.e_services.models import EService
from digibank.network.models import Hub

E_SERVICES = Prefetch("e_services", queryset=EService.objects.order_by("name", "pk"))


def contacts_of(tenancy: Tenancy) -> QuerySet[HelpContact]:
    """Every contact the tenancy sees, cancelled ones too, newest first, ready to show in a list."""
    return (
        HelpContact.objects.visible_to(tenancy)
        .select_related("hub", "helper", "client", "municipality", "follow_up")
        .prefetch_related(E_SERVICES)
        .order_by("-started_at", "-pk")
    )


def contacts_on(tenancy: Tenancy, hub: Hub, day: dt.date) -> QuerySet[HelpContact]:
    """The contacts logged (not cancelled) at `hub` on `day` (Brussels time), in the order they started."""
    start, end = day_bounds(day)
    return (
        contacts_of(tenancy)
        .filter(hub=hub, status=Status.LOGGED, started_at__gte=start, started_at__lt=end)
        .order_by("started_at", "pk")
    )


def open_follow_ups(tenancy: Tenancy, hub: Hub | None = None) -> QuerySet[FollowUp]:
    """The follow-ups still to do (of the hub, or of every hub), the most urgent first; those of a
    cancelled contact are no task any more."""
    follow_ups = FollowUp.objects.visible_to(tenancy).filter(done_at__isnull=True, contact__status=Status.LOGGED)
    if hub is not None:
        follow_ups = follow_ups.filter(hub=hub)
    return follow_ups.select_related("hub", "contact", "contact__client", "contact__helper").order_by("due_on", "pk")


def minutes_per_helper(tenancy: Tenancy, since: dt.datetime, until: dt.datetime) -> dict[int, int]:
    """User id -> minutes helped in contacts that started from `since` up to (not including) `until`."""
    rows = (
        HelpContact.objects.visible_to(tenancy)
        .filter(status=Status.LOGGED, started_at__gte=since, started_at__lt=until)
        .values("helper_id")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by("helper_id")
    )
    return {row["helper_id"]: row["minutes"] or 0 for row in rows}


def default_hub(tenancy: Tenancy, user, hubs: QuerySet[Hub] | list[Hub]) -> Hub | None:
    """Where the helper is: the hub of their last contact, else the only hub there is."""
    last = (
        HelpContact.objects.visible_to(tenancy)
        .filter(helper=user, hub__in=hubs)
        .order_by("-logged_at", "-pk")
        .values_list("hub_id", flat=True)
        .first()
    )
    if last is not None:
        return next((hub for hub in hubs if hub.pk == last), None)
    candidates = list(hubs[:2])
    return candidates[0] if len(candidates) == 1 else None
