"""Domain errors raised by services and turned into HTTP answers at the edge (qms_portal.api for the API,
qms_portal.middleware.ErrorPagesMiddleware and handler400 for the pages)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

# A unique constraint refused a write because another request saved the same thing first (the services check
# uniqueness before writing, so only a race between two requests reaches the database's constraint): often the
# same person's double click, so the message does not say it was someone else.
CONCURRENT_WRITE = _("Another request saved the same record at the same moment (by someone else, or a second "
                     "click). Reload the page: it may already be saved.")


class ConflictError(Exception):
    """The record changed since the caller read it, or someone else acted on it first (HTTP 409)."""


def save_checked(obj) -> None:
    """Save a model whose unique constraints were checked (full_clean) before: if a concurrent request saved the
    same value in between (most often the same person's second click), refuse as the check would have, with the
    constraint's own message on its field, rather than the 409 page of CONCURRENT_WRITE."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        obj.validate_constraints()  # the other request's row is committed now: this raises its message
        raise
