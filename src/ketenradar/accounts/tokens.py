"""API keys for partner systems: made by a command, stored as a hash, checked per request."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import ApiToken, User
from ketenradar.accounts.selectors import actor_for_user
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Actor, user: User, name: str, days: int = 365) -> str:
    """Make a key for ``user`` (a service account); returns the key, which is not stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        key_hash=_hash(key),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="accounts.apitoken",
        object_id=token.pk,
        detail={"user": user.pk, "name": name, "days": days},
    )
    return key


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>``; expired, revoked or inactive means 401."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None or token.expires_at <= now:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Inactive account.")
        # The key's system user acts in this request: every event it causes (a refusal
        # included) names that user, as a signed-in user's events name them.
        request._request.actor = actor_for_user(token.user)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the API key in the OpenAPI spec."""

    target_class = "ketenradar.accounts.tokens.ApiTokenAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; keys are made with `manage.py create_api_key`.",
        }
