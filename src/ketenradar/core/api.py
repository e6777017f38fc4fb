"""DRF exception handling: a refused API call is logged like a refused page; the error body."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction


class ErrorSerializer(serializers.Serializer):
    """An error answer's body: `{"detail": "..."}`, as DRF makes it."""

    detail = serializers.CharField()


def error_response(description: str) -> OpenApiResponse:
    """An error answer for the OpenAPI spec."""
    return OpenApiResponse(ErrorSerializer, description=description)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if (
        isinstance(exc, exceptions.PermissionDenied | exceptions.NotAuthenticated)
        and request is not None
        and request.user.is_authenticated
        and not audit.denial_recorded()
    ):
        audit.record_denied(
            actor=getattr(request._request, "actor", None),
            action=AuditAction.READ if request.method in ("GET", "HEAD") else AuditAction.UPDATE,
            object_type="url",
            object_id=request.path[:64],
            reason=str(exc.detail)[:200],
        )
    return response
