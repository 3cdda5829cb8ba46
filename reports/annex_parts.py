"""A large annex, rendered by several workers and merged.

WeasyPrint is single-threaded and most of a big report's time is the annex table. Above
`REPORTS_ANNEX_SPLIT_ROWS` rows (default 300) the annex is cut into `REPORTS_ANNEX_PARTS` slices (default 2):
the report's own task keeps the first slice with the body (it carries the number and the "Kèm theo" line)
and stores the others as `ReportPart` rows, each announced to the workers by a `reports.render_report_part`
task. Whoever claims a slice first renders it (a conditional UPDATE, like the report itself); the report's
task renders its body, then takes any slice nobody has started, waits for the ones in progress (taking over
a slice whose worker went silent), appends them in order and stamps their page numbers. With one worker the
same work is done one slice after the other; each added worker takes slices off it.
"""

import io
import logging
import math
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from qms_portal.printing import html_to_pdf

from .models import ReportPart, ReportStatus

logger = logging.getLogger(__name__)

PART_STALE_AFTER = timedelta(minutes=2)  # a slice takes seconds; a silent worker this long is gone
PART_WAIT = 240  # seconds the report's task waits for slices in progress elsewhere
ANNEX_TABLES = {"reports/pdf/provincial_annex.html": "reports/pdf/_provincial_annex_table.html",
                "reports/pdf/inspection_annex.html": "reports/pdf/_inspection_annex_table.html"}


def split_rows() -> int:
    return int(getattr(settings, "REPORTS_ANNEX_SPLIT_ROWS", 300))


def part_count() -> int:
    return max(int(getattr(settings, "REPORTS_ANNEX_PARTS", 2)), 1)


def chunks(rows: list, *, parts: int | None = None, threshold: int | None = None) -> list[list]:
    """The annex rows cut into slices of equal size, or one slice when the annex is small."""
    parts = part_count() if parts is None else parts
    threshold = split_rows() if threshold is None else threshold
    if parts <= 1 or len(rows) <= threshold:
        return [rows]
    size = math.ceil(len(rows) / parts)
    return [rows[i:i + size] for i in range(0, len(rows), size)]


def part_html(*, appendices_template: str, context: dict, rows: list) -> str:
    with translation.override("vi"):
        return render_to_string("reports/pdf/annex_part.html", {
            **context, "rows": rows, "annex_table": ANNEX_TABLES[appendices_template]})


def parts_create(*, report_id: int, attempt: int, htmls: list[str]) -> list[int]:
    """Store the slices of this attempt (dropping any left by an earlier one) and tell the workers."""
    from .tasks import render_report_part

    ReportPart.objects.filter(report_id=report_id).delete()
    parts = ReportPart.objects.bulk_create([ReportPart(report_id=report_id, attempt=attempt, index=index, html=html)
                                            for index, html in enumerate(htmls, start=1)])
    ids = [part.pk for part in parts] or list(ReportPart.objects.filter(report_id=report_id, attempt=attempt)
                                               .order_by("index").values_list("pk", flat=True))
    for part_id in ids:
        try:
            render_report_part.delay(part_id)
        except Exception:  # the broker is down: the report's own task renders the slice itself
            logger.warning("annex part %s not announced; rendered by the report's task", part_id, exc_info=True)
    return ids


def part_claim(part_id: int, *, now=None) -> bool:
    now = now or timezone.now()
    claimable = (Q(status__in=[ReportStatus.QUEUED, ReportStatus.FAILED])
                 | Q(status=ReportStatus.RUNNING, heartbeat_at__lt=now - PART_STALE_AFTER))
    return bool(ReportPart.objects.filter(claimable, pk=part_id).update(status=ReportStatus.RUNNING,
                                                                         heartbeat_at=now))


def part_render(part_id: int, *, worker: str = "") -> bool:
    """Render a claimed slice and keep its PDF; False if the slice is gone (a newer attempt replaced it)."""
    from pypdf import PdfReader

    html = ReportPart.objects.filter(pk=part_id).values_list("html", flat=True).first()
    if html is None:
        return False
    try:
        pdf = html_to_pdf(html)
    except Exception:
        ReportPart.objects.filter(pk=part_id, status=ReportStatus.RUNNING).update(status=ReportStatus.FAILED)
        raise
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return bool(ReportPart.objects.filter(pk=part_id, status=ReportStatus.RUNNING).update(
        status=ReportStatus.DONE, pdf=pdf, pages=pages, heartbeat_at=timezone.now(), rendered_by=worker[:100]))


def parts_collect(*, report_id: int, attempt: int, wait: float = PART_WAIT) -> list[bytes]:
    """The slices' PDFs in order, rendering here every slice that no live worker is rendering."""
    deadline = time.monotonic() + wait
    while True:
        states = list(ReportPart.objects.filter(report_id=report_id, attempt=attempt).order_by("index")
                      .values_list("pk", "status"))
        pending = [pk for pk, status in states if status != ReportStatus.DONE]
        if not pending:
            break
        taken = next((pk for pk in pending if part_claim(pk)), None)
        if taken is not None:
            part_render(taken, worker="report task")
            continue
        if time.monotonic() > deadline:
            raise RuntimeError(f"annex parts {pending} were not rendered within {wait:.0f} s")
        time.sleep(0.2)
    return [bytes(pdf) for pdf in ReportPart.objects.filter(report_id=report_id, attempt=attempt)
            .order_by("index").values_list("pdf", flat=True)]


def merge(main_pdf: bytes, part_pdfs: list[bytes]) -> bytes:
    """Append the slices to the document and number their pages after its own."""
    from pypdf import PdfReader, PdfWriter

    if not part_pdfs:
        return main_pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(main_pdf)))
    first = len(writer.pages)
    for pdf in part_pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    extra = len(writer.pages) - first
    with translation.override("vi"):
        html = render_to_string("reports/pdf/page_numbers.html", {"start": first + 1, "pages": range(extra)})
    numbers = PdfReader(io.BytesIO(html_to_pdf(html)))
    for offset, page in enumerate(numbers.pages):
        writer.pages[first + offset].merge_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
