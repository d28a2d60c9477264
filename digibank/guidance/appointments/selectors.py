"""The reads of appointments: a hub's agenda, the free slots the public site offers, the appointments
of a day (for the hub's day view), a calendar feed's events."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from digibank.core.days import day_bounds
from digibank.core.tenancy import Tenancy
from digibank.guidance.appointments.models import AgendaFeed, Appointment, Slot
from digibank.guidance.appointments.services import appointment_of_token
from digibank.network.models import Hub

PUBLIC_WEEKS = 3  # how far ahead the public site offers slots


def _taken() -> Exists:
    return Exists(Appointment.objects.filter(slot=OuterRef("pk"), status__in=Appointment.ACTIVE))


def appointments_of(tenancy: Tenancy) -> QuerySet[Appointment]:
    return Appointment.objects.visible_to(tenancy).select_related("slot__hub", "slot__helper", "client")


def appointments_on(tenancy: Tenancy, hub: Hub, day: dt.date) -> QuerySet[Appointment]:
    """The hub's appointments of the day that still count (booked, attended, no-show), by time: what
    the hub's day view shows."""
    start, end = day_bounds(day)
    return (
        appointments_of(tenancy)
        .filter(slot__hub=hub, slot__starts_at__gte=start, slot__starts_at__lt=end, status__in=Appointment.ACTIVE)
        .order_by("slot__starts_at", "pk")
    )


def agenda_on(tenancy: Tenancy, hub: Hub, day: dt.date) -> QuerySet[Slot]:
    """The hub's slots of the day, withdrawn ones too, each with its active appointment prefetched
    (`booking`: a list of none or one)."""
    start, end = day_bounds(day)
    active = Appointment.objects.filter(status__in=Appointment.ACTIVE).select_related("client")
    return (
        Slot.objects.visible_to(tenancy)
        .filter(hub=hub, starts_at__gte=start, starts_at__lt=end)
        .select_related("helper")
        .prefetch_related(Prefetch("appointments", queryset=active, to_attr="booking"))
        .order_by("starts_at", "pk")
    )


def feeds_of(tenancy: Tenancy) -> QuerySet[AgendaFeed]:
    return AgendaFeed.objects.visible_to(tenancy).select_related("hub", "helper").order_by("revoked_at", "-created_at")


# The public site: no tenancy, only what anyone may see (times, never who booked them).


def public_booking_hub(pk: int) -> Hub | None:
    """A hub the public can book at: open, helping with e-services."""
    return Hub.objects.open_to_public().filter(pk=pk, offers_guidance=True).select_related("municipality").first()


def free_slots(hub: Hub, *, now: dt.datetime | None = None, weeks: int = PUBLIC_WEEKS) -> QuerySet[Slot]:
    """The hub's open, unbooked slots from now for the next `weeks`, by time."""
    now = now or timezone.now()
    return (
        Slot.objects.filter(hub=hub, status=Slot.Status.OPEN, starts_at__gt=now)
        .filter(starts_at__lt=now + dt.timedelta(weeks=weeks))
        .exclude(_taken())
        .order_by("starts_at", "pk")
    )


def public_slot(pk: int) -> Slot | None:
    """A slot the public may try to book: of a hub that takes bookings. Whether it is still free the
    booking says (with its message), not a 404."""
    return (
        Slot.objects.filter(pk=pk, hub__closed_on__isnull=True, hub__offers_guidance=True)
        .select_related("hub", "hub__municipality")
        .first()
    )


def booking_of_token(token: str) -> Appointment | None:
    """The booking a signed link names; None for a link that was changed or made up."""
    pk = appointment_of_token(token)
    if pk is None:
        return None
    return Appointment.objects.select_related("slot__hub__municipality").filter(pk=pk).first()


def active_feed(token: str) -> AgendaFeed | None:
    if not token or len(token) > 64:
        return None
    return AgendaFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("hub", "helper").first()


def feed_appointments(feed: AgendaFeed, *, since: dt.datetime | None = None) -> QuerySet[Appointment]:
    """The feed's appointments that still count, from a month ago on."""
    since = since or timezone.now() - dt.timedelta(days=31)
    mine = Q(slot__hub=feed.hub) if feed.hub_id else Q(slot__helper=feed.helper)
    return (
        Appointment.objects.filter(mine, digibank_id=feed.digibank_id, status__in=Appointment.ACTIVE)
        .filter(slot__starts_at__gte=since)
        .select_related("slot__hub")
        .order_by("slot__starts_at", "pk")
    )
