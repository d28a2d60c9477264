"""One test for every staff URL and API endpoint: a user of digibank A never reaches digibank B.

The URLs are read from the URLconf, so a new URL is walked without editing this file. A URL that
names an object gets B's object and must answer 404 for every method; the same URL with A's object
must not (so the test proves the scope, not a broken URL). A URL that names no object must answer
403 or show nothing of B. A URL is left out only when it is listed in PUBLIC, with its reason."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.permissions import AllowAny

from digibank.clients import services as client_services
from digibank.clients.models import Client, Consent, PrivacyNotice
from digibank.clients.tests.factories import ClientFactory
from digibank.core.roles import Role
from digibank.devices.register.models import Device
from digibank.devices.tests.factories import device_world
from digibank.guidance.appointments.models import AgendaFeed, Appointment, Slot
from digibank.guidance.contacts.models import FollowUp, HelpContact
from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers.models import Availability, Digihelper, HelperHours
from digibank.guidance.queue import services as queue_services
from digibank.guidance.queue.models import QueueScreen, QueueTicket
from digibank.guidance.referrals.models import Referral, ReferralSettings
from digibank.guidance.tests.factories import (
    AgendaFeedFactory,
    AppointmentFactory,
    AvailabilityFactory,
    DigihelperFactory,
    EServiceFactory,
    HelperHoursFactory,
    QueueTicketFactory,
    ReferralFactory,
    SlotFactory,
    at,
    help_contact,
)
from digibank.network.models import Digibank, Hub, HubException, Membership, Partner
from digibank.network.tests.factories import (
    HubExceptionFactory,
    HubFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
)

# Names of URLs that anybody may open: public pages, log-in, language, health, the schema. API
# endpoints whose permission is AllowAny (the public finder, municipalities, the token) are public too.
PUBLIC = {
    "public:home",
    "public:finder",
    "public:hub",  # the public site (reads public hubs only)
    "public:book",  # booking a visit: hubs near a postal code that take appointments
    "public:book_hub",  # a public hub's free times (no names)
    "public:book_slot",  # the booking form of one free time (writes through guidance's service)
    "public:booking",  # one's own booking, reached only by its signed link (a changed link is a 404)
    "public:booking_cancel",  # cancelling by that signed link
    "public:agenda_feed",  # a calendar feed by its secret token (no names; a wrong or revoked token is a 404)
    "login",
    "logout",
    "set_language",
    "health",
    "favicon",
    "api-schema",
    "waiting_room:screen",  # the waiting-room screen: no log-in, a hub's random secret; numbers only
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
PUBLIC_PREFIXES = ("admin:",)  # Django's admin: superusers only, not a tenant screen


@dataclass
class Route:
    name: str
    path: str
    kwargs: tuple[str, ...]
    view: object

    @property
    def is_api(self) -> bool:
        return self.path.startswith("api/")

    @property
    def is_public(self) -> bool:
        if self.name in PUBLIC or self.name.startswith(PUBLIC_PREFIXES):
            return True
        view_class = getattr(self.view, "cls", None)
        return view_class is not None and AllowAny in getattr(view_class, "permission_classes", ())

    @property
    def model(self):
        view_class = getattr(self.view, "view_class", None) or getattr(self.view, "cls", None)
        model = getattr(view_class, "model", None)
        if model is None and getattr(view_class, "queryset", None) is not None:
            model = view_class.queryset.model
        return model

    @property
    def methods(self) -> list[str]:
        actions = getattr(self.view, "actions", None)
        if actions:  # a DRF viewset route: only the methods it maps
            return [m.upper() for m in actions]
        view_class = getattr(self.view, "view_class", None)
        return [m.upper() for m in ("get", "post") if view_class is None or hasattr(view_class, m)]


def _walk(patterns, namespace="", prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            kwargs = tuple(p.pattern.regex.groupindex)
            if "format" in kwargs:  # DRF's .json suffix twins of the same views
                continue
            yield Route(f"{namespace}{p.name}", (prefix + str(p.pattern)).lstrip("^"), kwargs, p.callback)


def staff_routes() -> list[Route]:
    routes = {r.name: r for r in _walk(get_resolver().url_patterns)}
    return sorted((r for r in routes.values() if not r.is_public), key=lambda r: r.name)


ROUTES = staff_routes()


def scoped_objects(digibank, coordinator, **client_fields) -> dict:
    """One object of each scoped model in the digibank, all about one client (the URL arguments of
    every route that names an object). The access-log walk gives the client its own fields."""
    hub = HubFactory(digibank=digibank)
    client = ClientFactory(
        digibank=digibank,
        registered_by=coordinator,
        **{
            "first_name": "Wies",
            "last_name": f"Klant-{digibank.slug}",
            "postal_code": hub.postal_code,
            **client_fields,
        },
    )
    contact = help_contact(
        hub=hub, actor=coordinator, client=client, outcome="follow_up", follow_up_on=timezone.localdate()
    )
    helper = DigihelperFactory(digibank=digibank, name=f"Helper-{digibank.slug}", hubs=[hub])
    # A slot of today (the agenda's first day) booked for the client.
    slot = SlotFactory(hub=hub, starts_at=at(timezone.localdate(), 10))
    return {
        **device_world(digibank, coordinator, hub, client),
        HelpContact: contact,
        FollowUp: contact.follow_up,
        Slot: slot,
        Appointment: AppointmentFactory(slot=slot, client=client, name="", phone=""),
        AgendaFeed: AgendaFeedFactory(hub=hub),
        Client: client,
        Consent: client_services.consent_give(client=client, scope=Consent.Scope.TRAITS, actor=coordinator),
        PrivacyNotice: client_services.current_notice(digibank=digibank, actor=coordinator),
        Digibank: digibank,
        EService: EServiceFactory(digibank=digibank, name=f"E-loket van {digibank.name}"),
        Digihelper: helper,
        Availability: AvailabilityFactory(helper=helper, hub=hub),
        HelperHours: HelperHoursFactory(helper=helper, hub=hub, recorded_by=coordinator),
        Referral: ReferralFactory(to_hub=hub, client=client, person_name="", person_phone="", referred_by=coordinator),
        ReferralSettings: ReferralSettings.objects.create(digibank=digibank, stale_after_days=10),
        Partner: PartnerFactory(digibank=digibank, name=f"Partner van {digibank.name}"),
        Hub: hub,
        HubException: HubExceptionFactory(hub=hub),
        QueueTicket: QueueTicketFactory(hub=hub, number=1),
        QueueScreen: queue_services.screen_renew(hub=hub, actor=coordinator),
        Membership: MembershipFactory(
            digibank=digibank, role=Role.DESK, user=UserFactory(username=f"desk-{digibank.slug}")
        ),
    }


@pytest.fixture
def world(digibank_a, digibank_b, alice, carol):
    """One object of each scoped model in each digibank."""
    return {"a": scoped_objects(digibank_a, alice), "b": scoped_objects(digibank_b, carol)}


def b_markers(world) -> list[str]:
    b = world["b"]
    return [
        b[Digibank].name,
        b[Partner].name,
        b[Hub].name,
        b[EService].name,
        b[Digihelper].name,
        b[Referral].code,
        "desk-kempen",
        b[Client].last_name,
        b[Client].number,
        b[Device].asset_tag,
        b[Device].serial_number,
    ]


def _call(client, method, url):
    kwargs = {"content_type": "application/json", "data": json.dumps({})} if method in {"PUT", "PATCH"} else {}
    return getattr(client, method.lower())(url, **kwargs)


def test_every_staff_url_is_walked():
    """The walk is not empty and covers screens and API alike (so a broken URLconf cannot pass)."""
    names = {r.name for r in ROUTES}
    assert {"staff:hub", "staff:partner", "staff:hubs", "staff:coverage"} <= names
    assert sum(r.is_api for r in ROUTES) >= 6


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kwargs], ids=lambda r: r.name)
def test_object_of_other_digibank_is_404(route, world, login, api_as, alice, digibank_a):
    model = route.model
    assert model in world["b"], f"{route.name}: add a {model} of each digibank to the `world` fixture"
    assert route.kwargs == ("pk",), f"{route.name}: teach this test the URL kwargs {route.kwargs}"
    client = api_as(alice, digibank_a) if route.is_api else login(alice)
    own_method = "GET" if "GET" in route.methods else route.methods[0]
    own = _call(client, own_method, reverse(route.name, kwargs={"pk": world["a"][model].pk}))
    assert own.status_code not in {404, 500}, f"{route.name} with A's own object gave {own.status_code}"
    # A role that may not use the route at all gets 403 for every object, which tells nothing either.
    refused = {403} if own.status_code == 403 else set()
    for method in route.methods:
        url = reverse(route.name, kwargs={"pk": world["b"][model].pk})
        response = _call(client, method, url)
        allowed = ({404, 405} if method != "GET" else {404}) | refused
        assert response.status_code in allowed, f"{method} {url} as alice gave {response.status_code}"


# Routes without an object that only take writes (the token endpoint) name their target in the body;
# their own tests cover them.
@pytest.mark.parametrize("route", [r for r in ROUTES if not r.kwargs and "GET" in r.methods], ids=lambda r: r.name)
def test_page_without_object_shows_nothing_of_other_digibank(route, world, login, api_as, alice, digibank_a):
    client = api_as(alice, digibank_a) if route.is_api else login(alice)
    response = client.get(reverse(route.name))
    assert response.status_code in {200, 302, 403}, f"{route.name} gave {response.status_code}"
    body = response.content.decode()
    for marker in b_markers(world):
        assert marker not in body, f"{route.name} shows {marker!r} of digibank B to alice"


def test_person_with_roles_in_both_sees_only_the_digibank_chosen(world, login, erin, digibank_a):
    client = login(erin)
    session = client.session
    session["digibank_id"] = digibank_a.pk
    session.save()
    assert client.get(reverse("staff:hub", kwargs={"pk": world["b"][Hub].pk})).status_code == 404
    assert client.get(reverse("staff:hub", kwargs={"pk": world["a"][Hub].pk})).status_code == 200
