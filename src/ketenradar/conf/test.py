"""Test settings: SQLite in memory unless DATABASE_URL points at PostgreSQL."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-a-secret-ketenradar-test-settings-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://:memory:"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
# A fast hasher for the suite's thousands of test users; the hashers of base and production
# (Argon2id, then PBKDF2) are tested in accounts/tests/test_password_hashing.py.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests that exercise two-factor switch it on themselves; the rest log in with one factor.
KETENRADAR_REQUIRE_2FA = False
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic for tests
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
KETENRADAR_ANALYTICS_KEY = "test-only-not-a-secret-ketenradar-analytics-key"
# No checkpoint file: the test databases are rolled back and flushed, and would leave
# checkpoints of logs that no longer exist. Tests of the checkpoints set a path of their own.
KETENRADAR_AUDIT_CHECKPOINT_PATH = None
