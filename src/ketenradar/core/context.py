"""Per-request context (request id, client address) for the access log and structlog."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None
    state: dict[str, object] = field(default_factory=dict)  # per-request flags


_current: ContextVar[RequestContext | None] = ContextVar("ketenradar_request", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client address: REMOTE_ADDR, or the address the trusted proxies saw."""
    proxies = settings.KETENRADAR_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def new_request_context(request: HttpRequest) -> RequestContext:
    return RequestContext(request_id=uuid.uuid4().hex, ip_address=client_ip(request))


def set_current(ctx: RequestContext | None) -> object:
    return _current.set(ctx)


def reset_current(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def get_current() -> RequestContext | None:
    return _current.get()
