import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """The services' messages are asserted by their English msgids; the screens show them in Dutch
    (the Dutch ones are checked in test_dutch.py)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """The screens in English (the language switch's cookie), so tests read like the msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
