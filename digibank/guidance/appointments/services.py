"""Every write of appointments goes through these functions: generating and withdrawing slots,
booking, cancelling and closing appointments, calendar feeds. Each takes plain arguments, locks what
it contends for and records who did it in the history."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from digibank.clients.models import Client
from digibank.clients.selectors import may_contact
from digibank.clients.services import record_event
from digibank.clients.validation import normalise_phone
from digibank.core.senders import SendError, send_message
from digibank.core.services import record_actor, save_checked
from digibank.guidance.appointments.models import AgendaFeed, Appointment, Kind, Slot
from digibank.network.models import Hub

log = logging.getLogger(__name__)

MAX_DAYS = 92  # one generation covers at most a quarter
LENGTHS = (15, 20, 30, 45, 60, 90, 120)  # minutes a slot may last
SIGNING_SALT = "guidance.appointments.booking"

# The one table of what may follow what; the states not in it are final.
TRANSITIONS: dict[str, set[str]] = {
    Appointment.Status.BOOKED: {
        Appointment.Status.CANCELLED,
        Appointment.Status.ATTENDED,
        Appointment.Status.NO_SHOW,
    },
}


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def slot_times(hub: Hub, day: dt.date, length: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots of `length` minutes that fit whole in the hub's hours of the day (its exceptions and
    closures respected): none on a closed day."""
    step = dt.timedelta(minutes=length)
    times = []
    for opens, closes in hub.hours_on(day).periods:
        start, end = _aware(day, opens), _aware(day, closes)
        while start + step <= end:
            times.append((start, start + step))
            start += step
    return times


