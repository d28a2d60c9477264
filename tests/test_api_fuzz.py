"""Schemathesis fuzzes every operation of the REST API, in-process through the WSGI application, with every
one of its checks.

Alice (coordinator of digibank A, conftest) calls every operation with her token, against a database
with real rows of her digibank and of digibank B. The properties: no generated input (wrong types, huge
strings, odd unicode, missing fields) is answered with a 5xx; every answer is documented in the OpenAPI
schema (status code, content type, headers, body); input the schema refuses is refused, and input it
allows is accepted, unless a rule over other rows refuses it (`RULES_OVER_ROWS`); the API refuses a caller
without a valid token; and no answer shows anything of digibank B. A rule on one value (a pattern, a
range, characters a name may not hold) belongs in the schema, through the serializer's validators or
`extend_schema_field`, so that the fuzzer generates within it: not in a list here.

A small whole number in the path or as a reference in a body is taken to name one of the real rows
(A's or B's), so that the fuzzer gets past "does not exist" into the services. Each request runs in a
savepoint that is rolled back: the examples do not depend on each other, and every one sees the same
rows. Deterministic (derandomized); about 3 minutes on SQLite (2 min 47 s of CPU; 8 min 40 s on a busy
machine)."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario, FuzzingPhaseData
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from digibank.clients import services as client_services
from digibank.core.roles import Role
from digibank.devices.intake import models as intake_models
from digibank.devices.lending import models as lending_models
from digibank.devices.refurbishment import models as refurbishment_models
from digibank.devices.register import models as register_models
from digibank.devices.stock import models as stock_models
from digibank.devices.tests.factories import DeviceFactory, device_world
from digibank.devices.waiting_list import models as waiting_list_models
from digibank.guidance.tests.factories import (
    AppointmentFactory,
    AvailabilityFactory,
    DigihelperFactory,
    EServiceFactory,
    HelperHoursFactory,
    ReferralFactory,
    SlotFactory,
    at,
    help_contact,
)
from digibank.network import services
from digibank.network.models import Membership
from digibank.network.tests.factories import HubExceptionFactory, MembershipFactory, PartnerFactory, UserFactory
from digibank.wsgi import application

pytestmark = pytest.mark.django_db

# Every row of digibank B carries this in a name: no answer to alice may contain it.
SECRET_OF_B = "ZZ-only-in-Kempen"
TOKEN = "f" * 40  # alice's; fixed, so that every run sends the same headers

# The stateful phase follows links between operations, which the schema does not declare.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    application,
    config=schemathesis.Config.from_dict({"phases": {"stateful": {"enabled": False}}}),
)

# Filled by the `network` fixture: the ids of real rows per resource, and real values of body fields.
REAL_IDS: dict[str, list[int]] = {}
REAL_VALUES: dict[str, list] = {}

AUTH_ENFORCED: set[str] = set()  # the operations `ignored_auth_once` has seen refuse a caller without token


def ignored_auth_once(ctx, response, case):
    """Schemathesis' `ignored_auth`: a successful request is sent again without a token and with a wrong
    one, which must be refused. As schemathesis' command line does, once per operation (its pytest
    plugin would do it after every successful request, which doubles the time this file takes)."""
    ctx.auth_enforced_operations = AUTH_ENFORCED
    return ignored_auth(ctx, response, case)


# A request can fit the schema and still be refused with a 400 by a rule over other rows or over several
# fields together, which JSON Schema cannot state. These are the fields such a rule answers on; a 400 on
# any other field is a rule on one value that the schema must state (a pattern, a range, a length).
RULES_OVER_ROWS = {
    "phone": "a number that can be called (the phonenumbers library's rules, no pattern)",
    "note": "why, when a device is discarded",
    "training_name": "which training, when one is asked",
    "weight_kg": "more than 0: the pattern of a decimal says no minus, not 'not zero'",
    "opening_hours": "each row closes after it opens, and the rows of a day do not overlap",
    "birth_date": "a birth date, or else at least a birth year",
    "income_threshold": "a limit, when the income is a condition",
    "enterprise_number": "its check digits (modulo 97)",
    "website": "an address Django's URL validator takes (a host with a domain): stricter than `format: uri`",
    "link": "an address Django's URL validator takes (a host with a domain): stricter than `format: uri`",
    "non_field_errors": "the state of the row (a loan that is no reservation), or a wrong password",
    "state": "a device moves along its lifecycle only",
    "kind": "a device's type changes only while it is just received",
    "client": "a number with the right shape that is nobody's (or whose check character is wrong)",
    "hub": "a hub of the caller's digibank, that lends, where no stock-take is going on",
    "partner": "a partner of the caller's digibank that has not left",
    "urgent_partner": "a partner of the caller's digibank",
    "referred_by": "a partner of the caller's digibank",
    "donor": "a donor of the caller's digibank",
    "collection": "a collection of the caller's digibank that is still open",
    "software_profile": "a profile of the caller's digibank",
    "before": "a request waiting in the same queue",
    "municipality": "a Flemish municipality in the digibank's service area",
    "postal_code": "a postal code of a municipality in the digibank's service area",
    "service_area": "NIS codes of Flemish municipalities, around every open hub",
    "tags": "tags of ready devices of the digibank",
    "items": "every device of the loan, each once",
    "tag": "a device of the loan",
    "log": "the content of an nwipe log",
    "closes": "later than it opens",
    "ends_on": "not before it starts",
    "end": "not before the start",
    "left_on": "not before joining",
    "birth_year": "agrees with the birth date",
    "first_name": "a first or a last name; a new account needs a first name",
    "role": "a digibank keeps a coordinator",
    "scope": "a consent is given once",
    "user": "a staff account with a role in the caller's digibank, a digihelper of it once",
    "name": "a digihelper without a staff account needs one; an e-service's is the digibank's once",
    "hubs": "open hubs of the caller's digibank",
    "skills": "active e-services the caller's digibank sees",
    "helper": "a digihelper of the caller's digibank (a slot's: a staff member of it)",
    "day": (
        "a day the calendar has (2026-02-30 matches the pattern); an hours record's not in the future,"
        " nor before the helper began or after they stopped"
    ),
    "to_hub": "an open hub of the caller's digibank",
    "e_service": "an e-service the caller's digibank helps with",
    "person_name": "a name, when no client is named",
    "reason": "no national register number or IBAN (their check digits) and no PIN",
    "planned_on": "today or later",
    "status": "a referral moves along its life cycle only",
    "slot": "a free slot to come, of a hub that takes appointments and is open then",
    "first_day": "today or later",
    "last_day": "not before the first day, at most 92 days after it",
    "e_services": "e-services the caller's digibank sees (Flanders-wide and its own)",
    "started_at": "not in the future, at a hub open on that day",
    "follow_up_on": "given when, and only when, the outcome is follow_up; not before the contact",
    "start": "a day the calendar has (2026-02-30 matches the pattern)",
    "age_band": "an anonymous visitor's, when no client is given (and only then)",
    "starts": "a digihelper's weekly time overlaps none of their other times that day",
    "ends": "later than it starts",
}


def drf_reads_as_the_fields_type(case) -> bool:
    """DRF reads a scalar of another JSON type as the field's own: a number as a text, "5" as a number,
    1 as true. A request whose only fault is such a value is accepted; any other fault must be refused."""
    data = case.meta.phase.data if case.meta else None
    if isinstance(data, FuzzingPhaseData) and data.mutations:
        return all(m.keywords == ("type",) and isinstance(m.new_value, (str, int, float, bool)) for m in data.mutations)
    return isinstance(data, CoveragePhaseData) and data.scenario == CoverageScenario.INCORRECT_TYPE


def negative_data_rejection_but_drf_readings(ctx, response, case):
    """Schemathesis' `negative_data_rejection`, except for a scalar DRF reads as the field's type."""
    if drf_reads_as_the_fields_type(case):
        return None
    return negative_data_rejection(ctx, response, case)


def positive_data_acceptance_but_rules_over_rows(ctx, response, case):
    """Schemathesis' `positive_data_acceptance`, except for a 400 that only names `RULES_OVER_ROWS`."""
    if response.status_code == 400 and "json" in response.headers.get("content-type", [""])[0]:
        refused = response.json()
        if isinstance(refused, dict) and set(refused) <= set(RULES_OVER_ROWS):
            return None
    return positive_data_acceptance(ctx, response, case)


