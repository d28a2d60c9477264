"""Reads of the walk-in queue: a hub's tickets of a day, who waits, who was called, how long people
waited, and the waiting-room board (reached by its secret, not by a log-in)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from digibank.core.tenancy import Tenancy
from digibank.guidance.queue.models import QueueScreen, QueueTicket, Status
from digibank.network.models import Hub

BOARD_CALLED = 4  # the latest calls the screen shows: the newest large, the others smaller
BOARD_NEXT = 8  # the numbers waiting it shows next


def queue_of(tenancy: Tenancy, hub: Hub, day: dt.date) -> QuerySet[QueueTicket]:
    """The tickets of a hub's day in the order they were taken (the hub day view's queue)."""
    return QueueTicket.objects.visible_to(tenancy).filter(hub_id=hub.pk, day=day).order_by("number")


def waiting_at(tenancy: Tenancy, hub: Hub, day: dt.date) -> QuerySet[QueueTicket]:
    """Who still waits, first come first."""
    return queue_of(tenancy, hub, day).filter(status=Status.WAITING)


def called_at_desks(tenancy: Tenancy, hub: Hub, day: dt.date) -> QuerySet[QueueTicket]:
    """Who was called and is not yet marked served or left, the latest call first."""
    return queue_of(tenancy, hub, day).filter(status=Status.CALLED).order_by("-called_at", "-number")


def ahead_of(ticket: QueueTicket) -> int:
    """How many people wait before this ticket (for the ticket's own page)."""
    if ticket.status != Status.WAITING:
        return 0
    return QueueTicket.objects.filter(
        hub_id=ticket.hub_id, day=ticket.day, status=Status.WAITING, number__lt=ticket.number
    ).count()


def screen_of(tenancy: Tenancy, hub: Hub) -> QueueScreen | None:
    return QueueScreen.objects.visible_to(tenancy).filter(hub_id=hub.pk).first()


@dataclass
class DayWaits:
    """A hub's queue on one day: numbers taken, called, served, left; the wait from taking a number
    to being called (median and average, over the tickets called)."""

    day: dt.date
    taken: int = 0
    called: int = 0
    served: int = 0
    left: int = 0
    waits: list[float] = field(default_factory=list, repr=False)

    @property
    def median(self) -> dt.timedelta | None:
        return dt.timedelta(seconds=round(statistics.median(self.waits))) if self.waits else None

    @property
    def average(self) -> dt.timedelta | None:
        return dt.timedelta(seconds=round(statistics.fmean(self.waits))) if self.waits else None

    @property
    def median_minutes(self) -> int | None:
        return minutes(self.median)

    @property
    def average_minutes(self) -> int | None:
        return minutes(self.average)


def minutes(span: dt.timedelta | None) -> int | None:
    """Whole minutes, rounded, for the screens."""
    return None if span is None else round(span.total_seconds() / 60)


def _days(days: int | Iterable[dt.date]) -> list[dt.date]:
    if isinstance(days, int):
        today = timezone.localdate()
        return [today - dt.timedelta(days=n) for n in range(max(days, 0))]
    return sorted(set(days), reverse=True)


def waiting_times(tenancy: Tenancy, hub: Hub, days: int | Iterable[dt.date]) -> list[DayWaits]:
    """The queue's figures per day, the latest day first, in one query. `days` is a number of days up to
    today (7: this week) or the dates themselves; a day without tickets is there with zeros."""
    wanted = _days(days)
    figures = {day: DayWaits(day) for day in wanted}
    if not wanted:
        return []
    rows = (
        QueueTicket.objects.visible_to(tenancy)
        .filter(hub_id=hub.pk, day__in=wanted)
        .values_list("day", "status", "taken_at", "called_at")
    )
    for day, status, taken_at, called_at in rows:
        figure = figures[day]
        figure.taken += 1
        figure.served += status == Status.SERVED
        figure.left += status == Status.LEFT
        if called_at is not None:
            figure.called += 1
            figure.waits.append((called_at - taken_at).total_seconds())
    return [figures[day] for day in wanted]


@dataclass
class Board:
    """What the waiting-room screen shows: numbers and desks, nothing about anyone."""

    hub_name: str
    called: list[QueueTicket]
    waiting: list[int]


def board_for(token: str) -> Board | None:
    """The board of the hub whose screen has this secret; None for an unknown secret. Public: the secret
    is the permission, and what it shows are numbers only."""
    screen = QueueScreen.objects.select_related("hub").filter(token=token).first()
    if screen is None:
        return None
    today = timezone.localdate()
    tickets = QueueTicket.objects.filter(hub_id=screen.hub_id, day=today)
    called = list(
        tickets.filter(status__in=[Status.CALLED, Status.SERVED])
        .only("number", "desk", "called_at")
        .order_by("-called_at", "-number")[:BOARD_CALLED]
    )
    waiting = list(
        tickets.filter(status=Status.WAITING).order_by("number").values_list("number", flat=True)[:BOARD_NEXT]
    )
    return Board(hub_name=screen.hub.name, called=called, waiting=waiting)
