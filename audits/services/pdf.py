"""Official PDFs of plans, decisions, records and letters: queued on commit, rendered by a Celery task, stored once.

The job of a PDF is its document's revision (qms_portal.generated): the task claims the row for the revision it
was asked for, renders it, and stores the file only if the document has not changed meanwhile. A redelivered
task finds the row done (skipped) or running with a stale heartbeat (the worker died: taken over).
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agencies.register import register_describe
from qms_portal.files import stored_bytes_create
from qms_portal.generated import STALE_AFTER, dispatch_on_commit, generate

from ..models import InspectionDecision, InspectionPlan, InspectionRecord, PdfStatus, RejectionLetter

logger = logging.getLogger(__name__)

KINDS = {"plan": InspectionPlan, "decision": InspectionDecision, "record": InspectionRecord,
         "letter": RejectionLetter}


def kind_of(obj) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(obj, model))


def pdf_request(*, document, force: bool = False) -> str:
    """Queue the PDF of `document` unless it is ready or being made; return the state a client should see.

    A request queued longer than STALE_AFTER ago, or running with a heartbeat that old, is taken as lost (broker
    flushed, worker killed) and queued again.
    """
    model = type(document)
    document.refresh_from_db(fields=["revision", "pdf_status", "pdf_revision", "pdf_file", "pdf_requested_at",
                                     "pdf_heartbeat_at"])
    if not force and document.pdf_ready:
        return PdfStatus.DONE
    stale_before = timezone.now() - STALE_AFTER
    in_flight = Q(pdf_status=PdfStatus.QUEUED, pdf_requested_at__gte=stale_before) | Q(
        pdf_status=PdfStatus.RUNNING, pdf_heartbeat_at__gte=stale_before)
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

    dispatch_on_commit(render_pdf, kind, pk, revision)


def pdf_render(*, kind: str, pk: int, revision: int, task=None) -> bool:
    """Render and store one PDF; False when there was nothing to do (stale, already done, claimed elsewhere) or
    it failed (the error is on the row)."""
    from ..documents import build, render_document

    return printable_render(model=KINDS[kind], pk=pk, revision=revision, render=render_document, task=task,
                            register_line=lambda d: (d.issuer_id, d.number, build(d)[0]))


def printable_render(*, model, pk: int, revision: int, render, task=None, queryset=None,
                     register_line=None) -> bool:
    """The one rendering step of every `Printable` (plans, decisions, records, letters, agency reports), run by
    `qms_portal.generated.generate` (claim, retries of transient errors, failure kept on the row).
    `render(obj) -> (bytes, name)`. `register_line(obj) -> (issuer id, number, OfficialDocument)`: the stored
    PDF's line in the issuing body's register of outgoing documents takes its title, recipients, signer and file
    from the printed document."""
    job = model.job(pk, revision=revision)

    def produce(token) -> None:
        document = (queryset if queryset is not None else model.objects).get(pk=pk)
        content, name = render(document)
        with transaction.atomic():
            job.lock(token)
            stored = stored_bytes_create(content=content, name=name, kind="pdf")
            job.finish(token, pdf_file=stored, pdf_revision=revision)
            if register_line is not None:
                issuer_id, number, official = register_line(document)
                register_describe(issuer_id=issuer_id, number=number, issued_on=official.issued_on,
                                  document=official, stored=stored)

    return generate(job, produce, task=task) == "done"
