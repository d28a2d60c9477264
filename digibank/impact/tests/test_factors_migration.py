"""The CO2e factors moved from the device bank to impact without losing a row: a database at the
old state (the factors in devices' tables) migrates to the new one with every factor and every
change of its history, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from digibank.devices.register.lifecycle import Kind
from digibank.impact import services
from digibank.impact.models import EmissionFactor


def _rows(table: str) -> int | None:
    """The rows in a table, or None when there is no such table."""
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets(executor.loader.graph))


@pytest.mark.django_db(transaction=True)
def test_the_factors_and_their_history_survive_the_move_to_impact(dave):
    services.emission_factor_set(kind=Kind.LAPTOP, kg_co2e=Decimal("180.0"), source="Bron 2026", actor=dave)
    services.emission_factor_set(kind=Kind.MOUSE, kg_co2e=Decimal("2.5"), source="Bron muis", actor=dave)
    factors, history = EmissionFactor.objects.count(), EmissionFactor.history.count()  # type: ignore[attr-defined]
    assert factors >= 2 and history >= 2  # the defaults too, unless a transactional test flushed them
    content_type = ContentType.objects.get_for_model(EmissionFactor).pk
    try:
        # Back to the device bank's state: impact unapplied, so devices 0007 with it.
        _migrate(lambda graph: [("impact", None)])
        assert _rows("impact_emissionfactor") is None
        assert (_rows("devices_emissionfactor"), _rows("devices_historicalemissionfactor")) == (factors, history)
        assert ContentType.objects.get(pk=content_type).app_label == "devices"
    finally:
        _migrate(lambda graph: graph.leaf_nodes())
    assert _rows("devices_emissionfactor") is None and _rows("devices_historicalemissionfactor") is None
    assert (_rows("impact_emissionfactor"), _rows("impact_historicalemissionfactor")) == (factors, history)
    laptop = EmissionFactor.objects.get(kind=Kind.LAPTOP)
    assert laptop.kg_co2e == Decimal("180.0") and laptop.updated_by == dave
    assert laptop.history.first().kg_co2e == Decimal("180.0")  # type: ignore[attr-defined]
    assert ContentType.objects.get(pk=content_type).app_label == "impact"
    assert not ContentType.objects.filter(app_label="devices", model="emissionfactor").exists()
    # And the factors still move: the table takes new rows after the rename.
    services.emission_factor_set(kind=Kind.WEBCAM, kg_co2e=Decimal("4.0"), source="Bron webcam", actor=dave)
    assert EmissionFactor.objects.count() == factors + 1
