"""Settings shared by every environment. Everything that varies comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where people reach the portal: verification links in the PDFs (QR codes) and links in e-mails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Province and national dashboard figures are shared by everyone with the same scope for this long (seconds).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=120)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "qms_portal",
    "agencies",
    "qms",
    "accounts",
    "audits",
    "reports",
    "devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qms_portal.middleware.VietnameseFirstLocaleMiddleware",
    "qms_portal.middleware.JsonBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qms_portal.middleware.PrivateResponsesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "qms_portal.middleware.ErrorPagesMiddleware",
]

ROOT_URLCONF = "qms_portal.urls"
WSGI_APPLICATION = "qms_portal.wsgi.application"

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
                "qms_portal.context_processors.portal",
                "agencies.context_processors.scope",
            ],
        },
    },
]

# --- Database: PostgreSQL (trigram search, generated columns, partial indexes), from DATABASE_URL -------------
# The default is the local server `make run` and `make test` use; `manage.py ensure_database` creates the database.
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/qms_portal")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Short OLTP queries: PostgreSQL's JIT spent ~1 s compiling the national compliance query that runs in 0.2 s.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The reason of a change is kept whole in the history: the forms accept up to 255 characters (a stage change,
# a deactivation), more than the 100 of django-simple-history's default column.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Redis: cache and Celery broker; without it a file cache and a file-system broker -------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "qms_portal.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The file-system transport has no broadcast: no remote control, gossip or mingle.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker writes a heartbeat into the cache this often; /healthz reads it.
WORKER_HEARTBEAT_SECONDS = 10
WORKER_HEARTBEAT_MAX_AGE = 45

# --- Auth: lockout after repeated failures (django-axes), a password policy, sessions that expire ---
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Roles that must use a second factor (TOTP), e.g. OTP_REQUIRED_ROLES=administrator,inspector
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = "QMS Portal"
# API tokens (django-rest-knox): hashed, expiring, revoked on password, active state or role change.
REST_KNOX = {"TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=8)), "AUTO_REFRESH": False,
             "TOKEN_LIMIT_PER_USER": 20}
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many reverse proxies of our own stand in front of the portal, each appending to X-Forwarded-For. 0: the
# header is ignored (anyone can write it). One rule (qms_portal.client_ip) for the lockout, throttles and audit log.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "qms_portal.client_ip.client_ip"
# --- Auth -------------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "qms_portal.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # hashes made before Argon2id: verified, then upgraded
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "agencies:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Language and time: Vietnamese first ---------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["qms_portal.formats"]

# --- Static and stored files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    # Stored files are private: no MEDIA_URL, every download goes through a permission-checked view.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": None}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_BYTES = env.int("FILE_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Folder of the root certificates (PEM or DER) trusted for digitally signed documents; the operator sets the
# Vietnamese government CA roots there. Empty: no root is trusted (see qms_portal.signing.trust).
SIGNATURE_TRUST_ROOTS_DIR = env("SIGNATURE_TRUST_ROOTS_DIR", default="")
# Imported tables (.xlsx/.csv, qms_portal.tables): what is read at most; a larger file is refused with a message.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=30)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=1000)
# Imports of more rows than this run in the worker with a progress bar (qms_portal.imports).
IMPORT_INLINE_MAX_ROWS = env.int("IMPORT_INLINE_MAX_ROWS", default=300)
# Exports of more rows than this are written by the worker, the person sent to a progress page
# (qms_portal.exports): 2,000 rows take about 0.4 s in the request, the nation's 20,000 about 4 s.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2000)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)

# --- E-mail ----------------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", default="filemail://" + str(VAR_DIR / "mail"))
EMAIL_CONFIG = env.email_url_config(EMAIL_URL)
if EMAIL_URL.startswith("filemail:///"):  # django-environ drops the leading "/" of an absolute folder
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = "/" + EMAIL_CONFIG["EMAIL_FILE_PATH"]
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="QMS Portal <no-reply@qms.invalid>")

# --- API ---------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers an anonymous call 401 with the first class's WWW-Authenticate challenge
    # (SessionAuthentication has none, which turned every 401 into a 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "qms_portal.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qms_portal.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # throttles identify clients by the rule of qms_portal.client_ip
}
SPECTACULAR_SETTINGS = {
    "TITLE": "QMS Portal API",
    "DESCRIPTION": "Quality management systems (TCVN ISO 9001) of Vietnamese state agencies.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "qms_portal.openapi.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "agencies.models.AgencyKind",
        "QmsDocumentKindEnum": "qms.models.DocumentKind",
        "AnnouncementKindEnum": "qms.models.AnnouncementKind",
        "SuccessionKindEnum": "agencies.models.SuccessionKind",
        "RoleEnum": "agencies.models.Role",
    },
}

# --- Content-Security-Policy: our own files only, no inline scripts ----------------------------------
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
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                "axes": {"level": "WARNING"},
                # pyHanko logs every untrusted or expired signature with a traceback; the check's verdict says it.
                "pyhanko": {"level": "ERROR"}, "pyhanko_certvalidator": {"level": "ERROR"}},
}
