"""The API's JSON in and out: nesting depth limited on the way in, never an unencodable
answer on the way out."""

from __future__ import annotations

import json
import re
from typing import Any

from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer

from ketenradar.core.cleaning import without_surrogates

# A police batch is 5 levels deep ({"reports": [{"persons": [{"address": {}}]}]}).
MAX_JSON_DEPTH = 32
MAX_BODY_BYTES = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE default


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "body_too_large"


_ESCAPE_RE = re.compile(rb"\\.", re.DOTALL)
_STRING_RE = re.compile(rb'"[^"]*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects in ``body`` nest deeper than ``limit``: read before
    parsing, outside strings, and stopping at the first level too many."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _STRING_RE.sub(b"", _ESCAPE_RE.sub(b"", body)).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class DepthLimitedJSONParser(BaseParser):
    """JSON of at most ``max_bytes`` (else 413) and ``MAX_JSON_DEPTH`` levels of nesting
    (else 400 with a message (Python's own parser would recurse into a deep document and
    fail with RecursionError))."""

    media_type = "application/json"
    max_bytes = MAX_BODY_BYTES

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        if stream is None:
            return {}
        body = stream.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise BodyTooLarge(self.too_large_message())
        if json_too_deep(body):
            raise ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
        try:
            return json.loads(body)
        except RecursionError as exc:  # not reached after the depth check; never a 500
            raise ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error: {exc}") from exc

    def too_large_message(self) -> str:
        return f"The body may be at most {self.max_bytes} bytes."


def _encodable(data: Any) -> Any:
    if isinstance(data, str):
        return without_surrogates(str(data))
    if isinstance(data, dict):
        return {_encodable(k): _encodable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_encodable(v) for v in data]
    return data


class SafeJSONRenderer(JSONRenderer):
    """DRF's JSON, with any lone surrogate (echoed from the input in an error message)
    replaced by U+FFFD instead of failing to encode."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return super().render(_encodable(data), accepted_media_type, renderer_context)
