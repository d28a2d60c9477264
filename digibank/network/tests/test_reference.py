import pytest

from digibank.network.models import FormerMunicipality, Municipality, PostalCode, Province
from digibank.network.reference import load_reference_data
from digibank.network.selectors import find_place, municipality_for_nis, municipality_for_postal_code

pytestmark = pytest.mark.django_db


def test_flanders_has_285_municipalities_in_five_provinces():
    assert Municipality.objects.count() == 285
    per_province = {p: Municipality.objects.filter(province=p).count() for p in Province.values}
    assert all(per_province.values())
    assert sum(per_province.values()) == 285


def test_loading_twice_changes_nothing():
    before = (Municipality.objects.count(), PostalCode.objects.count(), FormerMunicipality.objects.count())
    load_reference_data()
    assert (Municipality.objects.count(), PostalCode.objects.count(), FormerMunicipality.objects.count()) == before


def test_every_former_municipality_points_to_a_current_one_and_is_gone_itself():
    current = set(Municipality.objects.values_list("pk", flat=True))
    for former in FormerMunicipality.objects.all():
        assert former.municipality_id in current
        assert former.pk not in current, f"{former.name} ({former.pk}) still exists"
    # 300 municipalities until 2024, 285 since: 27 merged away into 12 new ones and into Antwerpen.
    assert FormerMunicipality.objects.count() == 27


def test_nis_code_from_before_2025_resolves_to_the_merged_municipality():
    assert municipality_for_nis("46013").name == "Beveren-Kruibeke-Zwijndrecht"  # Kruibeke
    assert municipality_for_nis("44073").name == "Lochristi"  # Wachtebeke
    assert municipality_for_nis("44021").name == "Gent"


def test_postal_code_of_a_merged_municipality_resolves_to_the_merged_one():
    assert municipality_for_postal_code("9150").name == "Beveren-Kruibeke-Zwijndrecht"
    assert municipality_for_postal_code("3945").name == "Tessenderlo-Ham"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("9000", "Gent"),
        ("GENT", "Gent"),
        ("sint-niklaas", "Sint-Niklaas"),
        ("Sint Niklaas", "Sint-Niklaas"),
        ("wachtebeke", "Lochristi"),
        ("Ninove", "Ninove"),
        (" 2300 ", "Turnhout"),
        ("beernem", "Beernem"),
    ],
)
def test_find_place_ignores_case_accents_and_punctuation(query, expected):
    assert find_place(query).municipality.name == expected


def test_find_place_ignores_accents_typed_by_the_resident():
    assert find_place("Gént").municipality.name == "Gent"
    assert find_place("HÉRENTALS").municipality.name == "Herentals"


@pytest.mark.parametrize(
    "query, problem",
    [
        ("9999", "unknown_postal_code"),
        ("1000", "outside_flanders"),
        ("4000", "outside_flanders"),
        ("Atlantis", "unknown_name"),
        ("", "empty"),
        ("12", "unknown_postal_code"),
    ],
)
def test_find_place_says_why_it_found_nothing(query, problem):
    found = find_place(query)
    assert found.municipality is None
    assert found.problem == problem


def test_partial_name_with_several_matches_offers_candidates():
    found = find_place("sint")
    assert found.municipality is None
    assert len(found.candidates) > 1
    assert all("sint" in m.search_name for m in found.candidates)


def test_places_inside_municipalities_are_loaded_once_with_their_postal_code():
    from digibank.network.models import Place

    mariakerke = Place.objects.get(name="Mariakerke")
    assert (mariakerke.postal_code, mariakerke.municipality.name) == ("9030", "Gent")
    assert Place.objects.get(name="Zingem").municipality.name == "Kruisem"
    before = Place.objects.count()
    load_reference_data()
    assert Place.objects.count() == before
