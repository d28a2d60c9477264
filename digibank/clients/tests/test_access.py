"""The access-log mechanism's rules (clients/access.py): which answers are reads. Every page that shows a
person is walked by tests/test_access_log_walk.py; these are the cases a GET walk does not reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from digibank.clients.models import AccessLog
from digibank.clients.tests.factories import ClientFactory

from .test_views import register_post

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def person(digibank_a, bob):
    return ClientFactory(digibank=digibank_a, registered_by=bob, first_name="Sébastien", last_name="Van den Broeck")


def lines(person):
    return list(AccessLog.objects.filter(client=person).values_list("action", "what"))


def test_a_form_shown_again_with_its_errors_is_a_read_and_a_saved_one_is_a_change(login, bob, person):
    web = login(bob)
    url = reverse("clients:client_update", kwargs={"pk": person.pk})
    assert web.post(url, register_post(postal_code="12")).status_code == 400
    assert lines(person) == [("read", "client change form")]
    assert web.post(url, register_post(phone="09 223 45 67")).status_code == 302
    # The redirect after a write is no read: the service logged the change.
    assert sorted(action for action, _what in lines(person)) == ["change", "read"]


def test_an_export_is_logged_once_as_an_export(login, bob, person):
    response = login(bob).post(reverse("clients:export", kwargs={"pk": person.pk}), {"format": "json"})
    assert response.status_code == 200
    assert lines(person) == [("export", "export json")]


def test_a_page_never_reached_logs_nothing(login, api_as, bob, carol, erin, person):
    assert login(carol).get(reverse("clients:client", kwargs={"pk": person.pk})).status_code == 404
    assert api_as(carol).get(f"{API}/clients/{person.pk}/").status_code == 404
    assert api_as(bob).get(f"{API}/clients/", {"page": 99}).status_code == 404
    # Sent to choose a digibank first: the search did not run.
    assert login(erin).get(reverse("clients:search"), {"q": "broeck"}).status_code == 302
    assert not AccessLog.objects.exists()


def test_the_api_logs_reads_not_writes(api_as, bob, person):
    api = api_as(bob)
    assert api.get(f"{API}/clients/{person.pk}/").status_code == 200
    assert api.patch(f"{API}/clients/{person.pk}/", {"email": "seb@example.be"}, format="json").status_code == 200
    assert sorted(lines(person)) == [("change", "email"), ("read", "api client")]


def test_possible_duplicates_shown_at_registration_are_logged_as_a_search_naming_nobody(login, bob):
    web = login(bob)
    assert web.post(reverse("clients:register"), register_post()).status_code == 302

    def lines_since(mark):  # the access log is append-only: read what came after the mark
        return list(AccessLog.objects.filter(pk__gt=mark).values_list("client", "action", "what"))

    mark = AccessLog.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    response = web.post(reverse("clients:register"), register_post())  # the same person again
    assert response.status_code == 200 and response.context["duplicates"]
    assert lines_since(mark) == [(None, "search", "client register possible duplicates")]
    # Showing the empty form, or refusing a bad one, shows nobody.
    mark = AccessLog.objects.order_by("pk").values_list("pk", flat=True).last()
    assert web.get(reverse("clients:register")).status_code == 200
    assert web.post(reverse("clients:register"), register_post(postal_code="12")).status_code == 400
    assert lines_since(mark) == []
