"""Intake's papers: a batch's asset-tag labels and the summary certificate for its donor."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from digibank.devices.documents import paper, render_pdf
from digibank.devices.intake.models import IntakeBatch
from digibank.devices.refurbishment.documents import NIST_LEVELS
from digibank.devices.refurbishment.models import ErasureRecord
from digibank.devices.register.documents import device_labels_pdf
from digibank.devices.register.lifecycle import State, holds_data
from digibank.devices.register.models import Device
from digibank.network.models import format_enterprise_number


@paper
def batch_labels_pdf(batch: IntakeBatch) -> bytes:
    """The labels of every device in the batch, in the order they were taken in."""
    return device_labels_pdf(list(batch.devices.order_by("received_at", "pk")))


def _batch_row(device: Device) -> dict[str, Any]:
    erasures = list(device.erasures.all())  # prefetched, newest first
    erasure = erasures[0] if erasures else None
    recycled = ""
    if device.state == State.RECYCLED and device.collection is not None and device.weight_kg is not None:
        recycled = _("Recycled: %(weight)s kg, handed to %(recycler)s (reference %(reference)s).") % {
            "weight": number_format(device.weight_kg.normalize()),
            "recycler": device.collection.recycler,
            "reference": device.collection.reference,
        }
    if erasure is not None:
        outcome = "erased" if erasure.result == ErasureRecord.Result.PASSED else "failed"
        text = ""
    elif recycled:
        outcome, text = "recycled", ""
    elif not holds_data(device.kind):
        outcome, text = "no_data", _("No data carrier: nothing to erase.")
    else:
        outcome, text = "waiting", _("Not yet erased.")
    return {
        "device": device,
        "erasure": erasure,
        "level_name": NIST_LEVELS.get(erasure.level, erasure.level) if erasure else "",
        "outcome": outcome,
        "text": text,
        "recycled": recycled,
    }


@paper
def batch_certificate_pdf(batch: IntakeBatch) -> bytes:
    """The summary certificate for the donor of a batch: who gave what, when and where, and for
    every item its latest erasure (level, method, date, result, certificate number), or what
    became of it: recycled with its weight, not yet erased, or no data carrier to erase."""
    batch = IntakeBatch.objects.select_related("donor", "hub__municipality", "digibank").get(pk=batch.pk)
    devices = (
        Device.objects.filter(batch=batch)
        .select_related("collection")
        .prefetch_related(Prefetch("erasures", queryset=ErasureRecord.objects.order_by("-recorded_at", "-pk")))
        .order_by("received_at", "pk")
    )
    rows = [_batch_row(device) for device in devices]
    counts = {key: sum(1 for r in rows if r["outcome"] == key) for key in ("erased", "failed", "recycled", "waiting")}
    counts["no_data"] = sum(1 for r in rows if r["outcome"] == "no_data")
    donor = batch.donor
    return render_pdf(
        "devices/pdf/batch_certificate.html",
        {
            "batch": batch,
            "donor": donor,
            "enterprise_number": format_enterprise_number(donor.enterprise_number) if donor.enterprise_number else "",
            "digibank": batch.digibank,
            "hub": batch.hub,
            "rows": rows,
            "counts": counts,
            "recycled_count": sum(1 for r in rows if r["recycled"]),
        },
    )
