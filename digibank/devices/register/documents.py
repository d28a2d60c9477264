"""The register's paper: the asset-tag label of one device."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from digibank.devices.documents import LABEL_SHEET, LabelSheet, paper, render_pdf, tag_qr
from digibank.devices.register.models import Device
from digibank.network.models import Digibank

# --- labels ----------------------------------------------------------------------------------


@paper
def device_labels_pdf(devices: Sequence[Device], *, skip: int = 0, sheet: LabelSheet = LABEL_SHEET) -> bytes:
    """A sheet (or several) of asset-tag labels, one per device in the given order: the QR code of
    the tag, the tag in large type, what the device is, its serial number (so the right label goes
    on the right device) and the digibank's name. `skip` leaves that many labels of the first sheet
    blank, for a sheet that was partly used before."""
    skip = max(0, min(skip, sheet.per_page - 1))
    names = dict(
        Digibank.objects.filter(pk__in={d.digibank_id for d in devices}).values_list("pk", "name")
    )  # one query, however many devices
    labels: list[dict[str, Any] | None] = [None] * skip
    for device in devices:
        labels.append(
            {
                "tag": device.asset_tag,
                "qr": tag_qr(device.asset_tag),
                "description": device.description,
                "serial_number": device.serial_number,
                "digibank_name": names.get(device.digibank_id, ""),
            }
        )
    pages = []
    for start in range(0, max(len(labels), 1), sheet.per_page):
        page = []
        for index, label in enumerate(labels[start : start + sheet.per_page]):
            if label is None:
                continue
            row, column = divmod(index, sheet.columns)
            # Preformatted: a float in a template is localised ("0,5"), which CSS does not read.
            position = f"top: {sheet.top + row * sheet.height:.2f}mm; left: {sheet.left + column * sheet.width:.2f}mm;"
            page.append({**label, "position": position})
        pages.append(page)
    return render_pdf(
        "devices/pdf/labels.html",
        {
            "pages": pages,
            "empty": not devices,
            "label_size": f"width: {sheet.width:.2f}mm; height: {sheet.height:.2f}mm;",
        },
    )
