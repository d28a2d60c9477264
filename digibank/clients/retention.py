"""Retention: a client who has not come for N months (per digibank, 24 by default) is anonymised by
a background job, the same way as an erasure on request. The coordinator sees beforehand who is due
and can postpone one person's turn, with a reason."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from digibank.core.services import field_errors
from digibank.network.models import Digibank

from . import services
from .models import AccessLog, Client, RetentionPolicy

MAX_POSTPONEMENT_MONTHS = 12
RETENTION_REASON = "retention"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (or later, when negative), clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_months(digibank: Digibank) -> int:
    policy = RetentionPolicy.objects.filter(digibank=digibank).first()
    return policy.months if policy else RetentionPolicy.DEFAULT_MONTHS


@transaction.atomic
def retention_policy_set(*, digibank: Digibank, months: int, actor) -> RetentionPolicy:
    """Set how many months without activity this digibank keeps a client's personal data (1 to 120)."""
    policy = RetentionPolicy.objects.select_for_update().filter(digibank=digibank).first() or RetentionPolicy(
        digibank=digibank
    )
    policy.months = months
    policy.full_clean(exclude=["digibank"])
    policy.save()
    return policy


def clients_due(digibank: Digibank, today: dt.date | None = None) -> QuerySet[Client]:
    """The active clients of this digibank whose last activity is older than its retention period
    and whose postponement, if any, has passed: the ones the next retention run anonymises."""
    today = today or timezone.localdate()
    cutoff_day = months_before(today, retention_months(digibank))
    cutoff = timezone.make_aware(dt.datetime.combine(cutoff_day, dt.time.min))
    return Client.objects.filter(
        Q(retention_postponed_until__isnull=True) | Q(retention_postponed_until__lt=today),
        digibank=digibank,
        status=Client.Status.ACTIVE,
        last_activity_at__lt=cutoff,
    ).order_by("last_activity_at", "pk")


@transaction.atomic
def retention_postpone(*, client: Client, until: dt.date, reason: str, actor) -> Client:
    """Keep this client's data until `until` (at most 12 months ahead), for a stated reason. The
    reason stays on the client (it is erased with them); the access log records the change but not
    the reason, which may be personal."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if client.is_anonymised:
        raise ValidationError(_("This client has been anonymised: there is nothing left to keep."))
    if not (reason or "").strip():
        errors["reason"] = [_("Say why this person's data should be kept longer.")]
    elif len(reason.strip()) > Client._meta.get_field("retention_postponed_reason").max_length:  # type: ignore[operator]
        errors["reason"] = [_("Keep the reason short (at most 300 characters).")]
    else:
        errors |= field_errors(Client, "retention_postponed_reason", reason.strip(), key="reason")
    if until is None or until <= today:
        errors["until"] = [_("Choose a date in the future.")]
    elif until > months_before(today, -MAX_POSTPONEMENT_MONTHS):
        errors["until"] = [_("You can postpone by at most 12 months at a time.")]
    if errors:
        raise ValidationError(errors)
    client.retention_postponed_until = until
    client.retention_postponed_reason = reason.strip()
    client.save(update_fields=["retention_postponed_until", "retention_postponed_reason"])
    services.log_access(
        actor=actor,
        digibank_id=client.digibank_id,
        client=client,
        action=AccessLog.Action.CHANGE,
        what=f"retention postponed until {until.isoformat()}",
    )
    return client


@task()
def anonymise_due_clients() -> int:
    """Anonymise every due client of every digibank; returns how many. Idempotent: an anonymised
    client is no longer due, so a second run (or two workers at once) changes nothing."""
    started = timezone.now()
    count = 0
    for digibank in Digibank.objects.order_by("pk"):
        for pk in list(clients_due(digibank).values_list("pk", flat=True)):
            # One transaction per person (inside client_anonymise): a failure halfway leaves every
            # finished anonymisation in place, and the next run picks up the rest.
            client = services.client_anonymise(client=Client(pk=pk), actor=None, reason=RETENTION_REASON)
            if client.anonymised_at is not None and client.anonymised_at >= started:
                count += 1
    return count
