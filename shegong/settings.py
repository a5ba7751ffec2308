"""Settings for shegong, driven by environment variables.

Defaults need no service at all: SQLite, a database-backed task queue, local files and a
local-memory cache. PostgreSQL is switched on by DATABASE_URL.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, "").split(",") if item.strip()]


DEBUG = envbool("DEBUG", "True")
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.getenv("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)

if not DEBUG:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DEBUG is off: set SECRET_KEY to a random string of at least 50 characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS (comma-separated host names).")

# The one address absolute links are made from (printed QR codes, posters, certificates,
# e-mails). `make demo` sets it from PORT; a server behind nginx sets its public https address.
SITE_URL = (os.getenv("SITE_URL") or f"http://127.0.0.1:{os.getenv('PORT', '8000')}").rstrip("/")

# Demo mode (`make demo`, `make dev`): the demo accounts, whose shared password the README
# prints, may sign in. Refused on a server that answers to a public host name or holds a
# database not named as a demo one (see demo_mode_refusal below), whatever DEBUG says.
DEMO_MODE = envbool("DEMO_MODE", "False")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]", "testserver")
# How many reverse proxies of ours stand in front of the app server, each appending the address
# it saw to X-Forwarded-For. 0: trust only REMOTE_ADDR (shegong.core.http.client_address).
TRUSTED_PROXY_COUNT = int(os.getenv("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    # Before django_tasks_db: its db_worker command is shegong.core's (with a heartbeat).
    "shegong.core",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "shegong.orgs",
    "shegong.accounts",
    "shegong.campaigns",
    "shegong.activities",
    "shegong.directory",
    "shegong.helpdesk",
    "shegong.contest",
    "shegong.survey",
    "shegong.reports",
    "shegong.jobs",
    "shegong.public",
    "rest_framework",
    "drf_spectacular",
    "shegong.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses last what every middleware below has written (HTML pages only).
    "shegong.core.middleware.HtmlGzipMiddleware",
    "shegong.core.middleware.SecurityHeadersMiddleware",
    "shegong.core.middleware.StaticFilesMiddleware",  # WhiteNoise
    # QR scans answered here, before the middleware a redirect does not need.
    "shegong.directory.middleware.QrShortLinkMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shegong.core.middleware.DisplayPreferencesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shegong.core.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shegong.accounts.middleware.StaffIdleTimeoutMiddleware",
    "shegong.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "shegong.urls"
WSGI_APPLICATION = "shegong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shegong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shegong.core.context_processors.display_preferences",
                "shegong.core.context_processors.console_menu",
                "shegong.public.context_processors.site_header",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'shegong.sqlite3'}",
        conn_max_age=int(os.getenv("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # WAL lets the web server and the task worker read and write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def demo_mode_refusal(hosts: list[str], site_url: str, database: dict) -> str:
    """Why demo mode may not run with these settings, or "" when it may.

    Demo mode is for a machine's own loopback and a database made for the demo: an SQLite file
    under var/ or with "demo" in its name, or another database with "demo" in its name on this
    machine (e.g. postgres://postgres@127.0.0.1/shegong_demo).
    """
    from urllib.parse import urlsplit

    public = [h for h in [*hosts, urlsplit(site_url).hostname or ""] if h not in LOOPBACK_HOSTS]
    if public:
        return f"DEMO_MODE is on but the server answers to a public host: {public[0]}."
    name = str(database.get("NAME", ""))
    if database["ENGINE"] == "django.db.backends.sqlite3":
        if "demo" in Path(name).name or Path(name).resolve().parent == BASE_DIR / "var":
            return ""
    elif "demo" in name and database.get("HOST", "") in ("", *LOOPBACK_HOSTS):
        return ""
    host = database.get("HOST") or "this machine"
    return (
        f"DEMO_MODE is on but the database is not a demo database: {name} on {host} "
        '(a demo database has "demo" in its name and is on this machine).'
    )


if DEMO_MODE and (refusal := demo_mode_refusal(ALLOWED_HOSTS, SITE_URL, DATABASES["default"])):
    raise ImproperlyConfigured(refusal)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["shegong.accounts.backends.DemoAwareBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id at OWASP's minimum (shegong.accounts.hashers); older PBKDF2 hashes still verify and
# are re-hashed at the next sign-in.
PASSWORD_HASHERS = [
    "shegong.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Sign-in throttling (shegong.accounts.throttle): failures per user name and per address
# within the window lock that name or address out for LOGIN_LOCKOUT.
LOGIN_FAILURES_PER_ACCOUNT = int(os.getenv("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.getenv("LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURE_WINDOW = datetime.timedelta(minutes=15)
LOGIN_LOCKOUT = datetime.timedelta(minutes=int(os.getenv("LOGIN_LOCKOUT_MINUTES", "15")))

# Staff are signed out after this many seconds without a request (the session's absolute age
# is SESSION_COOKIE_AGE).
STAFF_IDLE_TIMEOUT = int(os.getenv("STAFF_IDLE_TIMEOUT", str(30 * 60)))
# A TOTP second factor (shegong.accounts.twofactor) is optional for everyone and required for
# city admins and superusers when this is on: by default, in production.
OTP_REQUIRED_FOR_CITY_ADMINS = envbool(
    "OTP_REQUIRED_FOR_CITY_ADMINS", "False" if DEBUG or DEMO_MODE else "True"
)
OTP_TOTP_ISSUER = "社工宣传工作平台"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "shegong.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "shegong" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "shegong" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Media (photos, posters, documents) in S3-compatible object storage when a bucket is named
# (django-storages); on local disk under MEDIA_ROOT otherwise. Files are private: the app checks
# who may see each one and streams it, so the bucket needs no public access.
if os.getenv("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.getenv("S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("S3_REGION") or None,
            "access_key": os.getenv("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.getenv("S3_SECRET_ACCESS_KEY") or None,
            "location": os.getenv("S3_PREFIX", ""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }

# Cached public pages, QR look-ups and QR scan counters (shegong.directory) live here: local
# memory in each process by default; REDIS_URL makes it one cache that every process and host
# shares. Enough entries that counters are not culled by pages.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shegong",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
if os.getenv("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Task workers beat every TASK_HEARTBEAT_SECONDS; a task RUNNING for a worker silent for
# TASK_WORKER_STALE_SECONDS runs again (shegong.core.worker), at most TASK_MAX_ATTEMPTS times.
TASK_HEARTBEAT_SECONDS = float(os.getenv("TASK_HEARTBEAT_SECONDS", "5"))
TASK_WORKER_STALE_SECONDS = float(os.getenv("TASK_WORKER_STALE_SECONDS", "30"))
TASK_MAX_ATTEMPTS = 3
# Background jobs (shegong.jobs): their files are kept this many days, then deleted.
JOB_KEEP_DAYS = int(os.getenv("JOB_KEEP_DAYS", "7"))
# A ledger export of at most this many rows is written in the request (measured well under a
# second); a larger one runs as a job with a progress bar.
LEDGER_EXPORT_SYNC_ROWS = int(os.getenv("LEDGER_EXPORT_SYNC_ROWS", "5000"))

# Help requests (shegong.helpdesk.services), counted in the database: requests a day from one
# client address and for one phone number; a request with danger words passes those and stops
# only at the higher urgent cap, against floods.
HELPDESK_LIMIT_PER_IP_PER_DAY = int(os.getenv("HELPDESK_LIMIT_PER_IP_PER_DAY", "5"))
HELPDESK_LIMIT_PER_PHONE_PER_DAY = int(os.getenv("HELPDESK_LIMIT_PER_PHONE_PER_DAY", "3"))
HELPDESK_URGENT_LIMIT_PER_IP_PER_DAY = int(os.getenv("HELPDESK_URGENT_LIMIT_PER_IP_PER_DAY", "20"))
# QR scans (shegong.directory.services): counted in the cache and written to the database at
# most once per this many seconds per link; 0 writes every scan at once.
DIRECTORY_QR_FLUSH_SECONDS = float(os.getenv("DIRECTORY_QR_FLUSH_SECONDS", "1"))
# Behind deploy/nginx/shegong.conf nginx answers repeated scans of a link from its cache and
# writes every scan to this log; the app then leaves the requests nginx marks as logged
# uncounted and ``run_periodic`` adds the log's scans (docs/scaling.md). Empty: the app counts.
DIRECTORY_QR_SCAN_LOG = os.getenv("DIRECTORY_QR_SCAN_LOG", "")
# The REST API (shegong.api, docs/api.md): requests per token, and per client address for
# callers without one, counted in the cache ("N/second|minute|hour|day").
API_RATE_TOKEN = os.getenv("API_RATE_TOKEN", "600/minute")
API_RATE_ANON = os.getenv("API_RATE_ANON", "60/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["shegong.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "shegong.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "shegong.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "社工宣传工作平台 REST API",
    "DESCRIPTION": (
        "各单位的活动台账、方案任务与进度、求助、社工站名录等。令牌在工作台“接口令牌”页面创建；"
        "每个接口的范围与工作台相同。说明：docs/api.md。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name get names of their own in the description.
    "ENUM_NAME_OVERRIDES": {
        "HelpCategoryEnum": "shegong.helpdesk.models.HelpRequest.Category",
        "HelpRequestStatusEnum": "shegong.helpdesk.models.HelpRequest.Status",
        "ActivityKindEnum": "shegong.activities.models.Activity.Kind",
        "SummaryStatusEnum": "shegong.reports.models.Summary.Status",
        "StoryCategoryEnum": "shegong.contest.models.Category",
    },
}

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "shegong@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_FAILURE_VIEW = "shegong.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sent by shegong.core.middleware.SecurityHeadersMiddleware on every response. No inline
# script or style anywhere (STYLE.md), so no 'unsafe-inline' and no nonces are needed.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# "Near me" asks for the phone's position on this site; nothing else is ever needed.
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)
# Request bodies over these are refused before they are read (RequestBodyLimitMiddleware):
# staff upload phone videos (activities.uploads.VIDEO_MAX_BYTES is 100 MB); citizens send forms.
MAX_REQUEST_BODY_STAFF = int(os.getenv("MAX_REQUEST_BODY_STAFF_MB", "110")) * 1024 * 1024
MAX_REQUEST_BODY_PUBLIC = int(os.getenv("MAX_REQUEST_BODY_PUBLIC_MB", "25")) * 1024 * 1024
# A load balancer's health check speaks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
