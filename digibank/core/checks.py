"""System checks of digibank's own, shown by `manage.py check --deploy` before going live."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS = "django.core.cache.backends.locmem.LocMemCache"


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[Warning]:
    """The public booking's limit per address counts in the default cache: in each worker's own memory
    an address may post the limit once per worker."""
    if settings.CACHES["default"]["BACKEND"] != PER_PROCESS:
        return []
    return [
        Warning(
            "The public booking's limit per address is counted in each worker process's own memory.",
            hint="Set CACHE_URL to a Redis server (redis://host:6379/0) so that every worker counts together.",
            id="digibank.W001",
        )
    ]
