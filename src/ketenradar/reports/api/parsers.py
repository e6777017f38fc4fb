"""The police channel's JSON parser: a batch of up to 10,000 reports is several megabytes.

DRF's own JSONParser reads the body through Django's ``request.body``, which refuses
anything over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB by default, kept for every other
endpoint). This parser reads the stream itself, with a limit of its own that fits the
largest batch the endpoint accepts, and the API's limit on nesting.
"""

from __future__ import annotations

from ketenradar.core.api_io import DepthLimitedJSONParser

MAX_BATCH_BYTES = 32 * 1024 * 1024  # 10,000 reports of about 3 KB each


class BatchJSONParser(DepthLimitedJSONParser):
    media_type = "application/json"
    max_bytes = MAX_BATCH_BYTES

    def too_large_message(self) -> str:
        return f"A batch may be at most {MAX_BATCH_BYTES // (1024 * 1024)} MB."
