import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from digibank.core.roles import Role
from digibank.network import services
from digibank.network.models import Hub, HubException, Membership, Municipality, OpeningHours, Partner
from digibank.network.tests.factories import HubFactory, MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db
T = dt.time
GENT = "44021"


def hub_fields(**overrides):
    fields = {
        "name": "Digipunt Dampoort",
        "street": "Dampoortstraat 1",
        "postal_code": "9000",
        "municipality": Municipality.objects.get(pk=GENT),
    }
    return {**fields, **overrides}


# Partners -------------------------------------------------------------------------------------


def test_partner_with_valid_enterprise_number_is_saved_compact(digibank_a, alice):
    partner = services.partner_create(
        digibank=digibank_a,
        actor=alice,
        name="OCMW Gent",
        kind="ocmw",
        role="Toeleiding",
        enterprise_number="BE 0403.170.701",
    )
    assert partner.enterprise_number == "0403170701"
    assert partner.enterprise_number_display == "0403.170.701"


def test_partner_with_wrong_check_digit_is_refused_and_not_saved(digibank_a, alice):
    with pytest.raises(ValidationError) as error:
        services.partner_create(
            digibank=digibank_a,
            actor=alice,
            name="OCMW Gent",
            kind="ocmw",
            role="Toeleiding",
            enterprise_number="0403.170.702",
        )
    assert "enterprise_number" in error.value.message_dict
    assert not Partner.objects.exists()


def test_same_organisation_twice_in_one_digibank_is_refused(digibank_a, alice):
    PartnerFactory(digibank=digibank_a, enterprise_number="0403170701")
    with pytest.raises(ValidationError):
        services.partner_create(
            digibank=digibank_a, actor=alice, name="Dubbel", kind="ocmw", role="x", enterprise_number="0403170701"
        )


def test_same_organisation_may_partner_two_digibanks(digibank_a, digibank_b, alice):
    PartnerFactory(digibank=digibank_b, enterprise_number="0403170701")
    services.partner_create(
        digibank=digibank_a, actor=alice, name="Zelfde", kind="ocmw", role="x", enterprise_number="0403170701"
    )
    assert Partner.objects.filter(enterprise_number="0403170701").count() == 2


def test_partner_cannot_leave_before_joining(digibank_a, alice):
    with pytest.raises(ValidationError):
        services.partner_create(
            digibank=digibank_a,
            actor=alice,
            name="X",
            kind="ocmw",
            role="x",
            joined_on=dt.date(2025, 1, 1),
            left_on=dt.date(2024, 1, 1),
        )


def test_partner_change_is_in_its_history_with_who_did_it(digibank_a, alice):
    partner = PartnerFactory(digibank=digibank_a)
    services.partner_update(partner=partner, actor=alice, role="Trekker")
    latest = partner.history.latest()
    assert latest.role == "Trekker" and latest.history_user == alice and latest.history_type == "~"


# Hubs -----------------------------------------------------------------------------------------


def test_hub_is_created_with_its_week(digibank_a, alice):
    hub = services.hub_create(
        digibank=digibank_a, actor=alice, **hub_fields(), opening_hours=[(0, T(9), T(12)), (0, T(13), T(16))]
    )
    assert [(h.weekday, h.opens, h.closes) for h in hub.opening_hours.all()] == [(0, T(9), T(12)), (0, T(13), T(16))]
    assert hub.history.latest().history_user == alice


def test_hub_takes_its_municipality_from_the_postal_code(digibank_a, alice):
    hub = services.hub_create(digibank=digibank_a, actor=alice, **hub_fields(municipality=None, postal_code="9090"))
    assert hub.municipality.name == "Merelbeke-Melle"


def test_hub_outside_the_service_area_is_refused(digibank_a, alice):
    with pytest.raises(ValidationError) as error:
        services.hub_create(
            digibank=digibank_a,
            actor=alice,
            **hub_fields(postal_code="2300", municipality=Municipality.objects.get(name="Turnhout")),
        )
    assert "municipality" in error.value.message_dict
    assert not Hub.objects.exists()


def test_hub_with_unknown_postal_code_is_refused(digibank_a, alice):
    with pytest.raises(ValidationError) as error:
        services.hub_create(digibank=digibank_a, actor=alice, **hub_fields(postal_code="9999"))
    assert "postal_code" in error.value.message_dict


def test_hub_with_postal_code_of_another_municipality_is_refused(digibank_a, alice):
    with pytest.raises(ValidationError) as error:
        services.hub_create(digibank=digibank_a, actor=alice, **hub_fields(postal_code="9090"))
    assert "postal_code" in error.value.message_dict


@pytest.mark.parametrize(
    "periods",
    [
        [(0, T(12), T(9))],  # inverted
        [(0, T(9), T(9))],  # empty
        [(0, T(9), T(12)), (0, T(11), T(14))],  # overlapping
    ],
)
def test_bad_week_is_refused_and_hub_not_saved(digibank_a, alice, periods):
    with pytest.raises(ValidationError) as error:
        services.hub_create(digibank=digibank_a, actor=alice, **hub_fields(), opening_hours=periods)
    assert "opening_hours" in error.value.message_dict
    assert not Hub.objects.exists() and not OpeningHours.objects.exists()


