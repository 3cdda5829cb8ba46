"""Store validated uploads and serve stored files (the caller has already checked permission)."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import StoredFile
from .text import normalize_text
from .uploads import MIME_TYPES, sha256_of, validate_upload

DOCX_LABEL = gettext_lazy("Download the Word file (.docx)")


def stored_file_create(*, uploaded, actor, allowed: tuple[str, ...] = tuple(MIME_TYPES)) -> StoredFile:
    """Validate `uploaded` by content and size, then store it privately under a random name."""
    kind = validate_upload(uploaded, allowed=allowed)
    try:
        name = normalize_text((uploaded.name or "").replace("\\", "/").rsplit("/", 1)[-1])[:255] or f"file.{kind}"
    except ValidationError:
        raise ValidationError(_("The file's name contains control or invisible characters (such as text direction "
                                "marks); rename the file and upload it again."), code="file_name") from None
    stored = StoredFile(original_name=name, kind=kind, content_type=MIME_TYPES[kind], size=uploaded.size,
                        sha256=sha256_of(uploaded), uploaded_by=actor if getattr(actor, "pk", None) else None,
                        uploaded_at=timezone.now())
    stored.file.save(name, uploaded, save=False)
    stored.save()
    return stored


def stored_bytes_create(*, content: bytes, name: str, kind: str, actor=None) -> StoredFile:
    """Store a file the portal generated itself (a PDF or XLSX report)."""
    return stored_file_create(uploaded=ContentFile(content, name=name), actor=actor, allowed=(kind,))


def stored_file_response(stored: StoredFile) -> FileResponse:
    return _private(FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.safe_name,
                                 content_type=stored.content_type))


def generated_file_response(*, content: bytes, name: str, kind: str) -> FileResponse:
    """A file made for this request and not kept (the editable DOCX of a small document), served as a stored one."""
    return _private(FileResponse(io.BytesIO(content), as_attachment=True, filename=name,
                                 content_type=MIME_TYPES[kind]))


def _private(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