def real(values: list, generated):
    """The real value a small whole number (or a string of its digits) stands for; else the one generated."""
    text = str(generated)
    if isinstance(generated, bool) or not (text.isascii() and text.isdigit()) or int(text) >= 1000:
        return generated
    return values[int(text) % len(values)]


def with_real_rows(case) -> None:
    """Path ids and references in the body name real rows, of A or of B, where the generated value is a
    small number of the right type; a wrong type, a huge number or no value at all is sent as generated."""
    ids = REAL_IDS.get(case.operation.path.split("/")[3])  # /api/v1/<resource>/{id}/...
    if ids and "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = real(ids, case.path_parameters["id"])
    if not isinstance(case.body, dict) or (case.meta and case.meta.generation.mode.is_negative):
        return  # a value the fuzzer made wrong on purpose is sent as made
    for name, values in REAL_VALUES.items():
        value = case.body.get(name)
        if isinstance(value, list):
            case.body[name] = [real(values, item) if type(item) is type(values[0]) else item for item in value]
        elif type(value) is type(values[0]):
            case.body[name] = real(values, value)


def digibank_b_stays_invisible(ctx, response, case):
    """No answer to alice names a row of digibank B (the public finder shows every digibank's hubs)."""
    if case.operation.path != "/api/v1/public/finder/":
        # Bytes, not text: a PDF is no UTF-8 (its streams are compressed: the papers' scope is tested in test_api).
        assert SECRET_OF_B.encode() not in response.content, f"{case.operation.label} shows digibank B's data"