@transaction.atomic
def slots_generate(
    *, hub: Hub, actor, first_day: dt.date, last_day: dt.date, length: int, kind: str = Kind.E_SERVICES, helper=None
) -> int:
    """Open slots of `length` minutes at the hub for every day from `first_day` to `last_day`, within its
    opening hours; none in the past, none twice (a second run adds only what is missing). Returns how many
    were added."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if length not in LENGTHS:
        errors["length"] = [_("Choose a length from the list.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a kind of help from the list.")]
    if first_day < today:
        errors["first_day"] = [_("Choose today or a later day.")]
    if last_day < first_day:
        errors["last_day"] = [_("The last day cannot be before the first day.")]
    elif (last_day - first_day).days >= MAX_DAYS:
        errors["last_day"] = [_("Generate at most %(days)s days at once.") % {"days": MAX_DAYS}]
    if hub.closed_on is not None or not hub.offers_guidance:
        errors["hub"] = [_("This hub does not take appointments.")]
    if errors:
        raise ValidationError(errors)
    hub = Hub.objects.with_hours(first_day).select_for_update(of=("self",)).get(pk=hub.pk)  # one run at a time
    existing = set(
        Slot.objects.filter(hub=hub, helper=helper, starts_at__date__gte=first_day - dt.timedelta(days=1))
        .filter(starts_at__lt=_aware(last_day + dt.timedelta(days=1), dt.time()))
        .values_list("starts_at", flat=True)
    )
    now = timezone.now()
    new = []
    day = first_day
    while day <= last_day:
        for starts_at, ends_at in slot_times(hub, day, length):
            if starts_at > now and starts_at not in existing:
                new.append(
                    Slot(
                        digibank_id=hub.digibank_id,
                        hub=hub,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        kind=kind,
                        helper=helper,
                    )
                )
        day += dt.timedelta(days=1)
    bulk_create_with_history(new, Slot, batch_size=500, default_user=actor)
    return len(new)


@transaction.atomic
def slot_withdraw(slot: Slot, *, actor) -> Slot:
    """Take a slot out of the agenda; a booked one must be cancelled first (someone counts on it)."""
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if not slot.is_open:
        raise ValidationError(_("This time was already withdrawn."))
    if slot.appointments.filter(status__in=Appointment.ACTIVE).exists():
        raise ValidationError(_("This time is booked: cancel the appointment first."))
    slot.status = Slot.Status.WITHDRAWN
    save_checked(slot, actor=actor)
    return slot


def _check_bookable(slot: Slot) -> None:
    """The reasons a slot cannot be booked, next to the field `slot`."""
    if not slot.is_open:
        raise ValidationError({"slot": [_("This time is no longer offered. Choose another time.")]})
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot": [_("This time has passed. Choose a time in the future.")]})
    hub = Hub.objects.with_hours(timezone.localdate(slot.starts_at)).get(pk=slot.hub_id)
    if hub.closed_on is not None or not hub.offers_guidance:
        raise ValidationError({"slot": [_("This hub does not take appointments.")]})
    local = timezone.localtime(slot.starts_at)
    local_end = timezone.localtime(slot.ends_at)
    within = any(
        opens <= local.time() and local_end.time() <= closes and local_end.date() == local.date()
        for opens, closes in hub.hours_on(local.date()).periods
    )
    if not within:
        raise ValidationError({"slot": [_("The hub is closed at this time. Choose another time.")]})
    if slot.appointments.filter(status__in=Appointment.ACTIVE).exists():
        raise ValidationError({"slot": [_("Someone else has just booked this time. Choose another time.")]})


def appointment_book(
    *,
    slot: Slot,
    via: str,
    actor=None,
    client: Client | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
) -> Appointment:
    """Book the slot, for a client of its digibank or for a person who gave a name and a phone number or
    e-mail address. Refused with a message at the field when the slot is taken, withdrawn, past or outside
    the hub's hours; two bookings at the same second make one appointment (the database's constraint),
    the other gets the same message. The confirmation goes out once the booking is saved."""
    with transaction.atomic():
        appointment = _book(slot=slot, via=via, actor=actor, client=client, name=name, phone=phone, email=email)
    transaction.on_commit(lambda: send_confirmation(appointment.pk))
    return appointment


def _book(*, slot, via, actor, client, name, phone, email) -> Appointment:
    errors: dict[str, list[str]] = {}
    name, email = " ".join((name or "").split()), (email or "").strip()
    if client is None:
        if not name:
            errors["name"] = [_("Give your name, so the hub knows who comes.")]
        try:
            phone = normalise_phone(phone or "")
        except ValidationError as error:
            errors["phone"] = error.messages
        if not phone and not email and "phone" not in errors:
            errors["phone"] = [_("Give a phone number or an e-mail address, so we can confirm the appointment.")]
    elif client.digibank_id != slot.digibank_id or client.is_anonymised:
        errors["client"] = [_("No client of your digibank has this number.")]
    else:
        name, phone, email = "", "", ""  # the client's own record holds how to reach them
    if errors:
        raise ValidationError(errors)
    # Lock the slot: a withdrawal and a booking do not cross. Two bookings that both pass the check are
    # still one appointment: the database's constraint refuses the second, save_checked says why.
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    _check_bookable(slot)
    appointment = Appointment(
        digibank_id=slot.digibank_id,
        slot=slot,
        client=client,
        name=name,
        phone=phone,
        email=email,
        booked_via=via,
        booked_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_checked(appointment, actor=appointment.booked_by)
    if client is not None:
        record_event(
            client=client,
            kind="appointment_booked",
            actor=appointment.booked_by,
            summary=str(slot),
            ref=f"guidance.appointment:{appointment.pk}",
        )
    return appointment


@transaction.atomic
def appointment_set_status(appointment: Appointment, *, status: str, actor=None) -> Appointment:
    """Cancel, or record that the person came or did not. Only a booked appointment changes, and only
    once; whether someone came is known once the time has begun."""
    appointment = Appointment.objects.select_for_update().select_related("slot").get(pk=appointment.pk)
    if status not in TRANSITIONS.get(appointment.status, set()):
        raise ValidationError(
            _("This appointment can no longer change: it is %(status)s.") % {"status": appointment.get_status_display()}
        )
    if status != Appointment.Status.CANCELLED and appointment.slot.starts_at > timezone.now():
        raise ValidationError(_("This appointment has not begun yet."))
    appointment.status = status
    save_checked(appointment, actor=actor if getattr(actor, "is_authenticated", False) else None)
    if appointment.client_id:
        record_event(
            client=appointment.client,  # type: ignore[arg-type]
            kind=f"appointment_{status}",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            summary=str(appointment.slot),
            ref=f"guidance.appointment:{appointment.pk}",
        )
    return appointment


def appointment_cancel(appointment: Appointment, *, actor=None) -> Appointment:
    """Cancel a booking (by staff, or by the person with their signed link): the slot is free again."""
    return appointment_set_status(appointment, status=Appointment.Status.CANCELLED, actor=actor)


# Signed links: the person reaches their own booking, and nobody else's, without logging in.


def booking_token(appointment: Appointment) -> str:
    """The same link every time for a booking (no timestamp in it): the message and the page agree."""
    return signing.Signer(salt=SIGNING_SALT).sign_object(appointment.pk, compress=True)


def booking_link(appointment: Appointment) -> str:
    """The person's own page of their booking (to see or cancel it), as a full address for a message."""
    return settings.SITE_URL.rstrip("/") + reverse("public:booking", kwargs={"token": booking_token(appointment)})


