"""Factories for guidance's tests (and the tenancy walk's world)."""

from __future__ import annotations

import importlib

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


def flanders_e_services() -> None:
    """The Flanders-wide services as migration 0002 seeds them, again when a transactional test (one with
    a live server) flushed them."""
    from django.apps import apps

    if not EService.objects.filter(digibank__isnull=True).exists():
        importlib.import_module("digibank.guidance.migrations.0002_seed_flanders_e_services").seed(apps, None)


# --- help contacts ---------------------------------------------------------------------------------


def help_contact(*, hub, actor, client=None, **fields):
    """A logged help contact through the service (its follow-up and timeline event too); an anonymous
    walk-in in her twenties unless a client is given."""
    from digibank.guidance.contacts import services as contact_services

    fields.setdefault("duration_minutes", 15)
    fields.setdefault("outcome", "solved")
    if client is None:
        fields.setdefault("age_band", "0-24")
    return contact_services.contact_log(digibank=hub.digibank, actor=actor, hub=hub, client=client, **fields)
