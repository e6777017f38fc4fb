"""The police channel's JSON parser: a batch of up to 10,000 reports is several megabytes.

DRF's own JSONParser reads the body through Django's ``request.body``, which refuses
anything over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB by default, kept for every other
endpoint). This parser reads the stream itself, with a limit of its own that fits the
largest batch the endpoint accepts.
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

MAX_BATCH_BYTES = 32 * 1024 * 1024  # 10,000 reports of about 3 KB each


class BatchJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        if stream is None:
            return {}
        body = stream.read(MAX_BATCH_BYTES + 1)
        if len(body) > MAX_BATCH_BYTES:
            raise ParseError(f"A batch may be at most {MAX_BATCH_BYTES // (1024 * 1024)} MB.")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error: {exc}") from exc
