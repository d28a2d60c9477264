"""A wide table scrolls sideways on a phone, so a keyboard user must be able to reach it: every
table of a staff page sits in a focusable, labelled scroll region, in every app."""

from __future__ import annotations

import re
from pathlib import Path

import digibank

ROOT = Path(digibank.__file__).parent
# Documents, not screens: PDFs, the person's own export (printed whole) and the public week (three
# narrow columns).
NOT_SCREENS = {"clients/templates/clients/export.html", "public/templates/public/_week.html"}
REGION = re.compile(r'<div class="table-scroll" tabindex="0" role="region" aria-labelledby="([\w-]+)">\s*<table')


def screen_templates() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("templates/**/*.html"))
        if "/pdf/" not in path.as_posix() and path.relative_to(ROOT).as_posix() not in NOT_SCREENS
    ]


def test_every_table_of_every_app_is_in_a_keyboard_scrollable_region_with_a_label():
    unreachable = []
    for path in screen_templates():
        text = path.read_text()
        if text.count("<table") != len(REGION.findall(text)):
            unreachable.append(path.relative_to(ROOT).as_posix())
    # That the label exists on the page is axe's check, in tests/browser/test_accessibility.py.
    assert unreachable == []


def test_the_check_sees_every_app():
    apps = {path.relative_to(ROOT).parts[0] for path in screen_templates() if "<table" in path.read_text()}
    assert {"clients", "network", "impact", "devices"} <= apps
