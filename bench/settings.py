"""Settings for `make bench`: the production-like base (DEBUG off, real password hasher, PostgreSQL, Redis),
plus a header with the number of SQL queries of each response and a bare view as the anchor.

Only the benchmark uses this module; nothing here is reachable from the portal's own settings.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qms_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")

from qms_portal.settings.base import *  # noqa: E402, F403
from qms_portal.settings.base import BASE_DIR, LOGGING, MIDDLEWARE, env  # noqa: E402

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="bench-" + "x" * 60)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
# First, so that it counts the queries of every other middleware (sessions, auth, OTP, axes) too.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "bench-media"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The rush logs 200 users in from one address: keep the lockout (it only counts failures), but make sure
# nobody is locked out by an earlier run.
AXES_FAILURE_LIMIT = 1000
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
