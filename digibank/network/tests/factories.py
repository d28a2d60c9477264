"""Factories for the network. Municipalities are reference data: tests load them once (conftest)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from digibank.core.roles import Role
from digibank.network.models import (
    Digibank,
    Hub,
    HubException,
    Membership,
    Municipality,
    OpeningHours,
    Partner,
    enterprise_number_for,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.be")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    password = factory.django.Password("correct-horse-battery")

    class Params:
        programme_officer = factory.Trait(department_role="programme_officer")
        reviewer = factory.Trait(department_role="reviewer")


class DigibankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Digibank
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Digibank {n}")
    slug = factory.Sequence(lambda n: f"digibank-{n}")
    phase = Digibank.Phase.IMPLEMENTATION
    email = factory.LazyAttribute(lambda d: f"info@{d.slug}.be")

    @factory.post_generation
    def service_area(self, create, extracted, **kwargs):
        """Pass service_area=[nis codes or municipalities]; default: Gent."""
        if not create:
            return
        items = extracted if extracted is not None else ["44021"]
        self.service_area.set([m if isinstance(m, Municipality) else Municipality.objects.get(pk=m) for m in items])


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    digibank = factory.SubFactory(DigibankFactory)
    name = factory.Sequence(lambda n: f"Partnerorganisatie {n}")
    kind = Partner.Kind.CIVIL_SOCIETY
    enterprise_number = factory.Sequence(lambda n: enterprise_number_for(4000000 + n))
    role = "Uitleendienst en onthaal"
    joined_on = dt.date(2024, 1, 1)

    class Params:
        left = factory.Trait(left_on=dt.date(2025, 6, 30))


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    digibank = factory.SubFactory(DigibankFactory)
    name = factory.Sequence(lambda n: f"Digipunt {n}")
    street = factory.Sequence(lambda n: f"Kerkstraat {n + 1}")
    municipality = factory.LazyAttribute(lambda h: h.digibank.service_area.order_by("pk").first())
    postal_code = factory.LazyAttribute(lambda h: h.municipality.postal_codes.order_by("code").first().code)
    offers_guidance = True
    offers_lending = True

    class Params:
        closed = factory.Trait(closed_on=dt.date(2025, 1, 31))


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    hub = factory.SubFactory(HubFactory)
    weekday = 0
    opens = dt.time(9, 0)
    closes = dt.time(12, 0)


class HubExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HubException

    hub = factory.SubFactory(HubFactory)
    starts_on = dt.date(2026, 12, 24)
    ends_on = dt.date(2026, 12, 26)
    reason = "Kerstvakantie"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    digibank = factory.SubFactory(DigibankFactory)
    role = Role.COORDINATOR


# The API tests' shared helpers ---------------------------------------------------------------------

API = "/api/v1"
BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY_TEN = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BRUSSELS)


def hubs_with_week(digibank, n):
    """n hubs of the digibank, each open on Monday and Thursday and with one exception."""
    for _ in range(n):
        hub = HubFactory(digibank=digibank)
        OpeningHoursFactory(hub=hub, weekday=0)
        OpeningHoursFactory(hub=hub, weekday=3)
        HubExceptionFactory(hub=hub)
