"""All settings of the project, read from the environment with safe defaults.

Every environment variable, its default and its meaning: docs/configuration.md.
"""

import datetime
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import logs

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only for local development: DEBUG is on, so nothing here is production.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our own static files
    "django_structlog",
    "django_prometheus",
    "readiness",
    "assessments",
]

MIDDLEWARE = [
    # Request counts and latencies for /metrics (django-prometheus): first and last.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Outermost: while the database cannot be reached, a page answers 503 with Retry-After
    # instead of a 500 (assessments/common/outage.py).
    "assessments.common.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # request.htmx: whether a request comes from htmx (django-htmx, not by hand).
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "assessments.accounts.middleware.DutchUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A request_id (and the user's id, never a name) on every log line of the request and
    # of the tasks it queues (django-structlog; config/logs.py).
    "django_structlog.middlewares.RequestMiddleware",
    # Cache-Control: private, no-store for every logged-in response (docs/security.md).
    "assessments.common.middleware.PrivateNoStoreMiddleware",
    # A NUL character in a parameter is a 400, not a database error (common/errors.py).
    "assessments.common.errors.RejectNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "assessments.accounts.middleware.SessionLimitsMiddleware",
    "assessments.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.i18n",
                "readiness.context_processors.scan_settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people answer at once: wait for a lock instead of failing, take the write
    # lock at BEGIN (no upgrade deadlocks), and test on a file so threads share it.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's own, with a Dutch message: see assessments/accounts/password_validation.py.
        "NAME": "assessments.accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch in the header remembers the choice for a year.
LANGUAGE_COOKIE_AGE = 31_536_000
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, with content hashes in the file names: cached for a year, busted on change.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security (see docs/security.md) ---
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True  # the token travels in the page (hx-headers), not via JS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe, and Prometheus scrapes, over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A session ends after a working day, and after an idle hour.
SESSION_COOKIE_AGE = int(timedelta(hours=9).total_seconds())
SESSION_IDLE_TIMEOUT = int(timedelta(hours=1).total_seconds())

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- The read-only API (assessments/api/, docs/security.md) ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "assessments.api.authentication.ApiTokenAuthentication",
        # The browsable API and the docs for a logged-in user (CSRF-checked by DRF).
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_RATE_ANON", "30/hour"),
        "user": os.environ.get("API_RATE_USER", "1000/hour"),
        # Wrong tokens per address (assessments.api.authentication.FailedTokenThrottle).
        "failed_token": os.environ.get("API_RATE_FAILED_TOKEN", "10/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gereedheidsscan beschermd thuis API",
    "DESCRIPTION": "Alleen lezen: gemeenten, metingen, scores per stap en thema, actieplannen.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # No CDN: the CSP allows scripts and styles from 'self' only.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Brute force: 5 failures lock that login for 15 minutes (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking by IP address too would lock out a whole town hall behind one NAT address after
# five typos by different colleagues; see docs/decisions/0002-lockout-per-login.md.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "assessments.accounts.views.lockout_response"
AXES_VERBOSE = False

# Two-factor authentication (TOTP) for staff and coordinators.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Gereedheidsscan beschermd thuis"

# --- Single sign-on: OpenID Connect (assessments/sso/, docs/decisions/0009-openid-connect.md) ---
# Off unless OIDC_RP_CLIENT_ID is set; then the login page offers "Inloggen via uw
# organisatie". mozilla-django-oidc reads these names. The endpoints come from the
# provider's /.well-known/openid-configuration (`manage.py oidc_discovery ISSUER` prints
# them). Every setting is defined even when off: the views then answer 404.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").strip()
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip()
# The end_session_endpoint; empty: logging out ends our session only.
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256").strip()
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile").strip()
# An ID token whose amr names one of these methods (RFC 8176), or whose acr is one of the
# acr values, counts as our two-factor step (assessments/accounts/middleware.py).
OIDC_MFA_AMR_VALUES = env_list("OIDC_MFA_AMR_VALUES", "mfa,otp")
OIDC_MFA_ACR_VALUES = env_list("OIDC_MFA_ACR_VALUES")
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))  # seconds per call to the provider
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    _oidc_missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            # The provider's public keys; HS256 checks with the client secret instead.
            *(() if OIDC_RP_SIGN_ALGO.startswith("HS") else ("OIDC_OP_JWKS_ENDPOINT",)),
        )
        if not globals()[name]
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID is set, so single sign-on also needs: {', '.join(_oidc_missing)}."
        )
    AUTHENTICATION_BACKENDS.append("assessments.sso.backend.OIDCBackend")
    if OIDC_OP_LOGOUT_ENDPOINT:
        # The logout form is answered with a redirect to the provider, and a browser
        # applies CSP form-action to a form's redirects as well.
        _logout = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
            f"{_logout.scheme}://{_logout.netloc}"
        )
