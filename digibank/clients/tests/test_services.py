import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from digibank.clients import selectors, services
from digibank.clients.models import AccessLog, Client, Consent, Traits
from digibank.clients.numbers import new_client_number, normalise
from digibank.core.tenancy import Tenancy

pytestmark = pytest.mark.django_db


def register(digibank, actor, **overrides):
    fields = {
        "first_name": "Sébastien",
        "last_name": "Van den Broeck",
        "birth_date": dt.date(1961, 3, 5),
        "postal_code": "9000",
        "phone": "0470 12 34 56",
    }
    return services.client_register(digibank=digibank, actor=actor, **{**fields, **overrides})


def as_tenancy(digibank):
    return Tenancy(user_id=1, digibank_id=digibank.pk, roles=("desk",))


def test_registration_keeps_the_least_and_logs_it(digibank_a, bob):
    client = register(digibank_a, bob)
    assert client.phone == "+32470123456" and client.municipality.name == "Gent" and client.birth_year == 1961
    assert normalise(client.number) == client.number
    assert client.consents.get().scope == Consent.Scope.REGISTRATION
    assert client.consents.get().notice.version == 1
    assert AccessLog.objects.filter(client=client, action="create", actor=bob).exists()
    assert [e.kind for e in client.events.all()] == ["registered"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"birth_date": dt.date(2015, 1, 1)}, "birth_date"),  # a child
        ({"birth_date": dt.date(2031, 1, 1)}, "birth_date"),  # the future
        ({"birth_date": None, "birth_year": None}, "birth_date"),  # nothing at all
        ({"birth_date": None, "birth_year": 2012}, "birth_year"),
        ({"phone": "0470 12"}, "phone"),
        ({"email": "niet-een-adres"}, "email"),
        ({"postal_code": "0999"}, "postal_code"),
        ({"first_name": "", "last_name": ""}, "first_name"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(digibank_a, bob, overrides, field):
    with pytest.raises(ValidationError) as error:
        register(digibank_a, bob, **overrides)
    assert field in error.value.message_dict
    assert not Client.objects.exists() and not AccessLog.objects.exists()


def test_year_of_birth_alone_is_enough_for_an_adult(digibank_a, bob):
    assert register(digibank_a, bob, birth_date=None, birth_year=1950).birth_year == 1950


def test_brussels_postal_code_is_belgian_but_has_no_flemish_municipality(digibank_a, bob):
    client = register(digibank_a, bob, postal_code="1000")
    assert client.municipality is None


def test_traits_need_their_own_consent(digibank_a, bob):
    with pytest.raises(ValidationError):
        register(digibank_a, bob, traits={"education": "primary"})
    client = register(digibank_a, bob, traits={"education": "primary"}, consents=(Consent.Scope.TRAITS,))
    assert client.traits.education == "primary"


def test_withdrawing_the_traits_consent_removes_the_traits(digibank_a, bob):
    client = register(digibank_a, bob, traits={"income": "leefloon"}, consents=(Consent.Scope.TRAITS,))
    consent = client.consents.get(scope=Consent.Scope.TRAITS)
    services.consent_withdraw(consent=consent, actor=bob)
    assert not Traits.objects.filter(client=client).exists()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None  # withdrawn, not deleted
    with pytest.raises(ValidationError):
        services.traits_set(client=client, actor=bob, income="work")


@pytest.mark.parametrize("query", ["broeck seb", "sebastien van den", "SÉBASTIEN", "van den broeck", "Broeck"])
def test_search_finds_a_name_by_parts_in_any_order(digibank_a, bob, query):
    client = register(digibank_a, bob)
    register(digibank_a, bob, first_name="Sebastiaan", last_name="Peeters", phone="")
    assert list(selectors.client_search(as_tenancy(digibank_a), query)) == [client]


def test_search_by_number_phone_and_email(digibank_a, bob):
    client = register(digibank_a, bob, email="seb@example.be")
    tenancy = as_tenancy(digibank_a)
    assert list(selectors.client_search(tenancy, client.number.lower().replace("-", ""))) == [client]
    assert list(selectors.client_search(tenancy, "+32 470 12 34 56")) == [client]
    assert list(selectors.client_search(tenancy, "SEB@example.be")) == [client]
    assert list(selectors.client_search(tenancy, "broe seba")) == [client]
    assert list(selectors.client_search(tenancy, "roeck")) == []  # a word is found by its start


def test_search_never_crosses_digibanks(digibank_a, digibank_b, bob, carol):
    register(digibank_b, carol)
    assert list(selectors.client_search(as_tenancy(digibank_a), "broeck")) == []


def test_unconfirmed_registration_of_a_known_person_is_refused_with_who(digibank_a, bob):
    existing = register(digibank_a, bob, first_name="Jan")
    for again in ({"first_name": "Jan", "last_name": "Van den Broeck"}, {"first_name": "Els", "last_name": "Peeters"}):
        with pytest.raises(ValidationError) as refused:
            services.client_register(
                digibank=digibank_a, actor=bob, birth_date=dt.date(1961, 3, 5), phone="0470123456", **again
            )
        assert refused.value.duplicates == [existing]
    assert Client.objects.count() == 1


def test_same_name_with_only_a_year_of_birth_is_a_possible_duplicate(digibank_a, bob):
    existing = register(digibank_a, bob, birth_date=None, birth_year=1961, phone="")
    with pytest.raises(services.PossibleDuplicates) as refused:
        register(digibank_a, bob, birth_date=None, birth_year=1961, phone="", first_name="sebastien")
    assert refused.value.duplicates == [existing]


def test_confirmed_new_person_with_the_same_name_and_birth_date_is_registered(digibank_a, bob):
    first = register(digibank_a, bob, first_name="Jan", phone="")
    namesake = services.client_register(
        digibank=digibank_a,
        actor=bob,
        first_name="Jan",
        last_name="Van den Broeck",
        birth_date=dt.date(1961, 3, 5),
        new_person_confirmed=True,
    )
    assert {c.pk for c in Client.objects.all()} == {first.pk, namesake.pk}


def test_possible_duplicates_by_name_and_birth_date_or_phone(digibank_a, bob):
    client = register(digibank_a, bob)
    tenancy = as_tenancy(digibank_a)
    same_name = selectors.possible_duplicates(
        tenancy, first_name="sebastien", last_name="van den broeck", birth_date=dt.date(1961, 3, 5), phone=""
    )
    same_phone = selectors.possible_duplicates(
        tenancy, first_name="X", last_name="Y", birth_date=None, phone="0470123456"
    )
    other = selectors.possible_duplicates(
        tenancy,
        first_name="sebastien",
        last_name="van den broeck",
        birth_date=dt.date(1961, 3, 6),
        phone="0471 00 00 00",
    )
    assert list(same_name) == [client] and list(same_phone) == [client] and list(other) == []


def test_client_numbers_catch_a_typing_error():
    number = new_client_number()
    assert normalise(number) == number and normalise(number.replace("-", "").lower()) == number
    wrong = number[:2] + ("3" if number[2] != "3" else "4") + number[3:]
    assert normalise(wrong) == ""


def test_anonymising_keeps_the_counts_and_removes_the_person(digibank_a, bob):
    client = register(
        digibank_a, bob, email="seb@example.be", traits={"education": "higher"}, consents=(Consent.Scope.TRAITS,)
    )
    services.record_event(client=client, kind="contact", actor=bob, summary="itsme")
    old_number = client.number
    services.client_anonymise(client=client, actor=bob, reason="op vraag van de persoon")
    client.refresh_from_db()
    assert (client.first_name, client.last_name, client.phone, client.email, client.birth_date) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert client.number != old_number and client.age_band == "65-74" and client.municipality.name == "Gent"
    assert client.events.count() == 2 and not Traits.objects.filter(client=client).exists()
    assert AccessLog.objects.filter(client=client, action="erase").exists()


def test_access_log_cannot_be_changed_or_deleted(digibank_a, bob):
    register(digibank_a, bob)
    line = AccessLog.objects.get()
    line.what = "tampered"
    with pytest.raises(PermissionError):
        line.save()
    with pytest.raises(PermissionError):
        line.delete()


def test_database_refuses_to_change_the_access_log_even_past_the_model(digibank_a, bob):
    from django.db import DatabaseError

    register(digibank_a, bob)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.update(what="tampered")
    assert AccessLog.objects.get().what == ""


@pytest.mark.postgres
def test_database_refuses_to_delete_the_access_log(digibank_a, bob):
    from django.db import DatabaseError

    register(digibank_a, bob)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 1


def test_privacy_notice_versions_follow_each_other(digibank_a, alice):
    first = services.current_notice(digibank=digibank_a, actor=alice)
    second = services.privacy_notice_publish(digibank=digibank_a, text="Nieuwe tekst", actor=alice)
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(first).objects.create(digibank=digibank_a, version=2, text="x", published_by=alice)


def test_anonymised_client_gets_no_traits_again_and_the_reason_text_is_not_kept(digibank_a, bob):
    client = register(digibank_a, bob, traits={"education": "higher"}, consents=(Consent.Scope.TRAITS,))
    services.client_anonymise(client=client, actor=bob, reason="Sébastien vroeg het zelf")
    assert not client.consents.filter(withdrawn_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.traits_set(client=client, actor=bob, education="primary")
    assert AccessLog.objects.get(action="erase").what == "anonymised: other"


def test_changing_only_the_birth_date_moves_the_year_along(digibank_a, bob):
    client = register(digibank_a, bob)
    services.client_update(client=client, actor=bob, birth_date=dt.date(1970, 1, 2))
    client.refresh_from_db()
    assert client.birth_year == 1970


def test_unknown_consent_kind_is_refused(digibank_a, bob):
    with pytest.raises(ValidationError):
        register(digibank_a, bob, consents=("everything",))


def test_possible_duplicate_by_name_and_birth_year(digibank_a, bob):
    client = register(digibank_a, bob, birth_date=None, birth_year=1961)
    found = selectors.possible_duplicates(
        as_tenancy(digibank_a),
        first_name="Sebastien",
        last_name="van den Broeck",
        birth_date=None,
        birth_year=1961,
        phone="",
    )
    assert list(found) == [client]