@pytest.fixture
def network(alice, bob, carol, digibank_a, digibank_b):
    """Digibank A with two hubs (with their week), a closure, a partner and one who left, a client with
    traits; B the same."""
    week = [(0, dt.time(9), dt.time(12)), (2, dt.time(13), dt.time(17))]
    zuid = services.hub_create(
        digibank=digibank_a,
        actor=alice,
        opening_hours=week,
        name="Digipunt Zuid",
        street="Zuidparklaan 1",
        postal_code="9000",
        offers_lending=True,  # a loan is handed over at a hub that lends (devices.lending.rules.loan_hub)
    )
    melle = services.hub_create(
        digibank=digibank_a,
        actor=alice,
        opening_hours=week[:1],
        name="Digipunt Melle",
        street="Brusselsesteenweg 1",
        postal_code="9090",
        offers_lending=True,
    )
    closure = HubExceptionFactory(hub=zuid)
    partners = [
        PartnerFactory(digibank=digibank_a, name="Bibliotheek De Krook"),
        PartnerFactory(digibank=digibank_a, name="OCMW Gent", left=True),
    ]

    digibank_b.description = SECRET_OF_B
    digibank_b.save()
    MembershipFactory(
        user=UserFactory(username="zz-kempen", last_name=SECRET_OF_B), digibank=digibank_b, role=Role.DESK
    )
    turnhout = services.hub_create(
        digibank=digibank_b,
        actor=carol,
        opening_hours=week,
        name=f"Digipunt {SECRET_OF_B}",
        street="Grote Markt 1",
        postal_code="2300",
        offers_lending=True,
    )
    their_closure = HubExceptionFactory(hub=turnhout, reason=SECRET_OF_B)
    partners.append(PartnerFactory(digibank=digibank_b, name=f"Partner {SECRET_OF_B}"))
    clients = [
        client_services.client_register(
            digibank=digibank_a,
            actor=bob,
            first_name="Sébastien",
            last_name="Van den Broeck",
            birth_date=dt.date(1961, 3, 5),
            postal_code="9000",
            phone="0470 12 34 56",
            referred_by=partners[0],
            found_via="partner",
            consents=("traits",),
            traits={"education": "primary"},
        ),
        client_services.client_register(
            digibank=digibank_b,
            actor=carol,
            first_name="Jef",
            last_name=SECRET_OF_B,
            birth_year=1950,
            postal_code="2300",
            email="jef@kempen.example.be",
            consents=("traits",),
        ),
    ]
    # The device bank of each: a lent laptop, a returned one with its incident, a request with an offer,
    # a collection, and a ready laptop and charger to lend. B's devices stand at the hub named for B.
    worlds = [device_world(digibank_a, alice, zuid, clients[0]), device_world(digibank_b, carol, turnhout, clients[1])]
    ready = [
        DeviceFactory(digibank=digibank_a, hub=zuid, ready=True),
        DeviceFactory(digibank=digibank_a, hub=zuid, ready=True, accessory=True),
        DeviceFactory(digibank=digibank_b, hub=turnhout, ready=True),
    ]
    tags = [d.asset_tag for d in ready] + [w[register_models.Device].asset_tag for w in worlds]

    def ids(model):
        return [w[model].pk for w in worlds]

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    booked = AppointmentFactory(
        slot=SlotFactory(hub=zuid, starts_at=at(tomorrow, 10)), client=clients[0], name="", phone=""
    )
    today = timezone.localdate()
    contacts = [
        help_contact(hub=zuid, actor=bob, client=clients[0], outcome="follow_up", follow_up_on=today),
        help_contact(hub=zuid, actor=bob, age_band="80+"),
        help_contact(hub=turnhout, actor=carol, client=clients[1], outcome="follow_up", follow_up_on=today),
    ]

    REAL_IDS.update(
        {
            "digibanks": [digibank_a.pk, digibank_b.pk],
            "hubs": [zuid.pk, melle.pk, turnhout.pk],
            "hub-exceptions": [closure.pk, their_closure.pk],
            "partners": [p.pk for p in partners],
            "memberships": list(Membership.objects.order_by("pk").values_list("pk", flat=True)),
            "clients": [c.pk for c in clients],
            "consents": [consent.pk for c in clients for consent in c.consents.order_by("pk")],
            "donors": ids(intake_models.Donor),
            "intake-batches": ids(intake_models.IntakeBatch),
            "software-profiles": ids(refurbishment_models.SoftwareProfile),
            "collections": ids(refurbishment_models.CollectionBatch),
            "devices": [*ids(register_models.Device), *(d.pk for d in ready)],
            "loans": ids(lending_models.Loan),
            "incidents": ids(lending_models.Incident),
            "device-requests": ids(waiting_list_models.DeviceRequest),
            "offers": ids(waiting_list_models.Offer),
            "erasures": ids(refurbishment_models.ErasureRecord),
            "repairs": ids(refurbishment_models.RepairTicket),
            "agreements": ids(lending_models.AgreementText),
            "stocktakes": ids(stock_models.StockTake),
            # A contact with a follow-up in each digibank, and an anonymous one in A.
            "help-contacts": [c.pk for c in contacts],
            "follow-ups": [c.follow_up.pk for c in contacts if hasattr(c, "follow_up")],
            # A Flanders-wide service (alice reads it, may not change it), her own and one of B.
            "referrals": [
                ReferralFactory(to_hub=zuid, client=clients[0], person_name="", referred_by=alice).pk,
                ReferralFactory(to_hub=turnhout, person_name=f"Persoon {SECRET_OF_B}", referred_by=carol).pk,
            ],
            # A free slot of A tomorrow, a booked one, and one of B.
            "slots": [
                SlotFactory(hub=zuid, starts_at=at(tomorrow, 9)).pk,
                booked.slot_id,
                SlotFactory(hub=turnhout).pk,
            ],
            "appointments": [booked.pk, AppointmentFactory(slot=SlotFactory(hub=turnhout), name=SECRET_OF_B).pk],
            "e-services": [
                EServiceFactory(digibank=None, name="Mijn Testdienst").pk,
                EServiceFactory(digibank=digibank_a, name="E-loket Gent").pk,
                EServiceFactory(digibank=digibank_b, name=f"E-loket {SECRET_OF_B}").pk,
            ],
        }
    )
    # A digihelper of A at both hubs with hours given, one without a hub, and one of B.
    helpers = [
        DigihelperFactory(digibank=digibank_a, name="Rita Helper", hubs=[zuid, melle]),
        DigihelperFactory(digibank=digibank_a, name="Jef Helper"),
        DigihelperFactory(digibank=digibank_b, name=f"Helper {SECRET_OF_B}", hubs=[turnhout]),
    ]
    REAL_IDS["digihelpers"] = [h.pk for h in helpers]
    REAL_IDS["helper-hours"] = [
        HelperHoursFactory(helper=helpers[0], hub=zuid, recorded_by=alice).pk,
        HelperHoursFactory(helper=helpers[2], hub=turnhout, recorded_by=carol, note=SECRET_OF_B).pk,
    ]
    REAL_IDS["helper-availability"] = [
        AvailabilityFactory(helper=helpers[0], hub=zuid).pk,
        AvailabilityFactory(helper=helpers[2], hub=turnhout).pk,
    ]
    REAL_VALUES.update(
        {
            # The first of each fit together: a hub in Gent (A) at 9000, with A's first partner.
            "hub": REAL_IDS["hubs"],
            "partner": REAL_IDS["partners"],
            "referred_by": REAL_IDS["partners"],
            "municipality": ["44021", "44088", "13040"],
            "postal_code": ["9000", "9090", "9820", "2300"],
            "service_area": ["44021", "44088", "13040"],
            "client": [c.number for c in clients],
            "tags": tags,
            "donor": REAL_IDS["donors"],
            "collection": REAL_IDS["collections"],
            "software_profile": REAL_IDS["software-profiles"],
            "before": REAL_IDS["device-requests"],
            "urgent_partner": REAL_IDS["partners"],
            "helper": REAL_IDS["digihelpers"],
            "hubs": REAL_IDS["hubs"],
            "skills": REAL_IDS["e-services"],
            "user": [alice.pk, bob.pk, carol.pk],
            "to_hub": REAL_IDS["hubs"],
            "e_service": REAL_IDS["e-services"],
            "slot": REAL_IDS["slots"],
            "e_services": REAL_IDS["e-services"],
        }
    )
    Token.objects.create(user=alice, key=TOKEN)
    yield {"Authorization": f"Token {TOKEN}", "X-Digibank": str(digibank_a.pk)}
    REAL_IDS.clear()
    REAL_VALUES.clear()
    AUTH_ENFORCED.clear()


@pytest.fixture
def keep_connection():
    """Django's handler closes the connection around each request, which on PostgreSQL would end the
    test's transaction (SQLite's in-memory database ignores it): as Django's test client does, keep it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api(case, network, keep_connection):
    with_real_rows(case)
    headers = dict(network)
    if case.headers and "X-Digibank" in case.headers:  # a generated header is sent as generated
        del headers["X-Digibank"]
    with transaction.atomic():
        case.call_and_validate(
            headers=headers,
            excluded_checks=[ignored_auth, positive_data_acceptance, negative_data_rejection],
            additional_checks=[
                ignored_auth_once,
                positive_data_acceptance_but_rules_over_rows,
                negative_data_rejection_but_drf_readings,
                digibank_b_stays_invisible,
            ],
        )
        transaction.set_rollback(True)
