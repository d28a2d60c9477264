"""The person's right of access (GDPR art. 15): everything held about one client, as a JSON file
and as a readable page (HTML or PDF). Every export is logged in the access log.

Erasure is services.client_anonymise; retention uses the same function."""

from __future__ import annotations

import json
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.core.pdf import html_to_pdf

from .models import AccessLog, Client, ClientEvent, Consent, Traits
from .services import TRAIT_FIELDS, log_access

# The kinds of events this domain records; other domains' kinds are shown as they are stored.
EVENT_LABELS = {
    "registered": gettext_lazy("Registered at the digibank"),
    "consent_given": gettext_lazy("Gave consent"),
    "consent_withdrawn": gettext_lazy("Withdrew consent"),
    # The device bank's kinds (the device bank's services and reminders record them).
    "loan_out": gettext_lazy("Borrowed a device"),
    "loan_returned": gettext_lazy("Brought a borrowed device back"),
    "loan_extended": gettext_lazy("The loan was extended"),
    "device_requested": gettext_lazy("Asked for a device (waiting list)"),
    "device_offered": gettext_lazy("Was offered a device from the waiting list"),
    "device_handed_over": gettext_lazy("Received a device for good"),
    "loan_reminder_due_soon": gettext_lazy("Was reminded that the loan ends soon"),
    "loan_reminder_overdue": gettext_lazy("Was reminded that the loan has ended"),
    # Guidance's kinds (the help contacts' services record them).
    "help_contact": gettext_lazy("Was helped at a hub"),
    "help_contact_cancelled": gettext_lazy("A help contact was cancelled (logged by mistake)"),
}


def _staff_name(user) -> str:
    if user is None:
        return _("the digibank (automatic)")
    return user.get_full_name() or user.get_username()


def _local(moment):
    return timezone.localtime(moment) if moment is not None else None


def _collect(client: Client) -> dict[str, Any]:
    """Everything held about the client, in plain values (dates and datetimes as objects)."""
    client = Client.objects.select_related("digibank", "municipality", "referred_by", "registered_by").get(pk=client.pk)
    details = {
        "number": client.number,
        "status": client.status,
        "status_label": client.get_status_display(),
        "first_name": client.first_name,
        "last_name": client.last_name,
        "birth_date": client.birth_date,
        "birth_year": client.birth_year,
        "postal_code": client.postal_code,
        "municipality": client.municipality.name if client.municipality else "",
        "phone": client.phone,
        "email": client.email,
        "language": client.language,
        "language_label": client.get_language_display(),
        "found_via": client.found_via,
        "found_via_label": client.get_found_via_display(),
        "referred_by": client.referred_by.name if client.referred_by else "",
        "registered_at": _local(client.registered_at),
        "registered_by": _staff_name(client.registered_by),
        "last_activity_at": _local(client.last_activity_at),
        "retention_postponed_until": client.retention_postponed_until,
        "retention_postponed_reason": client.retention_postponed_reason,
        "anonymised_at": _local(client.anonymised_at),
        "age_band": client.age_band,
    }
    traits_row = Traits.objects.filter(client=client).first()
    traits = None
    if traits_row is not None:
        traits = {}
        for name in TRAIT_FIELDS:
            field = cast(models.Field, Traits._meta.get_field(name))
            value = getattr(traits_row, name)
            display = getattr(traits_row, f"get_{name}_display")() if field.choices else value
            traits[name] = {"label": str(field.verbose_name), "value": value, "display": display}
    consents = [
        {
            "scope": consent.scope,
            "scope_label": consent.get_scope_display(),
            "notice_version": consent.notice.version,
            "notice_published_at": _local(consent.notice.published_at),
            "given_at": _local(consent.given_at),
            "recorded_by": _staff_name(consent.recorded_by),
            "withdrawn_at": _local(consent.withdrawn_at),
            "withdrawn_recorded_by": _staff_name(consent.withdrawn_recorded_by) if consent.withdrawn_at else "",
        }
        for consent in Consent.objects.filter(client=client)
        .select_related("notice", "recorded_by", "withdrawn_recorded_by")
        .order_by("given_at", "pk")
    ]
    events = [
        {
            "kind": event.kind,
            "kind_label": str(EVENT_LABELS.get(event.kind, event.kind)),
            "occurred_at": _local(event.occurred_at),
            "summary": event.summary,
            "ref": event.ref,
            "by": _staff_name(event.actor) if event.actor_id else "",
        }
        for event in ClientEvent.objects.filter(client=client).select_related("actor").order_by("occurred_at", "pk")
    ]
    access_log = [
        {
            "at": _local(line.at),
            "who": _staff_name(line.actor),
            "action": line.action,
            "action_label": line.get_action_display(),
            "what": line.what,
            "digibank": line.digibank.name,
        }
        for line in AccessLog.objects.filter(client=client).select_related("actor", "digibank").order_by("at", "pk")
    ]
    return {
        "exported_at": timezone.localtime(),
        "digibank": client.digibank.name,
        "client": details,
        "traits": traits,
        "consents": consents,
        "events": events,
        "access_log": access_log,
    }


def _log_export(client: Client, actor, what: str) -> None:
    log_access(actor=actor, digibank_id=client.digibank_id, client=client, action=AccessLog.Action.EXPORT, what=what)


def export_json(client: Client, *, actor=None) -> dict[str, Any]:
    """Everything held about the person as plain JSON values: their details, traits, consents with
    the notice version, the events of their journey and every access-log line about them (who,
    when, what). Logged as an export by `actor` (the staff member handing it over)."""
    data = json.loads(json.dumps(_collect(client), cls=DjangoJSONEncoder))
    _log_export(client, actor, "export json")
    return data


def _render_html(client: Client) -> str:
    data = _collect(client)
    return render_to_string("clients/export.html", {"export": data, "details": data["client"]})


def export_html(client: Client, *, actor=None) -> str:
    """The same as export_json, as a printable page in plain language. Logged as an export."""
    html = _render_html(client)
    _log_export(client, actor, "export html")
    return html


def export_pdf(client: Client, *, actor=None) -> bytes:
    """The page of export_html as a PDF. Logged as an export."""
    pdf = html_to_pdf(_render_html(client))
    _log_export(client, actor, "export pdf")
    return pdf
