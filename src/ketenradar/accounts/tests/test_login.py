"""Sign-in: lockout after repeated failures, two-factor, new session id, timeouts, headers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.middleware import SESSION_LOGIN_AT
from ketenradar.accounts.models import Role
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import PASSWORD, World, login

LOGIN = "accounts:login"


def _post_login(client: Any, username: str, password: str) -> Any:
    return client.post(
        reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR="127.0.0.1"
    )


def test_login_rotates_the_session_id_and_is_logged(world: World, client: Any) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    client.get(reverse(LOGIN))
    client.session.save()
    before = client.session.session_key
    response = _post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert AuditEvent.objects.filter(action="login", user=user, outcome="success").exists()


def test_lockout_after_five_failures(world: World, client: Any) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post_login(client, user.username, "wrong-password").status_code == 200
    assert _post_login(client, user.username, "wrong-password").status_code == 429  # the 5th
    locked = _post_login(client, user.username, PASSWORD)  # even the right password now
    assert locked.status_code == 429
    assert 'data-testid="locked-out"' in locked.content.decode()
    assert (
        AuditEvent.objects.filter(action="login_failed", username=user.username).count()
        >= settings.AXES_FAILURE_LIMIT
    )


@override_settings(KETENRADAR_REQUIRE_2FA=True)
def test_two_factor_is_enforced(world: World, client: Any) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    assert _post_login(client, user.username, PASSWORD).status_code == 302
    # nothing but the second factor: the person page redirects to enrolment
    page = client.get(reverse("persons:detail", args=[world.person.uuid]))
    assert page.status_code == 302 and page["Location"] == reverse("accounts:otp_setup")
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("accounts:otp_setup"), {"token": token}).status_code == 302
    assert client.get(reverse("persons:detail", args=[world.person.uuid])).status_code == 200

    # next sign-in: verify with the confirmed device
    client.logout()
    _post_login(client, user.username, PASSWORD)
    assert client.get(reverse("core:start"))["Location"] == reverse("accounts:otp_verify")
    token_now = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    wrong = client.post(
        reverse("accounts:otp_verify"), {"token": f"{(token_now + 1) % 1_000_000:06d}"}
    )
    assert wrong.status_code == 200  # refused, and throttled by django-otp
    assert client.get(reverse("core:start")).status_code == 302


def test_absolute_session_timeout(world: World, client: Any) -> None:
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - settings.KETENRADAR_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("core:start"))
    assert response.status_code == 302 and response["Location"].startswith(reverse(LOGIN))


def test_an_expired_session_returns_to_its_page_after_signing_in(world: World, client: Any) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    login(client, user)
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - settings.KETENRADAR_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/personen/?q=Jansen")
    assert response["Location"] == f"{reverse(LOGIN)}?expired=1&next=%2Fpersonen%2F%3Fq%3DJansen"
    signed_in = client.post(
        response["Location"],
        {"username": user.username, "password": PASSWORD, "next": "/personen/?q=Jansen"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert signed_in["Location"] == "/personen/?q=Jansen"
    # a form sent after expiry does not come back as a link
    login(client, user)
    session = client.session
    session[SESSION_LOGIN_AT] = 0
    session.save()
    posted = client.post(reverse("accounts:switch_membership"), {"membership": "1"})
    assert posted["Location"] == f"{reverse(LOGIN)}?expired=1"


def test_idle_timeout_is_at_most_30_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    # The expiry is pushed on by the throttled session middleware (test_session_saving.py),
    # not by a write on every request.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert "ketenradar.accounts.middleware.ThrottledSessionMiddleware" in settings.MIDDLEWARE


def test_security_headers_and_no_store(world: World, client: Any) -> None:
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    response = client.get(reverse("persons:detail", args=[world.person.uuid]))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_deactivating_an_account_ends_its_sessions(world: World, client: Any) -> None:
    from django.test import Client

    from ketenradar.accounts import services

    victim = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    other = Client()
    login(other, victim)
    assert other.get(reverse("core:start")).status_code == 200
    admin_actor = world.actor(RoleCode.FUNCTIONAL_ADMIN, "involved")
    services.user_deactivate(actor=admin_actor, user=victim)
    assert other.get(reverse("core:start")).status_code == 302


def test_production_settings_enforce_transport_security_and_two_factor() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ketenradar.conf.production",
        "KETENRADAR_SECRET_KEY": "x" * 60,
        "KETENRADAR_ALLOWED_HOSTS": "ketenradar.example.nl",
        "KETENRADAR_ANALYTICS_KEY": "y" * 40,
        "KETENRADAR_REQUIRE_2FA": "0",  # cannot be switched off in production
        "PYTHONPATH": str(Path(settings.BASE_DIR).parent),
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.KETENRADAR_REQUIRE_2FA, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "True", "True", "True", "False"]


@pytest.mark.parametrize("name", ["accounts:otp_setup", "persons:list"])
def test_anonymous_users_are_sent_to_login(client: Any, name: str, db: None) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse(LOGIN))


def test_new_account_sets_its_password_through_the_emailed_link(world: World, client: Any) -> None:
    import re

    from django.core import mail

    admin = world.user(RoleCode.FUNCTIONAL_ADMIN, "involved")
    login(client, admin)
    org = world.org(RoleCode.VT_PROFESSIONAL, "involved")
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "nieuw.collega",
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "email": "nieuw@vt.example.nl",
            "organisation": org.pk,
            "role": Role.objects.get(code="vt_professional").pk,
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nieuw@vt.example.nl"]
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "een lange zin als wachtwoord"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert _post_login(client, "nieuw.collega", new_password).status_code == 302