def test_replacing_the_week_keeps_the_old_one_in_history(digibank_a, alice):
    hub = services.hub_create(digibank=digibank_a, actor=alice, **hub_fields(), opening_hours=[(0, T(9), T(12))])
    services.opening_hours_set(hub=hub, periods=[(1, T(10), T(12))], actor=alice)
    assert list(hub.opening_hours.values_list("weekday", flat=True)) == [1]
    assert OpeningHours.history.filter(hub_id=hub.pk, history_type="-", weekday=0).exists()


def test_database_refuses_inverted_hours_even_without_the_service(digibank_a):
    from django.db import IntegrityError, transaction

    hub = HubFactory(digibank=digibank_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(hub=hub, weekday=0, opens=T(12), closes=T(9))


def test_exceptions_of_one_hub_may_not_cover_the_same_day(digibank_a, alice):
    hub = HubFactory(digibank=digibank_a)
    services.hub_exception_add(hub=hub, actor=alice, starts_on=dt.date(2026, 12, 24), ends_on=dt.date(2026, 12, 31))
    with pytest.raises(ValidationError):
        services.hub_exception_add(hub=hub, actor=alice, starts_on=dt.date(2026, 12, 31), ends_on=dt.date(2027, 1, 2))
    assert HubException.objects.count() == 1


def test_exception_with_one_time_only_is_refused(digibank_a, alice):
    hub = HubFactory(digibank=digibank_a)
    with pytest.raises(ValidationError):
        services.hub_exception_add(
            hub=hub, actor=alice, starts_on=dt.date(2026, 12, 24), ends_on=dt.date(2026, 12, 24), opens=T(9)
        )


def test_exception_ending_before_it_starts_is_refused(digibank_a, alice):
    hub = HubFactory(digibank=digibank_a)
    with pytest.raises(ValidationError):
        services.hub_exception_add(hub=hub, actor=alice, starts_on=dt.date(2026, 12, 24), ends_on=dt.date(2026, 12, 20))


# Service area ---------------------------------------------------------------------------------


def test_service_area_cannot_drop_a_municipality_with_an_open_hub(digibank_a, alice):
    HubFactory(digibank=digibank_a, municipality=Municipality.objects.get(pk=GENT), postal_code="9000")
    with pytest.raises(ValidationError) as error:
        services.service_area_set(
            digibank=digibank_a, actor=alice, municipalities=Municipality.objects.filter(pk="44088")
        )
    assert "service_area" in error.value.message_dict
    assert digibank_a.service_area.filter(pk=GENT).exists()


def test_service_area_change_is_in_history(digibank_a, alice):
    services.service_area_set(
        digibank=digibank_a, actor=alice, municipalities=Municipality.objects.filter(pk__in=[GENT, "44013"])
    )
    assert set(digibank_a.service_area.values_list("pk", flat=True)) == {GENT, "44013"}
    assert digibank_a.history.filter(history_user=alice).exists()


def test_empty_service_area_is_refused(digibank_a, alice):
    with pytest.raises(ValidationError):
        services.service_area_set(digibank=digibank_a, actor=alice, municipalities=[])


# Roles ----------------------------------------------------------------------------------------


def test_granting_a_role_to_a_new_person_mails_them_a_password_link(
    digibank_a, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_grant_by_email(
            digibank=digibank_a, actor=alice, email="Nieuw@Example.be", first_name="Nina", role=Role.DESK
        )
    assert membership.user.email == "nieuw@example.be"
    assert [m.to for m in mailoutbox] == [["nieuw@example.be"]]
    assert "/wachtwoord/" in mailoutbox[0].body


def test_same_role_twice_is_refused(digibank_a, alice, bob):
    with pytest.raises(ValidationError):
        services.membership_grant(digibank=digibank_a, user=bob, role=Role.DESK, actor=alice)


def test_partner_of_another_digibank_cannot_employ_a_partner_worker(digibank_a, digibank_b, alice, bob):
    with pytest.raises(ValidationError):
        services.membership_grant(
            digibank=digibank_a,
            user=bob,
            role=Role.PARTNER_WORKER,
            actor=alice,
            partner=PartnerFactory(digibank=digibank_b),
        )


def test_ending_a_role_keeps_the_row(digibank_a, alice, bob):
    membership = Membership.objects.get(user=bob)
    services.membership_end(membership=membership, actor=alice)
    membership.refresh_from_db()
    assert membership.is_active is False


def test_last_coordinator_cannot_be_ended(digibank_a, alice):
    with pytest.raises(ValidationError):
        services.membership_end(membership=Membership.objects.get(user=alice), actor=alice)
    second = MembershipFactory(digibank=digibank_a, user=UserFactory(), role=Role.COORDINATOR)
    services.membership_end(membership=Membership.objects.get(user=alice), actor=second.user)
