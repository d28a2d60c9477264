"""Reads that every guidance feature shares: the hubs a screen offers and the staff who can help. A
feature filters on top of these when its choice is narrower, so the digibank's hubs and people are
chosen alike everywhere."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from digibank.core.tenancy import Tenancy
from digibank.network.models import Hub


def open_hubs(tenancy: Tenancy) -> QuerySet[Hub]:
    """The digibank's hubs that are still open, by name: where numbers are handed out, a digihelper
    works, a person is referred to."""
    return Hub.objects.visible_to(tenancy).filter(closed_on__isnull=True).order_by("name", "pk")


def guidance_hubs(tenancy: Tenancy) -> QuerySet[Hub]:
    """The open hubs that help with e-services: where a help contact is logged and appointments are
    taken (a hub that only lends devices does neither)."""
    return open_hubs(tenancy).filter(offers_guidance=True)


def staff_of(tenancy: Tenancy) -> QuerySet:
    """The staff accounts of the digibank who can help (anyone with an active role in it), by name: a
    slot's helper, a digihelper's account. None without a chosen digibank."""
    User = get_user_model()
    if tenancy.digibank_id is None:
        return User.objects.none()
    return (
        User.objects.filter(memberships__digibank_id=tenancy.digibank_id, memberships__is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
