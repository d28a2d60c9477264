"""The limit on public bookings per address: one place for the public site's form and the API.

django-ratelimit counts in the default cache: Redis when CACHE_URL is set (every worker process counts
together), else Django's in-memory cache, where each worker counts for itself (with 4 gunicorn workers an
address may post up to 4 times the rate; `check --deploy` warns). The address is REMOTE_ADDR, or behind
a proxy the request header the proxy sets and the client cannot (`CLIENT_IP_HEADER`, e.g.
`HTTP_X_REAL_IP` from nginx's `proxy_set_header X-Real-IP $remote_addr`): without it every booking behind
the proxy would count as one address."""

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
    return request.META.get(getattr(settings, "CLIENT_IP_HEADER", "REMOTE_ADDR")) or "unknown"
