from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from ketenradar.accounts.selectors import actor_for_request
from ketenradar.core.http import is_safe_path

SESSION_LOGIN_AT = "ketenradar_login_at"

# Paths a signed-in user who has not yet passed the second factor may reach.
_TWO_FACTOR_EXEMPT = (
    "accounts:login",
    "accounts:logout",
    "accounts:otp_setup",
    "accounts:otp_verify",
)


class SessionPolicyMiddleware:
    """Absolute session lifetime (12 h); the idle timeout is SESSION_COOKIE_AGE (30 min)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            login_at = request.session.get(SESSION_LOGIN_AT)
            limit = settings.KETENRADAR_SESSION_ABSOLUTE_SECONDS
            if login_at is None or time.time() - float(login_at) > limit:
                logout(request)
                query = {"expired": "1"}
                path = request.get_full_path()
                if request.method in ("GET", "HEAD") and is_safe_path(path):
                    query["next"] = path  # back to this page after signing in again
                return redirect(f"{reverse('accounts:login')}?{urlencode(query)}")
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """With KETENRADAR_REQUIRE_2FA, nothing but the login steps before the second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.KETENRADAR_REQUIRE_2FA
            and request.user.is_authenticated
            and not getattr(request.user, "is_verified", lambda: False)()
        ):
            exempt = {reverse(name) for name in _TWO_FACTOR_EXEMPT}
            if request.path not in exempt and not request.path.startswith(settings.STATIC_URL):
                from ketenradar.accounts.selectors import user_has_confirmed_device

                target = (
                    "accounts:otp_verify"
                    if user_has_confirmed_device(request.user)
                    else "accounts:otp_setup"
                )
                return redirect(target)
        return self.get_response(request)


class ActorMiddleware:
    """Puts ``request.actor`` (user + active membership) on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = actor_for_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)
