"""The reads of referrals: who sees which (the receiving side all of the digibank's, a referrer only the
ones their organisation made), the incoming ones of a hub, a referral by its code, the stale ones, and the
device bank's question whether a partner referred a client for a device."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from digibank.clients.models import Client
from digibank.core.roles import Perm, Role
from digibank.core.tenancy import Tenancy
from digibank.guidance.referrals.models import OPEN, Referral, ReferralSettings, Service, Status, normalise_code
from digibank.network.models import Hub, Membership, Partner


def handles(tenancy: Tenancy) -> bool:
    """The receiving side: sees every referral of the digibank, with its notes."""
    return tenancy.can(Perm.REFERRALS_HANDLE)


def referrer_only(tenancy: Tenancy) -> bool:
    """A referrer who does not handle referrals sees the status and the outcome of their own, nothing more."""
    return tenancy.can(Perm.REFERRALS_MAKE) and not handles(tenancy)


def partner_of(tenancy: Tenancy) -> Partner | None:
    """The partner organisation the user works for in this digibank (a partner worker's membership), or None
    for the digibank's own staff."""
    if tenancy.user_id is None or tenancy.digibank_id is None:
        return None
    membership = (
        Membership.objects.filter(
            user_id=tenancy.user_id,
            digibank_id=tenancy.digibank_id,
            is_active=True,
            role=Role.PARTNER_WORKER,
            partner__isnull=False,
        )
        .select_related("partner")
        .order_by("pk")
        .first()
    )
    return membership.partner if membership else None


def referrals_for(tenancy: Tenancy) -> QuerySet[Referral]:
    """The referrals this tenancy may see: all of the digibank's for the receiving side; for a referrer, those
    made by their organisation or by themselves; none for anyone else."""
    referrals = Referral.objects.visible_to(tenancy).select_related("to_hub", "client", "e_service", "from_partner")
    if handles(tenancy):
        return referrals
    if not tenancy.can(Perm.REFERRALS_MAKE):
        return referrals.none()
    partner = partner_of(tenancy)
    mine = Q(referred_by_id=tenancy.user_id)
    if partner is not None:
        mine |= Q(from_partner=partner)
    return referrals.filter(mine)


def incoming_referrals(tenancy: Tenancy, hub: Hub) -> QuerySet[Referral]:
    """The open referrals to a hub, oldest first: the desk's work (the hub day view shows them)."""
    return (
        Referral.objects.visible_to(tenancy)
        .filter(to_hub=hub, status__in=OPEN)
        .select_related("to_hub", "client", "e_service", "from_partner")
        .order_by("created_at", "pk")
    )


def referral_by_code(tenancy: Tenancy, raw: str) -> Referral | None:
    """The referral with the code on the slip, as typed or scanned, among those the tenancy may see."""
    code = normalise_code(raw)
    if not code:
        return None
    return referrals_for(tenancy).filter(code=code).first()


def stale_after_days(digibank_id: int) -> int:
    row = ReferralSettings.objects.filter(digibank_id=digibank_id).first()
    return row.stale_after_days if row else ReferralSettings.DEFAULT_STALE_DAYS


def stale_condition(days: int, *, now: dt.datetime | None = None) -> Q:
    """Open for more than `days` days, and not waiting for a planned day still to come."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    today = timezone.localdate(now)
    return Q(status__in=OPEN, created_at__lt=cutoff) & ~Q(status=Status.PLANNED, planned_on__gte=today)


def settings_of(tenancy: Tenancy) -> ReferralSettings:
    """The digibank's row, or an unsaved one with the defaults."""
    assert tenancy.digibank_id is not None
    row = ReferralSettings.objects.visible_to(tenancy).first()
    return row or ReferralSettings(digibank_id=tenancy.digibank_id)


def stale_ids(tenancy: Tenancy, referrals: list[Referral]) -> set[int]:
    """Which of these referrals (a page of a list) are stale: one query for the setting."""
    if tenancy.digibank_id is None or not referrals:
        return set()
    days = stale_after_days(tenancy.digibank_id)
    cutoff = timezone.now() - dt.timedelta(days=days)
    today = timezone.localdate()
    return {
        r.pk
        for r in referrals
        if r.is_open
        and r.created_at < cutoff
        and not (r.status == Status.PLANNED and r.planned_on is not None and r.planned_on >= today)
    }


def stale_count(tenancy: Tenancy) -> int:
    """How many open referrals of the digibank wait too long (the coordinator's start page)."""
    if tenancy.digibank_id is None:
        return 0
    days = stale_after_days(tenancy.digibank_id)
    return Referral.objects.visible_to(tenancy).filter(stale_condition(days)).count()


def device_referrals(clients: Iterable[Client], *, open_only: bool = False) -> dict[int, Referral]:
    """For each of these clients whom a partner referred for a device, the latest such referral (its
    partner in `from_partner`), by client id, in one query: open or completed, or only open ones with
    `open_only` (an urgency still to act on). Only referrals of the client's own digibank count."""
    ids_by_digibank: dict[int, set[int]] = {}
    for client in clients:
        ids_by_digibank.setdefault(client.digibank_id, set()).add(client.pk)
    if not ids_by_digibank:
        return {}
    whose = Q()
    for digibank_id, client_ids in ids_by_digibank.items():
        whose |= Q(digibank_id=digibank_id, client_id__in=client_ids)
    referrals = (
        Referral.objects.filter(
            whose,
            service=Service.DEVICE,
            from_partner__isnull=False,
            status__in=OPEN if open_only else (*OPEN, Status.COMPLETED),
        )
        .select_related("from_partner")
        .order_by("-created_at", "-pk")
    )
    latest: dict[int, Referral] = {}
    for referral in referrals:
        assert referral.client_id is not None
        latest.setdefault(referral.client_id, referral)
    return latest


def device_referral_partner_id(client: Client) -> int | None:
    """The partner that referred the client for a device through a referral still open or completed, the
    latest first; None when there is none."""
    referral = device_referrals([client]).get(client.pk)
    return referral.from_partner_id if referral else None


def referred_by_partner(client: Client) -> bool:
    """Whether a partner referred the client for a device (the device bank's "referred by a partner" rule):
    a referral from a partner, for a device, open or completed."""
    return device_referral_partner_id(client) is not None
