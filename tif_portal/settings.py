"""Settings for the TIF portal, read from environment variables.

Nothing set gives the embedded default: SQLite, a file-system Celery broker, mail
written to files. Production sets DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS and DJANGO_HTTPS=1 (see README).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import whitenoise.compress
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TIF_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
LOCAL_SECRET_KEY = "django-insecure-local-only-never-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", LOCAL_SECRET_KEY)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "testserver"}
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ",".join(sorted(LOCAL_HOSTS)))
if SECRET_KEY == LOCAL_SECRET_KEY and not set(ALLOWED_HOSTS) <= LOCAL_HOSTS:
    # The local key is public: sessions, password-reset links and signed links made with it can
    # be forged. A portal that answers to a real host name refuses to start without its own.
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a long random value before serving a real host name.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The address mails link to; requests are not available in background tasks.
# The address in every link the portal mails; locally it follows the port the server runs on.
SITE_URL = (os.environ.get("TIF_SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "tif_portal.apps.StaticFilesConfig",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "tif_portal",
    "accounts",
    "municipalities",
    "meetings",
    "decals",
    "followup",
    "knowledge",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tif_portal.middleware.private_pages_are_not_stored",
    "tif_portal.pagecache.pages_kept_until_data_changes",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tif_portal.urls"
WSGI_APPLICATION = "tif_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL names another one.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tif.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web server, worker and beat share the file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test processes (gw0, gw1, ...) each take a Redis database of their own, as each
    # takes a PostgreSQL database of its own: queues, rate limits and cache keys stay apart.
    _url = urlsplit(REDIS_URL)
    _db = int(_url.path.strip("/") or 0) + 1 + int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db}"))

# A page seen once is served again from the cache until the data changes (tif_portal.pagecache);
# only with Redis, which every process shares. The time bounds what only the clock changes.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "60" if REDIS_URL else "0"))

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by all local processes, which rate limiting and login throttling need.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures lock the address and account pair for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind the reverse proxy: its addresses (or networks), comma-separated. Only requests from
# these have X-Forwarded-For believed; login throttling and rate limits count the real client.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TIF_TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "tif_portal.ratelimits.client_ip"
RATELIMIT_IP_META_KEY = "tif_portal.ratelimits.client_ip"

# Magic links for agent contacts: ten minutes, once.
SESAME_MAX_AGE = 600
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "sesame"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Bootstrap comes from the package registry at set-up (npm ci), never from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist")]
# Public media and private files (see tif_portal/storage.py): local folders, or an S3-compatible
# bucket shared by several hosts when TIF_S3_BUCKET is set (credentials from the usual AWS_*
# variables). Private files are never under MEDIA_ROOT.
PRIVATE_FILES_ROOT = Path(os.environ.get("TIF_PRIVATE_ROOT", VAR_DIR / "private"))
S3_BUCKET = os.environ.get("TIF_S3_BUCKET", "")


def _s3_storage(prefix: str) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("TIF_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("TIF_S3_REGION") or None,
            "location": prefix,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": _s3_storage("public") if S3_BUCKET else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": _s3_storage("private") if S3_BUCKET else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_ROOT), "base_url": "/private-files-have-no-url/"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG and env_bool("DJANGO_HTTPS"))
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
# The fonts are read by the PDF renderer on the server and the source maps only by developer
# tools: compressing them for browsers was most of collectstatic's time and saves no one a byte.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*whitenoise.compress.Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf", "map"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("TIF_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers: on every response. HSTS and secure cookies need HTTPS, which
# production declares with DJANGO_HTTPS=1 (TLS ends at the reverse proxy).
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
if REDIS_URL:
    # Every signed-in request reads its session: from Redis, with the database as the copy
    # that survives a cache restart (written on every change, read on a miss).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Mail: the outbox hands messages to this backend. SMTP when EMAIL_HOST is set,
# otherwise files in var/mail that a developer can read.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
OUTBOX_DELIVERY_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
# Django's own mails (password reset) also go through the outbox.
EMAIL_BACKEND = "tif_portal.outbox.backend.OutboxEmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "TIF-portalen <noreply@tif.example.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "50"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))

# Celery: Redis when REDIS_URL is set; otherwise a file-system broker needing no server.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "broker"
    for _folder in (_broker_dir, VAR_DIR / "broker-control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
else:
    # Never let a request hang on a broker that is down: the outbox row is the record.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "max_retries": 0}
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# The outbox is plumbing, not an app, so autodiscovery does not find its tasks: they are named here.
CELERY_IMPORTS = ["tif_portal.outbox.tasks"]
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
OUTBOX_PARALLEL_TASKS = int(os.environ.get("OUTBOX_PARALLEL_TASKS", "4"))
# A claim older than this is taken back by the sweep (the worker is presumed dead). A worker
# renews its claim as it goes, so the claim can be short and a dead worker's rows go again
# within seconds: at most this plus the sweep's interval.
OUTBOX_CLAIM_SECONDS = int(os.environ.get("OUTBOX_CLAIM_SECONDS", "15"))
OUTBOX_SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", "10"))
# Periodic work reads due rows from the database; nothing waits on the broker.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "tif_portal.outbox.tasks.outbox_sweep", "schedule": OUTBOX_SWEEP_SECONDS},
    "webhook-sweep": {"task": "api.tasks.webhook_sweep", "schedule": 30.0},
    "meeting-reminders": {"task": "meetings.tasks.send_meeting_reminders", "schedule": 3600.0},
    "followup-daily": {"task": "followup.tasks.followup_daily", "schedule": crontab(hour=6, minute=15)},
    "actions-digest-weekly": {
        "task": "municipalities.tasks.actions_digest_weekly",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "action-reminders-daily": {"task": "municipalities.tasks.action_reminders_daily", "schedule": crontab(hour=6, minute=30)},
    "privacy-retention-daily": {"task": "knowledge.tasks.privacy_retention", "schedule": crontab(hour=3, minute=30)},
}
OUTBOX_RETRY_BASE_SECONDS = int(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
# One task keeps claiming batches for this long before handing over to a fresh task.
OUTBOX_TASK_SECONDS = int(os.environ.get("OUTBOX_TASK_SECONDS", "60"))
# The bundled font for PDFs and print (npm package dejavu-fonts-ttf, installed with Bootstrap).
STATICFILES_DIRS += [("vendor/dejavu", BASE_DIR / "node_modules" / "dejavu-fonts-ttf" / "ttf")]
# Decal orders: the most one order may ask for, and how many years a meeting makes a workplace eligible.
DECAL_ORDER_MAX = int(os.environ.get("DECAL_ORDER_MAX", "20"))
DECAL_ELIGIBILITY_YEARS = int(os.environ.get("DECAL_ELIGIBILITY_YEARS", "3"))
# Personal data: contacts with no activity for this long are anonymised; sent mails lose
# their bodies after OUTBOX_BODY_RETENTION_DAYS; dietary needs go this long after a meeting.
CONTACT_RETENTION_DAYS = int(os.environ.get("CONTACT_RETENTION_DAYS", str(3 * 365)))
OUTBOX_BODY_RETENTION_DAYS = int(os.environ.get("OUTBOX_BODY_RETENTION_DAYS", "90"))
REGISTRATION_DIETARY_RETENTION_DAYS = int(os.environ.get("REGISTRATION_DIETARY_RETENTION_DAYS", "30"))
ACCESSIBILITY_REPORT_RETENTION_DAYS = int(os.environ.get("ACCESSIBILITY_REPORT_RETENTION_DAYS", "365"))


# Who runs the service: named in the privacy notice and the accessibility statement.
TIF_ORGANISATION = os.environ.get("TIF_ORGANISATION", "Länsstyrelsen Västernorrland")
TIF_CONTACT_EMAIL = os.environ.get("TIF_CONTACT_EMAIL", "tif@lansstyrelsen.example.se")
# The REST API (see api/): personal tokens, JSON only, pages of 100 (up to 1,000 on request),
# a limit per token counted in the cache (Redis in production).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerToken"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("TIF_API_RATE", "1200/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TIF-portalens API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"WebhookEventEnum": "api.models.Webhook.Event"},
}
# Webhooks: a delivery is retried with doubling waits from this, at most this many times.
WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("TIF_WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("TIF_WEBHOOK_MAX_ATTEMPTS", "10"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("TIF_WEBHOOK_TIMEOUT_SECONDS", "10"))
