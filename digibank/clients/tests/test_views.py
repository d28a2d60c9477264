"""The client screens: register in one go, duplicates before saving, bad input, every read logged."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.clients import services
from digibank.clients.models import AccessLog, Client, ClientEvent, Consent, Traits
from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.network.tests.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def register_post(**overrides):
    data = {
        "first_name": "Sébastien",
        "last_name": "Van den Broeck",
        "birth_date": "05-03-1961",
        "birth_year": "",
        "postal_code": "9000",
        "phone": "0470 12 34 56",
        "email": "",
        "language": "nl",
        "found_via": "walk_in",
        "referred_by": "",
    }
    return {**data, **overrides}


def register(digibank, actor, **overrides):
    fields = {
        "first_name": "Sébastien",
        "last_name": "Van den Broeck",
        "birth_date": dt.date(1961, 3, 5),
        "postal_code": "9000",
        "phone": "0470 12 34 56",
    }
    return services.client_register(digibank=digibank, actor=actor, **{**fields, **overrides})


def reads_of(client):
    return AccessLog.objects.filter(client=client, action=AccessLog.Action.READ).count()


# Registration -----------------------------------------------------------------------------------


def test_desk_worker_registers_a_client(login, bob, digibank_a):
    response = login(bob).post(reverse("clients:register"), register_post())
    client = Client.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("clients:client", kwargs={"pk": client.pk})
    assert (client.digibank, client.registered_by, client.phone) == (digibank_a, bob, "+32470123456")
    assert client.birth_date == dt.date(1961, 3, 5) and client.municipality.name == "Gent"
    assert [c.scope for c in client.consents.all()] == [Consent.Scope.REGISTRATION]
    assert AccessLog.objects.filter(client=client, action=AccessLog.Action.CREATE, actor=bob).exists()


def test_register_page_is_keyboard_friendly(login, bob):
    body = login(bob).get(reverse("clients:register")).content.decode()
    assert 'name="first_name"' in body and "autofocus" in body
    assert 'inputmode="numeric"' in body and 'autocomplete="off"' in body


def test_year_of_birth_is_enough(login, bob):
    response = login(bob).post(reverse("clients:register"), register_post(birth_date="", birth_year="1950"))
    assert response.status_code == 302 and Client.objects.get().birth_year == 1950


def test_consents_and_traits_are_recorded_together(login, bob):
    response = login(bob).post(
        reverse("clients:register"),
        register_post(consent_traits="on", consent_contact="on", **{"traits-income": "leefloon"}),
    )
    client = Client.objects.get()
    assert response.status_code == 302
    assert {c.scope for c in client.consents.all()} == {"registration", "traits", "contact"}
    assert client.traits.income == "leefloon"


def test_traits_without_consent_are_refused_at_the_consent(login, bob):
    response = login(bob).post(reverse("clients:register"), register_post(**{"traits-education": "primary"}))
    assert response.status_code == 400 and "consent_traits" in response.context["form"].errors
    assert not Client.objects.exists() and not Traits.objects.exists()


def test_referral_needs_a_partner_of_this_digibank(login, bob, digibank_a, digibank_b):
    own, other = PartnerFactory(digibank=digibank_a), PartnerFactory(digibank=digibank_b)
    client = login(bob)
    response = client.post(reverse("clients:register"), register_post(found_via="partner"))
    assert response.status_code == 400 and "referred_by" in response.context["form"].errors
    response = client.post(reverse("clients:register"), register_post(found_via="partner", referred_by=other.pk))
    assert response.status_code == 400 and "referred_by" in response.context["form"].errors
    assert not Client.objects.exists()
    response = client.post(reverse("clients:register"), register_post(found_via="partner", referred_by=own.pk))
    assert response.status_code == 302 and Client.objects.get().referred_by == own


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"birth_date": "01-01-2015"}, "birth_date"),  # a child
        ({"birth_date": "", "birth_year": str(dt.date.today().year - 10)}, "birth_year"),  # a child, by year
        ({"birth_date": "01-01-2090"}, "birth_date"),  # the future
        ({"birth_date": "31-02-1960"}, "birth_date"),  # no such day
        ({"birth_date": "", "birth_year": ""}, "birth_date"),  # nothing at all
        ({"phone": "0470 12"}, "phone"),
        ({"email": "niet-een-adres"}, "email"),
        ({"postal_code": "0999"}, "postal_code"),
        ({"postal_code": "75001"}, "postal_code"),  # French
        ({"first_name": "", "last_name": ""}, "first_name"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_input_gives_400_at_its_field_and_saves_nothing(login, bob, overrides, field):
    response = login(bob).post(reverse("clients:register"), register_post(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Client.objects.exists() and not AccessLog.objects.exists() and not Consent.objects.exists()


def test_minor_is_refused(login, bob):
    eleven_years_ago = dt.date.today().replace(day=1) - dt.timedelta(days=11 * 366)
    response = login(bob).post(
        reverse("clients:register"), register_post(birth_date=eleven_years_ago.strftime("%d-%m-%Y"))
    )
    assert response.status_code == 400 and response.context["form"].errors["birth_date"]
    assert not Client.objects.exists()


# Duplicates -------------------------------------------------------------------------------------


def test_possible_duplicate_is_shown_before_saving(login, bob, digibank_a):
    existing = register(digibank_a, bob, first_name="Marie", last_name="Peeters")
    response = login(bob).post(reverse("clients:register"), register_post())  # same phone
    assert response.status_code == 200
    assert response.context["duplicates"] == [existing]
    body = response.content.decode()
    assert existing.number in body and reverse("clients:client", kwargs={"pk": existing.pk}) in body
    assert 'name="different_person"' in body
    assert Client.objects.count() == 1


def test_same_name_and_birth_date_is_a_possible_duplicate(login, bob, digibank_a):
    register(digibank_a, bob, phone="")
    response = login(bob).post(reverse("clients:register"), register_post(phone="", first_name="sebastien"))
    assert response.status_code == 200 and len(response.context["duplicates"]) == 1
    assert Client.objects.count() == 1


def test_confirmed_different_person_is_saved(login, bob, digibank_a):
    register(digibank_a, bob, first_name="Marie", last_name="Peeters")
    response = login(bob).post(reverse("clients:register"), register_post(different_person="on"))
    assert response.status_code == 302 and Client.objects.count() == 2


def test_client_of_another_digibank_is_no_duplicate(login, bob, carol, digibank_b):
    register(digibank_b, carol)
    response = login(bob).post(reverse("clients:register"), register_post())
    assert response.status_code == 302 and Client.objects.count() == 2


# Search -----------------------------------------------------------------------------------------


def test_search_finds_by_name_parts_in_any_order(login, bob, digibank_a):
    client = register(digibank_a, bob)
    web = login(bob)
    for query in ("broeck seb", "sebastien van den", "SÉBASTIEN"):
        response = web.get(reverse("clients:search"), {"q": query})
        assert list(response.context["object_list"]) == [client], query


def test_scanned_client_number_opens_the_record(login, bob, digibank_a):
    client = register(digibank_a, bob)
    typed = client.number.replace("-", "").lower()
    response = login(bob).get(reverse("clients:search"), {"q": typed})
    assert response.status_code == 302 and response["Location"] == reverse("clients:client", kwargs={"pk": client.pk})


def test_each_search_is_logged_without_the_query(login, bob, digibank_a):
    register(digibank_a, bob)
    login(bob).get(reverse("clients:search"), {"q": "broeck"})
    line = AccessLog.objects.get(action=AccessLog.Action.SEARCH)
    assert line.actor == bob and line.digibank == digibank_a and line.client is None
    assert "broeck" not in line.what.lower()


def test_empty_search_box_shows_nobody_and_logs_nothing(login, bob, digibank_a):
    register(digibank_a, bob)
    response = login(bob).get(reverse("clients:search"))
    assert response.status_code == 200 and not response.context["object_list"]
    assert not AccessLog.objects.filter(action=AccessLog.Action.SEARCH).exists()


def test_search_does_not_find_clients_of_another_digibank(login, bob, carol, digibank_b):
    other = register(digibank_b, carol)
    web = login(bob)
    assert not web.get(reverse("clients:search"), {"q": "broeck"}).context["object_list"]
    assert web.get(reverse("clients:search"), {"q": other.number}).status_code == 200  # no redirect


def test_search_results_are_paginated_and_keep_the_query(login, bob, digibank_a):
    for _ in range(30):
        ClientFactory(digibank=digibank_a, last_name="Peeters", search_text="x peeters")
    response = login(bob).get(reverse("clients:search"), {"q": "peeters"})
    assert len(response.context["object_list"]) == 25 and response.context["is_paginated"]
    assert "?q=peeters&amp;page=2" in response.content.decode()


def _same_queries(web, url, make, params=None):
    make()
    with CaptureQueriesContext(connection) as few:
        assert web.get(url, params).status_code == 200
    for _ in range(20):
        make()
    with CaptureQueriesContext(connection) as many:
        response = web.get(url, params)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 12
    return response


def test_search_queries_do_not_grow_with_results(login, bob, digibank_a):
    _same_queries(
        login(bob),
        reverse("clients:search"),
        lambda: ClientFactory(digibank=digibank_a, last_name="Peeters", search_text="x peeters", phone="+32470123456"),
        {"q": "peeters"},
    )


def test_access_log_queries_do_not_grow_with_lines(login, alice, bob, digibank_a):
    client = register(digibank_a, bob)

    def make():
        services.log_access(actor=UserFactory(), digibank_id=digibank_a.pk, client=client, action="read")

    response = _same_queries(login(alice), reverse("clients:access_log"), make)
    assert len(response.context["object_list"]) == 22  # 20 + 1 + the registration


def test_timeline_queries_do_not_grow_with_events(login, bob, digibank_a):
    person = register(digibank_a, bob)

    def make():
        services.record_event(client=person, kind="help", actor=UserFactory(), summary="Hulp bij itsme")

    response = _same_queries(login(bob), reverse("clients:timeline", kwargs={"pk": person.pk}), make)
    assert len(response.context["events"]) == 22  # 21 + the registration


def test_retention_queries_do_not_grow_with_the_clients_due(login, alice, bob, digibank_a):
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)

    def make():
        ClientFactory(digibank=digibank_a, registered_by=bob, last_activity_at=long_ago)

    response = _same_queries(login(alice), reverse("clients:retention"), make)
    assert response.context["page_obj"].paginator.count == 21


# The record -------------------------------------------------------------------------------------


def test_every_view_of_a_record_is_logged_once(login, bob, digibank_a):
    client = register(digibank_a, bob)
    web = login(bob)
    response = web.get(reverse("clients:client", kwargs={"pk": client.pk}))
    assert response.status_code == 200 and client.number in response.content.decode()
    assert reads_of(client) == 1
    web.get(reverse("clients:client", kwargs={"pk": client.pk}))
    line = AccessLog.objects.filter(client=client, action=AccessLog.Action.READ).first()
    assert reads_of(client) == 2 and (line.actor, line.digibank) == (bob, digibank_a)


def test_client_of_another_digibank_is_404(login, bob, carol, digibank_b):
    other = register(digibank_b, carol)
    web = login(bob)
    for name in ("client", "client_update", "traits", "timeline", "erase"):
        assert web.get(reverse(f"clients:{name}", kwargs={"pk": other.pk})).status_code == 404, name
    assert reads_of(other) == 0


def test_technician_cannot_open_clients(client, digibank_a, bob):
    technician = UserFactory(username="tom")
    MembershipFactory(user=technician, digibank=digibank_a, role=Role.TECHNICIAN)
    person = register(digibank_a, bob)
    client.force_login(technician)
    for url in (
        reverse("clients:search"),
        reverse("clients:register"),
        reverse("clients:client", kwargs={"pk": person.pk}),
        reverse("clients:access_log"),
    ):
        assert client.get(url).status_code == 403, url
    assert reads_of(person) == 0
    assert reverse("clients:search") not in client.get(reverse("staff:home")).content.decode()


def test_trainer_reads_but_does_not_change(client, digibank_a, bob):
    trainer = UserFactory(username="tina")
    MembershipFactory(user=trainer, digibank=digibank_a, role=Role.TRAINER)
    person = register(digibank_a, bob)
    client.force_login(trainer)
    assert client.get(reverse("clients:client", kwargs={"pk": person.pk})).status_code == 200
    assert client.get(reverse("clients:client_update", kwargs={"pk": person.pk})).status_code == 403
    assert client.get(reverse("clients:register")).status_code == 403


def test_edit_a_client(login, bob, digibank_a):
    person = register(digibank_a, bob)
    data = register_post(phone="09 223 45 67", email="Seb@Example.be")
    response = login(bob).post(reverse("clients:client_update", kwargs={"pk": person.pk}), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.email) == ("+3292234567", "seb@example.be")
    assert AccessLog.objects.filter(client=person, action=AccessLog.Action.CHANGE).exists()


def test_bad_edit_gives_400_and_changes_nothing(login, bob, digibank_a):
    person = register(digibank_a, bob)
    response = login(bob).post(
        reverse("clients:client_update", kwargs={"pk": person.pk}), register_post(birth_date="01-01-2015")
    )
    assert response.status_code == 400 and "birth_date" in response.context["form"].errors
    person.refresh_from_db()
    assert person.birth_date == dt.date(1961, 3, 5)


def test_consent_given_and_withdrawn_with_traits_removed(login, bob, digibank_a):
    person = register(digibank_a, bob)
    web = login(bob)
    assert web.post(reverse("clients:traits", kwargs={"pk": person.pk}), {"education": "higher"}).status_code == 400
    response = web.post(reverse("clients:consent_give", kwargs={"pk": person.pk}), {"scope": "traits"})
    assert response.status_code == 302
    response = web.post(
        reverse("clients:traits", kwargs={"pk": person.pk}), {"education": "higher", "lives_alone": "true"}
    )
    assert response.status_code == 302
    assert (person.traits.education, person.traits.lives_alone) == ("higher", True)
    consent = person.consents.get(scope="traits", withdrawn_at__isnull=True)
    assert web.post(reverse("clients:consent_withdraw", kwargs={"pk": consent.pk})).status_code == 302
    assert not Traits.objects.filter(client=person).exists()
    kinds = list(ClientEvent.objects.filter(client=person).values_list("kind", flat=True))
    assert kinds[:2] == ["consent_withdrawn", "consent_given"]


def test_registration_consent_cannot_be_given_twice_or_a_made_up_scope(login, bob, digibank_a):
    person = register(digibank_a, bob)
    web = login(bob)
    web.post(reverse("clients:consent_give", kwargs={"pk": person.pk}), {"scope": "registration"})
    web.post(reverse("clients:consent_give", kwargs={"pk": person.pk}), {"scope": "everything"})
    assert person.consents.count() == 1


def test_timeline_newest_first_with_a_page_for_more(login, bob, digibank_a):
    person = register(digibank_a, bob)
    for n in range(25):
        services.record_event(client=person, kind="help", summary=f"contact {n}")
    web = login(bob)
    response = web.get(reverse("clients:client", kwargs={"pk": person.pk}))
    assert len(response.context["events"]) == 20 and response.context["more_events"]
    assert response.context["events"][0].summary == "contact 24"
    assert reverse("clients:timeline", kwargs={"pk": person.pk}) in response.content.decode()
    response = web.get(reverse("clients:timeline", kwargs={"pk": person.pk}))
    assert len(response.context["events"]) == 26 and reads_of(person) == 2


def test_erase_asks_for_a_reason_then_leaves_only_the_events(login, bob, digibank_a):
    person = register(digibank_a, bob)
    web = login(bob)
    url = reverse("clients:erase", kwargs={"pk": person.pk})
    assert web.get(url).status_code == 200
    assert web.post(url, {"reason": ""}).status_code == 400
    assert Client.objects.get().status == Client.Status.ACTIVE
    assert web.post(url, {"reason": "request"}).status_code == 302
    person.refresh_from_db()
    assert person.is_anonymised and person.first_name == ""
    assert AccessLog.objects.filter(client=person, action=AccessLog.Action.ERASE, actor=bob).exists()
    response = web.get(reverse("clients:client", kwargs={"pk": person.pk}))
    body = response.content.decode()
    assert response.status_code == 200 and "Broeck" not in body and "+32470" not in body
    assert reverse("clients:client_update", kwargs={"pk": person.pk}) not in body
    assert response.context["events"]  # the journey stays
    assert web.get(reverse("clients:client_update", kwargs={"pk": person.pk})).status_code == 404
    assert web.post(url, {"reason": "again"}).status_code == 404


# The access log ---------------------------------------------------------------------------------


def test_coordinator_sees_the_log_newest_first_and_filters_by_number(login, alice, bob, digibank_a):
    first, second = register(digibank_a, bob), register(digibank_a, bob, phone="", first_name="Ann")
    web = login(alice)
    web.get(reverse("clients:client", kwargs={"pk": first.pk}))
    lines = list(web.get(reverse("clients:access_log")).context["object_list"])
    assert lines[0].action == "read" and lines[0].client == first and len(lines) == 3
    filtered = web.get(reverse("clients:access_log"), {"client": second.number.replace("-", "")})
    assert [line.client for line in filtered.context["object_list"]] == [second]


def test_access_log_shows_only_this_digibank(login, alice, carol, digibank_b):
    register(digibank_b, carol)
    assert not login(alice).get(reverse("clients:access_log")).context["object_list"]


def test_desk_worker_cannot_see_the_access_log(login, bob):
    assert login(bob).get(reverse("clients:access_log")).status_code == 403


def test_access_log_has_no_write_route(login, alice, bob, digibank_a):
    register(digibank_a, bob)
    before = list(AccessLog.objects.values_list("pk", "action", "what"))
    web = login(alice)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(web, method)(reverse("clients:access_log")).status_code == 405
    assert list(AccessLog.objects.values_list("pk", "action", "what")) == before
    assert '<form method="post"' not in web.get(reverse("clients:access_log")).content.decode()


# Card and export --------------------------------------------------------------------------------


def test_card_is_a_pdf_and_its_print_is_logged(login, bob, digibank_a):
    person = register(digibank_a, bob)
    response = login(bob).get(reverse("clients:card", kwargs={"pk": person.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(client=person, action=AccessLog.Action.READ, what="client card").exists()


def test_export_asks_for_confirmation_then_is_logged(login, bob, digibank_a):
    person = register(digibank_a, bob)
    web = login(bob)
    url = reverse("clients:export", kwargs={"pk": person.pk})
    assert web.get(url).status_code == 200
    assert not AccessLog.objects.filter(client=person, action=AccessLog.Action.EXPORT).exists()
    response = web.post(url, {"format": "json"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "Broeck" in response.content.decode()
    response = web.post(url, {"format": "html"})
    assert response.status_code == 200 and "Broeck" in response.content.decode()
    assert web.post(url, {"format": "exe"}).status_code == 400
    assert AccessLog.objects.filter(client=person, action=AccessLog.Action.EXPORT, actor=bob).count() == 2
