"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Run them with `python3 dev.py test --browser` (it runs setup_browser.py first). Playwright's own
browser download cannot work here, so the system Chromium is launched by path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .support import CspWatch, log_in

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # The machine's network is closed: without these Chromium keeps calling home and failing.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `python3 tests/browser/setup_browser.py` first.")
    # Playwright's sync API runs an event loop in this thread, and Django refuses database calls
    # from a thread with a running loop; the tests are plain synchronous code all the same.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def csp_watch() -> CspWatch:
    """What the Content-Security-Policy did on the pages of one test; new_page fills it."""
    return CspWatch()


@pytest.fixture
def new_page(browser, live_server, csp_watch):
    """new_page(**context options) opens a page in a fresh browser context (its own cookies) on the
    live server; relative URLs in goto() go there. Every page the test walks must carry the
    Content-Security-Policy header and break none of it."""
    contexts = []

    def _new_page(**options) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="nl-BE", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        csp_watch.watch(page)
        return page

    yield _new_page
    for context in contexts:
        context.close()
    csp_watch.assert_clean()


@pytest.fixture
def page(new_page) -> Page:
    """A page of an anonymous visitor."""
    return new_page()


@pytest.fixture
def page_as(new_page):
    """page_as(user) gives a page in a browser context where that user has logged in with the form."""

    def _page_as(user) -> Page:
        page = new_page()
        log_in(page, user)
        return page

    return _page_as
