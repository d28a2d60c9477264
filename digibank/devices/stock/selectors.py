"""Stock's reads: the stock per hub, type and state, and a stock-take's result (missing, misplaced)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from digibank.core.tenancy import Tenancy
from digibank.devices.register.lifecycle import FINAL_STATES, STOCK_STATES, Kind, State
from digibank.devices.register.models import Device
from digibank.devices.stock.models import StockTake, StockTakeScan
from digibank.network.models import Hub

# What a stock-take expects to find on the shelves of a hub: the stock, plus what waits there for
# its borrower (reserved) or for the recycler (retired). Only what is on loan or gone is elsewhere.
ON_THE_SHELF = frozenset(STOCK_STATES | {State.RESERVED, State.RETIRED})


# How many lines of each part of a stock-take's result the page shows; the counts are always whole.
RESULT_LINES = 200


_STATE_ORDER = {state: index for index, state in enumerate(State.values)}


_KIND_ORDER = {kind: index for index, kind in enumerate(Kind.values)}


@dataclass(frozen=True)
class SummaryRow:
    hub_id: int
    hub_name: str
    kind: str
    state: str
    grade: str
    count: int

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


def stock_summary(tenancy: Tenancy, hub: Hub | None = None) -> list[SummaryRow]:
    """The devices the digibank holds (every state but recycled and handed over), counted per hub,
    type, state and grade, in the order of the lifecycle. One query, whatever the stock."""
    devices = Device.objects.visible_to(tenancy).exclude(state__in=FINAL_STATES)
    if hub is not None:
        devices = devices.filter(hub=hub)
    rows = [
        SummaryRow(
            hub_id=row["hub_id"],
            hub_name=row["hub__name"],
            kind=row["kind"],
            state=row["state"],
            grade=row["grade"],
            count=row["count"],
        )
        for row in devices.values("hub_id", "hub__name", "kind", "state", "grade")
        .annotate(count=Count("pk"))
        .order_by()
    ]
    return sorted(
        rows,
        key=lambda r: (r.hub_name, r.hub_id, _KIND_ORDER.get(r.kind, 99), _STATE_ORDER.get(r.state, 99), r.grade),
    )


# --- stock-take ------------------------------------------------------------------------------


@dataclass
class StockTakeResult:
    """What the scans of a stock-take say against the records. The lists are cut at RESULT_LINES;
    the counts are not."""

    scanned: int = 0
    found: int = 0
    missing: list[Device] = field(default_factory=list)
    missing_count: int = 0
    misplaced: list[StockTakeScan] = field(default_factory=list)
    misplaced_count: int = 0
    unknown: list[StockTakeScan] = field(default_factory=list)
    unknown_count: int = 0

    @property
    def all_in_order(self) -> bool:
        return not (self.missing_count or self.misplaced_count or self.unknown_count)


def stocktake_result(stocktake: StockTake) -> StockTakeResult:
    """Compare the labels scanned in a stock-take with the records of its hub.

    missing: on the shelf at this hub according to the records (ON_THE_SHELF), not scanned.
    misplaced: scanned here, but recorded at another hub or in a state that is not on a shelf
    (on loan, recycled, handed over). unknown: a scanned code that is no device of the digibank.
    A fixed number of queries, whatever the size of the hub."""
    scans = StockTakeScan.objects.filter(stocktake=stocktake)
    scanned_devices = scans.filter(device__isnull=False).values("device_id")
    expected = Device.objects.filter(hub_id=stocktake.hub_id, state__in=ON_THE_SHELF)
    missing = expected.exclude(pk__in=scanned_devices).order_by("kind", "asset_tag")
    wrong = Q(device__isnull=False) & (~Q(device__hub_id=stocktake.hub_id) | ~Q(device__state__in=ON_THE_SHELF))
    misplaced = scans.filter(wrong).select_related("device", "device__hub").order_by("scanned")
    unknown = scans.filter(device__isnull=True).order_by("scanned")
    counts: dict[str, Any] = scans.aggregate(
        scanned=Count("pk"),
        unknown=Count("pk", filter=Q(device__isnull=True)),
        misplaced=Count("pk", filter=wrong),
    )
    return StockTakeResult(
        scanned=counts["scanned"],
        found=counts["scanned"] - counts["unknown"] - counts["misplaced"],
        missing=list(missing[:RESULT_LINES]),
        missing_count=missing.count(),
        misplaced=list(misplaced[:RESULT_LINES]),
        misplaced_count=counts["misplaced"],
        unknown=list(unknown[:RESULT_LINES]),
        unknown_count=counts["unknown"],
    )
