"""The printed papers of the device bank: a sheet of asset-tag labels, the certificate of data
sanitisation of one erasure, the summary certificate of a donor's batch, and the loan agreement.

Each is self-contained HTML (inline CSS and SVG, system fonts) rendered to PDF by core.pdf, which
fetches nothing but data: URLs. A paper is always in the platform's language (Dutch) and its dates
in Brussels time, whatever the language or clock of the person printing it. These functions only
read: the caller has already scoped the object to the staff member's digibank."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from digibank.core.pdf import html_to_pdf
from digibank.network.models import Digibank, format_enterprise_number

from . import erasure_log, services
from .lifecycle import State, holds_data
from .models import AgreementText, Device, ErasureRecord, IntakeBatch, LendingRules, Loan

BRUSSELS = ZoneInfo("Europe/Brussels")
P = ParamSpec("P")


@dataclass(frozen=True)
class LabelSheet:
    """An A4 sheet of self-adhesive labels; sizes in mm. The default is the common sheet of
    3 × 8 labels of 70 × 37 mm, which leaves half a millimetre at the top and the bottom."""

    columns: int = 3
    rows: int = 8
    width: float = 70
    height: float = 37
    top: float = 0.5
    left: float = 0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LABEL_SHEET = LabelSheet()


def _paper(build: Callable[P, bytes]) -> Callable[P, bytes]:
    """Build the whole paper, texts made in Python included, in Dutch and in Brussels time."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> bytes:
        with translation.override(settings.LANGUAGE_CODE), timezone.override(BRUSSELS):
            return build(*args, **kwargs)

    return wrapper


def _render(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, {"issued_on": timezone.localdate(), **context})
    return html_to_pdf(html)


# The names of the levels are the standard's own terms, printed as NIST writes them (a Dutch
# "Wissen" for Clear would read as an everyday word, not as the level of the standard).
NIST_LEVELS: dict[str, str] = {
    ErasureRecord.Level.CLEAR: "Clear",
    ErasureRecord.Level.PURGE: "Purge",
    ErasureRecord.Level.DESTROY: "Destroy",
}


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _tag_qr(tag: str) -> SafeString:
    # Made by segno from the asset tag alone (letters, digits and dashes): safe to inline. Version 1
    # holds the tag; about 1 mm per module is easy for a cheap desk scanner.
    qr = segno.make(tag, error="m", micro=False)
    return mark_safe(qr.svg_inline(scale=1, unit="mm", border=2, svgclass="tag-qr", title=tag))


# --- labels ----------------------------------------------------------------------------------


@_paper
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
                "qr": _tag_qr(device.asset_tag),
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
    return _render(
        "devices/pdf/labels.html",
        {
            "pages": pages,
            "empty": not devices,
            "label_size": f"width: {sheet.width:.2f}mm; height: {sheet.height:.2f}mm;",
        },
    )


@_paper
def batch_labels_pdf(batch: IntakeBatch) -> bytes:
    """The labels of every device in the batch, in the order they were taken in."""
    return device_labels_pdf(list(batch.devices.order_by("received_at", "pk")))


# --- erasure certificates --------------------------------------------------------------------


def _level_explanation(level: str) -> str:
    explanations: dict[str, str] = {
        ErasureRecord.Level.CLEAR: _(
            "Clear: the data was overwritten with the normal read and write commands of the storage, so that "
            "it cannot be recovered with simple, non-invasive means such as data recovery software."
        ),
        ErasureRecord.Level.PURGE: _(
            "Purge: the data was removed with physical or logical techniques that make recovery infeasible, "
            "even with state-of-the-art laboratory techniques."
        ),
        ErasureRecord.Level.DESTROY: _(
            "Destroy: the storage was physically destroyed so that recovery is infeasible, even with "
            "state-of-the-art laboratory techniques, and the medium can no longer be used."
        ),
    }
    return explanations.get(level, "")


