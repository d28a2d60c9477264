"""Settings. Everything that differs between a laptop and production comes from the environment;
without any variable set, digibank runs on SQLite in ./data with DEBUG on, so it starts at once."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=not env("SECRET_KEY"))
SECRET_KEY = env("SECRET_KEY") or "dev-only-insecure-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "digibank.core",
    "digibank.network",
    "digibank.clients",
    "digibank.devices",
    "digibank.guidance",
    "digibank.impact",
    "digibank.public",
    "digibank.api",
    "digibank.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "digibank.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "digibank.urls"
WSGI_APPLICATION = "digibank.wsgi.application"
ASGI_APPLICATION = "digibank.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "digibank" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "digibank.core.tenancy.tenancy_context",
            ],
        },
    },
]

DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data")))
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'digibank.sqlite3'}",
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Wait for a lock instead of failing at once when the worker and the web process both write.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "public:home"

# Log-in throttling: five wrong passwords lock the username from that address for a quarter hour.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "digibank" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# Belgian numbers and dates on the screens and in the forms (27.346,38 and 3/12/2026); the API keeps
# JSON numbers and ISO dates. Ids, years and codes in templates go through |unlocalize.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["digibank.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Secure cookies and transport. Off only in local development over plain http.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day at the desk
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles and images from our own origin only, nothing
# inline, so injected markup cannot run or restyle a page; no frames, plugins or foreign form targets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "digibank <noreply@digibank.localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "digibank.core.parsers.JSONParser",
        "digibank.core.parsers.FormParser",
        "digibank.core.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "digibank.core.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "digibank.core.api.ApiSchema",
    "EXCEPTION_HANDLER": "digibank.core.api.exception_handler",
    "PAGE_SIZE": 50,
}


def caches_for(url: str) -> dict:
    """The default cache: Redis when CACHE_URL names one (shared by every worker process, so the public
    booking's limit per address counts every post), else Django's in-memory cache (one per process)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    if url:
        raise ImproperlyConfigured(f"CACHE_URL must name a Redis server (redis://host:6379/0), not {url!r}")
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


CACHES = caches_for(env("CACHE_URL"))

# Which request header holds the client's address for the public booking's rate limit: REMOTE_ADDR, or
# behind a proxy the header it sets (e.g. HTTP_X_REAL_IP), never one a client can send through it.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")

SPECTACULAR_SETTINGS = {
    "TITLE": "digibank API",
    "DESCRIPTION": "The REST API of digibank. Staff authenticate with a token "
    "(`Authorization: Token <key>`) and choose the digibank they work in with the `X-Digibank` header "
    "when they have roles in more than one.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The API reads forms too (the browsable API), but documents JSON: a form cannot say null or nest rows.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # A choice set used by several fields is one named enum in the schema.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "digibank.clients.models.Language",
        "ConsentScopeEnum": "digibank.clients.models.Consent.Scope",
        "DeviceKindEnum": "digibank.devices.register.lifecycle.Kind",
        "DeviceStateEnum": "digibank.devices.register.lifecycle.State",
        "DeviceConditionEnum": "digibank.devices.models.Condition",
        "EServiceCategoryEnum": "digibank.guidance.e_services.models.Category",
        "EServiceNeedEnum": "digibank.guidance.e_services.models.Need",
        "AppointmentKindEnum": "digibank.guidance.appointments.models.Kind",
        "ReferralStatusEnum": "digibank.guidance.referrals.models.Status",
        "ReferralServiceEnum": "digibank.guidance.referrals.models.Service",
        "ReferralConsentHowEnum": "digibank.guidance.referrals.models.ConsentHow",
    },
}

# Where the current digibank of a request comes from; core knows nothing of the network models.
DIGIBANK_TENANCY_RESOLVER = "digibank.network.tenancy.resolve_tenancy"
# What each role finds on its start page, given by the domains in this order (core.startpage).
DIGIBANK_START_PANELS = [
    "digibank.devices.start.panels",
    "digibank.clients.start.panels",
    "digibank.network.start.panels",
    "digibank.guidance.referrals.start.panels",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Background jobs (retention now, reminders and reports later): django-tasks with its database
# backend, run by `manage.py db_worker`. No extra service: the queue is a table in our database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PAGE_SIZE = 25
MIN_PUBLISHED_COUNT = 5  # no count below this leaves a digibank

# Messages to clients (digibank.core.senders.send_message): e-mail goes through EMAIL_BACKEND above, SMS
# through the class named here. Development prints them; production has no SMS until SMS_BACKEND names
# the gateway backend of a provider (see the senders docstring), and until then clients are told by e-mail.
SMS_BACKEND = env("SMS_BACKEND", "digibank.core.senders.ConsoleSmsBackend" if DEBUG else "")
SMS_FILE_PATH = Path(env("SMS_FILE_PATH", str(DATA_DIR / "sms")))  # for SMS_BACKEND=...FileSmsBackend
