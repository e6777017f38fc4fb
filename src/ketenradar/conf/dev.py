"""Local demo: SQLite, DEBUG, two-factor optional (off unless KETENRADAR_REQUIRE_2FA=1)."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = True
SECRET_KEY = "demo-only-not-a-secret-ketenradar-local-development-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
KETENRADAR_REQUIRE_2FA = env_bool("KETENRADAR_REQUIRE_2FA", False)
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # links appear in the terminal
# Demo key for pseudonyms; production reads it from outside the database.
KETENRADAR_ANALYTICS_KEY = (
    KETENRADAR_ANALYTICS_KEY  # noqa: F405
    or "demo-only-not-a-secret-ketenradar-analytics-pseudonym-key"
)
# The browsable API, for the local demo only (never in production).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": [
        "ketenradar.core.api_io.SafeJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# The demo's first start replays two years of work (some 300,000 access-log events): a signed
# checkpoint every 10,000 events instead of every 100 keeps its console readable.
KETENRADAR_AUDIT_CHECKPOINT_EVERY = int(
    os.environ.get("KETENRADAR_AUDIT_CHECKPOINT_EVERY", "10000")
)
