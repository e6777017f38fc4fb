"""Every page declares the HTTP methods it answers (``require_safe``, ``require_POST``,
``require_http_methods`` on a function view, ``http_method_names`` on a class view); any other
method gets 405 with an Allow header, before the view runs.

The Django admin and the API (DRF) have their own method handling and are left out here; the
authorization matrix covers their methods."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, get_resolver
from django.urls.converters import IntConverter, UUIDConverter

import pytest

from ketenradar.conftest import World, login
from ketenradar.core.tests.test_authorization_matrix import walk_url_patterns

# Methods no page answers: a page reads (GET, HEAD) or takes a form (POST).
UNLISTED = ("PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "CONNECT")
OWN_HANDLING = ("admin:", "api:")


def _pages() -> list[tuple[str, URLPattern]]:
    return [
        (key, pattern)
        for key, pattern in walk_url_patterns(get_resolver())
        if not key.startswith(OWN_HANDLING)
    ]


def _kwargs(pattern: URLPattern) -> dict[str, Any]:
    """Arguments of the right type for the pattern's parameters, so that a view without a
    declaration runs as it would for a real request."""
    values = {IntConverter: 1, UUIDConverter: uuid.uuid4()}
    converters = pattern.pattern.converters
    return {
        name: values.get(type(converter), "MQ") for name, converter in converters.items()
    } | pattern.default_args


def _call(pattern: URLPattern, method: str) -> Any:
    request = RequestFactory().generic(method, "/")
    request._dont_enforce_csrf_checks = True
    request.user = AnonymousUser()
    return pattern.callback(request, **_kwargs(pattern))


def test_every_page_declares_its_methods() -> None:
    """Called with a method it does not list, every view answers 405 before it runs; a view
    without a declaration fails here (it runs, and fails or answers otherwise)."""
    failures = []
    for key, pattern in _pages():
        for method in UNLISTED:
            try:
                response = _call(pattern, method)
            except Exception as exc:  # the view ran: no declaration
                failures.append(f"{key} {method}: the view ran ({type(exc).__name__})")
                continue
            allow = {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}
            if response.status_code != 405:
                failures.append(f"{key} {method}: {response.status_code}, want 405")
            elif not allow or not allow <= {"GET", "HEAD", "POST"}:
                failures.append(f"{key} {method}: Allow {sorted(allow)}")
    assert not failures, "Views without a method declaration:\n" + "\n".join(failures)


def test_the_walk_finds_the_pages() -> None:
    keys = {key for key, _ in _pages()}
    assert {"core:start", "care:escalations", "accounts:login", "set_language"} <= keys
    assert not any(key.startswith(OWN_HANDLING) for key in keys)


@pytest.mark.parametrize("method", ["put", "patch", "delete", "trace", "options"])
def test_a_signed_in_user_gets_405_from_a_read_page(method: str, world: World, client: Any) -> None:
    login(client, world.user("case_coordinator", "involved"))
    response = getattr(client, method)("/casussen/escalaties/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_form_page_allows_post_and_no_more(world: World, client: Any) -> None:
    login(client, world.user("professional", "involved"))
    response = client.put("/personen/nieuw/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
