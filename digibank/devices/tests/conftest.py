import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """The services' messages are asserted by their English msgids; the screens show them in Dutch
    (the Dutch ones are checked where the screens are tested)."""
    with translation.override("en"):
        yield
