"""What may leave a digibank: counts, and only counts that cannot single out a person."""

from __future__ import annotations

from django.conf import settings


def publishable(count: int) -> int | None:
    """The count, or None when it is below the threshold (default 5) that could point to someone."""
    return count if count >= settings.MIN_PUBLISHED_COUNT else None
