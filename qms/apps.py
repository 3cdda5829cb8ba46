from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QmsConfig(AppConfig):
    """The agency's QMS file: record, stages, announcements, procedures, documents, audits, reviews, legal
    updates, and the compliance rules."""

    name = "qms"
    verbose_name = _("QMS file")

    def ready(self) -> None:
        from . import (  # noqa: F401  (registers the imports and the export; connects signals)
            compliance_export,
            procedure_import,
            receivers,
            state_import,  # noqa: F401  (registers the import of QMS states)
        )
        from .legal import importer  # noqa: F401  (registers the import of legal changes)
