"""The desk's screens around a loan: extending and the overdue list, signing, reports and hand-over,
partner bookings, incidents, the lending rules, the client's record; the technician sees none of it; the
lists cost the same number of queries whatever their length."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.clients.models import AccessLog, ClientEvent
from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import AgreementText, Incident, LendingRules, Loan
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device
from digibank.devices.tests.factories import DeviceFactory, lend, rules_post, same_queries, scanned, set_rules
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.network.tests.factories import HubFactory, MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


# Extending ----------------------------------------------------------------------------------------


def test_extend_is_one_click_where_the_rules_allow_it_and_refused_after(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    web = login(bob)
    due = loan.due_on
    response = web.post(reverse("devices:loan_extend", kwargs={"pk": loan.pk}))
    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.due_on, loan.extensions) == (due + dt.timedelta(days=30), 1)
    assert ClientEvent.objects.filter(client=loan.client, kind="loan_extended").exists()
    body = web.get(reverse("devices:loan", kwargs={"pk": loan.pk})).content.decode()
    assert reverse("devices:loan_extend", kwargs={"pk": loan.pk}) not in body
    assert "cannot be extended again" in body
    response = web.post(reverse("devices:loan_extend", kwargs={"pk": loan.pk}), follow=True)
    assert "cannot be extended again" in response.content.decode()
    loan.refresh_from_db()
    assert loan.extensions == 1 and loan.due_on == due + dt.timedelta(days=30)


def test_overdue_list_oldest_first_with_extend_only_where_allowed(login, bob, digibank_a, hub):
    today = timezone.localdate()
    older = lend(digibank_a, hub, bob, today=today - dt.timedelta(days=150))
    newer = lend(digibank_a, hub, bob, today=today - dt.timedelta(days=140))
    lend(digibank_a, hub, bob)  # not overdue
    lending_services.loan_extend(
        loan=newer, actor=bob, today=today - dt.timedelta(days=139)
    )  # the one extension allowed
    newer.refresh_from_db()
    assert older.due_on < newer.due_on < today
    web = login(bob)
    response = web.get(reverse("devices:loans"), {"show": "overdue"})
    loans = response.context["object_list"]
    assert [loan.pk for loan in loans] == [older.pk, newer.pk]
    body = response.content.decode()
    assert reverse("devices:loan_extend", kwargs={"pk": older.pk}) in body
    assert reverse("devices:loan_extend", kwargs={"pk": newer.pk}) not in body
    assert "cannot be extended again" in body
    back = f"{reverse('devices:loans')}?show=overdue&q="
    response = web.post(reverse("devices:loan_extend", kwargs={"pk": older.pk}), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Loan.objects.get(pk=older.pk).extensions == 1


def test_someone_waiting_blocks_an_extension(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    waiting_list_services.request_create(
        digibank=digibank_a, client=ClientFactory(digibank=digibank_a), hub=hub, kind=Kind.LAPTOP, actor=bob
    )
    body = login(bob).get(reverse("devices:loan", kwargs={"pk": loan.pk})).content.decode()
    assert "Someone is waiting for this type of device" in body


def test_loans_are_found_by_client_number_tag_or_loan_number(login, bob, digibank_a, hub):
    first, second = lend(digibank_a, hub, bob), lend(digibank_a, hub, bob)
    web = login(bob)
    tag = first.items.first().device.asset_tag
    for query in (first.client.number.replace("-", ""), tag.replace("-", "").lower(), first.number):
        response = web.get(reverse("devices:loans"), {"show": "all", "q": query})
        assert [loan.pk for loan in response.context["object_list"]] == [first.pk], query
    assert not web.get(reverse("devices:loans"), {"q": "nonsense"}).context["object_list"]
    assert second.pk in [loan.pk for loan in web.get(reverse("devices:loans")).context["object_list"]]


# The loan page's other actions --------------------------------------------------------------------


def test_sign_on_screen_needs_the_typed_name(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    web = login(bob)
    response = web.post(reverse("devices:loan_sign", kwargs={"pk": loan.pk}), {"signed_by_name": "  "})
    assert response.status_code == 400 and response.context["sign_form"].errors["signed_by_name"]
    assert Loan.objects.get().signed_at is None
    response = web.post(reverse("devices:loan_sign", kwargs={"pk": loan.pk}), {"signed_by_name": "Wies Claeys"})
    assert response.status_code == 302
    assert Loan.objects.get().signed_by_name == "Wies Claeys"


def test_a_stolen_laptop_is_reported_and_leaves_the_stock(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    laptop = loan.items.get(device__kind=Kind.LAPTOP).device
    web = login(bob)
    response = web.post(reverse("devices:loan_report", kwargs={"pk": loan.pk}), {"device": "", "kind": "stolen"})
    assert response.status_code == 400 and "device" in response.context["report_form"].errors
    response = web.post(
        reverse("devices:loan_report", kwargs={"pk": loan.pk}),
        {"device": laptop.pk, "kind": "stolen", "description": "PV 2025/123"},
    )
    assert response.status_code == 302
    assert Incident.objects.get().kind == "stolen" and Device.objects.get(pk=laptop.pk).state == State.RETIRED


def test_a_laptop_is_handed_over_for_good(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    laptop = loan.items.get(device__kind=Kind.LAPTOP).device
    response = login(bob).post(
        reverse("devices:loan_hand_over", kwargs={"pk": loan.pk}),
        {"device": laptop.pk, "note": "Voorwaarden voor schenking vervuld"},
    )
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert (laptop.state, laptop.owner) == (State.HANDED_OVER, loan.client)


# Partner bookings ---------------------------------------------------------------------------------


def test_a_partner_books_a_set_which_is_handed_over_later(login, bob, digibank_a, hub):
    partner = PartnerFactory(digibank=digibank_a, name="Basiseducatie Gent")
    devices = [DeviceFactory(digibank=digibank_a, hub=hub, ready=True) for _ in range(3)]
    web = login(bob)
    data = {
        "partner": partner.pk,
        "hub": hub.pk,
        "starts_on": (timezone.localdate() + dt.timedelta(days=10)).strftime("%d-%m-%Y"),
        "tags": "\n".join(scanned(d) for d in devices),
    }
    response = web.post(reverse("devices:booking_new"), data)
    assert response.status_code == 400 and "does not lend sets" in " ".join(response.context["form"].non_field_errors())
    set_rules(digibank_a, lends_to_partners=True)
    response = web.post(
        reverse("devices:booking_new"), {**data, "starts_on": timezone.localdate().strftime("%d-%m-%Y")}
    )
    assert response.status_code == 400 and "days ahead" in " ".join(response.context["form"].errors["starts_on"])
    response = web.post(reverse("devices:booking_new"), data)
    loan = Loan.objects.get()
    assert response.status_code == 302 and (loan.partner, loan.status) == (partner, Loan.Status.RESERVED)
    body = web.get(reverse("devices:loan", kwargs={"pk": loan.pk})).content.decode()
    assert reverse("devices:loan_start", kwargs={"pk": loan.pk}) in body and "Basiseducatie Gent" in body
    assert web.post(reverse("devices:loan_start", kwargs={"pk": loan.pk})).status_code == 302
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ON_LOAN
    assert set(Device.objects.filter(pk__in=[d.pk for d in devices]).values_list("state", flat=True)) == {"on_loan"}


def test_a_partner_booking_is_cancelled(login, bob, digibank_a, hub):
    set_rules(digibank_a, lends_to_partners=True, partner_book_days_ahead=0)
    device = DeviceFactory(digibank=digibank_a, hub=hub, ready=True)
    loan = lending_services.partner_booking(
        digibank=digibank_a,
        hub=hub,
        partner=PartnerFactory(digibank=digibank_a),
        devices=[device],
        starts_on=timezone.localdate(),
        actor=bob,
    )
    response = login(bob).post(
        reverse("devices:reservation_cancel", kwargs={"pk": loan.pk}), {"reason": "Cursus afgelast"}
    )
    assert response.status_code == 302
    assert Loan.objects.get().status == Loan.Status.CANCELLED and Device.objects.get().state == State.READY


# Incidents ----------------------------------------------------------------------------------------


def test_an_incident_is_closed_with_how_it_was_settled(login, bob, digibank_a, hub):
    loan = lend(digibank_a, hub, bob)
    laptop = loan.items.get(device__kind=Kind.LAPTOP).device
    incident = lending_incidents.incident_report(loan=loan, device=laptop, kind="lost", actor=bob)
    web = login(bob)
    assert incident in web.get(reverse("devices:incidents")).context["object_list"]
    url = reverse("devices:incident", kwargs={"pk": incident.pk})
    body = web.get(url).content.decode()
    assert loan.client.last_name in body and laptop.asset_tag in body
    response = web.post(url, {"resolution": ""})
    assert response.status_code == 400 and response.context["form"].errors["resolution"]
    assert Incident.objects.get().status == "open"
    assert web.post(url, {"resolution": "Waarborg gehouden"}).status_code == 302
    assert Incident.objects.get().status == "closed"
    assert incident not in web.get(reverse("devices:incidents")).context["object_list"]
    assert incident in web.get(reverse("devices:incidents"), {"status": "closed"}).context["object_list"]


# The lending rules --------------------------------------------------------------------------------


def test_the_coordinator_changes_the_rules_and_the_desk_reads_them(login, alice, bob, digibank_a):
    web = login(alice)
    body = web.get(reverse("devices:rules")).content.decode()
    assert 'name="income_threshold"' in body and "rises by the amount below" in body
    response = web.post(
        reverse("devices:rules"),
        rules_post(income_condition="threshold", income_threshold="1500", income_per_member="300", deposit="25"),
    )
    assert response.status_code == 302
    rules = lending_rules.rules_for(digibank_a)
    assert (rules.income_threshold, rules.deposit) == (Decimal("1500.00"), Decimal("25.00"))
    body = web.get(reverse("devices:rules")).content.decode()
    assert "2\N{NO-BREAK SPACE}100.00" in body  # the limit for three people: 1500 + 2 × 300

    desk = login(bob)
    response = desk.get(reverse("devices:rules"))
    assert response.status_code == 200 and response.context["rules_form"] is None
    assert "Only the coordinator can change the rules." in response.content.decode()
    assert desk.post(reverse("devices:rules"), rules_post(deposit="0")).status_code == 403
    assert desk.post(reverse("devices:agreement_publish"), {"text": "Nieuw"}).status_code == 403
    assert lending_rules.rules_for(digibank_a).deposit == Decimal("25.00")


def test_bad_rules_are_refused_at_their_field_and_change_nothing(login, alice, digibank_a):
    web = login(alice)
    response = web.post(reverse("devices:rules"), rules_post(income_condition="threshold"))
    assert response.status_code == 400 and "income_threshold" in response.context["rules_form"].errors
    response = web.post(reverse("devices:rules"), rules_post(deposit="-5", loan_days="0"))
    assert response.status_code == 400
    assert {"deposit", "loan_days"} <= set(response.context["rules_form"].errors)
    rules = lending_rules.rules_for(digibank_a)
    assert (rules.income_condition, rules.deposit, rules.loan_days) == ("", Decimal("0"), 91)


def test_a_new_agreement_version_is_used_by_the_next_loan(login, alice, bob, digibank_a, hub):
    first = lend(digibank_a, hub, bob)
    web = login(alice)
    assert web.post(reverse("devices:agreement_publish"), {"text": ""}).status_code == 400
    response = web.post(reverse("devices:agreement_publish"), {"text": "Artikel 1. Zorg goed voor het toestel."})
    assert response.status_code == 302
    assert AgreementText.objects.filter(digibank=digibank_a).count() == 2
    second = lend(digibank_a, hub, bob)
    assert (first.agreement.version, second.agreement.version) == (1, 2)


# The client's record ------------------------------------------------------------------------------


def test_the_client_record_shows_the_loans_to_the_desk_only(login, bob, digibank_a, hub, person):
    loan = lend(digibank_a, hub, bob, client=person)
    body = login(bob).get(reverse("clients:client", kwargs={"pk": person.pk})).content.decode()
    assert reverse("devices:loan", kwargs={"pk": loan.pk}) in body and loan.number in body
    assert f"{reverse('devices:desk')}?card={person.number}" in body
    assert "Device lent" in body  # the timeline names the device bank's events
    trainer = UserFactory(username="tina")
    MembershipFactory(user=trainer, digibank=digibank_a, role=Role.TRAINER)
    body = login(trainer).get(reverse("clients:client", kwargs={"pk": person.pk})).content.decode()
    assert reverse("devices:loan", kwargs={"pk": loan.pk}) not in body


# Permissions --------------------------------------------------------------------------------------


def test_the_technician_sees_none_of_the_desk_pages(login, tom, bob, digibank_a, hub, person):
    loan = lend(digibank_a, hub, bob, client=person)
    laptop = loan.items.get(device__kind=Kind.LAPTOP).device
    incident = lending_incidents.incident_report(loan=loan, device=laptop, kind="damaged", actor=bob)
    request = waiting_list_services.request_create(
        digibank=digibank_a, client=ClientFactory(digibank=digibank_a), hub=hub, kind=Kind.TABLET, actor=bob
    )
    web = login(tom)
    pages = [
        reverse(name)
        for name in ("devices:desk", "devices:take_back", "devices:loans", "devices:incidents", "devices:requests")
    ] + [
        reverse("devices:offers"),
        reverse("devices:booking_new"),
        reverse("devices:rules"),
        reverse("devices:loan", kwargs={"pk": loan.pk}),
        reverse("devices:checkin", kwargs={"pk": loan.pk}),
        reverse("devices:loan_agreement", kwargs={"pk": loan.pk}),
        reverse("devices:incident", kwargs={"pk": incident.pk}),
        reverse("devices:request", kwargs={"pk": request.pk}),
    ]
    for url in pages:
        assert web.get(url).status_code == 403, url
    for name in ("loan_sign", "loan_extend", "loan_report", "loan_hand_over", "checkin", "loan_start"):
        assert web.post(reverse(f"devices:{name}", kwargs={"pk": loan.pk})).status_code == 403, name
    assert web.post(reverse("devices:request_move", kwargs={"pk": request.pk}), {"reason": "x"}).status_code == 403
    assert not AccessLog.objects.filter(actor=tom).exists()
    assert Loan.objects.get().extensions == 0


def test_another_digibanks_loan_is_a_404(login, bob, carol, digibank_b):
    theirs = lend(digibank_b, HubFactory(digibank=digibank_b), carol)
    web = login(bob)
    for name in ("devices:loan", "devices:checkin"):
        assert web.get(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404
    assert web.get(reverse("devices:take_back"), {"label": theirs.number}).status_code == 400
    assert not web.get(reverse("devices:loans"), {"show": "all"}).context["object_list"]


# Query counts -------------------------------------------------------------------------------------


def test_loan_lists_queries_do_not_grow_with_rows(login, bob, digibank_a, hub):
    web = login(bob)
    past = timezone.localdate() - dt.timedelta(days=100)
    response = same_queries(web, reverse("devices:loans"), lambda: lend(digibank_a, hub, bob))
    assert len(response.context["object_list"]) == 9
    response = same_queries(
        web, reverse("devices:loans"), lambda: lend(digibank_a, hub, bob, today=past), {"show": "overdue"}
    )
    assert len(response.context["object_list"]) == 9


def test_incident_list_queries_do_not_grow_with_rows(login, bob, digibank_a, hub):
    def make():
        loan = lend(digibank_a, hub, bob)
        lending_incidents.incident_report(loan=loan, device=loan.items.first().device, kind="damaged", actor=bob)

    same_queries(login(bob), reverse("devices:incidents"), make)


def test_the_agreement_prints_as_a_pdf_and_the_read_is_logged(login, bob, digibank_a, hub, person):
    loan = lend(digibank_a, hub, bob, client=person)
    response = login(bob).get(reverse("devices:loan_agreement", kwargs={"pk": loan.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(client=person, action="read", what="loan agreement").exists()


def test_reading_the_rules_and_the_desk_creates_no_rows(login, api_as, alice, bob, digibank_a, hub):
    def rows():
        return LendingRules.objects.count(), AgreementText.objects.count()

    before = rows()
    for user, name in ((alice, "devices:rules"), (bob, "devices:rules"), (bob, "devices:desk")):
        assert login(user).get(reverse(name)).status_code == 200
        assert rows() == before
    for user, url in (
        (alice, "/api/v1/lending-rules/"),
        (bob, "/api/v1/lending-rules/"),
        (alice, "/api/v1/agreements/"),
    ):
        response = api_as(user)
        assert response.get(url).status_code == 200
        assert rows() == before
    assert before == (0, 0)
    rules = api_as(alice).get("/api/v1/lending-rules/").json()
    assert rules["loan_days"] == LendingRules._meta.get_field("loan_days").default  # the defaults, unsaved
    response = login(alice).post(reverse("devices:rules"), rules_post(deposit="10"))
    assert response.status_code == 302 and rows() == (1, 0)  # made on the first change
