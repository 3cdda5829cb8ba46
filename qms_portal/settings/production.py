"""Production: refuses to start without a real secret key, explicit allowed hosts and the portal's public address.

The address is needed by what serves people (the web process, the worker that prints QR codes and sends e-mail),
not by build steps such as collectstatic: it is checked where those start (qms_portal.public_address), not here.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of at least 50 characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the portal is served under.")
# Reports' verification QR codes and the links in e-mails point here: a wrong default would print them wrong.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="")
PORTAL_BASE_URL_REQUIRED = True
# Who gives people their roles and runs the agencies (the national and the provincial administrators) signs in with
# a second factor unless the deploy says otherwise: OTP_REQUIRED_ROLES lists the roles (adding inspector, for
# example), and an empty value requires it of no one.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=["administrator", "province_admin"])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": None}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
