"""Refurbishment's paper: the certificate of data sanitisation of one erasure (NIST SP 800-88)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from digibank.devices.documents import paper, person_line, render_pdf
from digibank.devices.refurbishment import erasure_log
from digibank.devices.refurbishment.models import ErasureRecord

# The names of the levels are the standard's own terms, printed as NIST writes them (a Dutch
# "Wissen" for Clear would read as an everyday word, not as the level of the standard).
NIST_LEVELS: dict[str, str] = {
    ErasureRecord.Level.CLEAR: "Clear",
    ErasureRecord.Level.PURGE: "Purge",
    ErasureRecord.Level.DESTROY: "Destroy",
}


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


@paper
def erasure_certificate_pdf(record: ErasureRecord) -> bytes:
    """The certificate of data sanitisation of one erasure, after NIST SP 800-88 Rev. 1 (its
    appendix G): the device and its medium, the level, method, tool and verification, who did it
    and when, the result, and the fingerprint and summary of the tool's own report. A failed
    erasure gets a paper that says plainly it is not a certificate of erasure."""
    record = ErasureRecord.objects.select_related("device__digibank", "operator").get(pk=record.pk)
    device = record.device
    return render_pdf(
        "devices/pdf/erasure_certificate.html",
        {
            "record": record,
            "device": device,
            "digibank": device.digibank,
            "operator_name": person_line(record.operator),
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
