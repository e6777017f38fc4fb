"""Signing in is required by middleware (Django's LoginRequiredMiddleware): every page sends
an anonymous visitor to the login page, whatever its view does. The exceptions are marked
``@login_not_required``: the login and password-reset pages, the language switch, and the
API, which answers for itself."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from ketenradar.conftest import World
from ketenradar.core.tests.test_authorization_matrix import MATRIX, _objects, _url

# The pages an anonymous visitor may open, and their answer.
PUBLIC = {
    "accounts:login": 200,
    "accounts:password_reset": 200,
    "accounts:password_reset_done": 200,
    "accounts:password_reset_confirm": 200,  # the "link no longer valid" page
    "accounts:password_reset_complete": 200,
    "set_language": 302,  # back to where the visitor came from
    "core:health_live": 200,  # for the load balancer: no data
    "core:health_ready": 200,
}


def test_every_page_sends_an_anonymous_visitor_to_the_login_page(world: World, client: Any) -> None:
    objects = _objects(world)
    login_url = reverse("accounts:login")
    admin_login = reverse("admin:login")
    failures = []
    for name, case in sorted(MATRIX.items()):
        url = _url(name, case, objects)
        response = getattr(client, case.method)(url)
        got = response.status_code
        if name in PUBLIC:
            if got != PUBLIC[name]:
                failures.append(f"{name}: {got}, want {PUBLIC[name]}")
        elif name.startswith("api:"):
            # the API answers for itself (JSON), never with a login page
            if got not in (401, 403) or response["Content-Type"] != "application/json":
                failures.append(f"{name}: {got} {response['Content-Type']}, want 401/403 JSON")
        else:
            location = urlsplit(response.get("Location", ""))
            # the admin's own views go by the admin's login page, which redirects to ours
            logins = {login_url, admin_login} if name.startswith("admin:") else {login_url}
            if got != 302 or location.path not in logins:
                failures.append(f"{name}: {got} to {location.path!r}, want 302 to the login")
            elif parse_qs(location.query).get("next") != [url]:
                failures.append(f"{name}: next={parse_qs(location.query).get('next')}")
    assert not failures, "\n".join(failures)


def test_chain_care_pages_send_an_anonymous_visitor_to_the_login_page(client: Any) -> None:
    """The review's finding: /casussen/ answered 403 instead of the login page."""
    response = client.get("/casussen/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/casussen/"


def test_the_admin_login_page_sends_an_anonymous_visitor_to_ours(client: Any) -> None:
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("accounts:login")


def test_an_anonymous_visitor_can_switch_the_language(client: Any) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
