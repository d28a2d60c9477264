"""The privacy notice page and the coordinator's retention page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.clients import services
from digibank.clients.models import AccessLog, Client, PrivacyNotice

pytestmark = pytest.mark.django_db


def old_client(digibank, actor, months=30):
    client = services.client_register(
        digibank=digibank, actor=actor, first_name="Oud", last_name="Klant", birth_year=1950
    )
    Client.objects.filter(pk=client.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=months * 31))
    return client


def test_desk_worker_reads_the_notice_and_cannot_publish(login, bob):
    client = login(bob)
    response = client.get(reverse("clients:notice"))
    assert response.status_code == 200 and response.context["notice"].version == 1
    assert response.context["form"] is None
    assert client.post(reverse("clients:notice"), {"text": "Andere tekst"}).status_code == 403
    assert PrivacyNotice.objects.count() == 0  # reading writes nothing: the first is made on first use


def test_the_first_notice_is_made_by_the_first_registration_as_the_page_showed_it(login, bob, digibank_a):
    shown = login(bob).get(reverse("clients:notice")).context["notice"]
    old_client(digibank_a, bob)
    made = PrivacyNotice.objects.get(digibank=digibank_a)
    assert (made.version, made.text) == (shown.version, shown.text)


def test_coordinator_publishes_a_new_version_and_the_old_one_stays(login, alice, digibank_a):
    client = login(alice)
    old_client(digibank_a, alice)  # signs under the first version
    response = client.post(reverse("clients:notice"), {"text": "Nieuwe versie in eenvoudige taal."})
    assert response.status_code == 302
    assert list(PrivacyNotice.objects.filter(digibank=digibank_a).values_list("version", flat=True)) == [2, 1]
    first = PrivacyNotice.objects.get(digibank=digibank_a, version=1)
    assert client.get(reverse("clients:notice_version", kwargs={"pk": first.pk})).status_code == 200


def test_empty_notice_is_refused(login, alice):
    response = login(alice).post(reverse("clients:notice"), {"text": "  "})
    assert response.status_code == 400 and "text" in response.context["form"].errors


def test_coordinator_sees_who_is_due_and_postpones_one(login, alice, digibank_a, bob):
    due = old_client(digibank_a, bob)
    services.client_register(digibank=digibank_a, actor=bob, first_name="Nieuw", last_name="Klant", birth_year=1980)
    client = login(alice)
    response = client.get(reverse("clients:retention"))
    assert [c.pk for c in response.context["page_obj"]] == [due.pk]
    until = timezone.localdate() + dt.timedelta(days=60)
    response = client.post(
        reverse("clients:retention_postpone", kwargs={"pk": due.pk}),
        {"until": until.isoformat(), "reason": "Laptop nog in bruikleen"},
    )
    assert response.status_code == 302
    assert list(client.get(reverse("clients:retention")).context["page_obj"]) == []
    assert AccessLog.objects.filter(client=due, action="change", what__startswith="retention postponed").exists()


def test_postponing_without_reason_or_too_far_is_refused(login, alice, digibank_a, bob):
    due = old_client(digibank_a, bob)
    url = reverse("clients:retention_postpone", kwargs={"pk": due.pk})
    far = timezone.localdate() + dt.timedelta(days=500)
    assert login(alice).post(url, {"until": far.isoformat(), "reason": "x"}).status_code == 400
    assert login(alice).post(url, {"until": far.isoformat(), "reason": ""}).status_code == 400
    due.refresh_from_db()
    assert due.retention_postponed_until is None


def test_coordinator_sets_the_retention_period(login, alice, digibank_a, bob):
    due = old_client(digibank_a, bob, months=30)
    client = login(alice)
    assert client.post(reverse("clients:retention"), {"months": "36"}).status_code == 302
    assert list(client.get(reverse("clients:retention")).context["page_obj"]) == []
    assert client.post(reverse("clients:retention"), {"months": "0"}).status_code == 400
    assert Client.objects.get(pk=due.pk).status == Client.Status.ACTIVE


def test_desk_worker_cannot_open_the_retention_page(login, bob):
    assert login(bob).get(reverse("clients:retention")).status_code == 403
