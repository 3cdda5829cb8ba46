import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms_portal.settings.local")
application = get_wsgi_application()

from qms_portal.public_address import require_portal_base_url  # noqa: E402  (needs the settings loaded)

require_portal_base_url()  # the web process serves links and QR codes: refuse to start without the address

from qms_portal.gc_freeze import freeze_loaded_objects  # noqa: E402

freeze_loaded_objects()  # what each gunicorn worker loaded stays out of its garbage collections
