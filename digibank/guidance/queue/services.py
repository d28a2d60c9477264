"""Every write of the walk-in queue: take a number, call the next, mark served or left, renew the
screen's address. Two desks at the same second never share a number nor a ticket."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.core.services import field_errors, save_checked
from digibank.guidance.queue.models import Purpose, QueueScreen, QueueTicket, Status
from digibank.network.models import Hub


def _close_earlier_days(hub: Hub, day, actor) -> None:
    """Whoever still waited at the hub on an earlier day went home: their tickets end as left, so no
    ticket waits for ever. Run when a day's first number is taken, under the hub's lock."""
    for ticket in QueueTicket.objects.filter(hub=hub, day__lt=day, status=Status.WAITING):
        ticket.status = Status.LEFT
        ticket._change_reason = "day closed"  # type: ignore[attr-defined]
        save_checked(ticket, actor=actor)


@transaction.atomic
def ticket_take(*, hub: Hub, actor, purpose: str = "") -> QueueTicket:
    """The next number of the day at the hub (1 for the first person of the day). Takes at the same
    second wait their turn on the hub's row (FOR NO KEY UPDATE: other rows may still point to the hub
    meanwhile), so each sees the number before it; the unique constraint is the backstop."""
    hub = Hub.objects.select_for_update(no_key=True).get(pk=hub.pk)
    if hub.closed_on is not None and hub.closed_on <= timezone.localdate():
        raise ValidationError({"hub": [_("This hub has closed for good: it hands out no numbers.")]})
    if purpose and purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose what the person came for from the list.")]})
    now = timezone.now()
    day = timezone.localdate(now)
    last = QueueTicket.objects.filter(hub=hub, day=day).aggregate(last=Max("number"))["last"] or 0
    if last == 0:
        _close_earlier_days(hub, day, actor)
    ticket = QueueTicket(
        digibank_id=hub.digibank_id,
        hub=hub,
        day=day,
        number=last + 1,
        purpose=purpose,
        taken_at=now,
        taken_by=actor,
    )
    save_checked(ticket, actor=actor)
    return ticket


def _clean_desk(desk: str) -> str:
    desk = (desk or "").strip()
    if not desk:
        raise ValidationError({"desk": [_("Say at which desk the person is expected, e.g. Desk 2.")]})
    if errors := field_errors(QueueTicket, "desk", desk):
        raise ValidationError(errors)
    return desk


@transaction.atomic
def ticket_call_next(*, hub: Hub, desk: str, actor) -> QueueTicket:
    """The oldest ticket waiting at the hub today, called to `desk`. The ticket's row is locked and a
    row another desk holds is passed over (SKIP LOCKED), so two desks calling at the same second each
    get another ticket; when none is left, the message says nobody is waiting."""
    desk = _clean_desk(desk)
    today = timezone.localdate()
    ticket = (
        QueueTicket.objects.select_for_update(skip_locked=True)
        .filter(hub_id=hub.pk, day=today, status=Status.WAITING)
        .order_by("number")
        .first()
    )
    if ticket is None:
        raise ValidationError(_("Nobody is waiting."), code="nobody_waiting")
    ticket.status = Status.CALLED
    ticket.called_at = max(timezone.now(), ticket.taken_at)
    ticket.called_by = actor
    ticket.desk = desk
    save_checked(ticket, actor=actor)
    return ticket


REFUSALS: dict[str, Promise] = {
    Status.SERVED: gettext_lazy("This number was already served."),
    Status.LEFT: gettext_lazy("This number was already marked as left."),
    Status.WAITING: gettext_lazy("This number has not been called yet."),
}


@transaction.atomic
def _finish(ticket: QueueTicket, status: str, actor) -> QueueTicket:
    ticket = QueueTicket.objects.select_for_update().get(pk=ticket.pk)
    if not ticket.may_become(status):
        raise ValidationError(str(REFUSALS[ticket.status]), code="invalid_transition")
    ticket.status = status
    ticket.finished_at = timezone.now()
    save_checked(ticket, actor=actor)
    return ticket


def ticket_serve(*, ticket: QueueTicket, actor) -> QueueTicket:
    """The called person was helped: a final state."""
    return _finish(ticket, Status.SERVED, actor)


def ticket_leave(*, ticket: QueueTicket, actor) -> QueueTicket:
    """The person went away before or after being called (a no-show): a final state."""
    return _finish(ticket, Status.LEFT, actor)


@transaction.atomic
def screen_renew(*, hub: Hub, actor) -> QueueScreen:
    """A (new) secret address for the hub's waiting-room screen; the old one stops working at once."""
    Hub.objects.select_for_update(no_key=True).get(pk=hub.pk)
    screen = QueueScreen.objects.filter(hub=hub).first() or QueueScreen(hub=hub)
    screen.token = secrets.token_urlsafe(24)
    screen.created_at = timezone.now()
    screen.created_by = actor
    save_checked(screen, actor=actor)
    return screen
