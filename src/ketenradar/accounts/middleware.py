from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from ketenradar.accounts.selectors import actor_for_request
from ketenradar.core.http import is_safe_path

SESSION_LOGIN_AT = "ketenradar_login_at"
# When this middleware last saved the session (seconds since the epoch), and how old that
# save may be before a request saves the session again only to push its expiry on.
SESSION_SAVED_AT = "ketenradar_saved_at"
SESSION_REFRESH_SECONDS = 60

# Paths a signed-in user who has not yet passed the second factor may reach.
_TWO_FACTOR_EXEMPT = (
    "accounts:login",
    "accounts:logout",
    "accounts:otp_setup",
    "accounts:otp_verify",
)


class ThrottledSessionMiddleware(SessionMiddleware):
    """Django's session middleware, but the session is written only when it must be.

    With ``SESSION_SAVE_EVERY_REQUEST`` every request wrote its session row (a new
    ``expire_date``, now + ``SESSION_COOKIE_AGE``), so each page view of each signed-in user
    was a database write; on SQLite that takes the database's one write lock. Here
    (``SESSION_SAVE_EVERY_REQUEST = False``) a response saves the session only when

    - the request modified it (signing in or out, the second factor, the role chosen), or
    - its last save by this middleware (``SESSION_SAVED_AT``, kept in the session itself and
      set at each of its saves) is ``SESSION_REFRESH_SECONDS`` (60 s) old or older, or unknown
      (a session saved elsewhere, such as the test client's).

    The idle timeout keeps its meaning: the row expires ``SESSION_COOKIE_AGE`` after its last
    save, and after any request that last save is at most 60 s earlier. So a user whose
    requests are never more than ``SESSION_COOKIE_AGE`` - 60 s apart (29 minutes with the
    default 30) is never signed out for being idle, and one idle for ``SESSION_COOKIE_AGE``
    always is: the effective idle timeout lies between 29 and 30 minutes, never beyond. The
    absolute timeout is ``SessionPolicyMiddleware``'s, from the sign-in time in the session,
    and does not depend on saves. An expired or unknown session is not saved anew, and
    neither is a session of a 5xx response (Django saves none).
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and response.status_code < 500 and _save_due(session):
            session[SESSION_SAVED_AT] = time.time()  # marks it modified: Django saves it
        return super().process_response(request, response)


def _save_due(session: SessionBase) -> bool:
    if session.modified:
        return not session.is_empty()
    if session.session_key is None:
        return False  # no session cookie and nothing stored: nothing to keep alive
    saved_at = session.get(SESSION_SAVED_AT)  # loads the session (one SELECT, as before)
    if session.is_empty():
        return False  # expired or unknown: signed out, no new session for it
    if not isinstance(saved_at, int | float):
        return True
    age = time.time() - saved_at
    return not 0 <= age < SESSION_REFRESH_SECONDS


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
