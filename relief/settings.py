"""Settings for An Sinh, read from the environment.

One module for every environment: development runs with no variables set (SQLite, DEBUG on, a throw-away key);
production sets DEBUG=0 and must then give SECRET_KEY and ALLOWED_HOSTS, or the process refuses to start.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    return value


DEBUG = env_bool("DEBUG", default=True)

# A fixed development key is harmless only because production (DEBUG off) refuses to run without its own.
SECRET_KEY = env_required("SECRET_KEY") if not DEBUG else os.environ.get("SECRET_KEY", "dev-only-not-secret")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo logins and their passwords exist only when this is on (the run command turns it on); staff then log in
# without the second step of two-factor sign-in, which the login page says.
DEMO_MODE = env_bool("DEMO_MODE", default=False)
# A demo has published passwords, so outside development it needs a second, explicit switch: one forgotten
# DEMO_MODE=1 in a production environment must stop the process, not open it.
DEMO_ALLOWED = DEBUG or env_bool("DEMO_ALLOW_PRODUCTION", default=False)
if DEMO_MODE and not DEMO_ALLOWED:
    raise ImproperlyConfigured("DEMO_MODE is refused when DEBUG is off, unless DEMO_ALLOW_PRODUCTION=1 says so.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "relief.apps.LoginAttemptsConfig",  # django-axes, named in Vietnamese
    "csp",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # Two-factor sign-in (relief/two_factor.py): before relief, whose admin takes their device pages out.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "relief",
    "households",
    "donations",
    # The pages of each persona and the tools above the core: relief < households, donations < these (pyproject.toml's
    # import-linter contracts). Listed so their management commands are found.
    "district",
    "leaders",
    "public",
    "citygen",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed here, in every deployment, rather than by a proxy: a household list shrinks tenfold for a
    # phone on a slow line. Against BREACH, Django masks the CSRF token differently in every response and this
    # middleware pads each compressed body with random bytes; static files come compressed from WhiteNoise above.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "relief.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "relief.middleware.NoStoreWhenSignedInMiddleware",
    "relief.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "relief.urls"
WSGI_APPLICATION = "relief.wsgi.application"
ASGI_APPLICATION = "relief.asgi.application"

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
                "relief.levels.unit_words",
            ],
            "builtins": ["relief.templatetags.relief_format"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the development server and a test's threads write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# A streaming replica for the leaders' dashboards and reports (relief/db_router.py); without it all reads go to
# the primary. In tests the alias mirrors the test database.
REPLICA_DATABASE = "replica" if os.environ.get("DATABASE_REPLICA_URL") else None
if REPLICA_DATABASE:
    DATABASES[REPLICA_DATABASE] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES[REPLICA_DATABASE]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["relief.db_router.ReplicaRouter"]
# DATABASE_URL names PgBouncer in transaction mode: each transaction may run on another server connection, so the
# app keeps no state in a session. No server-side cursors (an export's `.iterator()` would open one WITH HOLD and
# read it in later transactions) and no startup options (PgBouncer refuses them): random_page_cost and a UTC
# timezone are then set on the server (cluster/up.sh; README, "More than one server").
DATABASE_POOLED = env_bool("DATABASE_POOLED", default=False)
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLED
# How long a leader's page waits for the replica before reading from the primary, and how far behind the primary
# the replica may be (seconds) before the leaders' figures are read from the primary instead (relief/db_router.py).
REPLICA_CONNECT_TIMEOUT = int(os.environ.get("REPLICA_CONNECT_TIMEOUT", "2"))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
for alias, database in DATABASES.items():
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        if alias == REPLICA_DATABASE:
            options["connect_timeout"] = REPLICA_CONNECT_TIMEOUT
        if not (alias == "default" and DATABASE_POOLED):
            # The tables sit on SSD and mostly in memory. PostgreSQL's default cost of a random read (4.0) is a
            # spinning disk's: with it, the dashboard reads a million-row table whole instead of probing an index
            # 50,000 times.
            options["options"] = "-c random_page_cost=1.1"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: the leaders' chart drawings (leaders/charts.py). With several app servers it must be one cache they all
# share, Redis at REDIS_URL (`make redis` starts one for development and CI); unset, each process keeps its own in
# memory, which is all a single `make run` needs.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ansinh",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "relief.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many reverse proxies stand in front of the app servers and append to X-Forwarded-For (nginx with
# `proxy_add_x_forwarded_for`: 1). With 0 the header is ignored, since a client could write anything in it.
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or "0"
if not _proxies.isdigit():
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number, 0 or more.")
TRUSTED_PROXY_COUNT = int(_proxies)
AXES_CLIENT_IP_CALLABLE = "relief.proxies.client_address"

# The name an authenticator app shows beside the codes.
OTP_TOTP_ISSUER = "An Sinh"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The product speaks Vietnamese: source strings are Vietnamese, so a fresh clone shows Vietnamese with no
# compiled catalogue; locale/en holds the English translation.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Background jobs (long household imports). By default a job runs at once, in the request that starts it, so
# development, the demo and the tests need no other process; ANSINH_TASKS=database queues it in the database for
# `manage.py db_worker` processes on any host (production with several app servers).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
ANSINH_TASKS = os.environ.get("ANSINH_TASKS", "immediate").strip() or "immediate"
if ANSINH_TASKS not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"ANSINH_TASKS must be one of {', '.join(TASK_BACKENDS)}, not {ANSINH_TASKS!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[ANSINH_TASKS]}}

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Scratch directory of an upload being checked (a private directory under /tmp when unset). Household lists then
# wait in the database; a donation list waits here until confirmed (README, "Running in production").
ANSINH_IMPORT_DIR = os.environ.get("ANSINH_IMPORT_DIR", "")

# What an uploaded workbook may make a reader allocate (relief/upload_guard.py): a 100,000-row household list of
# eight columns is 800,000 cells of about 40 MB of XML, well inside each bound.
ANSINH_UPLOAD_MAX_UNZIPPED_BYTES = int(os.environ.get("ANSINH_UPLOAD_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024))
ANSINH_UPLOAD_MAX_PART_BYTES = int(os.environ.get("ANSINH_UPLOAD_MAX_PART_BYTES", 150 * 1024 * 1024))
ANSINH_UPLOAD_MAX_PARTS = int(os.environ.get("ANSINH_UPLOAD_MAX_PARTS", 1000))
ANSINH_UPLOAD_MAX_AREA = int(os.environ.get("ANSINH_UPLOAD_MAX_AREA", 5_000_000))  # rows times columns of a sheet
ANSINH_UPLOAD_MAX_CELLS = int(os.environ.get("ANSINH_UPLOAD_MAX_CELLS", 2_000_000))
ANSINH_UPLOAD_MAX_SHARED_STRINGS = int(os.environ.get("ANSINH_UPLOAD_MAX_SHARED_STRINGS", 2_000_000))
ANSINH_UPLOAD_MAX_STRING_CHARS = int(os.environ.get("ANSINH_UPLOAD_MAX_STRING_CHARS", 100_000_000))
ANSINH_UPLOAD_MAX_DEPTH = int(os.environ.get("ANSINH_UPLOAD_MAX_DEPTH", 64))

# A photo of a QR code (relief/qr_photo.py) is held in memory only: a phone's photo is 2 to 8 MB of 12 to 50
# million pixels; past these bounds it is refused before its pixels are decoded.
ANSINH_SCAN_MAX_PHOTO_BYTES = int(os.environ.get("ANSINH_SCAN_MAX_PHOTO_BYTES", 15 * 1024 * 1024))
ANSINH_SCAN_MAX_PHOTO_PIXELS = int(os.environ.get("ANSINH_SCAN_MAX_PHOTO_PIXELS", 50_000_000))

# Import files are read into memory a batch at a time; uploads past this go to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

X_FRAME_OPTIONS = "DENY"
# No inline script anywhere: behaviour comes from our static files and htmx attributes. Inline style attributes
# are still allowed (charts and progress bars set widths); scripts, frames, plugins and foreign origins are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Django's request and development-server loggers write URLs, which carry what people type into searches: their
# records pass through a filter that masks CCCD and phone numbers (relief/log_privacy.py). django.server is
# configured again in full because naming a logger here drops the handler Django's defaults gave it. The "django"
# logger is given no handler of its own: Django's default one (on in development) beside the root's printed every
# line twice.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_long_numbers": {"()": "relief.log_privacy.MaskLongNumbers"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "django.request": {"filters": ["mask_long_numbers"]},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["mask_long_numbers"],
            "level": "INFO",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
SIMPLE_HISTORY_REVERT_DISABLED = True
# import-export's own escaping only drops a leading "=" and turns numbers into text; every exported cell goes
# through relief.spreadsheets.safe_text instead (relief.resources), so an exported list runs no formula.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Export needs the view permission and import the add permission, so an officer cannot export the money tables.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
FORMAT_MODULE_PATH = ["relief.formats"]
# In development and tests the files come straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
