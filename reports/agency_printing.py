"""The agency's submitted 6-month or annual report as an official document issued by the agency (issue 14):
numbered in the agency's register when it is submitted, printed by the worker in the Decree 30 layout, stored once
per revision, downloadable by the agency and the Sở.

The task claims the row (queued -> running) for the revision it was asked for and stores the file only if the
report has not changed meanwhile, like the inspection documents (audits.services.pdf).
"""

from datetime import date

from django.db.models import F
from django.utils import timezone

from agencies.divisions import committee_short
from agencies.issuers import SigningForm, issuer_of
from agencies.models import DocumentType
from agencies.numbering import document_number_next
from audits.documents import agency_as_of
from audits.services.pdf import printable_render
from qms_portal.generated import PdfStatus, dispatch_on_commit
from qms_portal.printing import OfficialDocument, render_official_docx, render_official_pdf, short_date

from .models import AgencyReport, BudgetLine, PeriodKind


def agency_report_issue(*, report: AgencyReport, issued_on: date) -> None:
    """Inside the submitting transaction: take the agency's next report number and queue the PDF."""
    report.number = str(document_number_next(issuer=report.agency, doc_type=DocumentType.REPORT,
                                             issued_on=issued_on))
    report.issued_on = issued_on
    AgencyReport.objects.filter(pk=report.pk).update(
        number=report.number, issued_on=issued_on, revision=F("revision") + 1, pdf_status=PdfStatus.QUEUED,
        pdf_requested_at=timezone.now(), pdf_error="")
    report.refresh_from_db(fields=["revision", "pdf_status", "pdf_requested_at"])
    from .tasks import render_agency_report

    dispatch_on_commit(render_agency_report, report.pk, report.revision)


def period_words(report: AgencyReport) -> str:
    period = report.period
    if period.kind == PeriodKind.SIX_MONTH:
        return f"6 tháng đầu năm {period.year}"
    if period.kind == PeriodKind.AD_HOC:
        return period.title
    return f"năm {period.year}"


def _date(value: str | None) -> str:
    return short_date(date.fromisoformat(value)) if value else ""


def build(report: AgencyReport):
    issue = report.issue  # the number and date the page and the API give: none printed over a draft
    # an issued report names the agency as it was when it issued it, as its PDF printed then: the Word file is made
    # on each download, after a rename too
    agency = agency_as_of(report.agency, report.submitted_at if issue else None)
    issuer = issuer_of(agency)
    facts = report.data or {}
    summary = (f"Kết quả áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
               f"TCVN ISO 9001 {period_words(report)}")
    document = OfficialDocument(
        parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
        number=issue.number if issue else issuer.blank_number(DocumentType.REPORT), place=issuer.place,
        issued_on=issue.issued_on if issue else timezone.localdate(), doc_type="Báo cáo", summary=summary,
        recipients=["Sở Khoa học và Công nghệ (để tổng hợp)", f"Lưu: VT, {issuer.code}"],
        signing_capacity=issuer.capacity_lines(SigningForm.HEAD if SigningForm.HEAD in issuer.forms
                                               else SigningForm.COLLECTIVE),
        signer_name=issue.signer_name if issue else "")
    qms = facts.get("qms") or {}
    context = {
        "report": report, "agency": agency, "facts": facts, "qms": qms, "period": period_words(report),
        "committee": committee_short(agency.province),
        "window": f"{_date(facts.get('window', {}).get('start'))} - {_date(facts.get('window', {}).get('end'))}",
        "steering_date": _date(qms.get("steering_decision_date")),
        "effective_date": _date(qms.get("effectiveness_confirmed_on")),
        "announcements": [{**a, "date": _date(a.get("date"))} for a in facts.get("announcements") or []],
        "audits": [{**a, "date": _date(a.get("date"))} for a in facts.get("internal_audits") or []],
        "reviews": [{**r, "date": _date(r.get("date"))} for r in facts.get("management_reviews") or []],
        "funding": [(line.label, f"{int(report.funding.get(line.value) or 0):,}".replace(",", "."))
                    for line in BudgetLine if report.funding.get(line.value)],
        "paragraphs": {key: [p.strip() for p in (getattr(report, key) or "").splitlines() if p.strip()]
                       for key in ("difficulties", "proposals", "other_notes")},
    }
    name = f"bao-cao-{report.agency.short_code.lower()}-{report.period.year}-{report.pk}.pdf"
    return document, "reports/pdf/agency_report_body.html", context, name


def _render(report: AgencyReport, renderer) -> tuple[bytes, str]:
    from django.utils import translation

    document, body, context, name = build(report)
    with translation.override("vi"):  # budget line labels are printed in Vietnamese
        context["funding"] = [(str(label), amount) for label, amount in context["funding"]]
        return renderer(document=document, body_template=body, context=context), name


def render(report: AgencyReport) -> tuple[bytes, str]:
    """The PDF (by the worker); returns (bytes, file name)."""
    return _render(report, render_official_pdf)


def render_docx(report: AgencyReport) -> tuple[bytes, str]:
    """The editable DOCX, with the PDF's content: one report's facts, made in the request (fast and bounded)."""
    content, name = _render(report, render_official_docx)
    return content, f"{name[:-4]}.docx"


def pdf_status(report: AgencyReport) -> dict:
    """The issued report's PDF as its page and the API tell a reader who asks for it (made by the worker when the
    report is submitted): ready, queued, running or failed, with the error of a failed render."""
    state = report.pdf_state
    return {"status": state, "progress": report.pdf_progress, "status_label": str(PdfStatus(state).label),
            "error": report.pdf_error if state == PdfStatus.FAILED else ""}


def agency_report_pdf_render(*, pk: int, revision: int, task=None) -> bool:
    """Render and store the PDF of one submitted report; False when there was nothing to do."""
    return printable_render(model=AgencyReport, pk=pk, revision=revision, render=render, task=task,
                            queryset=AgencyReport.objects.select_related(
                                "agency", "agency__province", "agency__parent", "period", "submitted_by"),
                            register_line=lambda r: (r.agency_id, r.number, build(r)[0]))
