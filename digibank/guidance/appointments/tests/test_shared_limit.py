"""The public booking's limit per address with several worker processes: a shared cache (CACHE_URL,
Redis) makes every process count the same posts; `check --deploy` warns while it is not set."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from digibank.core.checks import shared_cache
from digibank.guidance.appointments.ratelimit import rate_limited
from digibank.settings import BASE_DIR, caches_for

ANOTHER_WORKER = """
import sys, django
django.setup()
from django.test import RequestFactory
from digibank.guidance.appointments.ratelimit import rate_limited
posted = [rate_limited(RequestFactory().post("/", REMOTE_ADDR=sys.argv[1])) for _ in range(10)]
sys.exit(1 if any(posted) else 0)
"""


@pytest.mark.redis
def test_with_a_shared_cache_the_posts_of_another_worker_process_count_too(settings):
    url = os.environ["TEST_REDIS_URL"]
    address = f"test-{uuid.uuid4()}"  # the counts stay in Redis for an hour: a new address each run
    settings.PUBLIC_BOOKING_RATE = "10/h"
    env = {**os.environ, "CACHE_URL": url, "DJANGO_SETTINGS_MODULE": "digibank.settings"}
    worker = subprocess.run([sys.executable, "-c", ANOTHER_WORKER, address], cwd=BASE_DIR, env=env, timeout=120)
    assert worker.returncode == 0  # the other process posted 10 times, none refused
    with override_settings(CACHES=caches_for(url)):
        assert rate_limited(RequestFactory().post("/", REMOTE_ADDR=address))  # here the 11th is one too many
        assert not rate_limited(RequestFactory().post("/", REMOTE_ADDR=f"test-{uuid.uuid4()}"))


def test_cache_url_names_redis_or_nothing():
    assert caches_for("")["default"]["BACKEND"].endswith("LocMemCache")
    assert caches_for("redis://127.0.0.1:6379/0")["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
    with pytest.raises(ImproperlyConfigured):
        caches_for("memcached://127.0.0.1:11211")


def test_check_deploy_warns_while_each_worker_counts_for_itself():
    assert [warning.id for warning in shared_cache(None)] == ["digibank.W001"]
    with override_settings(CACHES=caches_for("redis://127.0.0.1:6379/0")):
        assert shared_cache(None) == []
