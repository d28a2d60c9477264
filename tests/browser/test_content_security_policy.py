"""The Content-Security-Policy holds in Chromium: every page carries it, nothing inline or from another
origin runs, and the pages still work under it. Every browser test also checks, through the `csp_watch`
fixture, that the pages it walks carry the header and break none of it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from digibank.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.browser

REPORTED = re.compile("CSP violation")


def directives(header: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in (p.strip() for p in header.split(";")) if part}


def test_policy_allows_only_our_own_origin_and_nothing_inline(page):
    policy = directives(page.goto("/").headers["content-security-policy"])
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["object-src"] == policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == policy["base-uri"] == "'self'"


def test_injected_inline_script_does_not_run_and_is_reported(page, csp_watch):
    page.goto("/")
    with page.expect_console_message(lambda m: REPORTED.search(m.text) is not None):
        ran = page.evaluate(
            """() => { const s = document.createElement("script"); s.textContent = "window.injected = true";
                       document.body.append(s); return window.injected === true; }"""
        )
    assert ran is False
    assert any("script-src" in v for v in csp_watch.violations), csp_watch.violations
    csp_watch.violations.clear()  # provoked on purpose: the watch hears a violation, as it must


@pytest.mark.parametrize(
    ("provoke", "directive"),
    [
        ("""() => document.querySelector("h1").setAttribute("style", "color: red")""", "style-src"),
        ("""() => { new Image().src = "https://example.org/pixel.png"; }""", "img-src"),
        ("""() => { fetch("https://example.org/").catch(() => null); }""", "connect-src"),
    ],
)
def test_inline_style_and_other_origins_are_refused_and_reported(page, csp_watch, provoke, directive):
    page.goto("/")
    with page.expect_console_message(lambda m: REPORTED.search(m.text) is not None):
        page.evaluate(provoke)
    assert any(directive in v for v in csp_watch.violations), csp_watch.violations
    csp_watch.violations.clear()


def test_pages_work_under_the_policy(bob, digibank_a, page_as, page):
    """Public, staff, admin and error pages, and the printable export with its own style, keep their
    style and break nothing; the watch of this test finds no violation and no page without the header."""
    for path in ["/", "/vind/?q=9000", "/login/", "/bestaat-niet/", "/beheer/login/"]:
        page.goto(path)
        expect(page.locator("main").first).to_be_visible()
    # Our style sheet is applied, not refused.
    page.goto("/")
    assert page.evaluate("() => getComputedStyle(document.querySelector('header.site')).backgroundColor") != (
        "rgba(0, 0, 0, 0)"
    )

    client = ClientFactory(digibank=digibank_a, registered_by=bob)
    staff = page_as(bob)
    staff.goto(f"/staff/clienten/{client.pk}/")
    expect(staff.locator("h1")).to_be_visible()
    staff.goto(f"/staff/clienten/{client.pk}/export/")
    staff.get_by_role("button", name=re.compile("afdrukbare pagina", re.I)).click()
    expect(staff.locator("h1")).to_be_visible()
    # The export's own <style> is allowed by its hash: its page width holds.
    assert staff.evaluate("() => getComputedStyle(document.body).maxWidth") != "none"
