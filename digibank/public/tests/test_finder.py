"""The public finder and hub page: no log-in, Dutch, right hubs, right hours."""

import datetime as dt

import pytest
from django.urls import reverse

from digibank.network import services
from digibank.network.models import Municipality
from digibank.network.tests.factories import DigibankFactory, HubExceptionFactory, HubFactory

pytestmark = pytest.mark.django_db
T = dt.time
ALL_DAY = [(d, T(0, 0), T(23, 59, 59)) for d in range(7)]


@pytest.fixture
def gent_hub(digibank_a, alice):
    return services.hub_create(
        digibank=digibank_a,
        actor=alice,
        name="Digipunt De Krook",
        street="Krook 1",
        postal_code="9000",
        opening_hours=ALL_DAY,
        offers_lending=True,
    )


def test_finder_by_postal_code_lists_the_hubs_serving_it(client, gent_hub):
    response = client.get(reverse("public:finder"), {"q": "9000"})
    assert response.status_code == 200
    assert [h.name for h in response.context["hubs"]] == ["Digipunt De Krook"]
    page = response.content.decode()
    assert "Nu open" in page and "Digipunt De Krook" in page


def test_finder_by_name_ignores_case_and_accents(client, gent_hub):
    for query in ["gent", "GENT", "Gént"]:
        assert [h.name for h in client.get(reverse("public:finder"), {"q": query}).context["hubs"]] == [
            "Digipunt De Krook"
        ]


def test_hub_serves_the_whole_service_area_not_only_its_own_municipality(client, gent_hub):
    # Merelbeke-Melle is in Digibank Gent's area: its residents are sent to the Gent hub.
    assert [h.name for h in client.get(reverse("public:finder"), {"q": "9090"}).context["hubs"]] == [
        "Digipunt De Krook"
    ]


def test_hubs_in_the_municipality_itself_come_first(client, digibank_a, alice, gent_hub):
    services.hub_create(
        digibank=digibank_a, actor=alice, name="Aaa Digipunt Melle", street="Straat 1", postal_code="9090"
    )
    names = [h.name for h in client.get(reverse("public:finder"), {"q": "9090"}).context["hubs"]]
    assert names == ["Aaa Digipunt Melle", "Digipunt De Krook"]
    names = [h.name for h in client.get(reverse("public:finder"), {"q": "9000"}).context["hubs"]]
    assert names == ["Digipunt De Krook", "Aaa Digipunt Melle"]


def test_closed_hubs_and_ended_digibanks_are_not_listed(client, digibank_a):
    HubFactory(digibank=digibank_a, closed=True, name="Gesloten punt")
    ended = DigibankFactory(phase="afgerond", service_area=["44021"])
    HubFactory(digibank=ended, name="Punt van een afgeronde digibank")
    assert client.get(reverse("public:finder"), {"q": "9000"}).context["hubs"] == []


def test_hub_without_hours_today_is_closed_now(client, digibank_a):
    HubFactory(digibank=digibank_a, name="Nooit open")
    response = client.get(reverse("public:finder"), {"q": "9000"})
    assert response.context["hubs"][0].open_now is False
    assert "Nu gesloten" in response.content.decode()


def test_closure_today_makes_the_hub_closed_now(client, gent_hub):
    from django.utils import timezone

    today = timezone.localdate()
    HubExceptionFactory(hub=gent_hub, starts_on=today, ends_on=today, reason="Verlof")
    hub = client.get(reverse("public:finder"), {"q": "9000"}).context["hubs"][0]
    assert hub.open_now is False and hub.today.note == "Verlof"


