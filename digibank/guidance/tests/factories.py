"""Factories for guidance's tests (and the tenancy walk's world)."""

from __future__ import annotations

import datetime as dt
import importlib

import factory
from django.utils import timezone

from digibank.guidance.e_services.models import Category, EService, Need
from digibank.guidance.helpers.models import Availability, Digihelper, HelperHours
from digibank.guidance.queue.models import QueueTicket
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


# Appointments -------------------------------------------------------------------------------------


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of a day in Brussels."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def open_every_day(hub, opens: int = 8, closes: int = 20) -> None:
    """The hub opens every day of the week from `opens` to `closes` o'clock."""
    from digibank.network.models import OpeningHours

    for weekday in range(7):
        OpeningHours.objects.create(hub=hub, weekday=weekday, opens=dt.time(opens), closes=dt.time(closes))


class SlotFactory(factory.django.DjangoModelFactory):
    """A desk slot of half an hour tomorrow (from 9:00 on, one after the other)."""

    class Meta:
        model = "guidance.Slot"

    hub = factory.SubFactory("digibank.network.tests.factories.HubFactory")
    digibank = factory.LazyAttribute(lambda s: s.hub.digibank)
    starts_at = factory.Sequence(lambda n: at(tomorrow(), 9, 0) + dt.timedelta(minutes=30 * n))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(minutes=30))


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A booking from the public site (pass client=… for one made for a client)."""

    class Meta:
        model = "guidance.Appointment"

    slot = factory.SubFactory(SlotFactory)
    digibank = factory.LazyAttribute(lambda a: a.slot.digibank)
    name = "Mieke Peeters"
    phone = "+32470112233"
    booked_via = "public"


class AgendaFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "guidance.AgendaFeed"

    hub = factory.SubFactory("digibank.network.tests.factories.HubFactory")
    digibank = factory.LazyAttribute(lambda f: f.hub.digibank)


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
