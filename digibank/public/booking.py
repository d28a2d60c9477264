"""Booking a visit on the public site: choose a hub, a free time, give a name and a phone number or
e-mail address, and get a page of one's own booking (a signed link) to see or cancel it. No log-in, no
JavaScript. The writes go through guidance's services; the booking form is rate-limited per address."""

from __future__ import annotations

from itertools import groupby

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from digibank.core.views import add_service_errors
from digibank.guidance.appointments import feed, selectors, services
from digibank.guidance.appointments.forms import PublicBookingForm
from digibank.guidance.appointments.models import Appointment
from digibank.guidance.appointments.ratelimit import rate_limited
from digibank.network import selectors as network_selectors

from .views import PROBLEMS


def too_many(request) -> HttpResponse:
    return render(request, "public/booking/too_many.html", status=429)


def start(request):
    """Afspraak maken: find the hubs near a postal code that help with e-services."""
    query = request.GET.get("q", "").strip()[:100]
    hubs, message = [], ""
    if query:
        lookup = network_selectors.find_place(query)
        if lookup.municipality:
            hubs = [h for h in network_selectors.hubs_serving(lookup.municipality) if h.offers_guidance]
        message = str(PROBLEMS.get(lookup.problem, ""))
    return render(request, "public/booking/start.html", {"query": query, "hubs": hubs, "message": message})


def hub_slots(request, pk: int):
    """The free times of a hub for the next weeks, by day."""
    hub = selectors.public_booking_hub(pk)
    if hub is None:
        raise Http404
    slots = list(selectors.free_slots(hub))
    days = [(day, list(times)) for day, times in groupby(slots, key=lambda s: timezone.localdate(s.starts_at))]
    return render(request, "public/booking/hub.html", {"hub": hub, "days": days})


@require_http_methods(["GET", "POST"])
def book(request, pk: int):
    """The form for one time. Refusals (taken meanwhile, passed, withdrawn) are shown above the form."""
    slot = selectors.public_slot(pk)
    if slot is None:
        raise Http404
    form = PublicBookingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if rate_limited(request):
            return too_many(request)
        if form.is_valid():
            try:
                appointment = services.appointment_book(slot=slot, via=Appointment.Via.PUBLIC, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("public:booking", token=services.booking_token(appointment))
        status = 400
    return render(request, "public/booking/form.html", {"slot": slot, "form": form}, status=status)


def booking(request, token: str):
    """The person's own booking, reached only by its signed link."""
    appointment = selectors.booking_of_token(token)
    if appointment is None:
        raise Http404
    context = {"appointment": appointment, "token": token, "may_cancel": _may_cancel(appointment)}
    return render(request, "public/booking/booking.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    """Cancel by the signed link: a page that asks to be sure, then the slot is free again."""
    appointment = selectors.booking_of_token(token)
    if appointment is None:
        raise Http404
    if request.method == "POST" and _may_cancel(appointment):
        try:
            services.appointment_cancel(appointment)
        except ValidationError:
            pass  # cancelled meanwhile: the page says how it stands
        return redirect("public:booking", token=token)
    context = {"appointment": appointment, "token": token, "may_cancel": _may_cancel(appointment)}
    return render(request, "public/booking/cancel.html", context)


def _may_cancel(appointment: Appointment) -> bool:
    return appointment.is_booked and appointment.slot.starts_at > timezone.now()


def agenda_feed(request, token: str):
    """A hub's or a helper's appointments as an iCalendar feed, for whoever holds the secret address."""
    found = selectors.active_feed(token)
    if found is None:
        raise Http404
    body = feed.calendar(found, selectors.feed_appointments(found), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
