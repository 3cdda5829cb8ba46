"""Compile one consolidated report: the body of the Celery task, retry-safe.

1. Claim the row with a conditional UPDATE (queued -> running, or running with a stale heartbeat: the worker
   that had it died). A report already done, failed or being made elsewhere is left alone.
2. Gather the numbers (constant number of queries) and prepare the HTML with a placeholder for the number.
3. In one transaction: take the document number, render the PDF, the XLSX and the DOCX (the editable draft),
   store them with their SHA-256 and mark the row done. A crash or a rollback returns the number and stores
   nothing, so a redelivered task starts clean: no second file, no skipped number.

Each step checks that the row is still ours (`started_at` is the claim token).
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import DocumentType
from agencies.numbering import document_number_next
from agencies.register import register_describe
from qms_portal.audit import audit_record
from qms_portal.files import stored_bytes_create

from .models import RENDERING_PROGRESS, ConsolidatedReport, ReportStatus

logger = logging.getLogger(__name__)

# A running report whose heartbeat is older than this lost its worker; the soft time limit of the task is
# shorter, so a live worker always finishes (or fails) first.
STALE_AFTER = timedelta(minutes=5)
RENDER_SECONDS_BASE = 1.0
RENDER_SECONDS_PER_ROW = 0.0004


class NotOurs(Exception):
    """The row was taken over or changed by someone else: stop quietly."""


@dataclass
class Timings:
    gather: float = 0.0
    html: float = 0.0
    pdf: float = 0.0
    xlsx: float = 0.0
    docx: float = 0.0
    store: float = 0.0
    queries: int = 0
    count_queries: bool = False
    cpu: dict = field(default_factory=dict)  # CPU seconds of this process per stage (unaffected by other load)
    extra: dict = field(default_factory=dict)


def claim(report_id: int, *, now=None):
    """Take the row for this worker; return the claim token (the start time) or None."""
    now = now or timezone.now()
    claimable = Q(status=ReportStatus.QUEUED) | Q(status=ReportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    claimed = ConsolidatedReport.objects.filter(claimable, pk=report_id).update(
        status=ReportStatus.RUNNING, started_at=now, heartbeat_at=now, progress=5, error="",
        attempts=F("attempts") + 1)
    return now if claimed else None


def _progress(report_id: int, token, percent: int, **fields) -> None:
    updated = ConsolidatedReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING, started_at=token).update(
        progress=percent, heartbeat_at=timezone.now(), **fields)
    if not updated:
        raise NotOurs


def release(report_id: int, token) -> None:
    """Give the row back to the queue (before a retry after a transient error)."""
    ConsolidatedReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING, started_at=token).update(
        status=ReportStatus.QUEUED, progress=0)


def fail(report_id: int, token, message: str) -> None:
    query = ConsolidatedReport.objects.filter(pk=report_id, status__in=[ReportStatus.RUNNING, ReportStatus.QUEUED])
    if token is not None:
        query = query.filter(started_at=token)
    query.update(status=ReportStatus.FAILED, error=message[:1000], finished_at=timezone.now())


def report_generate(*, report_id: int, timings: Timings | None = None) -> str:
    """Compile the report; returns "done", or "skipped" when there was nothing for this worker to do.

    Transient database errors propagate (the task retries them after releasing the row); anything else marks
    the report failed with a message the requester sees.
    """
    token = claim(report_id)
    if token is None:
        logger.info("consolidated report %s: nothing to do", report_id)
        return "skipped"
    return run_claimed(report_id, token, timings=timings)


def run_claimed(report_id: int, token, *, timings: Timings | None = None) -> str:
    try:
        _generate(report_id, token, timings or Timings())
    except NotOurs:
        logger.warning("consolidated report %s was taken over by another worker", report_id)
        return "skipped"
    return "done"


def _generate(report_id: int, token, timings: Timings) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .gathering import gather
    from .rendering import annex_render, docx_render, html_prepare, pdf_merge, pdf_render, prepare, workbook_render
    from .rendering.document import numbered_in_portal

    report = ConsolidatedReport.objects.select_related("province", "period", "issuer", "issuer__province",
                                                       "issuer__parent", "requested_by").get(pk=report_id)
    started, cpu = time.perf_counter(), time.process_time()
    cutoff = timezone.now()
    if timings.count_queries:
        with CaptureQueriesContext(connection) as queries:
            data = gather(report, now=cutoff)
        timings.queries = len(queries)
    else:
        data = gather(report, now=cutoff)
    timings.gather, timings.cpu["gather"] = time.perf_counter() - started, time.process_time() - cpu
    _progress(report_id, token, 35)

    started, cpu = time.perf_counter(), time.process_time()
    issued_on = timezone.localdate()
    prepared = prepare(report, data, issued_on=issued_on)
    html = html_prepare(prepared)
    timings.html, timings.cpu["html"] = time.perf_counter() - started, time.process_time() - cpu
    # What the rendering will take (the status shows an estimate meanwhile): measured on a 2-core machine,
    # under a second for the body and the spreadsheet, 0.2-0.4 ms for each annex row (docs/bench.md).
    pdf_rows = len(prepared.context["rows"]) if prepared.appendices_template else 0
    _progress(report_id, token, RENDERING_PROGRESS,
              summary={"render_seconds": round(RENDER_SECONDS_BASE + RENDER_SECONDS_PER_ROW * pdf_rows, 1)})

    with transaction.atomic():
        # Lock our row, then take the number: both are released together if anything below fails.
        row = ConsolidatedReport.objects.select_for_update().filter(
            pk=report_id, status=ReportStatus.RUNNING, started_at=token).first()
        if row is None:
            raise NotOurs
        if numbered_in_portal(report):
            number = str(document_number_next(issuer=report.issuer, doc_type=DocumentType.REPORT, issued_on=issued_on))
            printed_number = number
        else:  # numbered by hand from the issuing body's own register ("        /BC-UBND")
            number, printed_number = "", prepared.document.number
        started, cpu = time.perf_counter(), time.process_time()
        pdf = pdf_render(html, number=printed_number)
        pdf = pdf_merge(pdf, annex_render(prepared, number=printed_number))
        timings.pdf, timings.cpu["pdf"] = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        xlsx = workbook_render(data=data, number=number, title=prepared.document.summary,
                               issuer=prepared.document.issuing_body_text, date_text=prepared.document.place_date,
                               verification_code=report.verification_code)
        timings.xlsx, timings.cpu["xlsx"] = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        docx = docx_render(prepared, number=printed_number)  # the annex above MAX_ANNEX_ROWS points to the XLSX
        timings.docx, timings.cpu["docx"] = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        actor = report.requested_by
        pdf_file = stored_bytes_create(content=pdf, name=f"{prepared.file_stem}.pdf", kind="pdf", actor=actor)
        xlsx_file = stored_bytes_create(content=xlsx, name=f"{prepared.file_stem}.xlsx", kind="xlsx", actor=actor)
        docx_file = stored_bytes_create(content=docx, name=f"{prepared.file_stem}.docx", kind="docx", actor=actor)
        if number:
            register_describe(issuer_id=report.issuer_id, number=number, issued_on=issued_on,
                              document=prepared.document, stored=pdf_file)
        summary = {
            "expected": data.completeness_total.expected, "received": data.completeness_total.received,
            "on_time": data.completeness_total.on_time, "late": data.completeness_total.late,
            "missing": data.completeness_total.missing, "agencies": len(data.rows),
            "indicators": {code: data.total.cell(code).met for code in data.total.cells},
            "population": data.total.total, "as_of": data.as_of.isoformat(),
        }
        ConsolidatedReport.objects.filter(pk=report_id).update(
            status=ReportStatus.DONE, progress=100, finished_at=timezone.now(), heartbeat_at=timezone.now(),
            cutoff_at=cutoff, number=number, issued_on=issued_on, pdf=pdf_file, xlsx=xlsx_file, docx=docx_file,
            summary=summary, error="")
        audit_record(action="issued", user=actor, object_type="reports.consolidatedreport", object_id=report_id,
                     summary=f"{number or report.verification_code} · sha256 {pdf_file.sha256[:16]}")
        timings.store = time.perf_counter() - started


def failure_message(exc: BaseException) -> str:
    return _("The report could not be compiled: %(error)s") % {"error": str(exc)[:600] or type(exc).__name__}


def stale_reports_requeue(*, now=None) -> list[int]:
    """Reports whose worker died (stale heartbeat) or whose message was lost (queued for long): enqueue again.
    The claim in the task makes a duplicate message harmless."""
    from .tasks import generate_report

    now = now or timezone.now()
    stale = ConsolidatedReport.objects.filter(
        Q(status=ReportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        | Q(status=ReportStatus.QUEUED, requested_at__lt=now - STALE_AFTER)).values_list("pk", flat=True)
    ids = list(stale)
    for report_id in ids:
        generate_report.delay(report_id)
    return ids
