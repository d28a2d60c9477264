"""The limit on public bookings per address: one place for the public site's form and the API.

django-ratelimit counts in the default cache. The address is REMOTE_ADDR: the project trusts no
X-Forwarded-For header (a proxy in front must set REMOTE_ADDR, e.g. with its own middleware)."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import is_ratelimited

GROUP = "guidance.public-booking"


def booking_rate() -> str:
    """Bookings (valid or not) one address may post per hour; a setting, so a test may change it."""
    return getattr(settings, "PUBLIC_BOOKING_RATE", "10/h")


def rate_limited(request) -> bool:
    """Counts this POST against its address; True when it is one too many."""
    return is_ratelimited(request, group=GROUP, key=address, rate=booking_rate(), method="POST", increment=True)


def address(group: str, request) -> str:
    """The caller's address as the server saw it (a WSGI server without one counts as one address)."""
    return request.META.get("REMOTE_ADDR") or "unknown"
