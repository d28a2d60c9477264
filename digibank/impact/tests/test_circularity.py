"""The circularity figures: what a digibank took in, refurbished, lent, gave away and recycled in a
period, and the CO2e its reuse avoided, from the Department's factors, each with its source. A
digibank sees its own figures; the Department sees every digibank's, without a count below 5."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.clients.tests.factories import ClientFactory
from digibank.devices.intake import services as intake_services
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.tests.factories import DeviceFactory, device_world
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.impact import services as impact_services
from digibank.impact.circularity import COUNTS, Figures, Period, _publish_total
from digibank.impact.models import EmissionFactor
from digibank.network.tests.factories import DigibankFactory, HubFactory

pytestmark = pytest.mark.django_db

LAPTOP = Decimal("170.3")  # the default factor the data migration loads


def _world(digibank, coordinator):
    hub = HubFactory(digibank=digibank)
    client = ClientFactory(
        digibank=digibank, registered_by=coordinator, last_name=f"Klant-{digibank.slug}", postal_code=hub.postal_code
    )
    world = device_world(digibank, coordinator, hub, client)
    world["hub"], world["client"] = hub, client
    return world


@pytest.fixture
def world_a(digibank_a, alice):
    return _world(digibank_a, alice)


@pytest.fixture
def world_b(digibank_b, carol):
    return _world(digibank_b, carol)


def _figures(client, **query) -> Figures:
    response = client.get(reverse("impact:circularity"), query)
    assert response.status_code == 200
    return response.context["result"].figures


def _hand_over_a_mouse(world, actor):
    mouse = intake_services.device_intake(batch=world[Device].batch, actor=actor, kind=Kind.MOUSE, make="Logitech")
    mouse = refurbishment_services.device_transition(device=mouse, target=State.READY, actor=actor, grade="B")
    return lending_incidents.device_hand_over(device=mouse, client=world["client"], actor=actor)


# --- a digibank's own figures ------------------------------------------------------------------


def test_figures_count_what_happened_this_year(login, alice, world_a):
    # device_world: 5 devices taken in; 2 laptops and a tablet made ready; 2 loans (one taken back);
    # a monitor of 4.5 kg recycled; the tablet is only reserved, so 2 laptops were reused.
    figures = _figures(login(alice))
    assert (figures.taken_in, figures.refurbished, figures.lent, figures.handed_over) == (5, 3, 2, 0)
    assert (figures.recycled, figures.recycled_kg) == (1, Decimal("4.5"))
    assert figures.reused == 2 and figures.reused_by_kind == {Kind.LAPTOP: 2}
    assert figures.co2e_kg == 2 * LAPTOP and figures.not_counted == 0


def test_a_period_without_events_counts_nothing(login, alice, world_a):
    figures = _figures(login(alice), start="2001-01-01", end="2001-12-31")
    assert all(getattr(figures, name) == 0 for name in COUNTS) and figures.co2e_kg == 0


def test_a_device_counts_for_reuse_once_in_the_period_it_was_first_lent(login, alice, world_a):
    """The laptop taken back this year was lent before, last year: its CO2e was counted then, so
    that adding up the years never counts one laptop twice."""
    returned = Device.objects.get(serial_number="SN-BACK-gent")
    last_year = timezone.now().replace(year=timezone.now().year - 1)
    DeviceEvent.objects.create(
        device=returned, kind=DeviceEvent.Kind.TRANSITION, from_state=State.READY, to_state=State.ON_LOAN,
        actor=alice, occurred_at=last_year,
    )  # fmt: skip
    this_year = _figures(login(alice))
    assert (this_year.lent, this_year.reused, this_year.co2e_kg) == (2, 1, LAPTOP)
    year = last_year.year
    before = _figures(login(alice), start=f"{year}-01-01", end=f"{year}-12-31")
    assert (before.lent, before.reused, before.co2e_kg) == (0, 1, LAPTOP)


def test_a_device_back_from_a_cancelled_reservation_is_not_refurbished_again(login, alice, world_a):
    hub = world_a["hub"]
    laptop = DeviceFactory(digibank=hub.digibank, hub=hub, ready=True)  # made ready last year:
    last_year = timezone.now().replace(year=timezone.now().year - 1)
    DeviceEvent.objects.create(
        device=laptop, kind=DeviceEvent.Kind.TRANSITION, from_state=State.WIPED, to_state=State.READY,
        actor=alice, occurred_at=last_year,
    )  # fmt: skip
    waiting = ClientFactory(digibank=hub.digibank, registered_by=alice, postal_code=hub.postal_code)
    waiting_list_services.request_create(digibank=hub.digibank, client=waiting, hub=hub, kind=Kind.LAPTOP, actor=alice)
    offer = waiting_list_services.offer_next(device=laptop, actor=alice)
    waiting_list_services.offer_decline(offer=offer, actor=alice)  # reserved -> ready again, this year
    assert Device.objects.get(pk=laptop.pk).state == State.READY
    assert _figures(login(alice)).refurbished == 3  # device_world's three, not this one


def test_co2e_is_the_sum_of_the_factors_and_a_type_without_one_is_not_counted(login, alice, dave, world_a):
    impact_services.emission_factor_set(kind=Kind.LAPTOP, kg_co2e=Decimal("200.0"), source="Testbron 2026", actor=dave)
    _hand_over_a_mouse(world_a, alice)  # no factor for mice
    response = login(alice).get(reverse("impact:circularity"))
    result = response.context["result"]
    assert result.figures.co2e_kg == Decimal("400.0")
    assert (result.figures.reused, result.figures.handed_over, result.figures.not_counted) == (3, 1, 1)
    lines = {line.kind: line for line in result.lines}
    assert lines[Kind.LAPTOP].co2e_kg == Decimal("400.0") and lines[Kind.MOUSE].co2e_kg is None
    page = response.content.decode()
    assert "Testbron 2026" in page and "not counted" in page


def test_a_digibank_sees_only_its_own_figures(login, api_as, alice, carol, digibank_a, world_a, world_b):
    _hand_over_a_mouse(world_b, carol)  # B has one device more than A
    figures = _figures(login(alice))
    assert (figures.taken_in, figures.handed_over) == (5, 0)
    data = api_as(alice, digibank_a).get("/api/v1/circularity/").json()
    assert (data["taken_in"], data["handed_over"], data["reused"]) == (5, 0, 2)
    assert Decimal(data["co2e_kg"]) == 2 * LAPTOP
    assert _figures(login(carol)).taken_in == 6


def test_a_bad_period_is_refused_with_a_message(login, api_as, alice, digibank_a, world_a):
    client = login(alice)
    response = client.get(reverse("impact:circularity"), {"start": "2026-03-01", "end": "2026-02-01"})
    assert response.status_code == 400 and "cannot be before its start" in response.content.decode()
    assert client.get(reverse("impact:circularity"), {"start": "31-31-2026"}).status_code == 400
    assert client.get(reverse("impact:circularity"), {"start": "0001-01-01"}).status_code == 400
    api = api_as(alice, digibank_a)
    answer = api.get("/api/v1/circularity/", {"start": "yesterday"})
    assert answer.status_code == 400 and "start" in answer.json()
    answer = api.get("/api/v1/circularity/", {"start": "2026-03-01", "end": "2026-02-01"})
    assert answer.status_code == 400 and "end" in answer.json()


def test_own_figures_cost_the_same_queries_for_few_or_many_devices(login, alice, world_a):
    client = login(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("impact:circularity"))
    for _ in range(5):
        _hand_over_a_mouse(world_a, alice)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("impact:circularity"))
    assert len(many) == len(few) <= 12


# --- the Department ----------------------------------------------------------------------------


def test_department_sees_every_digibank_without_counts_below_5(login, dave, world_a, world_b):
    response = login(dave).get(reverse("impact:circularity_department"))
    assert response.status_code == 200
    rows = {r.name: r for r in response.context["rows"]}
    gent = rows["Digibank Gent"]
    assert gent.taken_in == 5 and gent.lent is None and gent.recycled is None and gent.suppressed
    assert gent.recycled_kg is None  # the weight of one recycled device would give the count away
    assert gent.reused is None and gent.co2e_kg is None  # 2 laptops: the CO2e is 2 x the factor
    flanders = response.context["result"].flanders
    assert flanders.taken_in == 10  # 5 + 5, none hidden
    assert flanders.lent is None  # 2 + 2 hidden: the total would tell the Department 4 loans of 2 digibanks
    page = response.content.decode()
    assert "&lt; 5" in page and "Klant-gent" not in page and "SN-LENT-gent" not in page


def test_department_api_gives_null_below_5_with_a_flag(api_as, dave, world_a, world_b):
    answer = api_as(dave).get("/api/v1/circularity/department/")
    assert answer.status_code == 200
    data = answer.json()
    gent = next(row for row in data["digibanks"] if row["name"] == "Digibank Gent")
    assert gent["taken_in"] == 5 and gent["lent"] is None and gent["co2e_kg"] is None and gent["suppressed"] is True
    assert data["flanders"]["taken_in"] == 10 and data["flanders"]["lent"] is None
    assert data["flanders"]["suppressed"] is True
    assert "Klant" not in answer.content.decode()


def test_flanders_total_is_withheld_when_it_would_give_one_hidden_count_away():
    big, small, none = Figures(lent=40), Figures(lent=3), Figures()
    cells = [big, small, none]
    total = _publish_total(cells)
    assert total.lent is None  # 43 - 40 = 3: the small digibank's hidden count
    cells = [big, Figures(lent=3), Figures(lent=4)]
    assert _publish_total(cells).lent == 47  # 7 hidden over two: none given away
    cells = [big, none, none]
    assert _publish_total(cells).lent == 40  # the hidden cells are all 0


def test_flanders_total_is_withheld_when_the_hidden_counts_can_only_be_the_highest_small_value():
    cells = [Figures(lent=40), Figures(lent=4), Figures(lent=4)]
    assert _publish_total(cells).lent is None  # 48 - 40 = 8: two hidden counts below 5 can only be 4 and 4


def test_department_shows_counts_of_5_and_more(login, dave, alice, world_a):
    for _ in range(5):
        _hand_over_a_mouse(world_a, alice)
    rows = {r.name: r for r in login(dave).get(reverse("impact:circularity_department")).context["rows"]}
    assert rows["Digibank Gent"].handed_over == 5 and rows["Digibank Gent"].reused == 7
    assert rows["Digibank Gent"].co2e_kg == 2 * LAPTOP  # mice have no factor


def test_a_digibank_coordinator_does_not_see_the_department_figures(login, api_as, alice, digibank_a):
    assert login(alice).get(reverse("impact:circularity_department")).status_code == 403
    assert api_as(alice, digibank_a).get("/api/v1/circularity/department/").status_code == 403


def test_the_department_has_no_digibank_figures_of_its_own(login, api_as, dave):
    assert login(dave).get(reverse("impact:circularity")).status_code == 403
    assert api_as(dave).get("/api/v1/circularity/").status_code == 403


def test_department_figures_cost_the_same_queries_for_2_or_20_digibanks(login, dave, world_a, world_b):
    client = login(dave)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("impact:circularity_department"))
    for _ in range(18):
        DigibankFactory()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("impact:circularity_department"))
    assert len(many) == len(few) <= 10


# --- the factors -------------------------------------------------------------------------------


def test_every_default_factor_names_its_public_source():
    factors = list(EmissionFactor.objects.all())
    assert {f.kind for f in factors} >= {Kind.LAPTOP, Kind.DESKTOP, Kind.MONITOR, Kind.TABLET, Kind.SMARTPHONE}
    assert all(f.source.strip() and f.source_url.startswith("https://") for f in factors)
    assert not EmissionFactor.objects.filter(kind__in=[Kind.DATA_SIM, Kind.BAG]).exists()


def test_programme_officer_changes_a_factor(login, dave):
    client = login(dave)
    page = client.get(reverse("impact:factors"), {"kind": Kind.LAPTOP})
    assert page.status_code == 200 and page.context["form"]["kg_co2e"].value() == LAPTOP
    response = client.post(
        reverse("impact:factors"),
        {"kind": Kind.LAPTOP, "kg_co2e": "155.5", "source": "Dell, PCF Latitude 5440, 2023", "source_url": ""},
    )
    assert response.status_code == 302
    factor = EmissionFactor.objects.get(kind=Kind.LAPTOP)
    assert (factor.kg_co2e, factor.source, factor.updated_by) == (
        Decimal("155.5"),
        "Dell, PCF Latitude 5440, 2023",
        dave,
    )
    assert factor.history.first().history_user == dave
    rows = {kind: factor for kind, _label, factor in client.get(reverse("impact:factors")).context["rows"]}
    assert rows[Kind.LAPTOP].kg_co2e == Decimal("155.5") and rows[Kind.MOUSE] is None


def test_programme_officer_sets_a_factor_for_a_type_without_one(login, dave):
    response = login(dave).post(
        reverse("impact:factors"), {"kind": Kind.MOUSE, "kg_co2e": "5", "source": "Bron muis, 2026"}
    )
    assert response.status_code == 302 and EmissionFactor.objects.get(kind=Kind.MOUSE).kg_co2e == 5


def test_a_factor_without_source_is_refused_with_a_message(login, dave):
    response = login(dave).post(reverse("impact:factors"), {"kind": Kind.LAPTOP, "kg_co2e": "99", "source": " "})
    assert response.status_code == 400
    assert "Name the public source of this figure" in response.content.decode()
    assert EmissionFactor.objects.get(kind=Kind.LAPTOP).kg_co2e == LAPTOP


def test_a_negative_or_unknown_factor_is_refused(login, dave):
    client = login(dave)
    assert (
        client.post(reverse("impact:factors"), {"kind": Kind.LAPTOP, "kg_co2e": "-1", "source": "x"}).status_code == 400
    )
    assert client.post(reverse("impact:factors"), {"kind": "printer", "kg_co2e": "1", "source": "x"}).status_code == 400
    assert EmissionFactor.objects.get(kind=Kind.LAPTOP).kg_co2e == LAPTOP


def test_a_coordinator_cannot_change_the_factors(login, alice):
    client = login(alice)
    assert client.get(reverse("impact:factors")).status_code == 403
    response = client.post(reverse("impact:factors"), {"kind": Kind.LAPTOP, "kg_co2e": "1", "source": "x"})
    assert response.status_code == 403 and EmissionFactor.objects.get(kind=Kind.LAPTOP).kg_co2e == LAPTOP


def test_api_staff_read_the_factors_and_only_the_programme_officer_sets_them(api_as, alice, dave, digibank_a):
    listed = api_as(alice, digibank_a).get("/api/v1/emission-factors/")
    assert listed.status_code == 200
    laptop = next(f for f in listed.json() if f["kind"] == "laptop")
    assert Decimal(laptop["kg_co2e"]) == LAPTOP and laptop["source"]
    body = {"kind": "laptop", "kg_co2e": "150.0", "source": "Bron 2026", "source_url": "https://example.org/pcf"}
    assert api_as(alice, digibank_a).put("/api/v1/emission-factors/", body, format="json").status_code == 403
    answer = api_as(dave).put("/api/v1/emission-factors/", body, format="json")
    assert answer.status_code == 200 and Decimal(answer.json()["kg_co2e"]) == Decimal("150.0")
    assert EmissionFactor.objects.get(kind=Kind.LAPTOP).updated_by == dave


def test_api_refuses_a_factor_without_source(api_as, dave):
    answer = api_as(dave).put(
        "/api/v1/emission-factors/", {"kind": "laptop", "kg_co2e": "150.0", "source": ""}, format="json"
    )
    assert answer.status_code == 400 and "source" in answer.json()
    assert EmissionFactor.objects.get(kind=Kind.LAPTOP).kg_co2e == LAPTOP


def test_a_period_with_one_end_runs_to_the_end_of_that_year():
    assert Period.checked(dt.date(2025, 3, 1), None) == Period(dt.date(2025, 3, 1), dt.date(2025, 12, 31))
    assert Period.checked(None, dt.date(2024, 6, 30)) == Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert Period.checked(None, None, today=dt.date(2026, 5, 4)) == Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
