"""A calendar feed (iCalendar, RFC 5545) of appointments: times, hub and kind of help, never who
comes: the address can end up in a shared calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from digibank.guidance.appointments.models import AgendaFeed, Appointment


def calendar(feed: AgendaFeed, appointments: Iterable[Appointment], *, now: dt.datetime) -> bytes:
    with translation.override("nl"):
        cal = Calendar()
        cal.add("prodid", "-//digibank//afspraken//NL")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _("Appointments: %(of)s") % {"of": feed})
        for appointment in appointments:
            slot = appointment.slot
            event = Event()
            event.add("uid", f"appointment-{appointment.pk}@digibank")
            event.add("dtstamp", now)
            event.add("dtstart", slot.starts_at)
            event.add("dtend", slot.ends_at)
            event.add("summary", _("Appointment: %(kind)s") % {"kind": slot.get_kind_display()})
            event.add("location", f"{slot.hub.name}, {slot.hub.street}, {slot.hub.postal_code}")
            event.add("status", "CONFIRMED")
            cal.add_component(event)
        return cal.to_ical()
