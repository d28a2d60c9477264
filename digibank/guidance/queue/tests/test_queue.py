"""The queue's rules: numbers 1, 2, 3 … per hub and day, called oldest first, served or left once,
and the waiting times of a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from digibank.core.tenancy import Tenancy
from digibank.guidance.queue import selectors, services
from digibank.guidance.queue.models import QueueTicket, Status
from digibank.guidance.tests.factories import QueueTicketFactory
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Zuid")


@pytest.fixture
def tenancy_a(digibank_a):
    return Tenancy(user_id=1, digibank_id=digibank_a.pk, roles=("desk",))


def english(call, *args, **kwargs):
    with translation.override("en"):
        return call(*args, **kwargs)


def test_numbers_count_up_per_hub_and_day_from_one(hub, digibank_a, bob):
    other = HubFactory(digibank=digibank_a)
    numbers = [services.ticket_take(hub=hub, actor=bob).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert services.ticket_take(hub=other, actor=bob).number == 1  # another hub counts on its own
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    QueueTicket.objects.update(day=yesterday)  # a new day starts at 1 again
    assert services.ticket_take(hub=hub, actor=bob, purpose="device").number == 1
    ticket = QueueTicket.objects.get(hub=hub, day=timezone.localdate())
    assert ticket.digibank == digibank_a and ticket.taken_by == bob and ticket.purpose == "device"
    assert ticket.status == Status.WAITING and ticket.history.count() == 1


def test_the_database_refuses_a_number_twice_on_one_day(hub):
    QueueTicketFactory(hub=hub, number=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        QueueTicket.objects.create(digibank=hub.digibank, hub=hub, day=timezone.localdate(), number=7)


def test_the_first_number_of_a_day_closes_who_still_waited_on_an_earlier_day(hub, bob):
    earlier = timezone.localdate() - dt.timedelta(days=2)
    forgotten = QueueTicketFactory(hub=hub, day=earlier, number=4)
    called = QueueTicketFactory(hub=hub, day=earlier, number=3, called=True)
    services.ticket_take(hub=hub, actor=bob)
    forgotten.refresh_from_db()
    called.refresh_from_db()
    assert forgotten.status == Status.LEFT and forgotten.history.first().history_change_reason == "day closed"
    assert called.status == Status.CALLED  # called people were helped or not: the desk says which


def test_a_hub_closed_for_good_hands_out_no_numbers(hub, bob):
    hub.closed_on = timezone.localdate()
    hub.save()
    with pytest.raises(ValidationError) as refused:
        english(services.ticket_take, hub=hub, actor=bob)
    assert refused.value.message_dict == {"hub": ["This hub has closed for good: it hands out no numbers."]}
    assert not QueueTicket.objects.exists()


def test_a_desk_calls_the_oldest_waiting_number_of_today(hub, bob):
    QueueTicketFactory(hub=hub, day=timezone.localdate() - dt.timedelta(days=1), number=1)  # yesterday's
    QueueTicketFactory(hub=hub, number=1, called=True)
    second, third = QueueTicketFactory(hub=hub, number=2), QueueTicketFactory(hub=hub, number=3)
    called = services.ticket_call_next(hub=hub, desk=" Balie 2 ", actor=bob)
    assert called == second and called.status == Status.CALLED and called.desk == "Balie 2"
    assert called.called_by == bob and called.called_at >= called.taken_at
    assert services.ticket_call_next(hub=hub, desk="Balie 3", actor=bob) == third
    with pytest.raises(ValidationError) as nobody:
        english(services.ticket_call_next, hub=hub, desk="Balie 2", actor=bob)
    assert nobody.value.messages == ["Nobody is waiting."]


@pytest.mark.parametrize("desk, message", [("", "Say at which desk"), ("Balie\u202e2", "control"), ("x" * 31, "most")])
def test_a_call_needs_a_desk_of_one_short_line(hub, bob, desk, message):
    waiting = QueueTicketFactory(hub=hub, number=1)
    with pytest.raises(ValidationError) as refused:
        english(services.ticket_call_next, hub=hub, desk=desk, actor=bob)
    assert message in " ".join(refused.value.message_dict["desk"])
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING


def test_a_called_number_is_served_or_left_once(hub, bob):
    ticket = QueueTicketFactory(hub=hub, number=1)
    with pytest.raises(ValidationError, match="not been called yet"):
        english(services.ticket_serve, ticket=ticket, actor=bob)
    services.ticket_call_next(hub=hub, desk="Balie 1", actor=bob)
    served = services.ticket_serve(ticket=ticket, actor=bob)
    assert served.status == Status.SERVED and served.finished_at is not None
    with pytest.raises(ValidationError, match="already served"):
        english(services.ticket_leave, ticket=ticket, actor=bob)
    gone = services.ticket_leave(ticket=QueueTicketFactory(hub=hub, number=2), actor=bob)  # left while waiting
    assert gone.status == Status.LEFT
    assert [h.status for h in ticket.history.order_by("history_date")] == ["waiting", "called", "served"]


def test_waiting_times_per_day_give_median_average_and_counts(hub, tenancy_a, digibank_b):
    today = timezone.localdate()
    start = timezone.now() - dt.timedelta(hours=3)
    for number, minutes, state in [(1, 10, "served"), (2, 20, "served"), (3, 60, "called")]:
        QueueTicketFactory(
            hub=hub,
            number=number,
            taken_at=start,
            status=state,
            called_at=start + dt.timedelta(minutes=minutes),
            desk="Balie 1",
        )
    QueueTicketFactory(hub=hub, number=4, status="left")
    QueueTicketFactory(hub=hub, number=5)
    QueueTicketFactory(hub=HubFactory(digibank=digibank_b), number=1, called=True)  # another digibank's
    week = selectors.waiting_times(tenancy_a, hub, 7)
    assert [d.day for d in week] == [today - dt.timedelta(days=n) for n in range(7)]
    figures = week[0]
    assert (figures.taken, figures.called, figures.served, figures.left) == (5, 3, 2, 1)
    assert figures.median == dt.timedelta(minutes=20) and figures.average == dt.timedelta(minutes=30)
    assert figures.median_minutes == 20 and figures.average_minutes == 30
    assert week[1].taken == 0 and week[1].median is None
    assert selectors.waiting_times(tenancy_a, hub, [today])[0].taken == 5


def test_queue_of_gives_the_days_tickets_of_the_own_digibank_only(hub, tenancy_a, digibank_b):
    mine = [QueueTicketFactory(hub=hub, number=n) for n in (2, 1)]
    theirs = HubFactory(digibank=digibank_b)
    QueueTicketFactory(hub=theirs, number=1)
    assert list(selectors.queue_of(tenancy_a, hub, timezone.localdate())) == [mine[1], mine[0]]
    assert not selectors.queue_of(tenancy_a, theirs, timezone.localdate()).exists()


def test_the_board_shows_numbers_and_desks_by_its_secret_only(hub, alice):
    screen = services.screen_renew(hub=hub, actor=alice)
    earlier = timezone.now() - dt.timedelta(minutes=5)
    QueueTicketFactory(hub=hub, number=1, served=True, taken_at=earlier, called_at=earlier)
    QueueTicketFactory(hub=hub, number=2, called=True, desk="Balie 2")
    QueueTicketFactory(hub=hub, number=3)
    QueueTicketFactory(hub=hub, number=4)
    board = selectors.board_for(screen.token)
    assert board is not None
    assert [(t.number, t.desk) for t in board.called] == [(2, "Balie 2"), (1, "Balie 1")]
    assert board.waiting == [3, 4] and board.hub_name == "Digipunt Zuid"
    assert selectors.board_for("not-the-secret") is None
    old = screen.token
    assert services.screen_renew(hub=hub, actor=alice).token != old and selectors.board_for(old) is None
