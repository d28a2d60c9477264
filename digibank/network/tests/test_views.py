"""The staff screens: what each role may do, bad input, and how many queries a list costs."""

import datetime as dt

import pytest
from django.urls import reverse

from digibank.core.roles import Role
from digibank.network import services
from digibank.network.models import Hub, Municipality, OpeningHours, Partner
from digibank.network.tests.factories import HubFactory, MembershipFactory, OpeningHoursFactory, PartnerFactory

pytestmark = pytest.mark.django_db
T = dt.time


def hub_post(**overrides):
    data = {
        "name": "Digipunt Dampoort",
        "street": "Dampoortstraat 1",
        "postal_code": "9000",
        "municipality": "",
        "offers_guidance": "on",
        "d0_0_opens": "09:00",
        "d0_0_closes": "12:00",
    }
    return {**data, **overrides}


# Hubs -----------------------------------------------------------------------------------------


def test_coordinator_adds_a_hub_with_its_week(login, alice, digibank_a):
    response = login(alice).post(reverse("staff:hub_create"), hub_post(d0_1_opens="13:00", d0_1_closes="16:00"))
    hub = Hub.objects.get(name="Digipunt Dampoort")
    assert response.status_code == 302 and response["Location"] == reverse("staff:hub", kwargs={"pk": hub.pk})
    assert hub.digibank == digibank_a and hub.municipality.name == "Gent"
    assert [(h.opens, h.closes) for h in hub.opening_hours.all()] == [(T(9), T(12)), (T(13), T(16))]


def test_inverted_hours_get_a_dutch_message_at_the_field_and_save_nothing(login, alice):
    response = login(alice).post(reverse("staff:hub_create"), hub_post(d0_0_opens="12:00", d0_0_closes="09:00"))
    assert response.status_code == 400
    assert response.context["week"].errors["d0_0_closes"] == ["Het sluitingsuur moet later zijn dan het openingsuur."]
    assert not Hub.objects.exists() and not OpeningHours.objects.exists()


def test_overlapping_periods_get_a_message_at_the_second_period(login, alice):
    response = login(alice).post(
        reverse("staff:hub_create"),
        hub_post(d0_0_opens="09:00", d0_0_closes="12:00", d0_1_opens="11:00", d0_1_closes="14:00"),
    )
    assert response.status_code == 400 and "d0_1_opens" in response.context["week"].errors
    assert not Hub.objects.exists()


def test_unknown_postal_code_gets_a_message_at_the_field(login, alice):
    response = login(alice).post(reverse("staff:hub_create"), hub_post(postal_code="9999"))
    assert response.status_code == 400
    assert "postal_code" in response.context["form"].errors
    assert "aria-invalid" in response.content.decode()
    assert not Hub.objects.exists()


def test_hub_outside_the_service_area_is_refused_at_the_field(login, alice):
    response = login(alice).post(reverse("staff:hub_create"), hub_post(postal_code="2300", municipality="13040"))
    assert response.status_code == 400 and "municipality" in response.context["form"].errors
    assert not Hub.objects.exists()


def test_postal_code_of_another_municipality_in_the_area_is_refused(login, alice):
    response = login(alice).post(reverse("staff:hub_create"), hub_post(postal_code="9090", municipality="44021"))
    assert response.status_code == 400 and "postal_code" in response.context["form"].errors


def test_editing_a_hub_replaces_its_week_and_keeps_the_old_in_history(login, alice, digibank_a):
    hub = services.hub_create(
        digibank=digibank_a,
        actor=alice,
        name="Oud",
        street="Straat 1",
        postal_code="9000",
        opening_hours=[(0, T(9), T(12))],
    )
    response = login(alice).post(
        reverse("staff:hub_update", kwargs={"pk": hub.pk}),
        hub_post(name="Nieuw", d0_0_opens="", d0_0_closes="", d2_0_opens="10:00", d2_0_closes="12:00"),
    )
    assert response.status_code == 302
    hub.refresh_from_db()
    assert hub.name == "Nieuw"
    assert list(hub.opening_hours.values_list("weekday", flat=True)) == [2]
    page = login(alice).get(reverse("staff:hub", kwargs={"pk": hub.pk})).content.decode()
    assert "Alice Claes" in page  # the history names who changed it


def test_desk_worker_sees_hubs_but_cannot_add_one(login, bob):
    client = login(bob)
    assert client.get(reverse("staff:hubs")).status_code == 200
    assert client.get(reverse("staff:hub_create")).status_code == 403
    assert client.post(reverse("staff:hub_create"), hub_post()).status_code == 403
    assert not Hub.objects.exists()


