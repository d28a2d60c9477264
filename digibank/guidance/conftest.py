import pytest


@pytest.fixture(autouse=True)
def flanders_e_services(request):
    """The seeded Flanders-wide e-services, for every guidance test with a database (a transactional test
    run before it may have flushed them)."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from digibank.guidance.tests.factories import flanders_e_services

        request.getfixturevalue("db")
        flanders_e_services()
