"""A form on a person's page that is refused shows the page again, person and all: that answer is a
read, logged like the page itself (clients.access). A GET walk cannot reach these, so they are here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from digibank.clients.models import AccessLog
from digibank.devices.tests.factories import lend
from digibank.devices.waiting_list import services as waiting_list_services

pytestmark = pytest.mark.django_db


def test_a_refused_form_on_the_loan_page_is_a_read_of_the_borrower(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    response = login(bob).post(reverse("devices:loan_sign", kwargs={"pk": loan.pk}), {"signed_by_name": ""})
    assert response.status_code == 400 and loan.client.last_name in response.content.decode()
    assert list(AccessLog.objects.filter(client=loan.client).values_list("action", "what")) == [("read", "loan")]


def test_a_refused_move_in_the_line_is_a_read_of_the_client(login, bob, digibank_a, hub, person):
    request = waiting_list_services.request_create(
        digibank=digibank_a, client=person, hub=hub, kind="laptop", actor=bob
    )
    response = login(bob).post(reverse("devices:request_move", kwargs={"pk": request.pk}), {"reason": ""})
    assert response.status_code == 400 and person.last_name in response.content.decode()
    assert list(AccessLog.objects.filter(client=person).values_list("action", "what")) == [
        ("read", "waiting list request")
    ]
