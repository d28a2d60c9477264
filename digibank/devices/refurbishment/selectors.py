"""Refurbishment's reads: a digibank's active software profiles and its collections."""

from __future__ import annotations

from django.db.models import QuerySet

from digibank.core.tenancy import Tenancy
from digibank.devices.refurbishment.models import CollectionBatch, SoftwareProfile


def active_profiles(tenancy: Tenancy) -> QuerySet[SoftwareProfile]:
    """The software profiles a ready check can choose from: the digibank's active ones, by name."""
    return SoftwareProfile.objects.visible_to(tenancy).filter(active=True).order_by("name")


def collections_of(tenancy: Tenancy) -> QuerySet[CollectionBatch]:
    """The digibank's collections by the recycler, the latest first."""
    return CollectionBatch.objects.visible_to(tenancy).order_by("-handed_over_on", "-pk")
