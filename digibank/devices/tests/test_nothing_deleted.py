"""Devices, loans and incidents are never deleted; device events and erasure records never change.
The database refuses it (PostgreSQL: deletes and changes; SQLite: changes)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from digibank.devices.lending.models import Incident, Loan, LoanItem
from digibank.devices.refurbishment.models import ErasureRecord
from digibank.devices.register.models import Device, DeviceEvent
from digibank.devices.tests.factories import device_world
from digibank.network.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(digibank_a, alice):
    from digibank.clients.tests.factories import ClientFactory

    hub = HubFactory(digibank=digibank_a)
    return device_world(digibank_a, alice, hub, ClientFactory(digibank=digibank_a, postal_code=hub.postal_code))


@pytest.mark.parametrize(("model", "change"), [(DeviceEvent, {"note": "x"}), (ErasureRecord, {"result": "failed"})])
def test_a_written_event_or_erasure_cannot_be_changed(model, change, world):
    row = model.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**change)
    assert not model.objects.filter(pk=row.pk, **change).exists()


@pytest.mark.postgres
@pytest.mark.parametrize("model", [Device, Loan, LoanItem, Incident, DeviceEvent, ErasureRecord])
def test_the_database_refuses_to_delete_what_the_device_bank_keeps(model, world):
    assert connection.vendor == "postgresql"
    row = model.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [row.pk])
    assert model.objects.filter(pk=row.pk).exists()
