"""Figures across digibanks for the Department: read from the domains' selectors, small counts
suppressed (see privacy.publishable), never a name."""

from __future__ import annotations

from dataclasses import dataclass

from digibank.clients.selectors import client_counts_per_digibank
from digibank.core.privacy import publishable
from digibank.network.models import Digibank


@dataclass
class DigibankReach:
    digibank_id: int
    name: str
    registered: int | None  # None: fewer than the threshold, not shown
    active: int | None


def reach_per_digibank() -> list[DigibankReach]:
    counts = client_counts_per_digibank()
    return [
        DigibankReach(
            d.pk,
            d.name,
            publishable(counts.get(d.pk, {}).get("registered", 0)),
            publishable(counts.get(d.pk, {}).get("active", 0)),
        )
        for d in Digibank.objects.order_by("name")
    ]
