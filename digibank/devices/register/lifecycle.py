"""The life of a device: its states and the one table of allowed transitions.

Only `register.services.move_device` changes a device's state, and only along this table; the
guards that a move needs (a passed erasure before ready, a ready check, an open loan) live in the
features' services that call it, beside the write."""

from __future__ import annotations

from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Device(Protocol):
    """What the rules below read of a device (models.Device, which imports this module)."""

    kind: str
    state: str
    needs_erasure: bool
    ready_checked: bool


class State(models.TextChoices):
    RECEIVED = "received", _("received")
    WIPING = "wiping", _("being wiped")
    WIPED = "wiped", _("wiped")
    IN_REPAIR = "in_repair", _("in repair")
    READY = "ready", _("ready")
    RESERVED = "reserved", _("reserved")
    ON_LOAN = "on_loan", _("on loan")
    RETURNED = "returned", pgettext_lazy("device state", "returned")
    RETIRED = "retired", _("retired")
    RECYCLED = "recycled", _("recycled")
    HANDED_OVER = "handed_over", _("handed over for good")


# In the digibank's stock: on a shelf, being worked on, or waiting to be.
STOCK_STATES = frozenset({State.RECEIVED, State.WIPING, State.WIPED, State.IN_REPAIR, State.READY, State.RETURNED})
# With a borrower or promised to one: the states a loan or reservation puts a device in.
LENT_STATES = frozenset({State.RESERVED, State.ON_LOAN})
# Nothing follows: the device has left the digibank, its record stays.
FINAL_STATES = frozenset({State.RECYCLED, State.HANDED_OVER})

TRANSITIONS: dict[str, frozenset[str]] = {
    State.RECEIVED: frozenset({State.WIPING, State.IN_REPAIR, State.READY, State.RETIRED}),
    State.WIPING: frozenset({State.WIPED, State.IN_REPAIR, State.RETIRED}),
    State.WIPED: frozenset({State.IN_REPAIR, State.READY, State.RETIRED}),
    State.IN_REPAIR: frozenset({State.WIPING, State.READY, State.RETIRED}),
    State.READY: frozenset({State.RESERVED, State.ON_LOAN, State.IN_REPAIR, State.RETIRED, State.HANDED_OVER}),
    State.RESERVED: frozenset({State.ON_LOAN, State.READY}),
    State.ON_LOAN: frozenset({State.RETURNED, State.HANDED_OVER, State.RETIRED}),
    State.RETURNED: frozenset({State.WIPING, State.IN_REPAIR, State.READY, State.RETIRED}),
    State.RETIRED: frozenset({State.RECYCLED}),
    State.RECYCLED: frozenset(),
    State.HANDED_OVER: frozenset(),
}
# Moves that only the loan services make: they come with a loan, a check-in or an incident.
LOAN_MOVES = frozenset(
    {
        (State.READY, State.RESERVED),
        (State.READY, State.ON_LOAN),
        (State.RESERVED, State.ON_LOAN),
        (State.RESERVED, State.READY),
        (State.ON_LOAN, State.RETURNED),
        (State.ON_LOAN, State.HANDED_OVER),
        (State.ON_LOAN, State.RETIRED),
    }
)


def allowed(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def next_states(source: str) -> list[str]:
    """What a technician may do next by hand, in the order of the lifecycle."""
    order = list(State.values)
    return sorted(
        (t for t in TRANSITIONS.get(source, frozenset()) if (source, t) not in LOAN_MOVES and t not in FINAL_STATES),
        key=order.index,
    )


class Kind(models.TextChoices):
    LAPTOP = "laptop", _("laptop")
    DESKTOP = "desktop", _("desktop")
    MONITOR = "monitor", _("monitor")
    TABLET = "tablet", _("tablet")
    SMARTPHONE = "smartphone", _("smartphone")
    KEYBOARD = "keyboard", _("keyboard")
    MOUSE = "mouse", _("mouse")
    HEADSET = "headset", _("headset")
    WEBCAM = "webcam", _("webcam")
    CHARGER = "charger", _("charger")
    BAG = "bag", _("bag")
    HOTSPOT = "hotspot", _("mobile hotspot")
    DATA_SIM = "data_sim", _("data SIM")


# Kinds that hold someone's data: wiped with a recorded erasure before every client, and checked
# with the ready checklist. Accessories go from received or returned to ready after a look.
DATA_KINDS = frozenset({Kind.LAPTOP, Kind.DESKTOP, Kind.TABLET, Kind.SMARTPHONE})
# What a client can ask for on the waiting list: the main devices, not the accessories.
REQUESTABLE_KINDS = (Kind.LAPTOP, Kind.DESKTOP, Kind.TABLET, Kind.SMARTPHONE, Kind.MONITOR, Kind.HOTSPOT)


def holds_data(kind: str) -> bool:
    return kind in DATA_KINDS


# Where an erasure of a data-holding device is recorded: before its first use, after a loan, after
# a repair, and while it is being wiped. After a passed one it is wiped (and needs no other).
ERASABLE_STATES = frozenset({State.RECEIVED, State.WIPING, State.RETURNED, State.IN_REPAIR})
# Where the ready checklist is done: after the erasure, or after a repair.
CHECKABLE_STATES = frozenset({State.WIPED, State.IN_REPAIR})


def takes_erasure(device: Device) -> bool:
    """Whether an erasure can be recorded for this device now: the erasure form on its page and
    `services.erasure_record` ask this."""
    return holds_data(device.kind) and device.state in ERASABLE_STATES


def takes_ready_check(device: Device) -> bool:
    """Whether the ready checklist can be done for this device now (its page and the service)."""
    return holds_data(device.kind) and device.state in CHECKABLE_STATES


class ReadyNeed(models.TextChoices):
    """What a device may still need before it is ready."""

    ERASURE = "erasure", _("a passed erasure")
    CHECK = "check", _("the ready checklist with its software profile")


def ready_needs(device: Device) -> list[ReadyNeed]:
    """The ready rule: a device that holds data needs a passed erasure since its last use and the
    ready checklist before it may be marked ready; an accessory needs neither. The device's page
    offers the ready form only when nothing is needed; `services.device_transition` refuses with
    the same list."""
    if not holds_data(device.kind):
        return []
    needs = []
    if device.needs_erasure:
        needs.append(ReadyNeed.ERASURE)
    if not device.ready_checked:
        needs.append(ReadyNeed.CHECK)
    return needs
