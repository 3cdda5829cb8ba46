"""Domain errors raised by services and turned into HTTP answers at the edge (qms_portal.api for the API,
qms_portal.middleware.ErrorPagesMiddleware and handler400 for the pages)."""

from django.utils.translation import gettext_lazy as _

# A unique constraint refused a write because another request saved the same thing first (the services check
# uniqueness before writing, so only a race between two requests reaches the database's constraint): often the
# same person's double click, so the message does not say it was someone else.
CONCURRENT_WRITE = _("Another request saved the same record at the same moment (by someone else, or a second "
                     "click). Reload the page: it may already be saved.")


class ConflictError(Exception):
    """The record changed since the caller read it, or someone else acted on it first (HTTP 409)."""
