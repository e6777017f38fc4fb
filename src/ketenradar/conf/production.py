"""Production: PostgreSQL, HTTPS only, two-factor enforced for every account.

Required environment: KETENRADAR_SECRET_KEY, KETENRADAR_ALLOWED_HOSTS,
KETENRADAR_ANALYTICS_KEY, DATABASE_URL.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("KETENRADAR_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("KETENRADAR_ALLOWED_HOSTS must be set in production.")
# The pseudonyms of the monitor's facts: a key of its own, kept outside the database.
if len(KETENRADAR_ANALYTICS_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "KETENRADAR_ANALYTICS_KEY must be set in production (at least 32 characters)."
    )
if KETENRADAR_ANALYTICS_KEY == SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("KETENRADAR_ANALYTICS_KEY must differ from the secret key.")

# Two-factor for every account; not switchable in production.
KETENRADAR_REQUIRE_2FA = True

SECURE_SSL_REDIRECT = True
# A load balancer's probes may ask over plain HTTP inside the network: they read no data.
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)/$"]
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]  # noqa: F405

EMAIL_HOST = os.environ.get("KETENRADAR_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KETENRADAR_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("KETENRADAR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KETENRADAR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = True
DEFAULT_FROM_EMAIL = os.environ.get("KETENRADAR_EMAIL_FROM", "ketenradar@localhost")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = Path(os.environ.get("KETENRADAR_STATIC_ROOT", str(STATIC_ROOT)))  # noqa: F405
