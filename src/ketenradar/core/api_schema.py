"""The OpenAPI spec: what every operation can answer, and strict request bodies."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from ketenradar.core.api import error_response
from ketenradar.core.api_fields import StrictSerializer

# Answers any operation can give, whatever its own responses say.
COMMON_RESPONSES = {
    "406": "The Accept header allows no JSON: the API answers application/json only",
    "429": "Too many requests for this account (the API throttle); try again later",
}


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        result: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictSerializer):
            result["additionalProperties"] = False  # unknown fields are refused
        return result

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in COMMON_RESPONSES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    error_response(description), code, direction=direction
                )
        return responses
