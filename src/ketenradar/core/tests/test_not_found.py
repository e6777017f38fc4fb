"""404: the API answers in JSON (as docs/openapi.yaml says), the screens with the page."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.django_db
def test_an_api_path_that_matches_nothing_gets_json(client: Any) -> None:
    response = client.get("/api/v1/personen/geen-uuid/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.django_db
def test_a_page_that_does_not_exist_gets_the_page(client: Any) -> None:
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
