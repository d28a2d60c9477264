"""Factories for guidance's tests (and the tenancy walk's world)."""

from __future__ import annotations

import importlib

import factory
from django.utils import timezone

from digibank.guidance.e_services.models import Category, EService, Need
from digibank.guidance.queue.models import QueueTicket


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


# --- the walk-in queue ------------------------------------------------------------------------------


class QueueTicketFactory(factory.django.DjangoModelFactory):
    """A number waiting at a hub today; `called` and `served` traits for the later states."""

    class Meta:
        model = QueueTicket

    hub = factory.SubFactory("digibank.network.tests.factories.HubFactory")
    digibank = factory.LazyAttribute(lambda t: t.hub.digibank)
    day = factory.LazyFunction(timezone.localdate)
    number = factory.Sequence(lambda n: n + 1)
    taken_at = factory.LazyFunction(timezone.now)

    class Params:
        called = factory.Trait(status="called", called_at=factory.LazyAttribute(lambda t: t.taken_at), desk="Balie 1")
        served = factory.Trait(
            status="served",
            called_at=factory.LazyAttribute(lambda t: t.taken_at),
            desk="Balie 1",
            finished_at=factory.LazyAttribute(lambda t: t.taken_at),
        )
