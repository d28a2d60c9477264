"""The device bank's reads that leave the domain: the raw counts per digibank behind the
circularity figures, which impact/ turns into figures and suppresses."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum

from digibank.core.tenancy import Tenancy
from digibank.devices.lending.models import Loan
from digibank.devices.register.lifecycle import State
from digibank.devices.register.models import Device, DeviceEvent


def counts_per_digibank(first: dt.datetime, after: dt.datetime, tenancy: Tenancy | None = None) -> dict[int, dict]:
    """The raw counts of the device bank from `first` up to `after`, per digibank id, for the
    circularity figures (impact): taken_in, refurbished, lent, handed_over, recycled, recycled_kg,
    and reused_by_kind ({kind: devices lent or handed over for the first time}). Only the digibanks
    the tenancy may see; every digibank when `tenancy` is None (for the Department, whose caller
    publishes them through core.privacy). A digibank without any count is missing. Each count is
    one aggregate query grouped by digibank, whatever the number of devices or digibanks."""

    def rows(model):
        return (model.objects.visible_to(tenancy) if tenancy is not None else model.objects.all()).order_by()

    per: dict[int, dict] = defaultdict(dict)
    intake = rows(Device).filter(received_at__gte=first, received_at__lt=after)
    for row in intake.values("digibank_id").annotate(n=Count("pk")):
        per[row["digibank_id"]]["taken_in"] = row["n"]

    moves = rows(DeviceEvent).filter(
        kind=DeviceEvent.Kind.TRANSITION,
        to_state__in=(State.READY, State.HANDED_OVER, State.RECYCLED),
        occurred_at__gte=first,
        occurred_at__lt=after,
    )
    for row in moves.values("device__digibank_id").annotate(
        # Back from a cancelled reservation is not made ready again: nothing was done to it.
        refurbished=Count("device_id", distinct=True, filter=Q(to_state=State.READY) & ~Q(from_state=State.RESERVED)),
        handed_over=Count("device_id", distinct=True, filter=Q(to_state=State.HANDED_OVER)),
        recycled=Count("device_id", distinct=True, filter=Q(to_state=State.RECYCLED)),
        # A device is recycled once (nothing follows), so its weight is summed once.
        recycled_kg=Sum("device__weight_kg", filter=Q(to_state=State.RECYCLED)),
    ):
        counts = per[row["device__digibank_id"]]
        for name in ("refurbished", "handed_over", "recycled"):
            counts[name] = row[name]
        counts["recycled_kg"] = row["recycled_kg"] or Decimal("0")

    lent = rows(Loan).filter(checked_out_at__gte=first, checked_out_at__lt=after)
    for row in lent.values("digibank_id").annotate(n=Count("pk")):
        per[row["digibank_id"]]["lent"] = row["n"]

    # Each device counts once, in the period of its first reuse, so adding up years never counts
    # one laptop twice.
    first_reuse = (
        rows(DeviceEvent)
        .filter(kind=DeviceEvent.Kind.TRANSITION, to_state__in=(State.ON_LOAN, State.HANDED_OVER))
        .values("device_id")
        .annotate(first=Min("occurred_at"))
        .filter(first__gte=first, first__lt=after)
        .values("device_id")
    )
    reused = rows(Device).filter(pk__in=first_reuse).values("digibank_id", "kind").annotate(n=Count("pk"))
    for row in reused:
        per[row["digibank_id"]].setdefault("reused_by_kind", {})[row["kind"]] = row["n"]
    return dict(per)
