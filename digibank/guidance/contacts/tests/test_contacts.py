"""Help contacts' rules: what is logged, every bad input refused next to its field with nothing saved,
the database's own backstop, follow-ups, cancelling, and the selectors other features call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from digibank.clients.models import ClientEvent
from digibank.clients.tests.factories import ClientFactory
from digibank.guidance.contacts import selectors, services
from digibank.guidance.contacts.models import FollowUp, HelpContact, Status
from digibank.guidance.e_services.models import EService
from digibank.guidance.tests.factories import EServiceFactory, help_contact
from digibank.network.models import Municipality
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db

VALID_NN = "85.07.30-033.28"
IBAN = "BE68 5390 0754 7034"


@pytest.fixture
def hub(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt De Krook")


@pytest.fixture
def wies(digibank_a, alice):
    return ClientFactory(digibank=digibank_a, registered_by=alice, first_name="Wies", last_name="Claeys")


def flanders(*names: str) -> list[EService]:
    return [EService.objects.get(digibank__isnull=True, name=name) for name in names]


def test_a_client_contact_is_logged_with_its_e_services_and_goes_on_the_timeline(hub, wies, bob):
    itsme, taxes = flanders("itsme", "MyMinfin / Tax-on-web")
    contact = help_contact(
        hub=hub, actor=bob, client=wies, e_services=[itsme, taxes], topics=["safety", "login"], duration_minutes=25
    )
    assert contact.helper == bob and contact.logged_by == bob and contact.status == Status.LOGGED
    assert set(contact.e_services.all()) == {itsme, taxes}
    assert contact.topics == ["login", "safety"]  # in the order of the choices
    event = ClientEvent.objects.get(client=wies, kind=services.EVENT_LOGGED)
    assert event.ref == f"guidance.contact:{contact.pk}" and "itsme" in event.summary and "opgelost" in event.summary
    assert contact.history.count() == 1


def test_an_anonymous_walk_in_is_counted_with_only_an_age_band_and_a_municipality(hub, bob):
    gent = Municipality.objects.get(pk="44021")
    contact = help_contact(hub=hub, actor=bob, age_band="80+", municipality=gent)
    assert contact.is_anonymous and contact.age_band == "80+" and contact.municipality == gent
    assert not ClientEvent.objects.exists()


def _refused(field: str, **fields) -> None:
    with pytest.raises(ValidationError) as refused:
        help_contact(**fields)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert not HelpContact.objects.exists() and not FollowUp.objects.exists()
    assert not ClientEvent.objects.filter(kind=services.EVENT_LOGGED).exists()


@pytest.mark.parametrize("minutes", [-5, 0, 481, 1440, None])
def test_a_negative_zero_or_day_long_duration_is_refused_in_dutch(hub, bob, minutes):
    with pytest.raises(ValidationError) as refused:
        help_contact(hub=hub, actor=bob, duration_minutes=minutes)
    assert "duration_minutes" in refused.value.message_dict
    assert not HelpContact.objects.exists()


def test_the_duration_message_is_dutch(hub, bob):
    with pytest.raises(ValidationError) as refused:
        help_contact(hub=hub, actor=bob, duration_minutes=1440)
    assert refused.value.message_dict["duration_minutes"] == ["Een hulpcontact duurt hoogstens 480 minuten (8 uur)."]


def test_a_contact_without_a_hub_is_refused(hub, bob):
    with pytest.raises(ValidationError) as refused:
        services.contact_log(digibank=hub.digibank, actor=bob, hub=None, duration_minutes=5, outcome="solved")
    assert refused.value.message_dict["hub"] == ["Kies het knooppunt waar de hulp gegeven werd."]
    assert not HelpContact.objects.exists()


def test_a_hub_of_another_digibank_or_without_guidance_or_closed_is_refused(hub, bob, digibank_b):
    for other in (
        HubFactory(digibank=digibank_b),
        HubFactory(digibank=hub.digibank, offers_guidance=False),
        HubFactory(digibank=hub.digibank, closed=True),
    ):
        with pytest.raises(ValidationError) as refused:
            services.contact_log(
                digibank=hub.digibank, actor=bob, hub=other, duration_minutes=5, outcome="solved", age_band="0-24"
            )
        assert "hub" in refused.value.message_dict
    assert not HelpContact.objects.exists()


def test_a_contact_in_the_future_is_refused(hub, bob):
    _refused("started_at", hub=hub, actor=bob, started_at=timezone.now() + dt.timedelta(hours=2))


def test_a_follow_up_needs_a_date_and_a_date_needs_a_follow_up(hub, bob):
    _refused("follow_up_on", hub=hub, actor=bob, outcome="follow_up")
    _refused("follow_up_on", hub=hub, actor=bob, outcome="solved", follow_up_on=timezone.localdate())
    _refused("follow_up_on", hub=hub, actor=bob, outcome="follow_up", follow_up_on=dt.date(2020, 1, 1))


def test_a_visitor_is_a_client_or_anonymous_with_an_age_band(hub, bob, wies, digibank_b, carol):
    _refused("age_band", hub=hub, actor=bob, age_band="")
    other = ClientFactory(digibank=digibank_b, registered_by=carol)
    _refused("client", hub=hub, actor=bob, client=other)


def test_another_digibanks_local_e_service_is_refused(hub, bob, digibank_b):
    _refused("e_services", hub=hub, actor=bob, e_services=[EServiceFactory(digibank=digibank_b)])


@pytest.mark.parametrize("note", [f"rrn {VALID_NN}", f"rekening {IBAN}", "pincode: 1234"])
def test_a_note_with_sensitive_data_is_refused_and_nothing_saved(hub, bob, wies, note):
    _refused("note", hub=hub, actor=bob, client=wies, note=note)


def test_a_note_with_an_invalid_number_is_kept(hub, bob):
    contact = help_contact(hub=hub, actor=bob, note="Formulier ingevuld, nummer 85.07.30-033.29 klopte niet")
    assert contact.note.startswith("Formulier")


def test_the_database_refuses_a_bad_duration_and_a_visitor_who_is_both(hub, bob, wies):
    contact = help_contact(hub=hub, actor=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpContact.objects.filter(pk=contact.pk).update(duration_minutes=1440)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpContact.objects.filter(pk=contact.pk).update(client=wies)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpContact.objects.filter(pk=contact.pk).update(outcome="follow_up")


def test_a_follow_up_is_a_dated_task_for_the_hub_done_once(hub, bob, alice, wies):
    due = timezone.localdate() + dt.timedelta(days=3)
    contact = help_contact(hub=hub, actor=bob, client=wies, outcome="follow_up", follow_up_on=due)
    follow_up = contact.follow_up
    assert follow_up.hub == hub and follow_up.due_on == due and not follow_up.is_done
    assert list(selectors.open_follow_ups(alice_tenancy(alice), hub)) == [follow_up]
    services.follow_up_done(follow_up, actor=alice)
    follow_up.refresh_from_db()
    assert follow_up.done_by == alice and follow_up.done_at is not None
    assert not selectors.open_follow_ups(alice_tenancy(alice), hub).exists()
    with pytest.raises(ValidationError):
        services.follow_up_done(follow_up, actor=bob)


def test_a_contact_logged_by_mistake_is_cancelled_not_deleted(hub, bob, alice, wies):
    contact = help_contact(
        hub=hub, actor=bob, client=wies, outcome="follow_up", follow_up_on=timezone.localdate(), duration_minutes=30
    )
    tenancy = alice_tenancy(alice)
    services.contact_cancel(contact, actor=alice)
    contact.refresh_from_db()
    assert contact.status == Status.CANCELLED and contact.cancelled_by == alice
    assert ClientEvent.objects.filter(client=wies, kind=services.EVENT_CANCELLED).exists()
    assert not selectors.contacts_on(tenancy, hub, timezone.localdate()).exists()
    assert not selectors.open_follow_ups(tenancy, hub).exists()
    assert selectors.minutes_per_helper(tenancy, timezone.now() - dt.timedelta(days=1), timezone.now()) == {}
    with pytest.raises(ValidationError):
        services.contact_cancel(contact, actor=alice)
    with pytest.raises(ValidationError):
        services.follow_up_done(contact.follow_up, actor=alice)
    assert contact.history.count() == 2


def test_contacts_on_counts_the_day_in_brussels_time(hub, bob, alice):
    day = dt.date(2026, 3, 29)  # the clocks go forward: a day of 23 hours
    brussels = timezone.get_current_timezone()
    early = help_contact(hub=hub, actor=bob, started_at=dt.datetime(2026, 3, 29, 0, 10, tzinfo=brussels))
    late = help_contact(hub=hub, actor=bob, started_at=dt.datetime(2026, 3, 29, 23, 50, tzinfo=brussels))
    help_contact(hub=hub, actor=bob, started_at=dt.datetime(2026, 3, 30, 0, 5, tzinfo=brussels))
    help_contact(hub=HubFactory(digibank=hub.digibank), actor=bob, started_at=early.started_at)
    assert list(selectors.contacts_on(alice_tenancy(alice), hub, day)) == [early, late]


def test_minutes_per_helper_adds_up_each_helpers_minutes(hub, bob, alice, carol, digibank_b):
    now = timezone.now()
    help_contact(hub=hub, actor=bob, duration_minutes=20)
    help_contact(hub=hub, actor=bob, duration_minutes=25)
    help_contact(hub=hub, actor=bob, helper=alice, duration_minutes=10)
    help_contact(hub=HubFactory(digibank=digibank_b), actor=carol, duration_minutes=60)
    minutes = selectors.minutes_per_helper(alice_tenancy(alice), now - dt.timedelta(hours=1), now + dt.timedelta(1))
    assert minutes == {bob.pk: 45, alice.pk: 10}


def alice_tenancy(user):
    from digibank.network.tenancy import resolve_tenancy

    return resolve_tenancy(user, None)
