"""Compile one consolidated report: the body of the Celery task, retry-safe.

1. Claim the row with a conditional UPDATE (queued -> running, or running with a stale heartbeat: the worker
   that had it died). A report already done, failed or being made elsewhere is left alone.
2. Gather the numbers (constant number of queries) and prepare the HTML with a placeholder for the number.
3. In one transaction: take the document number, render the PDF, the XLSX and the DOCX (the editable draft),
   store them with their SHA-256 and mark the row done. A crash or a rollback returns the number and stores
   nothing, so a redelivered task starts clean: no second file, no skipped number.

Each step checks that the row is still ours (`started_at` is the claim token). The claim, the heartbeat, the
retries and the failure are the lifecycle of every generated document (qms_portal.generated).
"""

from contextlib import nullcontext

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import DocumentType
from agencies.numbering import document_number_next
from agencies.register import register_describe
from qms_portal import generated
from qms_portal.audit import audit_record
from qms_portal.files import stored_bytes_create
from qms_portal.generated import STALE_AFTER, NotOurs

from .models import RENDERING_PROGRESS, ConsolidatedReport, ReportStatus

__all__ = ["STALE_AFTER", "NotOurs", "claim", "report_generate", "run_claimed", "stale_reports_requeue"]

RENDER_SECONDS_BASE = 1.0
RENDER_SECONDS_PER_ROW = 0.0004


def _untimed(name: str):
    return nullcontext()


def claim(report_id: int, *, now=None):
    """Take the row for this worker; return the claim token (the start time) or None."""
    return ConsolidatedReport.job(report_id).claim(now=now)


def _progress(report_id: int, token, percent: int, **fields) -> None:
    ConsolidatedReport.job(report_id).beat(token, progress=percent, **fields)


def fail(report_id: int, token, message: str) -> None:
    ConsolidatedReport.job(report_id).fail(token, message)


def report_generate(*, report_id: int, task=None, stage=_untimed) -> str:
    """Compile the report; returns "done", "skipped" (nothing for this worker to do) or "failed".

    `stage(name)` is a context manager around each step (gather, html, pdf, xlsx, docx, store): the benchmark
    (bench.consolidated_reports) times them; production passes none.
    """
    token = claim(report_id)
    if token is None:
        return "skipped"
    return run_claimed(report_id, token, task=task, stage=stage)


def run_claimed(report_id: int, token, *, task=None, stage=_untimed) -> str:
    return generated.run(ConsolidatedReport.job(report_id), token, lambda t: _generate(report_id, t, stage),
                         task=task, failure_message=failure_message)


def _generate(report_id: int, token, stage) -> None:
    from .gathering import gather
    from .rendering import annex_render, docx_render, html_prepare, pdf_merge, pdf_render, prepare, workbook_render
    from .rendering.document import numbered_in_portal

    report = ConsolidatedReport.objects.select_related("province", "period", "issuer", "issuer__province",
                                                       "issuer__parent", "requested_by").get(pk=report_id)
    cutoff = timezone.now()
    with stage("gather"):
        data = gather(report, now=cutoff)
    _progress(report_id, token, 35)

    with stage("html"):
        issued_on = timezone.localdate()
        prepared = prepare(report, data, issued_on=issued_on)
        html = html_prepare(prepared)
    # What the rendering will take (the status shows an estimate meanwhile): measured on a 2-core machine,
    # under a second for the body and the spreadsheet, 0.2-0.4 ms for each annex row (docs/bench.md).
    annex_rows = len(prepared.context["rows"])  # every kind has its annex, a row per agency
    _progress(report_id, token, RENDERING_PROGRESS,
              summary={"render_seconds": round(RENDER_SECONDS_BASE + RENDER_SECONDS_PER_ROW * annex_rows, 1)})

    job = ConsolidatedReport.job(report_id)
    with transaction.atomic():
        # Lock our row, then take the number: both are released together if anything below fails.
        job.lock(token)
        if numbered_in_portal(report):
            number = str(document_number_next(issuer=report.issuer, doc_type=DocumentType.REPORT, issued_on=issued_on))
            printed_number = number
        else:  # numbered by hand from the issuing body's own register ("        /BC-UBND")
            number, printed_number = "", prepared.document.number
        with stage("pdf"):
            pdf = pdf_render(html, number=printed_number)
            pdf = pdf_merge(pdf, annex_render(prepared, number=printed_number))
        with stage("xlsx"):
            xlsx = workbook_render(data=data, number=number, title=prepared.document.summary,
                                   issuer=prepared.document.issuing_body_text, date_text=prepared.document.place_date,
                                   verification_code=report.verification_code)
        with stage("docx"):
            docx = docx_render(prepared, number=printed_number)  # the annex above MAX_ANNEX_ROWS points to the XLSX
        with stage("store"):
            actor = report.requested_by
            pdf_file = stored_bytes_create(content=pdf, name=f"{prepared.file_stem}.pdf", kind="pdf", actor=actor)
            xlsx_file = stored_bytes_create(content=xlsx, name=f"{prepared.file_stem}.xlsx", kind="xlsx",
                                            actor=actor)
            docx_file = stored_bytes_create(content=docx, name=f"{prepared.file_stem}.docx", kind="docx",
                                            actor=actor)
            if number:
                register_describe(issuer_id=report.issuer_id, number=number, issued_on=issued_on,
                                  document=prepared.document, stored=pdf_file)
            job.finish(token, progress=100, cutoff_at=cutoff, number=number, issued_on=issued_on, pdf=pdf_file,
                       xlsx=xlsx_file, docx=docx_file, summary=_summary(data))
            audit_record(action="issued", user=actor, object_type="reports.consolidatedreport", object_id=report_id,
                         summary=f"{number or report.verification_code} · sha256 {pdf_file.sha256[:16]}")


def _summary(data) -> dict:
    """The key figures kept on the row (the report list and the verification page show them)."""
    total = data.completeness_total
    return {
        "expected": total.expected, "received": total.received, "on_time": total.on_time, "late": total.late,
        "missing": total.missing, "agencies": len(data.rows),
        "indicators": {code: data.total.cell(code).met for code in data.total.cells},
        "population": data.total.total, "as_of": data.as_of.isoformat(),
    }


def failure_message(exc: BaseException) -> str:
    return _("The report could not be compiled: %(error)s") % {"error": generated.failure_text(exc)[:600]}


def stale_reports_requeue(*, now=None) -> list[int]:
    """Reports whose worker died (stale heartbeat) or whose message was lost (queued for long): enqueue again.
    The claim in the task makes a duplicate message harmless."""
    from .tasks import generate_report

    now = now or timezone.now()
    lost = ConsolidatedReport.objects.filter(status=ReportStatus.QUEUED, requested_at__lt=now - STALE_AFTER)
    ids = list((generated.stale(ConsolidatedReport, now=now) | lost).values_list("pk", flat=True))
    for report_id in ids:
        generate_report.delay(report_id)
    return ids
