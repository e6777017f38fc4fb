"""Every redirect target taken from user input stays on this site: after signing in, after
the second factor and after the language switch, whatever form the target is written in."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from django.test import Client, override_settings
from django.urls import reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import PASSWORD, World, login
from ketenradar.core.http import is_safe_path

OFF_SITE = (
    "https://elsewhere.example/",
    "http://elsewhere.example",
    "//elsewhere.example/",
    "///elsewhere.example/",
    "////elsewhere.example/",
    "/\\elsewhere.example/",
    "\\\\elsewhere.example/",
    "\\/elsewhere.example/",
    "/\\/elsewhere.example/",
    "https:elsewhere.example",
    "https:/elsewhere.example",
    "http://testserver@elsewhere.example/",
    "/%2F%2Felsewhere.example/",
    "%2F%2Felsewhere.example/",
    "/%5Celsewhere.example/",
    "/%255Celsewhere.example/",
    "%2f%2felsewhere.example",
    "https%3A%2F%2Felsewhere.example%2F",
    " //elsewhere.example/",
    "\t//elsewhere.example/",
    "/\t/elsewhere.example/",
    "/\n/elsewhere.example/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "elsewhere.example",
    "/" + "a" * 5000,
)


def _assert_on_site(response: Any, variant: str) -> None:
    assert response.status_code == 302, variant
    location = response["Location"]
    assert is_safe_path(location), (variant, location)
    for form in (location, unquote(location)):
        parts = urlsplit(form)
        assert not parts.scheme and not parts.netloc, (variant, location)
        assert not form.startswith("//") and "\\" not in form, (variant, location)


@pytest.mark.parametrize("variant", OFF_SITE)
def test_the_safe_path_check_refuses_every_off_site_form(variant: str) -> None:
    assert not is_safe_path(variant)


@pytest.mark.parametrize("path", ["/", "/personen/", "/personen/?q=Jan%20de%20Vries", "/monitor/"])
def test_the_safe_path_check_keeps_paths_on_this_site(path: str) -> None:
    assert is_safe_path(path)


@pytest.mark.parametrize("variant", OFF_SITE)
def test_login_never_redirects_off_site(world: World, client: Client, variant: str) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD, "next": variant},
        REMOTE_ADDR="127.0.0.1",
    )
    _assert_on_site(response, variant)


def test_login_follows_a_path_on_this_site(world: World, client: Client) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    response = client.post(
        f"{reverse('accounts:login')}?next=/personen/",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response["Location"] == "/personen/"


def _verified_post(client: Client, user: Any, query: str) -> Any:
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    return client.post(f"{reverse('accounts:otp_verify')}?{query}", {"token": token})


@override_settings(KETENRADAR_REQUIRE_2FA=True)
@pytest.mark.parametrize("variant", OFF_SITE)
def test_two_factor_never_redirects_off_site(world: World, client: Client, variant: str) -> None:
    from urllib.parse import urlencode

    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    login(client, user)
    response = _verified_post(client, user, urlencode({"next": variant}))
    _assert_on_site(response, variant)
    assert response["Location"] == reverse("core:start")


@override_settings(KETENRADAR_REQUIRE_2FA=True)
def test_two_factor_follows_a_path_on_this_site(world: World, client: Client) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    login(client, user)
    assert _verified_post(client, user, "next=/personen/")["Location"] == "/personen/"


@pytest.mark.parametrize("variant", OFF_SITE)
def test_the_language_switch_never_redirects_off_site(
    world: World, client: Client, variant: str
) -> None:
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    response = client.post(reverse("set_language"), {"language": "en", "next": variant})
    _assert_on_site(response, variant)
    by_referer = client.post(reverse("set_language"), {"language": "nl"}, HTTP_REFERER=variant)
    _assert_on_site(by_referer, variant)


def test_the_language_switch_returns_to_the_page_it_was_on(world: World, client: Client) -> None:
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    response = client.post(
        reverse("set_language"),
        {"language": "en"},
        HTTP_REFERER="http://testserver/personen/",
    )
    assert response["Location"] == "/personen/"
    assert client.get("/").wsgi_request.LANGUAGE_CODE == "en"
