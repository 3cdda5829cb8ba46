from django.apps import AppConfig


class QmsPortalConfig(AppConfig):
    name = "qms_portal"
    verbose_name = "QMS Portal"
