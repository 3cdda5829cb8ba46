from django.apps import AppConfig


class QmsPortalConfig(AppConfig):
    name = "qms_portal"
    verbose_name = "QMS Portal"

    def ready(self):
        from . import audit, public_address  # noqa: F401  (audit-log receivers; the address system check)
