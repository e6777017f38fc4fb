from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation

import structlog

from ketenradar.core.context import new_request_context, reset_current, set_current


class RequestContextMiddleware:
    """Gives every request an id (also returned as X-Request-ID) and records the client IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = new_request_context(request)
        request.request_context = ctx  # type: ignore[attr-defined]
        token = set_current(ctx)
        structlog.contextvars.bind_contextvars(request_id=ctx.request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
            reset_current(token)
        response["X-Request-ID"] = ctx.request_id
        return response


class NoStoreMiddleware:
    """Pages shown to a signed-in user may hold client data: never cache them (ASVS 14.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class LanguageMiddleware:
    """Screens are Dutch unless the user chose another language (the language switch sets a
    cookie). Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: a
    Dutch chain works in Dutch, whatever language a laptop was installed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulMiddleware:
    """A NUL character in a query parameter or a form field (name or value) is refused with
    400 before anything reads it. No text of the application can hold one, and PostgreSQL
    refuses it in every text value, so that a search, a login attempt's log line or an
    admin filter answered 500 on it. The API's JSON has its own strict parser
    (``core.api_io``); file uploads are not form fields."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request.GET) or (
            request.method == "POST"
            and request.content_type in self.FORM_TYPES
            and _holds_nul(request.POST)
        ):
            raise BadRequest("a NUL character in a parameter")
        return self.get_response(request)


def _holds_nul(data: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )
