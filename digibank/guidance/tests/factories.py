"""Factories for guidance's tests (and the tenancy walk's world)."""

from __future__ import annotations

import factory

from digibank.guidance.e_services.models import Category, EService, Need


class EServiceFactory(factory.django.DjangoModelFactory):
    """A digibank's own local service (pass digibank=None for a Flanders-wide one)."""

    class Meta:
        model = EService

    name = factory.Sequence(lambda n: f"E-loket Testgemeente {n}")
    provider = "Gemeente Testgemeente"
    category = Category.MUNICIPALITY
    link = factory.Sequence(lambda n: f"https://www.testgemeente{n}.be/e-loket")
    needs = factory.LazyFunction(lambda: [Need.EID_READER.value, Need.ITSME.value])
