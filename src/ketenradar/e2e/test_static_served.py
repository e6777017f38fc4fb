"""The browser tests see the pages with their style sheets and scripts: the test server
serves the static files itself (it does so only when ``django.contrib.staticfiles`` is
listed by name). Without them every page's assets went through the whole application,
concurrently, and the pages were tested unstyled."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

ASSETS = [
    "/static/vendor/utrecht/index.css",
    "/static/vendor/utrecht-tokens/index.css",
    "/static/vendor/htmx/htmx.min.js",
    "/static/ketenradar/app.css",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ASSETS)
def test_the_live_server_serves_the_static_files(live_server: Any, path: str) -> None:
    with urllib.request.urlopen(live_server.url + path) as response:  # noqa: S310 (loopback)
        assert response.status == 200
        assert len(response.read()) > 100
        # Served by the static handler, not by the application (which sets a session).
        assert "Set-Cookie" not in response.headers