def _nwipe_summary(record: ErasureRecord) -> dict[str, Any] | None:
    """What nwipe itself says in its log, or None when the report is not a readable nwipe log."""
    if not record.report:
        return None
    try:
        report = erasure_log.parse_nwipe_log(record.report)
    except (erasure_log.NwipeLogError, ValueError):
        return None
    ours = report.disk_with_serial(record.medium_serial) if record.medium_serial else None
    statuses = {"erased": _("Erased"), "failed": _("FAILED"), "untouched": _("untouched")}
    verification = {"off": _("off"), "last": _("last pass"), "all": _("all passes")}
    return {
        "version": report.tool_version,
        "method": report.method,
        "rounds": report.rounds,
        "verification": verification.get(report.verification, report.verification),
        "blanking": report.blanking,
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "disks": [
            {
                "device": disk.device,
                "status": statuses.get(disk.status, disk.status),
                "throughput": disk.throughput,
                "duration": disk.duration,
                "model": disk.model,
                "serial": disk.serial,
                "ours": disk is ours,
            }
            for disk in report.disks
        ],
    }


@_paper
def erasure_certificate_pdf(record: ErasureRecord) -> bytes:
    """The certificate of data sanitisation of one erasure, after NIST SP 800-88 Rev. 1 (its
    appendix G): the device and its medium, the level, method, tool and verification, who did it
    and when, the result, and the fingerprint and summary of the tool's own report. A failed
    erasure gets a paper that says plainly it is not a certificate of erasure."""
    record = ErasureRecord.objects.select_related("device__digibank", "operator").get(pk=record.pk)
    device = record.device
    return _render(
        "devices/pdf/erasure_certificate.html",
        {
            "record": record,
            "device": device,
            "digibank": device.digibank,
            "operator_name": _person(record.operator),
            "passed": record.result == ErasureRecord.Result.PASSED,
            "level_name": NIST_LEVELS.get(record.level, record.level),
            "level_explanation": _level_explanation(record.level),
            "destination": (
                _("recycling: the destroyed medium goes to a recycler")
                if record.level == ErasureRecord.Level.DESTROY
                else _("reuse: the device is refurbished and lent by the digibank")
            ),
            "nwipe": _nwipe_summary(record),
        },
    )


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


@_paper
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
    return _render(
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


# --- the loan agreement ----------------------------------------------------------------------


def _agreement_of(loan: Loan) -> tuple[str, int | None]:
    """The text the loan is signed under; for a booking not yet handed over, the digibank's
    current text (read, never created here)."""
    agreement = (
        loan.agreement or AgreementText.objects.filter(digibank_id=loan.digibank_id).order_by("-version").first()
    )
    if agreement is None:
        return services.DEFAULT_AGREEMENT, None
    return agreement.text, agreement.version


def _training(loan: Loan) -> str:
    training = loan.conditions.get("training") if isinstance(loan.conditions, dict) else None
    if not training or not training.get("when"):
        return ""
    if training["when"] == LendingRules.Training.BEFORE:
        return _("“%(name)s”, completed before the loan") % {"name": training.get("name", "")}
    return _("“%(name)s”, to follow during the loan") % {"name": training.get("name", "")}


@_paper
def loan_agreement_pdf(loan: Loan) -> bytes:
    """The loan agreement: the digibank and the borrower (the client with their client number, or
    the partner organisation), who lent it, every item, the dates, the conditions that applied at
    check-out, the agreement text in the version signed, and lines for both signatures, or the
    record of the signature given on screen."""
    loan = Loan.objects.select_related(
        "digibank", "client", "partner", "hub__municipality", "agreement", "checked_out_by", "created_by"
    ).get(pk=loan.pk)
    rules = services.rules_for(loan.digibank)
    text, version = _agreement_of(loan)
    conditions = loan.conditions if isinstance(loan.conditions, dict) else {}
    loan_days = conditions.get("loan_days") or (loan.due_on - loan.starts_on).days
    signed_at = timezone.localtime(loan.signed_at, BRUSSELS) if loan.signed_at else None
    return _render(
        "devices/pdf/loan_agreement.html",
        {
            "loan": loan,
            "digibank": loan.digibank,
            "client": loan.client,
            "partner": loan.partner,
            "staff_name": _person(loan.checked_out_by or loan.created_by),
            "items": [item.device for item in loan.items.select_related("device").order_by("pk")],
            "loan_days": loan_days,
            "rules": rules,
            "training": _training(loan),
            "agreement_text": text,
            "agreement_version": version,
            "signed_at": signed_at,
            "signed_on": signed_at.date() if signed_at else None,
            "printed_at": timezone.localtime(timezone.now(), BRUSSELS),
        },
    )
