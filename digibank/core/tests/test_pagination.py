"""A list of the API is read a page at a time; a page or page size that is no whole number in range is a 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

MUNICIPALITIES = "/api/v1/municipalities/"


def test_page_and_page_size_choose_the_rows():
    body = APIClient().get(MUNICIPALITIES, {"page": 2, "page_size": 200}).json()
    assert body["count"] == 285
    assert len(body["results"]) == 85


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page", "0"),
        ("page", "-1"),
        ("page", "two"),
        ("page", "1.5"),
        ("page", ""),
        ("page", "last"),
        ("page_size", "0"),
        ("page_size", "-5"),
        ("page_size", "ten"),
        ("page_size", "201"),
        ("page_size", "99999999999999999999"),
    ],
)
def test_page_or_page_size_out_of_range_is_400_with_dutch_message(name, value):
    response = APIClient().get(MUNICIPALITIES, {name: value})
    assert response.status_code == 400, response.content
    assert response.json()[name][0].startswith("Kies een pagina")


def test_page_after_the_last_is_404():
    assert APIClient().get(MUNICIPALITIES, {"page": 99}).status_code == 404
    assert APIClient().get(MUNICIPALITIES, {"page": "9" * 40}).status_code == 404


def test_schema_states_the_range_of_page_and_page_size():
    schema = APIClient().get("/api/schema/?format=json").json()
    operation = schema["paths"][MUNICIPALITIES]["get"]
    ranges = {p["name"]: p["schema"] for p in operation["parameters"] if p["name"] in ("page", "page_size")}
    assert ranges == {
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1, "maximum": 200},
    }
    assert "400" in operation["responses"]
