"""Personas shared by every test: two digibanks and the people who work in them.

Digibank A (Gent, Merelbeke-Melle)   alice: coordinator   bob: desk worker   tom: technician
Digibank B (Turnhout, Geel)          carol: coordinator
the Department                       dave: programme officer
both digibanks                       erin: coordinator in A, desk worker in B
"""

from __future__ import annotations

import os

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from digibank.core.roles import Role


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need a server database; on SQLite they are left out, not skipped. Those
    marked `redis` need the Redis server TEST_REDIS_URL names (.ci/run gives one); without, left out."""
    from django.db import connection

    missing = {"postgres"} if connection.vendor != "postgresql" else set()
    if not os.environ.get("TEST_REDIS_URL"):
        missing.add("redis")
    kept = [item for item in items if not any(item.get_closest_marker(name) for name in missing)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many accounts; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Text messages stay in memory in tests, like mail: `sms_outbox` lists what was sent."""
    from digibank.core import senders

    settings.SMS_BACKEND = "digibank.core.senders.LocmemSmsBackend"
    senders.outbox.clear()
    return senders.outbox


@pytest.fixture(autouse=True)
def reference_data(request):
    """The municipalities are reference data, loaded as on a real install. Transactional tests
    flush them, so they are loaded again when missing."""
    if not (DB_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db")):
        return
    request.getfixturevalue("db") if "transactional_db" not in request.fixturenames else None
    from digibank.network.models import Municipality
    from digibank.network.reference import load_reference_data

    if not Municipality.objects.exists():
        load_reference_data()


@pytest.fixture
def digibank_a(db):
    from digibank.network.tests.factories import DigibankFactory

    return DigibankFactory(name="Digibank Gent", slug="gent", service_area=["44021", "44088"])


@pytest.fixture
def digibank_b(db):
    from digibank.network.tests.factories import DigibankFactory

    return DigibankFactory(name="Digibank Kempen", slug="kempen", service_area=["13040", "13008"])


def _member(username, digibank, role, **extra):
    from digibank.network.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username=username, **extra)
    MembershipFactory(user=user, digibank=digibank, role=role)
    return user


@pytest.fixture
def alice(digibank_a):
    return _member("alice", digibank_a, Role.COORDINATOR, first_name="Alice", last_name="Claes")


@pytest.fixture
def bob(digibank_a):
    return _member("bob", digibank_a, Role.DESK, first_name="Bob", last_name="Peeters")


@pytest.fixture
def tom(digibank_a):
    return _member("tom", digibank_a, Role.TECHNICIAN, first_name="Tom", last_name="Wuyts")


@pytest.fixture
def carol(digibank_b):
    return _member("carol", digibank_b, Role.COORDINATOR, first_name="Carol", last_name="Janssens")


@pytest.fixture
def dave(db):
    from digibank.network.tests.factories import UserFactory

    return UserFactory(username="dave", first_name="Dave", last_name="Maes", department_role="programme_officer")


@pytest.fixture
def erin(digibank_a, digibank_b):
    from digibank.network.tests.factories import MembershipFactory

    user = _member("erin", digibank_a, Role.COORDINATOR, first_name="Erin", last_name="Wouters")
    MembershipFactory(user=user, digibank=digibank_b, role=Role.DESK)
    return user


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_as():
    """api_as(user, digibank=None) gives an API client with that user's token (and X-Digibank)."""

    def _api(user, digibank=None):
        api = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
        if digibank is not None:
            headers["HTTP_X_DIGIBANK"] = str(digibank.pk)
        api.credentials(**headers)
        return api

    return _api
