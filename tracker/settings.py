"""Settings for the diplomatic-event tracker, read from the environment.

With nothing set, the tracker runs on an SQLite file beside this project, so a newcomer
needs no server; `DATABASE_URL` points it at PostgreSQL, the production database.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file `NAME_FILE` names (Docker secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, "")
    if value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = env_str(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_rate(name: str, default: str) -> str | None:
    """A throttle rate such as `120/minute`; `off` (or `0`) lifts the limit."""
    value = env_str(name, default).strip()
    if value.lower() in {"off", "none", "0", ""}:
        return None
    count, _, period = value.partition("/")
    if not count.isdigit() or not period or period[0] not in "smhd":
        raise ImproperlyConfigured(f"{name} must look like 120/minute or off, not {value!r}.")
    return value


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) to a long random string: "
            "DJANGO_DEBUG is off, so this is taken for a deployment. For development, set "
            "DJANGO_DEBUG=1 (make run, make seed and the other make targets do)."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS -----------------------------------------------------------------------------------
# On by default in production (DJANGO_DEBUG off): redirect to HTTPS, cookies only over
# HTTPS, HSTS. Turn off only to serve plain HTTP on a private address (DJANGO_HTTPS=0).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Probes reach the process over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # W021 asks for the `preload` directive: it consents to browsers hard-coding HTTPS for the
    # whole domain for months, a decision for the domain's owner (DJANGO_HSTS_PRELOAD=1).
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Proxies: how many trusted reverse proxies stand in front (each appends to X-Forwarded-For).
# With one or more, X-Forwarded-Proto says whether the client used HTTPS, and the client's
# address (for throttling and login lockout) is read from X-Forwarded-For.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "events.api.middleware.ProblemDetailsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "events.middleware.WriteContextMiddleware",
    # Last, as its documentation asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests (and the test client's threads) share the file: wait, don't fail.
    # IMMEDIATE: a write transaction takes the lock when it begins, so two writers queue
    # instead of one failing with "database is locked" when both read first.
    # WAL: readers go on while one writer writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
    # The tests' database is a file too: concurrent writers are tested as deployed (an
    # in-memory database shared between threads locks whole tables instead of waiting).
    # One file per test run, so two runs in one checkout do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test_db_{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No request holds the database for long: a statement, or a transaction left idle, is
    # cut off (the request then answers 503); an unreachable server fails fast.
    _statement_ms = env_int("DATABASE_STATEMENT_TIMEOUT", 30) * 1000
    _idle_ms = env_int("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", 60) * 1000
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5),
            "options": f"-c statement_timeout={_statement_ms} "
            f"-c idle_in_transaction_session_timeout={_idle_ms}",
        }
    )
# What a 503 answered during a database outage asks clients to wait.
DATABASE_RETRY_AFTER_SECONDS = env_int("DATABASE_RETRY_AFTER", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out one before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Caches: throttling counts requests here. The default is per process; with several server
# processes on one host, DJANGO_CACHE_DIR gives them one shared count.
if env_str("DJANGO_CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("DJANGO_CACHE_DIR"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# dumpdata's and loaddata's JSON keeps times to the microsecond (`manage.py backup`).
SERIALIZATION_MODULES = {"json": "events.backup_json"}

# Limits -----------------------------------------------------------------------------------
# The largest request body (bytes): a readout of 200,000 characters, even written as JSON
# \uXXXX escapes, fits. Larger bodies are refused with 413 before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("API_MAX_BODY_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# How long reading one readout (POST /api/v1/sources/parse/, an import) may take, in a
# separate process; past it the request is answered 422 and the process replaced.
READOUT_PARSE_SECONDS = float(env_str("READOUT_PARSE_SECONDS", "5"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "events.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON only: the interactive documentation is /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["events.api.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "events.api.throttling.AnonReadThrottle",
        "events.api.throttling.UserReadThrottle",
        "events.api.throttling.ReadoutThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "120/minute"),
        "user": env_rate("API_THROTTLE_USER", "600/minute"),
        "readouts": env_rate("API_THROTTLE_READOUTS", "20/minute"),
    },
    "NUM_PROXIES": PROXY_COUNT or None,
    "DEFAULT_PERMISSION_CLASSES": ["events.api.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "events.api.filtersets.KnownParametersOnly",
        "django_filters.rest_framework.DjangoFilterBackend",
        "events.api.filtersets.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "events.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "events.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "events.api.exceptions.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Diplomatic event tracker API",
    "DESCRIPTION": (
        "Bilateral meetings curated from foreign-ministry readouts: who met whom, in which "
        "office, what each side said and committed to. Anyone may read published records; "
        "writes need a token (`Authorization: Token <key>`) or an admin session.\n\n"
        "Every error is an RFC 9457 problem (`application/problem+json`) with a `detail` "
        "sentence, a `code`, and for a 400 each invalid field's path and reason in `errors`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are documented as JSON, what programs send (forms are still accepted):
    # one media type per body keeps generated clients to one body type per operation.
    "PARSER_WHITELIST": ["events.api.parsers.JSONParser"],
    # Several models have a `kind` or `status` with their own choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "events.models.DatePrecision",
        "PlaceKindEnum": "events.models.Place.Kind",
        "OrganizationKindEnum": "events.models.Organization.Kind",
        "PositionKindEnum": "events.models.Position.Kind",
        "GatheringKindEnum": "events.models.Gathering.Kind",
        "StatementKindEnum": "events.models.Statement.Kind",
        "CommitmentKindEnum": "events.models.Commitment.Kind",
        "TenureStatusEnum": "events.models.Tenure.Status",
        "MeetingStatusEnum": "events.models.Meeting.Status",
        "CommitmentStatusEnum": "events.models.Commitment.Status",
    },
}

# Tokens (django-rest-knox): stored as a hash, expiring, revoked by deleting them.
# `manage.py create_token <user>` makes one; `manage.py revoke_tokens <user>` ends them.
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=env_int("API_TOKEN_DAYS", 90)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# Admin login lockout (django-axes): after DJANGO_LOGIN_FAILURES wrong passwords for one
# user name from one address, that pair is refused (429) for DJANGO_LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on stdout, which commands such as create_token print to
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)

# Content-Security-Policy for the pages that render HTML (the admin, /api/docs/): everything
# from this server, nothing inline, nothing from elsewhere, so they work offline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
