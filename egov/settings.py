"""egov settings: one module, driven by EGOV_* environment variables (see docs/operations.md)."""

from __future__ import annotations

import warnings
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from egov.core.env import (
    ImproperEnvironment,
    database_config,
    env_bool,
    env_int,
    env_limits,
    env_list,
    env_path,
    env_str,
    local_secret_key,
    uses_local_database,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("EGOV_DATA_DIR", "./var")

DEBUG = env_bool("EGOV_DEBUG", False)
DEMO = env_bool("EGOV_DEMO", False)
# Demo accounts (and only those) may sign in without the TOTP step while this is on.
DEMO_RELAX_2FA = env_bool("EGOV_DEMO_RELAX_2FA", DEMO)

SECRET_KEY = env_str("EGOV_SECRET_KEY", "")
if not SECRET_KEY:
    if uses_local_database("EGOV_DATABASE_URL"):
        # A local installation (the demo, a developer): a key generated once into the data folder.
        SECRET_KEY = local_secret_key(DATA_DIR)
    elif DEBUG or DEMO:
        SECRET_KEY = "egov-insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperEnvironment(
            "EGOV_SECRET_KEY", "must be set with EGOV_DATABASE_URL when EGOV_DEBUG and EGOV_DEMO are off"
        )
elif len(SECRET_KEY) < 32:
    raise ImproperEnvironment("EGOV_SECRET_KEY", "must be at least 32 characters long")

