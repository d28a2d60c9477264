"""The hub of the digihelpers' tests: Digipunt Zuid of digibank A (conftest's alice coordinates it)."""

from __future__ import annotations

import pytest

from digibank.network.tests.factories import HubFactory


@pytest.fixture
def zuid(digibank_a):
    return HubFactory(digibank=digibank_a, name="Digipunt Zuid")
