"""What leaves the digibanks: counts per digibank, none below 5, and never a person."""

import pytest
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(digibank_a, digibank_b):
    a = [ClientFactory(digibank=digibank_a, first_name="Sébastien", last_name=f"Naam{n}") for n in range(7)]
    b = [ClientFactory(digibank=digibank_b, first_name="Zoë", last_name=f"Klein{n}") for n in range(3)]
    return a, b


def test_department_sees_counts_and_small_ones_are_hidden(login, dave, clients, digibank_a, digibank_b):
    response = login(dave).get(reverse("impact:reach"))
    rows = {r.name: r for r in response.context["rows"]}
    assert rows["Digibank Gent"].registered == 7 and rows["Digibank Kempen"].registered is None
    page = response.content.decode()
    assert "&lt; 5" in page and ">3<" not in page
    assert "Sébastien" not in page and "Naam0" not in page and "Zoë" not in page


def test_api_gives_null_below_five_and_no_names(api_as, dave, clients):
    data = api_as(dave).get("/api/v1/impact/reach/").json()
    by_name = {r["name"]: r for r in data}
    assert by_name["Digibank Gent"]["registered"] == 7 and by_name["Digibank Kempen"]["registered"] is None
    assert "Naam" not in str(data) and "Klein" not in str(data)


def test_anonymised_clients_still_count_as_reached(login, dave, clients, bob):
    from digibank.clients import services

    for client in clients[0][:3]:
        services.client_anonymise(client=client, actor=bob, reason="request")
    row = next(r for r in login(dave).get(reverse("impact:reach")).context["rows"] if r.name == "Digibank Gent")
    assert (row.registered, row.active) == (7, None)  # 4 still identifiable: below 5, hidden


def test_a_digibank_coordinator_does_not_see_other_digibanks_figures(login, alice, api_as, digibank_a):
    assert login(alice).get(reverse("impact:reach")).status_code == 403
    assert api_as(alice, digibank_a).get("/api/v1/impact/reach/").status_code == 403


def test_reach_costs_the_same_queries_for_2_or_20_digibanks(login, dave, clients, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from digibank.network.tests.factories import DigibankFactory

    client = login(dave)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("impact:reach"))
    for _ in range(18):
        DigibankFactory()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("impact:reach"))
    assert len(many) == len(few) <= 8