OIDC_USE_PKCE = True
# Kept in the session for the logout at the provider (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_URL_METHOD = "assessments.sso.views.provider_logout_url"
# A refused login returns to the login page, with the reason as a message.
LOGIN_REDIRECT_URL_FAILURE = "login"

INVITATION_VALID_DAYS = 7

# Partner links (assessments/partners/, docs/decisions/0011-partner-links.md): django-sesame
# tokens carry their time of making and are refused after the longest a link may run (90
# days after today, through the end of that day);
# each link's own end date (PartnerLink.expires_at) is checked on every request as well.
SESAME_MAX_AGE = timedelta(days=91)
# Wrong partner links per address and minute before the entry answers 429.
PARTNER_LINK_RATE_FAILED = os.environ.get("PARTNER_LINK_RATE_FAILED", "10/minute")

# A respondent's answers count in a round's scores and report from this percentage of the
# statements answered, unless the coordinator decides otherwise (docs/scoring.md).
RESPONSE_COUNT_THRESHOLD = int(os.environ.get("RESPONSE_COUNT_THRESHOLD", "50"))
if not 0 <= RESPONSE_COUNT_THRESHOLD <= 100:
    raise ImproperlyConfigured("RESPONSE_COUNT_THRESHOLD is a percentage from 0 to 100.")

# The national comparison per theme shows a median only when at least this many other
# municipalities contribute a score, the quartiles only from the second number; it is
# published in releases, each after rounds of at least the third number of municipalities
# closed since the previous one (assessments/rounds/benchmark.py, docs/scoring.md).
BENCHMARK_MINIMUM_MUNICIPALITIES = int(os.environ.get("BENCHMARK_MINIMUM_MUNICIPALITIES", "5"))
if BENCHMARK_MINIMUM_MUNICIPALITIES < 2:
    raise ImproperlyConfigured("BENCHMARK_MINIMUM_MUNICIPALITIES is at least 2.")
BENCHMARK_MINIMUM_FOR_QUARTILES = int(os.environ.get("BENCHMARK_MINIMUM_FOR_QUARTILES", "10"))
if BENCHMARK_MINIMUM_FOR_QUARTILES < BENCHMARK_MINIMUM_MUNICIPALITIES:
    raise ImproperlyConfigured(
        "BENCHMARK_MINIMUM_FOR_QUARTILES is at least BENCHMARK_MINIMUM_MUNICIPALITIES."
    )
BENCHMARK_RELEASE_MIN_NEW_ROUNDS = int(os.environ.get("BENCHMARK_RELEASE_MIN_NEW_ROUNDS", "3"))
if BENCHMARK_RELEASE_MIN_NEW_ROUNDS < 2:
    # One would publish every closing: the differencing this rule is there to prevent.
    raise ImproperlyConfigured("BENCHMARK_RELEASE_MIN_NEW_ROUNDS is at least 2.")

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "scan@localhost")

# The planned start of the woonplaatsbeginsel and the objectief verdeelmodel.
_start = os.environ.get("WOONPLAATSBEGINSEL_DATE", "").strip()
WOONPLAATSBEGINSEL_DATE: datetime.date | None = (
    datetime.date.fromisoformat(_start) if _start else None
)


# Two caches. "local": per process, in memory, for what never changes once made (a
# published question's texts and answer scale per chosen value and language on the step
# page: a few thousand fragments, hence more than the default 300); every process may keep
# its own copy. "default": what must be
# the same on every node (the benchmark release, the API's rate limits): per process too
# when CACHE_URL is unset (one machine, `make run`), else Redis, shared by every web node
# and worker (docs/deployment.md, "Past one machine").
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
_LOCAL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 20000},
}
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "scan"),
        }
        if CACHE_URL
        else _LOCAL_CACHE
    ),
    "local": _LOCAL_CACHE,
}
# Sessions: read from the shared cache, written through to the database (Django's
# cached_db backend), which saves the session query on every request. Only with a shared
# cache: with one cache per process, a session ended in one process (logout) would stay
# valid in another's copy.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)

