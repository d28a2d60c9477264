"""The frame every page shares: what a browser asks of any site, and titles that say what a page is."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_is_served_at_the_root_where_browsers_ask(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header


def test_password_reset_request_page_is_titled_for_what_it_asks(client):
    page = client.get(reverse("password_reset")).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert "Wachtwoordlink aanvragen" in title
    assert "Kies een wachtwoord" not in title
