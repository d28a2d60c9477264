"""The network's shared fixtures (the personas are in the repository's conftest)."""

from __future__ import annotations

import pytest


@pytest.fixture
def english(settings):
    """Messages are asserted in English, the language of the msgids, whatever the .po files say (the
    API's files use it through their pytestmark)."""
    settings.LANGUAGE_CODE = "en"
