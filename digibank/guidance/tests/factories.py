"""Factories for guidance's tests (and the tenancy walk's world)."""

from __future__ import annotations

import importlib

import factory
from django.utils import timezone

from digibank.guidance.e_services.models import Category, EService, Need
from digibank.guidance.referrals.models import ConsentHow, Referral, Service, Status, new_referral_code
from digibank.network.tests.factories import HubFactory, UserFactory


class EServiceFactory(factory.django.DjangoModelFactory):
    """A digibank's own local service (pass digibank=None for a Flanders-wide one)."""

    class Meta:
        model = EService

    name = factory.Sequence(lambda n: f"E-loket Testgemeente {n}")
    provider = "Gemeente Testgemeente"
    category = Category.MUNICIPALITY
    link = factory.Sequence(lambda n: f"https://www.testgemeente{n}.be/e-loket")
    needs = factory.LazyFunction(lambda: [Need.EID_READER.value, Need.ITSME.value])


def flanders_e_services() -> None:
    """The Flanders-wide services as migration 0002 seeds them, again when a transactional test (one with
    a live server) flushed them."""
    from django.apps import apps

    if not EService.objects.filter(digibank__isnull=True).exists():
        importlib.import_module("digibank.guidance.migrations.0002_seed_flanders_e_services").seed(apps, None)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral sent to a hub (pass `to_hub`; the digibank follows it) of a person not yet a client, unless
    `client` is given. Traits: `accepted`, `planned`, `completed`, `declined`."""

    class Meta:
        model = Referral

    to_hub = factory.SubFactory(HubFactory)
    digibank = factory.SelfAttribute("to_hub.digibank")
    code = factory.LazyFunction(new_referral_code)
    service = Service.TRAINING
    person_name = factory.Sequence(lambda n: f"Persoon {n}")
    person_phone = "0470 12 34 56"
    consent_how = ConsentHow.SPOKEN
    reason = "Wil veilig leren internetten."
    referred_by = factory.SubFactory(UserFactory)

    class Params:
        accepted = factory.Trait(status=Status.ACCEPTED)
        planned = factory.Trait(status=Status.PLANNED, planned_on=factory.LazyFunction(timezone.localdate))
        completed = factory.Trait(status=Status.COMPLETED, outcome="Volgt de opleiding.")
        declined = factory.Trait(status=Status.DECLINED, decline_reason="Volzet.")
