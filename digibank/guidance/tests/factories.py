"""Factories for guidance's tests (and the tenancy walk's world)."""

from __future__ import annotations

import datetime as dt
import importlib

import factory

from digibank.guidance.e_services.models import Category, EService, Need
from digibank.guidance.helpers.models import Availability, Digihelper, HelperHours


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


# Digihelpers ----------------------------------------------------------------------------------------


class DigihelperFactory(factory.django.DjangoModelFactory):
    """A helper without a log-in, recorded by name (pass user= for one with a staff account)."""

    class Meta:
        model = Digihelper
        skip_postgeneration_save = True

    digibank = factory.SubFactory("digibank.network.tests.factories.DigibankFactory")
    name = factory.Sequence(lambda n: f"Helper Vrijwilliger {n}")
    since = dt.date(2025, 1, 6)

    @factory.post_generation
    def hubs(self, create, extracted, **kwargs):
        if create and extracted:
            self.hubs.set(extracted)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)

    class Params:
        ended = factory.Trait(active=False, ended_on=dt.date(2026, 6, 30))


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Availability

    helper = factory.SubFactory(DigihelperFactory)
    hub = factory.SubFactory(
        "digibank.network.tests.factories.HubFactory", digibank=factory.SelfAttribute("..helper.digibank")
    )
    weekday = 1
    starts = dt.time(13, 30)
    ends = dt.time(16, 30)


class HelperHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelperHours

    helper = factory.SubFactory(DigihelperFactory)
    hub = factory.SubFactory(
        "digibank.network.tests.factories.HubFactory", digibank=factory.SelfAttribute("..helper.digibank")
    )
    day = dt.date(2026, 11, 17)
    minutes = 150
    note = "Voorbereiding workshop"
    recorded_by = factory.SubFactory("digibank.network.tests.factories.UserFactory")
