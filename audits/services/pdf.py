"""Official PDFs of plans, decisions and records: queued on commit, rendered by a Celery task, stored once.

The task claims the row with a conditional update (queued -> running), renders the revision it was asked
for, and stores the file only if the document has not changed meanwhile. A redelivered task (acks late, the
worker died) finds the row still "running" past the stale limit and takes it over; a finished one is skipped.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agencies.register import register_describe
from qms_portal.files import stored_bytes_create

from ..models import InspectionDecision, InspectionPlan, InspectionRecord, PdfStatus, RejectionLetter

logger = logging.getLogger(__name__)

KINDS = {"plan": InspectionPlan, "decision": InspectionDecision, "record": InspectionRecord,
         "letter": RejectionLetter}
STALE_AFTER = timedelta(minutes=10)


def kind_of(obj) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(obj, model))


def pdf_request(*, document, force: bool = False) -> str:
    """Queue the PDF of `document` unless it is ready or being made; return the state a client should see.

    A request queued or started longer than STALE_AFTER ago is taken as lost (broker flushed, worker killed)
    and queued again.
    """
    model = type(document)
    document.refresh_from_db(fields=["revision", "pdf_status", "pdf_revision", "pdf_file", "pdf_requested_at",
                                     "pdf_started_at"])
    if not force and document.pdf_ready:
        return PdfStatus.DONE
    stale_before = timezone.now() - STALE_AFTER
    in_flight = Q(pdf_status=PdfStatus.QUEUED, pdf_requested_at__gte=stale_before) | Q(
        pdf_status=PdfStatus.RUNNING, pdf_started_at__gte=stale_before)
    revision = document.revision
    rows = model.objects.filter(pk=document.pk, revision=revision)
    if not force:
        rows = rows.exclude(in_flight)
    claimed = rows.update(pdf_status=PdfStatus.QUEUED, pdf_requested_at=timezone.now())  # the last error stays
    if claimed:
        _enqueue(kind_of(document), document.pk, revision)
        return PdfStatus.QUEUED
    document.refresh_from_db(fields=["pdf_status"])
    return document.pdf_status


def pdf_changed(*, document) -> None:
    """Call after a service changed a printed document: bump the revision and queue a new PDF."""
    from .common import bump_revision

    bump_revision(document)
    type(document).objects.filter(pk=document.pk).update(pdf_status=PdfStatus.QUEUED,
                                                         pdf_requested_at=timezone.now())
    _enqueue(kind_of(document), document.pk, document.revision)


def _enqueue(kind: str, pk: int, revision: int) -> None:
    from ..tasks import render_pdf

    transaction.on_commit(lambda: render_pdf.delay(kind, pk, revision))


def pdf_render(*, kind: str, pk: int, revision: int) -> bool:
    """Render and store one PDF; False when there was nothing to do (stale, already done, claimed elsewhere)."""
    from ..documents import build, render_document

    return printable_render(model=KINDS[kind], pk=pk, revision=revision, render=render_document, label=kind,
                            register_line=lambda d: (d.issuer_id, d.number, build(d)[0]))


def printable_render(*, model, pk: int, revision: int, render, label: str, queryset=None,
                     register_line=None) -> bool:
    """The one rendering step of every `Printable` (plans, decisions, records, letters, agency reports): claim the
    row for this revision (retry-safe: done, stale or claimed elsewhere is skipped), render, store the PDF only if
    the revision is still the one claimed. `render(obj) -> (bytes, name)`; a render error is kept on the row.
    `register_line(obj) -> (issuer id, number, OfficialDocument)`: the stored PDF's line in the issuing body's
    register of outgoing documents takes its title, recipients, signer and file from the printed document."""
    now = timezone.now()
    claimable = Q(pdf_status=PdfStatus.QUEUED) | Q(pdf_status=PdfStatus.RUNNING, pdf_started_at__lt=now - STALE_AFTER)
    claimed = model.objects.filter(claimable, pk=pk, revision=revision).update(
        pdf_status=PdfStatus.RUNNING, pdf_started_at=now)
    if not claimed:
        logger.info("PDF %s %s r%s: nothing to do", label, pk, revision)
        return False
    document = (queryset if queryset is not None else model.objects).get(pk=pk)
    try:
        content, name = render(document)
    except Exception as exc:  # a bad template or data: visible on the document, not retried
        logger.exception("PDF %s %s r%s failed", label, pk, revision)
        model.objects.filter(pk=pk, revision=revision).update(pdf_status=PdfStatus.FAILED,
                                                              pdf_error=str(exc)[:500])
        return False
    with transaction.atomic():
        stored = stored_bytes_create(content=content, name=name, kind="pdf")
        saved = model.objects.filter(pk=pk, revision=revision).update(
            pdf_file=stored, pdf_revision=revision, pdf_status=PdfStatus.DONE, pdf_error="")
        if saved and register_line is not None:
            issuer_id, number, official = register_line(document)
            register_describe(issuer_id=issuer_id, number=number, issued_on=official.issued_on, document=official,
                              stored=stored)
    return bool(saved)
