import pytest


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The public booking's counts per address live in the cache: each test starts without any."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