ALLOWED_HOSTS = env_list("EGOV_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("EGOV_CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies of ours append to X-Forwarded-For before a request reaches us (0: none,
# REMOTE_ADDR is the client). The older switch EGOV_TRUST_X_FORWARDED_FOR=1 means one proxy.
EGOV_TRUSTED_PROXY_HOPS = env_int(
    "EGOV_TRUSTED_PROXY_HOPS", 1 if env_bool("EGOV_TRUST_X_FORWARDED_FOR", False) else 0
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "egov.core",
    "egov.orgs",
    "egov.accounts",
    "egov.audit",
    "egov.workcal",
    "egov.catalog",
    "egov.notifications",
    "egov.signatures",
    "egov.dossiers",
    "egov.documents",
    "egov.reports",
    "egov.plans",
    "egov.portal",
]

MIDDLEWARE = [
    "egov.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "egov.core.middleware.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "egov.accounts.middleware.SecondFactorRequiredMiddleware",
    "egov.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"

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
                "egov.site.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": database_config("EGOV_DATABASE_URL", DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Citizens sign in with their phone number or e-mail written any usual way (0912 345 678, +84…).
    "egov.portal.identity.backends.CitizenIdentifierBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

OTP_TOTP_ISSUER = env_str("EGOV_OTP_ISSUER", "egov")

AXES_FAILURE_LIMIT = env_int("EGOV_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("EGOV_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lockout counts per client IP as the audit trail and the rate limits see it, and per account
# however its name was typed (0912 345 678 and +84912345678 are one citizen).
AXES_CLIENT_IP_CALLABLE = "egov.core.middleware.client_ip"
AXES_USERNAME_CALLABLE = "egov.portal.identity.identifiers.axes_username"

# Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["egov.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"


def _bootstrap_dir() -> Path:
    import xstatic.pkg.bootstrap as bootstrap

    return Path(bootstrap.BASE_DIR)


STATICFILES_DIRS = [("vendor/bootstrap", _bootstrap_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served from the finders so `egov demo` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: refuse large bodies early; per-field checks live in egov.core.uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
EGOV_UPLOAD_MAX_BYTES = env_int("EGOV_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Office files are zip packages: cap what they unpack to and how many parts they hold (zip bombs).
EGOV_UPLOAD_UNPACKED_MAX_BYTES = env_int("EGOV_UPLOAD_UNPACKED_MAX_BYTES", 100 * 1024 * 1024, minimum=1024)
EGOV_UPLOAD_ZIP_MAX_ENTRIES = env_int("EGOV_UPLOAD_ZIP_MAX_ENTRIES", 2000, minimum=10)

# Security: secure cookies whenever we are not in local debug/demo on plain HTTP.
_HTTPS = env_bool("EGOV_HTTPS", not (DEBUG or DEMO))
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("EGOV_SESSION_SECONDS", 8 * 3600, minimum=300)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _HTTPS else None
SECURE_SSL_REDIRECT = env_bool("EGOV_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("EGOV_HSTS_SECONDS", 0)

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
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOG_LEVEL = env_str("EGOV_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperEnvironment("EGOV_LOG_LEVEL", f"unknown level {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "egov.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "egov.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # PDF rendering and signing libraries narrate every step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pyhanko.pdf_utils.layout": {"level": "ERROR"},
    },
}

DATA_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(exist_ok=True)

# Notifications (docs/notifications.md): e-mail over SMTP, SMS through a pluggable class.
EGOV_SMS_BACKEND = env_str("EGOV_SMS_BACKEND", "egov.notifications.channels.LogSmsChannel")
EMAIL_HOST = env_str("EGOV_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EGOV_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EGOV_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("EGOV_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EGOV_EMAIL_USE_TLS", False)
# A stuck SMTP server must not hold a worker (or a delivery's claim) forever.
EMAIL_TIMEOUT = env_int("EGOV_EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("EGOV_EMAIL_FROM", "egov@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Demo: no mail server is assumed, so mail is written as files under the data directory.
EMAIL_BACKEND = env_str(
    "EGOV_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"

# Citizen portal (docs/portal.md). Rate limits count attempts in the cache: Django's default
# per-process LocMem cache is fine for one process; with several web processes set
# EGOV_CACHE_URL=redis://host:6379/0 so they share the counts.
_CACHE_URL = env_str("EGOV_CACHE_URL", "")
if _CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}}
# scope: (attempts per client IP, attempts per identifier — phone, e-mail or dossier code, window in
# seconds); EGOV_RATE_LIMITS=lookup=300/10/600 changes one scope.
EGOV_PORTAL_RATE_LIMITS = env_limits(
    "EGOV_RATE_LIMITS",
    {
        "signup": (10, 3, 3600),
        "verify": (30, 10, 900),
        "reset": (10, 3, 3600),
        "lookup": (30, 10, 600),
        "feedback": (20, 10, 3600),
    },
)
EGOV_PORTAL_DRAFT_DAYS = env_int("EGOV_PORTAL_DRAFT_DAYS", 30, minimum=1)

# Audit anchors (docs/operations.md): the scheduler appends the chain head to a file here and
# e-mails it; operators copy the file off this machine so a rewrite of the chain is detectable.
EGOV_AUDIT_ANCHOR_DIR = env_path("EGOV_AUDIT_ANCHOR_DIR", str(DATA_DIR / "audit-anchors"))

# Digital signatures (docs/signatures.md): the RFC 3161 time-stamping authority (empty: PAdES
# B-B, no timestamp) and the font of text stamps (units-per-em 1000: Noto).
# pyHanko and certomancer import cryptography's DSA support, which warns on import; egov signs
# with RSA and ECDSA only.
warnings.filterwarnings("ignore", message="DSA is deprecated")
EGOV_SIGNING_TSA_URL = env_str("EGOV_SIGNING_TSA_URL", "")
# Token libraries (PKCS#11) and remote signing services (CSC API base URLs) a unit administrator
# may choose from: a library is code the server loads, a URL one it calls, so the operator lists
# them (comma-separated); documents filed for at least this many years get PAdES B-LTA.
EGOV_PKCS11_MODULES = env_list(
    "EGOV_PKCS11_MODULES", [m for m in ["/usr/lib/softhsm/libsofthsm2.so"] if Path(m).exists()]
)
EGOV_CSC_SERVICES = env_list("EGOV_CSC_SERVICES", [])
EGOV_SIGNING_LONG_TERM_YEARS = env_int("EGOV_SIGNING_LONG_TERM_YEARS", 10, minimum=1)
EGOV_STAMP_FONT = env_str("EGOV_STAMP_FONT", "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
EGOV_AUDIT_ANCHOR_EMAIL = env_str("EGOV_AUDIT_ANCHOR_EMAIL", "")
EGOV_AUDIT_ANCHOR_MINUTES = env_int("EGOV_AUDIT_ANCHOR_MINUTES", 60, minimum=1)
# The audit page lists failed sign-ins (egov.audit); axes keeps them only when asked to.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Work files (docs/documents.md, "Work files"): a closed file reaches the agency archive within
# this many months after its matter ended. One year is what implementations use; the legal text
# is unconfirmed, hence a setting.
EGOV_ARCHIVE_TRANSFER_MONTHS = env_int("EGOV_ARCHIVE_TRANSFER_MONTHS", 12, minimum=1)