@pytest.mark.parametrize(
    "query, message",
    [
        ("9999", "We kennen deze postcode niet"),
        ("1000", "niet in Vlaanderen"),
        ("Atlantis", "We vinden geen gemeente"),
    ],
)
def test_finder_explains_in_dutch_why_it_found_nothing(client, query, message):
    response = client.get(reverse("public:finder"), {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_finder_says_when_a_municipality_has_no_digibank(client, digibank_a):
    response = client.get(reverse("public:finder"), {"q": "Ieper"})
    assert response.context["hubs"] == []
    assert "Ieper" in response.content.decode()


def test_former_municipality_name_finds_the_merged_one_and_says_so(client, digibank_a, alice):
    services.service_area_set(
        digibank=digibank_a, actor=alice, municipalities=Municipality.objects.filter(name__in=["Gent", "Lochristi"])
    )
    HubFactory(
        digibank=digibank_a,
        name="Digipunt Lochristi",
        municipality=Municipality.objects.get(name="Lochristi"),
        postal_code="9080",
    )
    response = client.get(reverse("public:finder"), {"q": "Wachtebeke"})
    assert response.context["lookup"].municipality.name == "Lochristi"
    assert "Wachtebeke" in response.content.decode() and "Digipunt Lochristi" in response.content.decode()


def test_finder_queries_do_not_grow_with_hubs(client, digibank_a, django_assert_max_num_queries):
    for _ in range(20):
        services.opening_hours_set(hub=HubFactory(digibank=digibank_a), periods=ALL_DAY[:2], actor=None)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("public:finder"), {"q": "9000"})
    assert len(response.context["hubs"]) == 20


def test_hub_page_shows_the_week_with_today(client, gent_hub):
    response = client.get(reverse("public:hub", kwargs={"pk": gent_hub.pk}))
    assert response.status_code == 200
    week = response.context["week"]
    assert len(week) == 7 and all(day.periods == [(T(0), T(23, 59, 59))] for day in week)
    assert "vandaag" in response.content.decode()


def test_hub_page_of_a_closed_hub_is_404(client, digibank_a):
    hub = HubFactory(digibank=digibank_a, closed=True)
    assert client.get(reverse("public:hub", kwargs={"pk": hub.pk})).status_code == 404


def test_public_pages_use_no_external_resources(client, gent_hub):
    for url in [
        reverse("public:home"),
        reverse("public:finder") + "?q=9000",
        reverse("public:hub", kwargs={"pk": gent_hub.pk}),
    ]:
        page = client.get(url).content.decode()
        assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
        assert "<script" not in page  # works without JavaScript: there is none to need


@pytest.mark.parametrize(
    ("query", "municipality", "place"),
    [
        ("Mariakerke", "Gent", "Mariakerke"),
        ("gentbrugge", "Gent", "Gentbrugge"),
        ("Borgerhout", "Antwerpen", "Borgerhout"),
        ("Zingem", "Kruisem", "Zingem"),  # merged into Kruisem in 2019
        ("KRUISHOUTEM", "Kruisem", "Kruishoutem"),
    ],
)
def test_a_place_inside_a_municipality_finds_the_municipality_and_says_so(client, query, municipality, place):
    response = client.get(reverse("public:finder"), {"q": query})
    lookup = response.context["lookup"]
    assert (lookup.municipality.name, lookup.matched_place) == (municipality, place)
    assert f"{place} hoort bij {municipality}." in response.content.decode()


def test_a_place_name_finds_the_hubs_its_postal_code_finds(client, gent_hub):
    by_name = client.get(reverse("public:finder"), {"q": "Mariakerke"}).context["hubs"]
    by_code = client.get(reverse("public:finder"), {"q": "9030"}).context["hubs"]
    assert [h.name for h in by_name] == [h.name for h in by_code] == ["Digipunt De Krook"]


@pytest.mark.parametrize("query", ["Namen", "Namur", "Elsene", "Ixelles", "Luik", "Brussel"])
def test_a_place_in_brussels_or_wallonia_is_outside_flanders_like_its_postal_code(client, query):
    response = client.get(reverse("public:finder"), {"q": query})
    assert response.context["lookup"].problem == "outside_flanders"
    assert "Deze plaats ligt niet in Vlaanderen" in response.content.decode()


def test_no_count_of_zero_places_before_the_explanation(client, digibank_a):
    page = client.get(reverse("public:finder"), {"q": "Ieper"}).content.decode()
    assert "0 plaatsen" not in page
    assert "Er is nog geen digibank voor Ieper" in page


def test_a_place_name_in_two_municipalities_asks_which_one(client):
    response = client.get(reverse("public:finder"), {"q": "Zandvoorde"})
    assert [m.name for m in response.context["lookup"].candidates] == ["Oostende", "Zonnebeke"]
    assert "Welke gemeente bedoelt u?" in response.content.decode()
