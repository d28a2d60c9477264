"""Figures across digibanks for the Department: read from the domains' selectors, small counts
suppressed (see privacy.suppress_table), never a name."""

from __future__ import annotations

from dataclasses import dataclass

from digibank.clients.selectors import client_counts_per_digibank
from digibank.core.privacy import suppress_table
from digibank.network.selectors import digibank_names


@dataclass
class DigibankReach:
    digibank_id: int
    name: str
    registered: int | None  # None: fewer than the threshold, not shown
    active: int | None


def reach_per_digibank() -> list[DigibankReach]:
    counts = client_counts_per_digibank()
    digibanks = digibank_names()
    cells, _totals = suppress_table(
        {name: [counts.get(pk, {}).get(name, 0) for pk, _name in digibanks] for name in ("registered", "active")}
    )
    return [
        DigibankReach(pk, name, registered, active)
        for (pk, name), registered, active in zip(digibanks, cells["registered"], cells["active"])
    ]
