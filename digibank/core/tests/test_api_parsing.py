"""Every body the API cannot read is answered with a 400, on every endpoint."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_json_nested_deeper_than_python_recurses_is_400(api_as, alice):
    body = "[" * 5000 + "]" * 5000
    response = api_as(alice).post(f"{API}/clients/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == "De inhoud is te diep genest om te lezen."


def test_form_with_more_fields_than_django_allows_is_400(api_as, alice, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"field{n}=x" for n in range(20))
    response = api_as(alice).post(f"{API}/clients/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
