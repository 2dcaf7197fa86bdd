"""CHIIA settings: one module, every knob read from the environment.

Django knobs use the DJANGO_ prefix, application knobs the CHIIA_ prefix.
`.env.example` documents every variable. With DJANGO_DEBUG off the app refuses
to start without a secret key and allowed hosts, so a misconfigured production
server fails loudly instead of running with development defaults.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def sso_origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

if not DEBUG:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to at least 50 random characters when DJANGO_DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
else:
    SECRET_KEY = SECRET_KEY or "development-only-key-never-used-in-production-0123456789abcdef"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chiia.urls"
WSGI_APPLICATION = "chiia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessments.service.context_processors.navigation",
                "assessments.accounts.context_processors.sign_in_options",
            ],
        },
    },
]

# SQLite by default so `make run` needs nothing installed; PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CHIIA_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a competing writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Django's cache framework: Redis when CHIIA_CACHE_URL names one (shared by every worker
# process), else memory inside each process, so `make run` needs no service.
CHIIA_CACHE_URL = env_str("CHIIA_CACHE_URL")
if CHIIA_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CHIIA_CACHE_URL,
            "KEY_PREFIX": "chiia",
        }
    }
elif CHIIA_CACHE_URL:
    raise ImproperlyConfigured(
        f"CHIIA_CACHE_URL must be a redis://, rediss:// or unix:// address, not {CHIIA_CACHE_URL!r}"
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sessions are written to the database and read through the cache: a cache that is flushed or
# restarted signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:my-work"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username from one address, so a shared council NAT
# address is not locked out by one person mistyping.
AXES_FAILURE_LIMIT = env_int("CHIIA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("CHIIA_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The pause runs from the failure that caused it: attempts made while paused are refused without
# being counted, or one guess every few minutes would keep someone locked out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# The client's address behind CHIIA_PROXY_COUNT reverse proxies (django-ipware). Each proxy appends
# the address it received the request from to X-Forwarded-For, and the last proxy's own address
# is REMOTE_ADDR, so the client is the CHIIA_PROXY_COUNT-th entry from the right; whatever the
# client itself put in the header sits further left and is ignored. ipware counts only the
# proxies listed in the header, one fewer, and must not void the header when a client prepends
# entries (IPWARE_STRICT).
CHIIA_PROXY_COUNT = env_int("CHIIA_PROXY_COUNT", 0)
if CHIIA_PROXY_COUNT > 0:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    AXES_IPWARE_PROXY_COUNT: int | None = CHIIA_PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
IPWARE_STRICT = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Third-party front-end assets come from pinned npm packages installed by `make install`.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "static"] + [
    (prefix, NODE_MODULES / package)
    for prefix, package in [
        ("vendor/bootstrap", "bootstrap/dist"),
        ("vendor/htmx", "htmx.org/dist"),
    ]
    if (NODE_MODULES / package).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("CHIIA_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In development, serve straight from the app's static folders without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("CHIIA_MEDIA_ROOT", str(BASE_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console in development; in production sent over SMTP (a local relay on
# port 25 unless DJANGO_EMAIL_HOST says otherwise). Tests swap every mailer for Django's in-memory backend.
if DEBUG and not env_str("DJANGO_EMAIL_HOST"):
    MAILERS: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("DJANGO_EMAIL_HOST", "localhost"),
                "port": env_int("DJANGO_EMAIL_PORT", 587 if env_str("DJANGO_EMAIL_HOST") else 25),
                "username": env_str("DJANGO_EMAIL_HOST_USER"),
                "password": env_str("DJANGO_EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", bool(env_str("DJANGO_EMAIL_HOST"))),
                "timeout": 20,
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str(
    "DJANGO_DEFAULT_FROM_EMAIL", "CHIIA <chiia-noreply@glasgowcityregion.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str("CHIIA_SITE_URL", "http://127.0.0.1:8000")

# Background tasks (long project reports): a database queue worked by `manage.py run_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("CHIIA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A project report job that has made no progress for this long is shown as failed, with a way
# to try again: its worker has died. Larger than the longest report's page layout step, which
# reports no progress while it runs.
CHIIA_REPORT_JOB_STALE_SECONDS = env_int("CHIIA_REPORT_JOB_STALE_SECONDS", 900)

# Strict Content Security Policy: no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
# The CSRF secret is kept in the session rather than in a cookie of its own: a token is only good
# for the session it was issued to, a cookie planted from elsewhere cannot supply one, and signing
# in (which replaces the secret) voids every token handed out before. No script reads a CSRF
# cookie; forms carry the token.
CSRF_USE_SESSIONS = True
SESSION_COOKIE_AGE = env_int("CHIIA_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("CHIIA_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("CHIIA_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if env_bool("CHIIA_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CHIIA_LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# Application knobs.
CHIIA_REFERENCE_DIR = BASE_DIR / "fixtures"
CHIIA_DEMO_PASSWORD = env_str("CHIIA_DEMO_PASSWORD", "chiia-demo-2026")

# /healthz reports "degraded" (HTTP 503) when a background task has waited longer than this.
CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS = env_int("CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS", 300)
# ... or when no task worker (`manage.py run_worker` beats every 15 s) was seen for this long.
CHIIA_WORKER_MAX_SILENCE_SECONDS = env_int("CHIIA_WORKER_MAX_SILENCE_SECONDS", 120)

# mywork: action owners are emailed this many days before an action's due date (and once after
# it passes) by the daily `manage.py send_action_reminders`; My work lists actions due this soon.
CHIIA_ACTION_REMINDER_DAYS = env_int("CHIIA_ACTION_REMINDER_DAYS", 7)

# --- estate: read-only API (/api/v1/, assessments/api/) -----------------------------------
# Requests per minute one account (or, before sign-in, one address) may make to the API.
CHIIA_API_REQUESTS_PER_MINUTE = env_int("CHIIA_API_REQUESTS_PER_MINUTE", 120)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "assessments.api.authentication.ApiTokenAuthentication",
        # A signed-in browser may read the API too; the API has no unsafe methods to forge.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["assessments.api.access.CanUseApi"],
    "DEFAULT_THROTTLE_CLASSES": ["assessments.api.access.PerAccountThrottle"],
    # JSON only: the browsable API's pages would need inline script the CSP forbids.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "assessments.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CHIIA read-only API",
    "DESCRIPTION": "Projects, stage assessments, answers, actions, consultations and portfolio "
    "figures, as the caller may see them in CHIIA.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_PERMISSIONS": ["assessments.api.access.CanUseApi"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Choices are listed as an enum; the Markdown list of them would show raw on the docs page.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "LikelihoodEnum": "assessments.enums.Likelihood",
        "SeverityEnum": "assessments.enums.Severity",
    },
}

# --- estate: single sign-on with the council's identity provider (OpenID Connect) ------------
# Off unless CHIIA_OIDC_ENABLED is true; docs/deploy.md explains setting it up with Entra ID.
CHIIA_OIDC_ENABLED = env_bool("CHIIA_OIDC_ENABLED", False)
# False leaves sign-in to the identity provider alone (the password form is hidden and refused).
CHIIA_LOCAL_PASSWORDS = env_bool("CHIIA_LOCAL_PASSWORDS", True)
CHIIA_OIDC_ISSUER = env_str("CHIIA_OIDC_ISSUER")
OIDC_RP_CLIENT_ID = env_str("CHIIA_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("CHIIA_OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env_str("CHIIA_OIDC_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("CHIIA_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("CHIIA_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("CHIIA_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("CHIIA_OIDC_JWKS_ENDPOINT")
# The provider's end-session endpoint, if it has one: signing out of CHIIA then signs out there.
CHIIA_OIDC_END_SESSION_ENDPOINT = env_str("CHIIA_OIDC_END_SESSION_ENDPOINT")
# The claim that says the email address is verified (Entra ID: xms_edov, see docs/deploy.md).
CHIIA_OIDC_EMAIL_VERIFIED_CLAIM = env_str("CHIIA_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
# Whether a first sign-in with an unknown (verified) email creates an account without any role.
CHIIA_OIDC_CREATE_USERS = env_bool("CHIIA_OIDC_CREATE_USERS", True)
CHIIA_OIDC_GROUPS_CLAIM = env_str("CHIIA_OIDC_GROUPS_CLAIM", "groups")
# Roles from provider groups: "group=COUNCIL_CODE:role,group2=*:pmo_viewer" (empty: none).
CHIIA_OIDC_ROLE_MAP = env_str("CHIIA_OIDC_ROLE_MAP")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_URL_METHOD = "assessments.accounts.sso.provider_sign_out_url"
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
OIDC_TIMEOUT = 10
if CHIIA_OIDC_ENABLED:
    _missing = [
        name
        for name, value in {
            "CHIIA_OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID,
            "CHIIA_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "CHIIA_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "CHIIA_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "CHIIA_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
            "CHIIA_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
        }.items()
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(f"CHIIA_OIDC_ENABLED is on but {', '.join(_missing)} not set.")
    AUTHENTICATION_BACKENDS.append("assessments.accounts.sso.CouncilAccountBackend")
    if CHIIA_OIDC_END_SESSION_ENDPOINT:
        # The sign-out form's answer redirects to the provider; form-action must allow it.
        SECURE_CSP["form-action"] = [CSP.SELF, sso_origin(CHIIA_OIDC_END_SESSION_ENDPOINT)]
if not CHIIA_LOCAL_PASSWORDS:
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")
