from django.apps import AppConfig


class QmsPortalConfig(AppConfig):
    name = "qms_portal"
    verbose_name = "QMS Portal"

    def ready(self):
        from . import audit  # noqa: F401  (connects the audit-log receivers)