def appointment_of_token(token: str) -> int | None:
    """The id in a signed link, or None when the link was changed or made up."""
    try:
        value = signing.Signer(salt=SIGNING_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


# Messages.


def _address(appointment: Appointment) -> tuple[str, str] | None:
    """Where to write: the person's own address given for the booking, or a client's with their consent."""
    if appointment.client_id is None:
        return appointment.email, appointment.phone
    client = appointment.client
    if client is None or not may_contact(client):
        return None
    return client.email, client.phone


def _tell(appointment: Appointment, subject: str, text: str) -> str:
    address = _address(appointment)
    if address is None:
        return ""
    try:
        return send_message(to_email=address[0], to_phone=address[1], subject=subject, text=text)
    except SendError:
        log.warning("message about appointment %s could not be sent", appointment.pk, exc_info=True)
        return ""


def _when(appointment: Appointment) -> dict[str, str]:
    local = timezone.localtime(appointment.slot.starts_at)
    hub = appointment.slot.hub
    return {
        "day": date_format(local, "l j F"),
        "time": local.strftime("%H.%M"),
        "hub": hub.name,
        "address": f"{hub.street}, {hub.postal_code}",
    }


def send_confirmation(appointment_pk: int) -> str:
    """Tell the person their appointment is booked (after the booking is committed)."""
    appointment = Appointment.objects.select_related("slot__hub", "client").get(pk=appointment_pk)
    with translation.override("nl"):
        values = {**_when(appointment), "link": booking_link(appointment)}
        text = _("Your appointment at %(hub)s (%(address)s) is on %(day)s at %(time)s. To cancel: %(link)s") % values
        return _tell(appointment, _("Your appointment at the digibank"), text)


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind everyone booked for tomorrow, once: `reminded_at` is set before the message goes, so a
    second run (or two workers) sends nothing again."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    due = Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__gte=_aware(tomorrow, dt.time()),
        slot__starts_at__lt=_aware(tomorrow + dt.timedelta(days=1), dt.time()),
    ).select_related("slot__hub", "client")
    sent = 0
    for appointment in due:
        if not Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(reminded_at=now):
            continue  # another run took it
        with translation.override("nl"):
            text = _("Reminder: tomorrow, %(day)s at %(time)s, you have an appointment at %(hub)s (%(address)s).") % (
                _when(appointment)
            )
            _tell(appointment, _("Your appointment tomorrow"), text)
        sent += 1
    return sent


# Calendar feeds.


@transaction.atomic
def feed_create(*, digibank, actor, hub: Hub | None = None, helper=None) -> AgendaFeed:
    """A new secret feed address for a hub's or a helper's agenda."""
    if (hub is None) == (helper is None):
        raise ValidationError({"hub": [_("Choose a hub or a helper.")]})
    if hub is not None and hub.digibank_id != digibank.pk:
        raise ValidationError({"hub": [_("Choose a hub of your digibank.")]})
    feed = AgendaFeed(digibank=digibank, hub=hub, helper=helper, created_by=actor)
    save_checked(feed, actor=actor)
    return feed


@transaction.atomic
def feed_revoke(feed: AgendaFeed, *, actor) -> AgendaFeed:
    """The address stops working at once; the row stays, with who revoked it in its history."""
    feed = AgendaFeed.objects.select_for_update().get(pk=feed.pk)
    if feed.revoked_at is not None:
        raise ValidationError(_("This feed was already revoked."))
    feed.revoked_at = timezone.now()
    record_actor(feed, actor)
    feed.save()
    return feed