# --- Tasks (config/celery.py, docs/decisions/0005-pdf-in-a-task.md and 0008) ---
# With a broker, the web request only queues the PDF render and a worker does it. Without
# one, nothing else to install or start: the report and export tasks run in a background
# thread of the web process (TASKS_IN_THREAD, assessments/common/background.py), so that
# the request returns at once and its page shows the progress, as with a worker; any
# other task runs in-process when it is sent. The tests run them in the request
# (tests/conftest.py), where they can look at the result at once.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip()
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
TASKS_IN_THREAD = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    # In-process only: eager tasks still take a producer from the broker, so it must not
    # be Celery's default (amqp on localhost). With a host, kombu logs no warning about it.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "").strip() or (
    "cache+memory://" if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL
)
# The render's outcome is kept in the ReportFile row; results only serve a caller that
# waits for one (the worker test), so they need not outlive an hour.
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A render takes seconds; one that runs for minutes is stuck. The hard limit ends it; the
# report page then offers a new attempt (ReportFile.TIMEOUT is longer).
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
# One task at a time per worker process: a render is CPU-bound and seconds long, so a
# process that reserves several makes the others wait behind it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery 5 warns unless this is said explicitly; retrying at start-up is what we want.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Reminder e-mails (assessments/reminders/services.py), sent by the worker on beat's schedule. Both
# tasks send each e-mail once only, so an extra or a repeated run is harmless.
CELERY_BEAT_SCHEDULE = {
    "round-reminders": {
        "task": "assessments.tasks.send_round_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    "action-digests": {
        "task": "assessments.tasks.send_action_digests",
        "schedule": crontab(minute=15, hour=8, day_of_week="mon"),
    },
    # Personal data and files kept no longer than needed (assessments/privacy/retention.py).
    "retention": {
        "task": "assessments.tasks.apply_retention",
        "schedule": crontab(minute=0, hour=3),
    },
    # Batch export ZIPs are kept 24 hours (assessments.models.BatchExport.KEEP).
    "delete-expired-exports": {
        "task": "assessments.tasks.delete_expired_batch_exports",
        "schedule": crontab(minute=30),
    },
}
# Links in e-mails that a task sends (a task has no request to take the host from).
SITE_URL = os.environ.get("SITE_URL", "").strip() or "http://127.0.0.1:8000"

# --- Privacy (assessments/privacy/, the processing register in docs/security.md) ---
# An account unused for this many days is anonymised: name and e-mail address are erased,
# the answers stay under "Invuller (Wonen)". A concept report (or a failed one) is deleted
# after RETENTION_FILE_DAYS; a closed round's final report stays.
RETENTION_INACTIVE_DAYS = int(os.environ.get("RETENTION_INACTIVE_DAYS", "730"))
RETENTION_FILE_DAYS = int(os.environ.get("RETENTION_FILE_DAYS", "30"))
if RETENTION_INACTIVE_DAYS < 30 or RETENTION_FILE_DAYS < 1:
    raise ImproperlyConfigured(
        "RETENTION_INACTIVE_DAYS is at least 30 and RETENTION_FILE_DAYS at least 1."
    )

# --- The operator's view (docs/deployment.md, "Monitoring") ---
# /metrics answers requests from loopback, and from anywhere with this bearer token.
# Behind a reverse proxy on the same machine every request comes from loopback: block
# /metrics in the proxy, or set METRICS_ALLOW_LOOPBACK=0 and use the token.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
METRICS_ALLOW_LOOPBACK = env_bool("METRICS_ALLOW_LOOPBACK", True)
# The worker's render times reach /metrics through files shared by the processes of one
# machine (prometheus_client's multiprocess mode), when PROMETHEUS_MULTIPROC_DIR is set.

SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from config.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
        release=os.environ.get("SENTRY_RELEASE", ""),
    )

# Logs: JSON lines outside DEBUG, readable lines under DEBUG (LOG_FORMAT overrides).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "console" if DEBUG else "json").strip()
if LOG_FORMAT not in {"json", "console"}:
    raise ImproperlyConfigured("LOG_FORMAT is json or console.")
logs.configure_structlog()
# django-structlog: the user's id on each line, no IP address (the security log keeps
# REMOTE_ADDR where it matters); tasks carry the request_id of the request that queued them.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_CELERY_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # Security events are one JSON object per line (see assessments/common/securitylog.py).
        "plain": {"format": "%(message)s"},
        "json": {"()": "config.logs.json_formatter"},
        "console": {"()": "config.logs.console_formatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "security": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "scan.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Readable lines (make run): runserver already prints one line per request.
        "django_structlog": {"level": "WARNING" if LOG_FORMAT == "console" else "INFO"},
    },
}
