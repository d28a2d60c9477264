"""The Content-Security-Policy header, without a browser (tests/browser/ proves Chromium enforces it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from digibank.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_pages_refuse_inline_script_and_style_and_other_origins(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_printable_export_allows_its_own_style_by_hash_only(login, bob, digibank_a):
    person = ClientFactory(digibank=digibank_a, registered_by=bob)
    response = login(bob).post(reverse("clients:export", kwargs={"pk": person.pk}), {"format": "html"})
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
