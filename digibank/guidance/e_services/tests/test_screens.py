"""The catalogue's screens: the list (paged, its queries fixed), adding and changing a service by whoever
keeps it, another digibank's service a 404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from digibank.guidance.e_services.models import EService
from digibank.guidance.tests.factories import EServiceFactory

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Parkeerkaart Gent",
    "provider": "Stad Gent",
    "category": "municipality",
    "link": "https://stad.gent/parkeren",
    "needs": ["itsme", "email"],
}


def test_every_digibank_worker_sees_the_catalogue_in_dutch(login, bob, digibank_a, digibank_b):
    EServiceFactory(digibank=digibank_a, name="E-loket Gent")
    EServiceFactory(digibank=digibank_b, name="E-loket Turnhout")
    response = login(bob).get(reverse("guidance:e_services"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "E-diensten" in page and "Tax-on-web" in page and "E-loket Gent" in page
    assert "E-loket Turnhout" not in page
    assert "Een e-dienst toevoegen" not in page  # a desk worker keeps none
    assert 'href="/staff/begeleiding/e-diensten/" aria-current="page"' in page  # the menu names the page


def test_the_list_is_paged_and_its_queries_do_not_grow_with_the_services(login, alice, digibank_a, settings):
    web = login(alice)
    with CaptureQueriesContext(connection) as few:
        assert web.get(reverse("guidance:e_services")).status_code == 200
    EServiceFactory.create_batch(60, digibank=digibank_a)
    with CaptureQueriesContext(connection) as many:
        response = web.get(reverse("guidance:e_services"))
    assert len(many) == len(few) <= 12, [q["sql"] for q in many]
    assert response.context["is_paginated"] and len(response.context["rows"]) == settings.PAGE_SIZE
    assert web.get(reverse("guidance:e_services"), {"page": 2}).status_code == 200


def test_a_coordinator_adds_a_local_service(login, alice, digibank_a):
    web = login(alice)
    assert "Deze dienst is van uw digibank" in web.get(reverse("guidance:e_service_new")).content.decode()
    response = web.post(reverse("guidance:e_service_new"), NEW)
    assert response.status_code == 302
    service = EService.objects.get(name="Parkeerkaart Gent")
    assert service.digibank == digibank_a and service.needs == ["itsme", "email"] and service.active


def test_bad_input_is_shown_next_to_the_field_and_nothing_saved(login, alice):
    web = login(alice)
    response = web.post(reverse("guidance:e_service_new"), {**NEW, "name": "itsme\u202e", "link": "geen adres"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "name" in form.errors and "link" in form.errors
    taken = web.post(reverse("guidance:e_service_new"), {**NEW, "name": "Jobbonus"})
    # A Flanders-wide name is no clash for a digibank's own service; one of its own is.
    assert taken.status_code == 302
    again = web.post(reverse("guidance:e_service_new"), {**NEW, "name": "Jobbonus"})
    assert again.status_code == 400
    assert again.context["form"].errors["name"] == ["Uw digibank heeft al een e-dienst met deze naam."]
    assert not EService.objects.filter(name__startswith="itsme\u202e").exists()


def test_a_coordinator_deactivates_her_own_service(login, alice, digibank_a):
    service = EServiceFactory(digibank=digibank_a)
    web = login(alice)
    page = web.get(reverse("guidance:e_service", kwargs={"pk": service.pk}))
    assert page.status_code == 200 and "Actief: mensen krijgen er nog hulp bij" in page.content.decode()
    data = {**NEW, "name": service.name}  # `active` unticked
    assert web.post(reverse("guidance:e_service", kwargs={"pk": service.pk}), data).status_code == 302
    service.refresh_from_db()
    assert not service.active and EService.objects.filter(pk=service.pk).exists()


def test_a_coordinator_cannot_change_a_flanders_wide_service_nor_see_anothers(login, alice, digibank_b):
    web = login(alice)
    flemish = EService.objects.get(name="itsme")
    theirs = EServiceFactory(digibank=digibank_b)
    assert web.get(reverse("guidance:e_service", kwargs={"pk": flemish.pk})).status_code == 403
    assert web.post(reverse("guidance:e_service", kwargs={"pk": flemish.pk}), NEW).status_code == 403
    assert web.get(reverse("guidance:e_service", kwargs={"pk": theirs.pk})).status_code == 404
    assert web.post(reverse("guidance:e_service", kwargs={"pk": theirs.pk}), NEW).status_code == 404
    flemish.refresh_from_db()
    assert flemish.name == "itsme"


def test_the_department_keeps_the_flanders_wide_services(login, dave, digibank_a):
    web = login(dave)
    local = EServiceFactory(digibank=digibank_a)
    assert "E-diensten" in web.get(reverse("guidance:e_services")).content.decode()
    assert web.post(reverse("guidance:e_service_new"), {**NEW, "name": "Mijn Dossier"}).status_code == 302
    assert EService.objects.get(name="Mijn Dossier").digibank is None
    itsme = EService.objects.get(name="itsme")
    data = {**NEW, "name": "itsme", "provider": "Belgian Mobile ID", "active": "on"}
    assert web.post(reverse("guidance:e_service", kwargs={"pk": itsme.pk}), data).status_code == 302
    itsme.refresh_from_db()
    assert itsme.provider == "Belgian Mobile ID" and itsme.active
    assert web.get(reverse("guidance:e_service", kwargs={"pk": local.pk})).status_code == 403


def test_a_desk_worker_adds_nothing(login, bob):
    assert login(bob).get(reverse("guidance:e_service_new")).status_code == 403
    assert login(bob).post(reverse("guidance:e_service_new"), NEW).status_code == 403
