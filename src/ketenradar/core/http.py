"""The acting user of a request, the function-level permission check of a view, and the
checks of what a request asks for: redirect targets and whole numbers."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from ketenradar.accounts.actor import Actor


def actor_of(request: HttpRequest, perm: str | None = None) -> Actor:
    """``request.actor`` (set by ActorMiddleware); with ``perm``, 403 unless the actor's
    active role holds it. Row-level decisions stay in the selectors."""
    actor: Actor | None = getattr(request, "actor", None)
    if actor is None:
        raise PermissionDenied("not signed in")
    if perm is not None and not actor.has_perm(perm):
        raise PermissionDenied(perm)
    return actor


_MAX_NEXT_LENGTH = 2000


def is_safe_path(candidate: str | None) -> bool:
    """A redirect target from user input is safe only as a path on this site: it starts with
    one slash, holds no backslash, control character or scheme, and stays so once
    percent-decoded (browsers read ``/\\evil``, ``//evil`` and ``/%2F%2Fevil`` loosely)."""
    if not candidate or len(candidate) > _MAX_NEXT_LENGTH:
        return False
    for form in (candidate, unquote(candidate), unquote(unquote(candidate))):
        if not form.startswith("/") or form.startswith(("//", "/\\")):
            return False
        if "\\" in form or any(ord(c) < 0x20 or c == "\x7f" for c in form):
            return False
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return False
    return url_has_allowed_host_and_scheme(candidate, allowed_hosts=None)


def safe_next_url(request: HttpRequest, *, fallback: str, param: str = "next") -> str:
    """The one check every redirect target from user input goes through (login, two-factor,
    language switch, any ``next``): the requested path when it is safe, else ``fallback``."""
    candidate = request.POST.get(param) or request.GET.get(param)
    return candidate if isinstance(candidate, str) and is_safe_path(candidate) else fallback


def ascii_int(value: object, *, maximum: int = 2**31 - 1) -> int | None:
    """A whole number typed in ASCII digits and within ``maximum``, else None: ``int()``
    also takes '²', '٣' and 10^26 digits, which then fail deeper down (a 500)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > len(str(maximum)):
        return None
    number = int(value)
    return number if number <= maximum else None


MAX_PAGE_NUMBER = 100_000


def page_number(request: HttpRequest, param: str = "pagina") -> int:
    """The page a list is asked for: 1 when absent; a 400 for anything but a page number in
    ASCII digits up to MAX_PAGE_NUMBER (every paged list reads its page through here)."""
    raw = request.GET.get(param)
    if raw is None or raw == "":
        return 1
    number = ascii_int(raw, maximum=MAX_PAGE_NUMBER)
    if number is None or number < 1:
        raise BadRequest(f"{param}: a page number from 1 to {MAX_PAGE_NUMBER}")
    return number
