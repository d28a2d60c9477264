"""The catalogue's rules: what a digibank sees, who keeps which service, the seeded Flanders-wide services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from digibank.core.tenancy import Tenancy
from digibank.guidance.e_services import selectors, services
from digibank.guidance.e_services.models import Category, EService, Need
from digibank.guidance.tests.factories import EServiceFactory
from digibank.network.tenancy import resolve_tenancy

pytestmark = pytest.mark.django_db

SEEDED = {
    "itsme",
    "Mijn Burgerprofiel",
    "MyMinfin / Tax-on-web",
    "eBox",
    "CSAM / eID met kaartlezer",
    "Mijn VDAB",
    "Jobbonus",
    "Groeipakket",
    "Portaal van het ziekenfonds",
    "MyPension",
    "Online bankieren",
    "E-loket van de gemeente",
}


def test_the_essential_services_are_seeded_for_all_of_flanders_with_provider_and_link():
    seeded = EService.objects.filter(digibank__isnull=True)
    assert SEEDED <= set(seeded.values_list("name", flat=True))
    for service in seeded:
        service.full_clean()  # the seed holds to the model's own rules
        assert service.provider and service.link.startswith("https://") and service.active
    assert seeded.get(name="MyMinfin / Tax-on-web").provider == "FOD Financiën"
    assert seeded.get(name="MyPension").link == "https://www.mypension.be"
    assert seeded.get(name="CSAM / eID met kaartlezer").needs == [Need.EID_READER]


def test_a_digibank_sees_flanders_and_its_own_active_services_never_anothers(digibank_a, digibank_b, alice):
    own = EServiceFactory(digibank=digibank_a, name="E-loket Gent")
    EServiceFactory(digibank=digibank_a, name="Oud loket Gent", active=False)
    EServiceFactory(digibank=digibank_b, name="E-loket Turnhout")
    EService.objects.filter(name="eBox").update(active=False)
    seen = set(selectors.e_services_seen_by(resolve_tenancy(alice, digibank_a.pk)).values_list("name", flat=True))
    assert own.name in seen and "itsme" in seen
    assert not {"E-loket Turnhout", "Oud loket Gent", "eBox"} & seen
    # The whole catalogue shows the inactive ones too (to make one active again), never another's.
    catalogue = list(selectors.catalogue_of(resolve_tenancy(alice, digibank_a.pk)))
    assert {"Oud loket Gent", "eBox"} <= {s.name for s in catalogue}
    assert "E-loket Turnhout" not in {s.name for s in catalogue}
    assert not catalogue[-1].active  # inactive last


def test_nobody_without_a_digibank_or_department_role_sees_any():
    assert not selectors.catalogue_of(Tenancy(user_id=1)).exists()


def test_the_department_keeps_flanders_a_coordinator_her_own(digibank_a, digibank_b, alice, bob, carol, dave):
    flemish = EService.objects.get(name="itsme")
    gent, turnhout = EServiceFactory(digibank=digibank_a), EServiceFactory(digibank=digibank_b)
    a_coordinator, a_desk = resolve_tenancy(alice, digibank_a.pk), resolve_tenancy(bob, digibank_a.pk)
    department = resolve_tenancy(dave, None)
    assert selectors.may_keep(a_coordinator, gent) and not selectors.may_keep(a_coordinator, flemish)
    assert not selectors.may_keep(a_coordinator, turnhout)
    assert not selectors.may_keep(a_desk, gent) and not selectors.may_add(a_desk)
    assert selectors.may_keep(department, flemish) and not selectors.may_keep(department, gent)
    assert selectors.digibank_of_new(a_coordinator) == digibank_a
    assert selectors.digibank_of_new(department) is None


def test_a_name_is_unique_in_flanders_and_per_digibank(digibank_a, digibank_b, alice):
    fields = dict(provider="Stad", category=Category.MUNICIPALITY, link="https://www.gent.be/e-loket")
    services.e_service_create(digibank=digibank_a, actor=alice, name="E-loket", **fields)
    services.e_service_create(digibank=digibank_b, actor=alice, name="E-loket", **fields)  # another digibank: fine
    with pytest.raises(ValidationError) as own:
        services.e_service_create(digibank=digibank_a, actor=alice, name="E-loket", **fields)
    assert own.value.message_dict == {"name": ["Uw digibank heeft al een e-dienst met deze naam."]}
    with pytest.raises(ValidationError) as flemish:
        services.e_service_create(digibank=None, actor=alice, name="itsme", **fields)
    assert flemish.value.message_dict == {"name": ["Er is al een e-dienst voor heel Vlaanderen met deze naam."]}


def test_needs_are_kept_in_the_order_of_their_choices_and_unknown_ones_refused(digibank_a, alice):
    fields = dict(provider="Stad", category=Category.OTHER, link="https://www.gent.be")
    service = services.e_service_create(
        digibank=digibank_a, actor=alice, name="Parkeerkaart", needs=["phone", "eid_reader"], **fields
    )
    assert service.needs == ["eid_reader", "phone"]
    with pytest.raises(ValidationError) as error:
        services.e_service_create(digibank=digibank_a, actor=alice, name="Bibliotheek", needs=["fax"], **fields)
    assert "needs" in error.value.message_dict


def test_a_service_is_deactivated_not_deleted_and_its_history_kept(digibank_a, alice):
    service = EServiceFactory(digibank=digibank_a)
    services.e_service_update(service, actor=alice, active=False, provider="  Stad Gent ")
    service.refresh_from_db()
    assert not service.active and service.provider == "Stad Gent"
    assert service.history.count() == 2 and service.history.first().history_user == alice
    with pytest.raises(TypeError):
        services.e_service_update(service, actor=alice, digibank=None)
