"""Settings shared by every environment.

Every value that differs per deployment comes from an environment variable; the
variables are listed in ``docs/configuration.md``. Environment modules (``dev``,
``test``, ``production``) import this module explicitly and override what they need.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # src/ketenradar
PROJECT_DIR = BASE_DIR.parent.parent  # repository root


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("KETENRADAR_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("KETENRADAR_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "ketenradar.core.apps.KetenradarAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "csp",
    # Ketenradar apps, lowest layer first (see docs/architecture.md)
    "ketenradar.core",
    "ketenradar.regions",
    "ketenradar.accounts",
    "ketenradar.audit",
    "ketenradar.persons",
    "ketenradar.access",
    "ketenradar.radar",
    "ketenradar.reports",
    "ketenradar.restraining",
    "ketenradar.shelter",
    "ketenradar.care",
    "ketenradar.mda",
    "ketenradar.programme",
    "ketenradar.monitor",
    "ketenradar.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ketenradar.core.middleware.RequestContextMiddleware",
    # 400 for a NUL character in any parameter, before anything reads it
    "ketenradar.core.middleware.RefuseNulMiddleware",
    # Django's SessionMiddleware, saving a session only when modified or a minute after its
    # last save (SESSION_SAVE_EVERY_REQUEST is off; see its docstring).
    "ketenradar.accounts.middleware.ThrottledSessionMiddleware",
    "ketenradar.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a signed-in user; the exceptions are marked @login_not_required (the
    # login and password-reset pages, the language switch, the API with its own 401).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ketenradar.accounts.middleware.SessionPolicyMiddleware",
    "ketenradar.accounts.middleware.TwoFactorRequiredMiddleware",
    "ketenradar.accounts.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ketenradar.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ketenradar.urls"
WSGI_APPLICATION = "ketenradar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ketenradar.accounts.context_processors.actor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'ketenradar.sqlite3'}"),
        conn_max_age=int(os.environ.get("KETENRADAR_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock at BEGIN, so that two writers never both read the audit chain head.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    # Several users at once (the demo, a small installation): readers never wait for the
    # writer (write-ahead log), and a writer waits up to 20 s for the lock instead of
    # answering "database is locked" at once.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # No JIT compilation: this application's statements are short (the monitor's KPIs read
    # one region's index ranges), and compiling them cost more than running them
    # (docs/benchmarks.md, "Monitor KPIs at national scale").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ketenradar.accounts.backends.MembershipBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id with OWASP's parameters (m=19 MiB, t=2, p=1; ADR 0012): a sign-in costs tens of
# milliseconds of one core instead of PBKDF2's second. PBKDF2 (Django's default before) stays
# second, so that existing hashes still verify; Django rehashes them with Argon2id at the
# user's next sign-in, because the first hasher is the preferred one.
PASSWORD_HASHERS = [
    "ketenradar.accounts.hashers.OwaspArgon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: screens in Dutch, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "var" / "static"
# NL Design System CSS and htmx come from npm (package.json), never copied into the repo.
STATICFILES_DIRS = [
    (
        "vendor/utrecht",
        PROJECT_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist",
    ),
    ("vendor/utrecht-tokens", PROJECT_DIR / "node_modules" / "@utrecht" / "design-tokens" / "dist"),
    ("vendor/htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
]
STATICFILES_FINDERS = [
    "ketenradar.core.staticfiles.PackageFilesFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions: idle timeout (ASVS 7.3.1) and absolute timeout (ASVS 4.0.3 V3.3.2: 12 h). The
# idle timeout is the session row's expiry, pushed on by ThrottledSessionMiddleware at most
# once a minute rather than written on every request.
SESSION_COOKIE_AGE = int(os.environ.get("KETENRADAR_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
KETENRADAR_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failures (django-axes), per username + IP so that nobody can lock
# a colleague out from another machine (ASVS 6.3.1: no malicious lockout).
AXES_FAILURE_LIMIT = int(os.environ.get("KETENRADAR_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor authentication (TOTP). Enforced for every account unless switched off,
# which only the local demo does.
KETENRADAR_REQUIRE_2FA = env_bool("KETENRADAR_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Ketenradar"

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "ketenradar.core.api_schema.AutoSchema",
    # JSON only, nested at most 32 levels (core/api_io.py); no browsable HTML API
    # (conf/dev.py adds it for the local demo).
    "DEFAULT_PARSER_CLASSES": ["ketenradar.core.api_io.DepthLimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["ketenradar.core.api_io.SafeJSONRenderer"],
    "EXCEPTION_HANDLER": "ketenradar.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "600/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ketenradar API",
    "DESCRIPTION": "API for chain partners of a Ketenradar region. Every call is "
    "authorised per object and written to the access log (NEN 7513).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Proxy handling: the number of trusted reverse proxies in front of the app. With 0 the
# client IP in the access log is REMOTE_ADDR; with n, the n-th address from the right of
# X-Forwarded-For.
KETENRADAR_TRUSTED_PROXIES = int(os.environ.get("KETENRADAR_TRUSTED_PROXIES", "0"))

# Who a reported person is: the radar's probabilistic matcher (docs/reports.md, person
# matching). ``ketenradar.persons.matching.ExactMatcher`` is the exact rules only.
KETENRADAR_PERSON_MATCHER = "ketenradar.radar.matcher.RadarMatcher"

# Feedback to the reporter after the safety assessment or an investigation: the region's
# working agreement, in Dutch working days (the law sets no term; see docs/reports.md).
KETENRADAR_FEEDBACK_WORKING_DAYS = int(os.environ.get("KETENRADAR_FEEDBACK_WORKING_DAYS", "5"))

# The monitor (docs/monitor.md). The key of the pseudonyms in the analytics layer is kept
# outside the database; production refuses to start without it.
KETENRADAR_ANALYTICS_KEY = os.environ.get("KETENRADAR_ANALYTICS_KEY", "")
# Counts below this are shown as a marker, and shares over fewer than this are suppressed.
# The selectors that give the in-app notices (signaleringen) of each app with deadlines
# (``core.notices.collect``).
KETENRADAR_NOTICE_PROVIDERS = [
    "ketenradar.care.selectors.notices_for",
    "ketenradar.restraining.selectors.notices_for",
    "ketenradar.shelter.selectors.notices_for",
    "ketenradar.mda.selectors.notices_for",
]
# The selectors that give a person's timeline entries, each under its own app's
# need-to-know (``core.timeline.collect``, the person page).
KETENRADAR_PERSON_TIMELINE_PROVIDERS = [
    "ketenradar.reports.selectors.timeline_for",
    "ketenradar.care.selectors.timeline_for",
    "ketenradar.restraining.selectors.timeline_for",
    "ketenradar.shelter.selectors.timeline_for",
    "ketenradar.radar.selectors.timeline_for",
]
KETENRADAR_SMALL_COUNT_THRESHOLD = int(os.environ.get("KETENRADAR_SMALL_COUNT_THRESHOLD", "10"))
# The refresh looks back this far before its watermark, for rows committed late.
KETENRADAR_ANALYTICS_REFRESH_OVERLAP_SECONDS = 300

# Break-glass access lasts at most this long (issue: 24 hours).
KETENRADAR_BREAK_GLASS_HOURS = 24

# Signed checkpoints of the access log's chain head, kept outside the database so that a
# removed or replaced tail of the log is found (docs/audit-logging.md). Signed with this key
# (empty: a key derived from SECRET_KEY), written to the log stream and appended to the file
# (None: no file) after the transaction that takes the log past a multiple of EVERY events
# (0: only the ``audit_checkpoint`` command writes them).
KETENRADAR_AUDIT_CHECKPOINT_KEY = os.environ.get("KETENRADAR_AUDIT_CHECKPOINT_KEY", "")
KETENRADAR_AUDIT_CHECKPOINT_PATH: Path | None = Path(
    os.environ.get(
        "KETENRADAR_AUDIT_CHECKPOINT_PATH", str(PROJECT_DIR / "var" / "audit-checkpoints.jsonl")
    )
)
KETENRADAR_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("KETENRADAR_AUDIT_CHECKPOINT_EVERY", "100"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KETENRADAR_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The monitor's covering indexes INCLUDE columns on PostgreSQL; SQLite (development and
# tests) has no INCLUDE and uses the key columns only, which is what this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
