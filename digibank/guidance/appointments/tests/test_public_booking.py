"""Booking on the public site, without JavaScript: a hub, a free time, a name and a phone number, the
own booking by its signed link (nobody else's), cancelling by that link, a limit per address."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from digibank.guidance.appointments import services
from digibank.guidance.appointments.models import Appointment
from digibank.guidance.tests.factories import AppointmentFactory, SlotFactory, at, open_every_day, tomorrow
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(digibank_a):
    hub = HubFactory(digibank=digibank_a, name="Digipunt Bib")
    open_every_day(hub, 9, 17)
    return hub


def test_a_resident_books_a_free_time_and_sees_only_their_own_booking(
    client, hub, sms_outbox, django_capture_on_commit_callbacks
):
    free = SlotFactory(hub=hub, starts_at=at(tomorrow(), 10))
    taken = AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 11)), name="Jan Janssens")
    assert "Een afspraak maken" in client.get(reverse("public:hub", kwargs={"pk": hub.pk})).content.decode()
    times = client.get(reverse("public:book_hub", kwargs={"pk": hub.pk})).content.decode()
    assert reverse("public:book_slot", kwargs={"pk": free.pk}) in times
    assert reverse("public:book_slot", kwargs={"pk": taken.slot.pk}) not in times and "Jan Janssens" not in times
    assert "<script" not in times
    url = reverse("public:book_slot", kwargs={"pk": free.pk})
    form = client.get(url).content.decode()
    assert 'name="name"' in form and 'name="phone"' in form and "10.00 uur" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Mieke Peeters", "phone": "0470 11 22 33"})
    assert response.status_code == 302
    appointment = Appointment.objects.get(slot=free)
    assert appointment.booked_via == "public" and appointment.phone == "+32470112233"
    assert response["Location"] == reverse("public:booking", kwargs={"token": services.booking_token(appointment)})
    own = client.get(response["Location"]).content.decode()
    assert "Uw afspraak is geboekt" in own and "Digipunt Bib" in own and "Jan Janssens" not in own
    assert response["Location"] in sms_outbox[0].text


def test_a_changed_or_made_up_link_shows_nothing(client, hub):
    appointment = AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 10)))
    token = services.booking_token(appointment)
    other = AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 11)))
    forged = re.sub(r"^[^:]+", services.booking_token(other).split(":")[0], token)
    for bad in (forged, token[:-2] + "xx", "1", str(appointment.pk)):
        assert client.get(reverse("public:booking", kwargs={"token": bad})).status_code == 404
        assert client.post(reverse("public:booking_cancel", kwargs={"token": bad})).status_code == 404
    assert Appointment.objects.get(pk=appointment.pk).is_booked


def test_cancelling_by_the_link_frees_the_time(client, hub):
    appointment = AppointmentFactory(slot=SlotFactory(hub=hub, starts_at=at(tomorrow(), 10)))
    token = services.booking_token(appointment)
    url = reverse("public:booking_cancel", kwargs={"token": token})
    assert "Ja, annuleer mijn afspraak" in client.get(url).content.decode()
    assert Appointment.objects.get(pk=appointment.pk).is_booked  # a GET changes nothing
    assert client.post(url).status_code == 302
    assert Appointment.objects.get(pk=appointment.pk).status == "cancelled"
    assert (
        "Uw afspraak is geannuleerd" in client.get(reverse("public:booking", kwargs={"token": token})).content.decode()
    )
    times = client.get(reverse("public:book_hub", kwargs={"pk": hub.pk})).content.decode()
    assert reverse("public:book_slot", kwargs={"pk": appointment.slot.pk}) in times


def test_bad_input_is_shown_at_the_field_in_dutch_and_nothing_saved(client, hub):
    url = reverse("public:book_slot", kwargs={"pk": SlotFactory(hub=hub, starts_at=at(tomorrow(), 10)).pk})
    response = client.post(url, {"name": "Mieke", "phone": "", "email": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["phone"] == [
        "Geef een telefoonnummer of een e-mailadres, zodat we de afspraak kunnen bevestigen."
    ]
    wrong = client.post(url, {"name": "Mieke", "phone": "12", "email": "geen adres"})
    assert wrong.status_code == 400 and {"email"} <= set(wrong.context["form"].errors)
    assert not Appointment.objects.exists()


def test_a_time_taken_meanwhile_gets_a_clear_message(client, hub):
    slot = SlotFactory(hub=hub, starts_at=at(tomorrow(), 10))
    AppointmentFactory(slot=slot)
    response = client.post(reverse("public:book_slot", kwargs={"pk": slot.pk}), {"name": "Jan", "phone": "0470112234"})
    assert response.status_code == 400
    assert "Iemand anders heeft dit tijdstip net geboekt. Kies een ander tijdstip." in response.content.decode()
    assert Appointment.objects.count() == 1


def test_a_hub_that_takes_no_appointments_is_not_offered(client, hub, digibank_a):
    closed = HubFactory(digibank=digibank_a, closed=True)
    lending_only = HubFactory(digibank=digibank_a, offers_guidance=False)
    for other in (closed, lending_only):
        assert client.get(reverse("public:book_hub", kwargs={"pk": other.pk})).status_code == 404
        slot = SlotFactory(hub=other)
        assert client.get(reverse("public:book_slot", kwargs={"pk": slot.pk})).status_code == 404


def test_many_bookings_from_one_address_are_refused_with_a_dutch_page(client, hub, settings):
    settings.PUBLIC_BOOKING_RATE = "3/h"
    url = reverse("public:book_slot", kwargs={"pk": SlotFactory(hub=hub, starts_at=at(tomorrow(), 10)).pk})
    for _ in range(3):
        assert client.post(url, {"name": "", "phone": ""}).status_code == 400
    response = client.post(url, {"name": "Mieke", "phone": "0470112233"})
    assert response.status_code == 429 and "Probeer het over een uur opnieuw" in response.content.decode()
    assert not Appointment.objects.exists()
    other = client.post(url, {"name": "Mieke", "phone": "0470112233"}, REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 302  # another address has its own count


def test_the_start_page_finds_hubs_near_a_postal_code(client, hub):
    page = client.get(reverse("public:book"), {"q": hub.postal_code}).content.decode()
    assert reverse("public:book_hub", kwargs={"pk": hub.pk}) in page


def test_behind_a_proxy_the_limit_counts_the_address_the_proxy_gives(settings):
    """With CLIENT_IP_HEADER set, two visitors behind one proxy are two addresses, not one."""
    from django.test import RequestFactory

    from digibank.guidance.appointments.ratelimit import address

    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    one = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="81.82.83.84")
    other = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="91.92.93.94")
    assert address("g", one) == "81.82.83.84" and address("g", other) == "91.92.93.94"
    settings.CLIENT_IP_HEADER = "REMOTE_ADDR"
    assert address("g", one) == "10.0.0.1"
