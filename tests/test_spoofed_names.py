"""Names and device texts refuse invisible control and text-direction characters, which can make one name
or serial number pass for another on screen ("Jan\u202ekeeP" shows as "JanPeek"). Accents, apostrophes,
hyphens and spaces stay welcome. One validator on the model fields serves forms, services and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from digibank.clients import retention
from digibank.clients import services as client_services
from digibank.clients.models import Client, PrivacyNotice
from digibank.core.validators import multi_line_text, single_line_text
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import AgreementText, Incident, Loan
from digibank.devices.tests.factories import DeviceFactory, DonorFactory
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import DeviceRequest, QueueMove
from digibank.network.tests.factories import DigibankFactory, HubFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
DUTCH = (
    "Deze tekst bevat onzichtbare stuur- of schrijfrichtingstekens (vaak mee gekopieerd); "
    "typ hem opnieuw zonder die tekens."
)
WELCOME = "Zoë D'Hondt-Van den Broeck"
SPOOFED = "Peeters\u202eenaS"  # shows as "PeetersSane"
REFUSED = [
    "\u202e",  # right-to-left override
    "\u202a",  # left-to-right embedding
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\x01",
    "\x1b",  # escape
    "\x1f",
    "\x7f",  # delete
]


def register(digibank, actor, **overrides):
    fields = {"first_name": "Sébastien", "last_name": "Peeters", "birth_date": dt.date(1961, 3, 5)}
    return client_services.client_register(digibank=digibank, actor=actor, **{**fields, **overrides})


def register_post(**overrides):
    data = {"first_name": "Sébastien", "last_name": "Peeters", "birth_date": "05-03-1961", "postal_code": "9000"}
    data |= {"language": "nl", "found_via": "walk_in"}
    return {**data, **overrides}


# The validators ---------------------------------------------------------------------------------


@pytest.mark.parametrize("char", [*REFUSED, "\n", "\t", "\r"])
def test_a_name_refuses_control_and_direction_characters(char):
    with pytest.raises(ValidationError) as refused:
        single_line_text(f"Jan{char}Peeters")
    assert refused.value.code == "control_characters"


@pytest.mark.parametrize("char", REFUSED)
def test_a_note_refuses_control_and_direction_characters(char):
    with pytest.raises(ValidationError):
        multi_line_text(f"Lader ontbreekt.{char}")


def test_a_note_keeps_its_line_breaks_and_tabs():
    multi_line_text("Lader ontbreekt.\r\nToetsenbord:\tAZERTY")


@pytest.mark.parametrize("name", [WELCOME, "Çağla Öztürk", "Ørsted-Ŀobregat", "José María", "N'Diaye", "أحمد"])
def test_names_with_accents_apostrophes_hyphens_and_spaces_are_welcome(name):
    single_line_text(name)
    multi_line_text(name)


# On the models: every domain's names and device texts -------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (DigibankFactory, "name"),
        (PartnerFactory, "name"),
        (PartnerFactory, "contact_name"),
        (HubFactory, "name"),
        (HubFactory, "street"),
        (DonorFactory, "name"),
        (UserFactory, "first_name"),
        (UserFactory, "last_name"),
        (DeviceFactory, "make"),
        (DeviceFactory, "model_name"),
        (DeviceFactory, "serial_number"),
        (DeviceFactory, "storage_serial"),
        (DeviceFactory, "processor"),
    ],
)
def test_model_field_refuses_a_direction_override(make, field):
    obj = make()
    setattr(obj, field, SPOOFED)
    with pytest.raises(ValidationError) as refused:
        obj.full_clean()
    assert field in refused.value.message_dict


@pytest.mark.parametrize(("make", "field"), [(HubFactory, "description"), (DeviceFactory, "notes")])
def test_a_multi_line_field_keeps_line_breaks_and_refuses_an_override(make, field):
    obj = make()
    setattr(obj, field, "Eerste regel.\nTweede regel.")
    obj.full_clean()
    setattr(obj, field, "Eerste regel.\u202e")
    with pytest.raises(ValidationError) as refused:
        obj.full_clean()
    assert field in refused.value.message_dict


# A client: the desk's form and the API ---------------------------------------------------------


def test_client_form_refuses_a_spoofed_name_in_dutch_and_changes_nothing(login, bob, digibank_a):
    person = register(digibank_a, bob)
    url = reverse("clients:client_update", kwargs={"pk": person.pk})
    response = login(bob).post(url, register_post(last_name=SPOOFED))
    assert response.status_code == 400
    assert response.context["form"].errors["last_name"] == [DUTCH]
    person.refresh_from_db()
    assert person.last_name == "Peeters"


def test_client_form_registers_a_name_with_accents_apostrophe_and_hyphens(login, bob, digibank_a):
    first, last = WELCOME.split(" ", 1)
    response = login(bob).post(reverse("clients:register"), register_post(first_name=first, last_name=last))
    assert response.status_code == 302
    assert Client.objects.filter(first_name="Zoë", last_name="D'Hondt-Van den Broeck").exists()


def test_client_api_refuses_a_spoofed_name_in_dutch_and_changes_nothing(api_as, bob, digibank_a):
    person = register(digibank_a, bob)
    response = api_as(bob).patch(f"{API}/clients/{person.pk}/", {"last_name": SPOOFED}, format="json")
    assert response.status_code == 400
    assert response.json()["last_name"] == [DUTCH]
    person.refresh_from_db()
    assert person.last_name == "Peeters"


def test_client_api_refuses_a_spoofed_name_at_registration(api_as, bob):
    payload = {"first_name": SPOOFED, "last_name": "Peeters", "birth_date": "1961-03-05", "postal_code": "9000"}
    response = api_as(bob).post(f"{API}/clients/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["first_name"] == [DUTCH]
    assert not Client.objects.exists()


def test_client_api_registers_a_name_with_accents_apostrophe_and_hyphens(api_as, bob):
    payload = {"first_name": "Zoë", "last_name": "D'Hondt-Van den Broeck", "birth_date": "1961-03-05"}
    response = api_as(bob).post(f"{API}/clients/", {**payload, "postal_code": "9000"}, format="json")
    assert response.status_code == 201, response.content
    assert Client.objects.get().last_name == "D'Hondt-Van den Broeck"


# A device: the API ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["make", "model_name", "serial_number"])
def test_device_api_refuses_a_spoofed_text_in_dutch_and_changes_nothing(api_as, tom, digibank_a, field):
    device = DeviceFactory(digibank=digibank_a, serial_number="PF1A2B3C")
    before = getattr(device, field)
    response = api_as(tom).patch(f"{API}/devices/{device.pk}/", {field: "PF1A\u202eC3B2"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()[field] == [DUTCH]
    device.refresh_from_db()
    assert getattr(device, field) == before


def test_device_api_keeps_line_breaks_in_notes_but_refuses_an_escape(api_as, tom, digibank_a):
    device = DeviceFactory(digibank=digibank_a)
    api = api_as(tom)
    response = api.patch(f"{API}/devices/{device.pk}/", {"notes": "Kras op deksel.\nLader apart."}, format="json")
    assert response.status_code == 200, response.content
    response = api.patch(f"{API}/devices/{device.pk}/", {"notes": "Kras\x1b[2J"}, format="json")
    assert response.status_code == 400 and response.json()["notes"] == [DUTCH]
    device.refresh_from_db()
    assert device.notes == "Kras op deksel.\nLader apart."


# Services that write one text without full_clean() still run the field's checks ----------------


@pytest.fixture
def world(digibank_a, alice):
    from digibank.clients.tests.factories import ClientFactory
    from digibank.devices.tests.factories import device_world

    person = ClientFactory(digibank=digibank_a, registered_by=alice)
    return {"client": person, **device_world(digibank_a, alice, HubFactory(digibank=digibank_a), person)}


def _sign(world, actor):
    lending_services.loan_sign(loan=world[Loan], actor=actor, signed_by_name=SPOOFED)


def _close(world, actor):
    lending_incidents.incident_close(incident=world[Incident], actor=actor, resolution=SPOOFED)


def _move(world, actor):
    waiting_list_services.request_move(request=world[DeviceRequest], before=None, actor=actor, reason=SPOOFED)


def _agreement(world, actor):
    lending_services.agreement_publish(digibank=world[Loan].digibank, text=SPOOFED, actor=actor)


def _notice(world, actor):
    client_services.privacy_notice_publish(digibank=world[Loan].digibank, text=SPOOFED, actor=actor)


def _postpone(world, actor):
    until = dt.date.today() + dt.timedelta(days=30)
    retention.retention_postpone(client=world["client"], until=until, reason=SPOOFED, actor=actor)


@pytest.mark.parametrize(
    ("write", "field"),
    [
        (_sign, "signed_by_name"),
        (_close, "resolution"),
        (_move, "reason"),
        (_agreement, "text"),
        (_notice, "text"),
        (_postpone, "reason"),
    ],
)
def test_service_refuses_a_spoofed_text_in_dutch_and_changes_nothing(world, alice, write, field):
    counts = [model.objects.count() for model in (AgreementText, PrivacyNotice, QueueMove)]
    with pytest.raises(ValidationError) as refused:
        write(world, alice)
    assert refused.value.message_dict[field] == [DUTCH]
    assert [model.objects.count() for model in (AgreementText, PrivacyNotice, QueueMove)] == counts
    world[Loan].refresh_from_db()
    world[Incident].refresh_from_db()
    world["client"].refresh_from_db()
    assert world[Loan].signed_at is None and world[Incident].resolution == ""
    assert world["client"].retention_postponed_reason == ""
