from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")

    def ready(self):
        from . import imports, register_export  # noqa: F401  (registers the imports and the register's export)
