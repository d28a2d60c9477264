"""Digihelpers' rules: who may be one, where and with what they help, their weekly times, the hours
they gave, and who helped how much."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from digibank.core.roles import Role
from digibank.core.tenancy import Tenancy
from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers import selectors, services
from digibank.guidance.helpers.models import Availability, Digihelper
from digibank.guidance.tests.factories import (
    AvailabilityFactory,
    DigihelperFactory,
    EServiceFactory,
    HelperHoursFactory,
)
from digibank.network.tests.factories import HubFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(digibank_a):
    """A volunteer of digibank A with a log-in."""
    user = UserFactory(username="rita", first_name="Rita", last_name="Claes")
    MembershipFactory(user=user, digibank=digibank_a, role=Role.VOLUNTEER)
    return user


def scope(digibank) -> Tenancy:
    return Tenancy(digibank_id=digibank.pk, roles=(Role.COORDINATOR,))


def test_a_volunteer_account_becomes_a_helper_once_and_keeps_its_own_name(digibank_a, alice, rita, zuid):
    itsme = EService.objects.get(name="itsme")
    helper = services.helper_create(
        digibank=digibank_a, actor=alice, user=rita, name="Ignored", hubs=[zuid], skills=[itsme], phone="0470 12 34 56"
    )
    assert helper.display_name == "Rita Claes" and helper.name == "" and helper.phone == "+32470123456"
    assert list(helper.hubs.all()) == [zuid] and list(helper.skills.all()) == [itsme]
    with pytest.raises(ValidationError) as error:
        services.helper_create(digibank=digibank_a, actor=alice, user=rita)
    assert error.value.message_dict["user"] == ["Dit personeelslid is al digihelper van uw digibank."]


def test_a_helper_without_a_log_in_needs_a_name_and_a_callable_phone(digibank_a, alice):
    with pytest.raises(ValidationError) as error:
        services.helper_create(digibank=digibank_a, actor=alice, name="  ", phone="12")
    assert set(error.value.message_dict) == {"name", "phone"}
    assert not Digihelper.objects.exists()
    helper = services.helper_create(digibank=digibank_a, actor=alice, name=" Jef Van Damme ")
    assert helper.display_name == "Jef Van Damme" and helper.user is None


def test_hubs_skills_and_accounts_must_be_the_digibanks_own(digibank_a, digibank_b, alice, carol, zuid):
    theirs = HubFactory(digibank=digibank_b)
    their_service = EServiceFactory(digibank=digibank_b)
    with pytest.raises(ValidationError) as error:
        services.helper_create(
            digibank=digibank_a, actor=alice, user=carol, hubs=[zuid, theirs], skills=[their_service]
        )
    assert set(error.value.message_dict) == {"user", "hubs", "skills"}
    closed = HubFactory(digibank=digibank_a, closed=True)
    with pytest.raises(ValidationError):
        services.helper_create(digibank=digibank_a, actor=alice, name="Jef", hubs=[closed])


def test_a_helper_who_stops_is_ended_not_deleted_and_may_come_back(digibank_a, alice, zuid):
    helper = services.helper_create(digibank=digibank_a, actor=alice, name="Jef", hubs=[zuid])
    services.helper_update(helper, actor=alice, active=False)
    helper.refresh_from_db()
    assert not helper.active and helper.ended_on == timezone.localdate()
    latest = helper.history.first()
    assert latest.active is False and latest.ended_on == helper.ended_on and latest.history_user == alice
    services.helper_update(helper, actor=alice, active=True, hubs=[])
    helper.refresh_from_db()
    assert helper.active and helper.ended_on is None and not helper.hubs.exists()
    with pytest.raises(TypeError):
        services.helper_update(helper, actor=alice, digibank=None)


def test_a_weekly_time_is_at_a_hub_of_the_helper_ends_after_it_starts_and_overlaps_none(digibank_a, alice, zuid):
    helper = DigihelperFactory(digibank=digibank_a, hubs=[zuid])
    other = HubFactory(digibank=digibank_a)
    tuesday = dict(helper=helper, actor=alice, weekday=1)
    services.availability_add(**tuesday, hub=zuid, starts=dt.time(13, 30), ends=dt.time(16, 30))
    with pytest.raises(ValidationError) as error:
        services.availability_add(**tuesday, hub=zuid, starts=dt.time(16), ends=dt.time(15))
    assert error.value.message_dict["ends"] == ["Het einduur moet later zijn dan het beginuur."]
    with pytest.raises(ValidationError) as error:
        services.availability_add(**tuesday, hub=zuid, starts=dt.time(16), ends=dt.time(18))
    assert "starts" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.availability_add(**tuesday, hub=other, starts=dt.time(9), ends=dt.time(12))
    assert "hub" in error.value.message_dict
    services.availability_add(**tuesday, hub=zuid, starts=dt.time(9), ends=dt.time(12))
    assert helper.availability.count() == 2


def test_a_removed_time_leaves_its_history(digibank_a, alice):
    slot = AvailabilityFactory(helper__digibank=digibank_a)
    services.availability_remove(slot, actor=alice)
    assert not Availability.objects.exists()
    assert Availability.history.filter(history_type="-", history_user=alice).count() == 1


@pytest.mark.parametrize("minutes", [0, -5, 721])
def test_hours_are_from_1_to_720_minutes(digibank_a, alice, zuid, minutes):
    helper = DigihelperFactory(digibank=digibank_a)
    with pytest.raises(ValidationError) as error:
        services.hours_record(helper=helper, actor=alice, day=dt.date(2026, 11, 3), hub=zuid, minutes=minutes)
    assert "minutes" in error.value.message_dict


def test_hours_are_given_on_a_past_day_at_a_hub_of_the_digibank(digibank_a, digibank_b, alice, zuid):
    helper = DigihelperFactory(digibank=digibank_a, since=dt.date(2025, 1, 6))
    today = timezone.localdate()
    for day, hub, field in [
        (today + dt.timedelta(days=1), zuid, "day"),
        (dt.date(2024, 12, 31), zuid, "day"),
        (today, HubFactory(digibank=digibank_b), "hub"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.hours_record(helper=helper, actor=alice, day=day, hub=hub, minutes=60)
        assert list(error.value.message_dict) == [field]
    hours = services.hours_record(helper=helper, actor=alice, day=today, hub=zuid, minutes=90, note=" Workshop ")
    assert hours.note == "Workshop" and hours.recorded_by == alice and hours.history.count() == 1


def test_hours_after_the_helper_stopped_are_refused(digibank_a, alice, zuid):
    helper = DigihelperFactory(digibank=digibank_a, ended=True)
    with pytest.raises(ValidationError) as error:
        services.hours_record(helper=helper, actor=alice, day=dt.date(2026, 7, 1), hub=zuid, minutes=60)
    assert error.value.message_dict["day"] == ["De helper stopte op 30/6/2026: kies die dag of een vroegere."]
    services.hours_record(helper=helper, actor=alice, day=dt.date(2026, 6, 30), hub=zuid, minutes=60)


def test_a_note_with_a_national_register_number_is_refused(digibank_a, alice, zuid):
    helper = DigihelperFactory(digibank=digibank_a)
    with pytest.raises(ValidationError) as error:
        services.hours_record(
            helper=helper, actor=alice, day=dt.date(2026, 11, 3), hub=zuid, minutes=60, note="Hielp 85073003328"
        )
    assert "rijksregisternummer" in error.value.message_dict["note"][0]


def test_who_helped_how_much_adds_recorded_and_contact_minutes_in_the_period(digibank_a, digibank_b, rita, zuid):
    jef = DigihelperFactory(digibank=digibank_a, name="Jef")
    with_account = DigihelperFactory(digibank=digibank_a, name="", user=rita)
    idle = DigihelperFactory(digibank=digibank_a, name="Anna")
    DigihelperFactory(digibank=digibank_a, name="Gestopt", ended=True)  # no hours in the period: not listed
    HelperHoursFactory(helper=jef, hub=zuid, day=dt.date(2026, 11, 1), minutes=120)
    HelperHoursFactory(helper=jef, hub=zuid, day=dt.date(2026, 11, 30), minutes=60)
    HelperHoursFactory(helper=jef, hub=zuid, day=dt.date(2026, 12, 1), minutes=600)  # after the period
    HelperHoursFactory(helper=with_account, hub=zuid, day=dt.date(2026, 11, 10), minutes=30)
    HelperHoursFactory(helper__digibank=digibank_b, day=dt.date(2026, 11, 10), minutes=700)  # another digibank
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))

    tallies = selectors.hours_given(scope(digibank_a), *november, contact_minutes={rita.pk: 240, 999: 60})
    assert [(t.helper, t.recorded_minutes, t.contact_minutes) for t in tallies] == [
        (with_account, 30, 240),
        (jef, 180, 0),
        (idle, 0, 0),
    ]
    assert tallies[0].hours == 4.5
    by_name = selectors.hours_given(scope(digibank_a), *november, by_hours=False)
    assert [t.helper.display_name for t in by_name] == ["Anna", "Jef", "Rita Claes"]


def test_the_finder_answers_who_can_help_with_itsme_at_a_hub_today(digibank_a, zuid):
    itsme, ebox = EService.objects.get(name="itsme"), EService.objects.get(name="eBox")
    tuesday = dt.date(2026, 12, 1)
    there = DigihelperFactory(digibank=digibank_a, name="Bert", hubs=[zuid], skills=[itsme])
    AvailabilityFactory(helper=there, hub=zuid, weekday=tuesday.weekday())
    elsewhere = DigihelperFactory(digibank=digibank_a, name="Anna", hubs=[zuid], skills=[itsme, ebox])
    DigihelperFactory(digibank=digibank_a, name="Chris", hubs=[zuid], skills=[ebox])
    DigihelperFactory(digibank=digibank_a, name="Dirk", hubs=[zuid], skills=[itsme], ended=True)
    matches = selectors.helpers_who_can_help(scope(digibank_a), day=tuesday, e_service=itsme, hub=zuid)
    assert [(m.helper, len(m.times)) for m in matches] == [(there, 1), (elsewhere, 0)]