def test_closure_is_added_and_shown(login, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    response = login(alice).post(
        reverse("staff:hub_exception_create", kwargs={"pk": hub.pk}),
        {"starts_on": "2026-12-24", "ends_on": "2026-12-26", "reason": "Kerstmis"},
    )
    assert response.status_code == 302
    assert hub.exceptions.get().reason == "Kerstmis"


def test_closure_ending_before_it_starts_is_refused(login, alice, digibank_a):
    hub = HubFactory(digibank=digibank_a)
    response = login(alice).post(
        reverse("staff:hub_exception_create", kwargs={"pk": hub.pk}),
        {"starts_on": "2026-12-24", "ends_on": "2026-12-20"},
    )
    assert response.status_code == 400 and "ends_on" in response.context["form"].errors
    assert not hub.exceptions.exists()


# Partners -------------------------------------------------------------------------------------


def test_wrong_check_digit_gets_a_dutch_message_and_saves_nothing(login, alice):
    response = login(alice).post(
        reverse("staff:partner_create"),
        {
            "name": "OCMW Gent",
            "kind": "ocmw",
            "role": "Toeleiding",
            "enterprise_number": "0403.170.702",
            "joined_on": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["enterprise_number"] == [
        "Dit is geen geldig ondernemingsnummer: kijk de tien cijfers na (bijvoorbeeld 0403.170.701)."
    ]
    assert not Partner.objects.exists()


def test_coordinator_adds_a_partner(login, alice, digibank_a):
    response = login(alice).post(
        reverse("staff:partner_create"),
        {
            "name": "OCMW Gent",
            "kind": "ocmw",
            "role": "Toeleiding",
            "enterprise_number": "0403.170.701",
            "joined_on": "2024-01-01",
        },
    )
    partner = Partner.objects.get()
    assert response.status_code == 302 and partner.digibank == digibank_a
    assert partner.enterprise_number == "0403170701"


# Service area and roles -----------------------------------------------------------------------


def test_service_area_cannot_drop_a_municipality_with_a_hub(login, alice, digibank_a):
    HubFactory(digibank=digibank_a, municipality=Municipality.objects.get(pk="44021"), postal_code="9000")
    response = login(alice).post(reverse("staff:settings"), {"part": "area", "municipalities": ["44088"]})
    assert response.status_code == 400
    assert "municipalities" in response.context["area"].errors
    assert digibank_a.service_area.filter(pk="44021").exists()


def test_coordinator_gives_a_new_person_a_role(login, alice, digibank_a):
    response = login(alice).post(
        reverse("staff:member_create"), {"email": "nina@example.be", "first_name": "Nina", "role": Role.TECHNICIAN}
    )
    assert response.status_code == 302
    assert digibank_a.memberships.filter(user__email="nina@example.be", role=Role.TECHNICIAN).exists()


def test_partner_worker_needs_a_partner(login, alice, digibank_a):
    response = login(alice).post(
        reverse("staff:member_create"), {"email": "nina@example.be", "first_name": "Nina", "role": Role.PARTNER_WORKER}
    )
    assert response.status_code == 200 and "partner" in response.context["form"].errors


def test_desk_worker_cannot_manage_roles(login, bob):
    assert login(bob).get(reverse("staff:members")).status_code == 403


# Choosing a digibank --------------------------------------------------------------------------


def test_person_in_two_digibanks_chooses_one_first(login, erin, digibank_b):
    client = login(erin)
    response = client.get(reverse("staff:hubs"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:choose"))
    client.post(reverse("staff:choose"), {"digibank": digibank_b.pk})
    assert client.get(reverse("staff:hubs")).status_code == 200
    # In Kempen erin is a desk worker: she may not add hubs there.
    assert client.get(reverse("staff:hub_create")).status_code == 403


def test_choosing_a_digibank_without_a_role_there_is_refused(login, alice, digibank_b):
    client = login(alice)
    client.post(reverse("staff:choose"), {"digibank": digibank_b.pk})
    assert client.session.get("digibank_id") != digibank_b.pk


# The Department -------------------------------------------------------------------------------


def test_department_sees_coverage_per_province(login, dave, digibank_a, digibank_b):
    response = login(dave).get(reverse("staff:coverage"))
    flanders = response.context["flanders"]
    assert flanders.total == 285 and flanders.covered == 4
    east = next(p for p in response.context["provinces"] if p.code == "40000")
    assert east.covered == 2 and "Gent" not in [m.name for m in east.uncovered]


def test_completed_digibank_does_not_cover(login, dave, digibank_a):
    digibank_a.phase = "afgerond"
    digibank_a.save()
    assert login(dave).get(reverse("staff:coverage")).context["flanders"].covered == 0


def test_coordinator_cannot_open_department_pages(login, alice):
    assert login(alice).get(reverse("staff:coverage")).status_code == 403
    assert login(alice).get(reverse("staff:department")).status_code == 403


# Lists are paginated and cost the same number of queries for 2 rows or 30 -------------------


def _queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url_name, make",
    [
        ("staff:hubs", lambda d: OpeningHoursFactory(hub=HubFactory(digibank=d))),
        ("staff:partners", lambda d: PartnerFactory(digibank=d)),
        ("staff:members", lambda d: MembershipFactory(digibank=d, role=Role.DESK)),
    ],
)
def test_list_queries_do_not_grow_with_rows(url_name, make, login, alice, digibank_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(alice)
    make(digibank_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    for _ in range(30):
        make(digibank_a)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 12


def test_hub_list_is_paginated(login, alice, digibank_a):
    for _ in range(30):
        HubFactory(digibank=digibank_a)
    response = login(alice).get(reverse("staff:hubs"))
    assert len(response.context["object_list"]) == 25 and response.context["is_paginated"]


def test_department_overview_queries_do_not_grow(login, dave, digibank_a, django_assert_max_num_queries):
    from digibank.network.tests.factories import DigibankFactory

    for _ in range(20):
        DigibankFactory(service_area=["44021"])
    client = login(dave)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("staff:department"))
    assert len(response.context["object_list"]) == 21


# Log-in ---------------------------------------------------------------------------------------


def test_login_is_locked_after_five_wrong_passwords(client, alice):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_with_right_password_reaches_the_staff_home(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(reverse("staff:home")).status_code == 200


def test_interface_switches_to_english(client, alice):
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/staff/"})
    assert "Hubs" in client.get(reverse("staff:home")).content.decode()
    client.post(reverse("set_language"), {"language": "nl-be", "next": "/staff/"})
    assert "Knooppunten" in client.get(reverse("staff:home")).content.decode()


def test_dutch_is_the_default_whatever_the_browser_asks(client):
    page = client.get(reverse("public:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in page


def test_department_starts_a_digibank_with_its_first_coordinator(login, dave):
    response = login(dave).post(
        reverse("staff:department_start"),
        {
            "name": "Digibank Waasland",
            "slug": "waasland",
            "phase": "voortraject",
            "service_area": ["46021"],
            "coordinator_email": "coord@waasland.be",
            "coordinator_first_name": "Wim",
        },
    )
    assert response.status_code == 302
    from digibank.network.models import Digibank

    digibank = Digibank.objects.get(slug="waasland")
    assert list(digibank.service_area.values_list("name", flat=True)) == ["Sint-Niklaas"]
    assert digibank.memberships.get().user.email == "coord@waasland.be"


def test_digibank_with_a_name_in_use_is_refused_and_nothing_is_made(login, dave, digibank_a):
    from django.contrib.auth import get_user_model

    response = login(dave).post(
        reverse("staff:department_start"),
        {
            "name": "Digibank Gent",
            "slug": "gent-2",
            "phase": "voortraject",
            "service_area": ["44021"],
            "coordinator_email": "nieuw@gent.be",
            "coordinator_first_name": "Nel",
        },
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not get_user_model().objects.filter(email="nieuw@gent.be").exists()


def test_reviewer_cannot_start_a_digibank(login):
    from digibank.network.tests.factories import UserFactory

    reviewer = UserFactory(reviewer=True)
    assert login(reviewer).get(reverse("staff:department")).status_code == 200
    assert login(reviewer).get(reverse("staff:department_start")).status_code == 403


def test_department_changes_the_phase(login, dave, digibank_a):
    login(dave).post(reverse("staff:department_phase", kwargs={"pk": digibank_a.pk}), {"phase": "afgerond"})
    digibank_a.refresh_from_db()
    assert digibank_a.phase == "afgerond"
    assert digibank_a.history.latest().history_user == dave


def test_staff_member_chooses_a_password_through_the_mailed_link(client, mailoutbox):
    import re

    from digibank.network.tests.factories import UserFactory

    UserFactory(username="nina", email="nina@example.be")
    client.post(reverse("password_reset"), {"email": "nina@example.be"})
    link = re.search(r"https?://[^/]+(/wachtwoord/\S+/)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "een-lang-wachtwoord-7", "new_password2": "een-lang-wachtwoord-7"},
    )
    response = client.post(reverse("login"), {"username": "nina", "password": "een-lang-wachtwoord-7"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_person_without_any_role_is_told_to_ask_a_coordinator(login):
    from digibank.network.tests.factories import UserFactory

    client = login(UserFactory())
    response = client.get(reverse("staff:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:choose")
    assert "U hebt nog geen rol in een digibank." in response.content.decode()
    assert client.get(reverse("staff:hubs")).status_code == 403


def test_refusal_is_explained_in_dutch(login, bob):
    response = login(bob).get(reverse("staff:members"))
    assert response.status_code == 403
    assert "Uw rol laat dit niet toe" in response.content.decode()
