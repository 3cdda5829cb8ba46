"""The printed consolidated report: header data (Decree 30/2020), the default narrative and the body context.

The printed text is Vietnamese legal wording whatever the user's language; the Sở edits the four narrative
sections before issuing (empty sections fall back to the defaults below).
"""

import base64
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from agencies.issuers import Issuer, issuer_of, ministry_issuer
from agencies.models import DocumentType
from qms_portal.links import portal_url
from qms_portal.people import person_name
from qms_portal.printing import OfficialDocument, short_date

from ..gathering import INDICATORS, ReportData
from ..indicators import AGENCY_INDICATORS
from ..indicators import INDICATORS as INDICATOR_WORDS
from ..kinds import kind_spec, period_phrase, province_words
from ..models import ConsolidatedReport
from . import vocabulary as vi

if TYPE_CHECKING:
    from ..kinds.columns import Annex

LEGAL_BASIS = ("Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ "
               "thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt động của các cơ quan, tổ "
               "chức thuộc hệ thống hành chính nhà nước")
CIRCULAR = ("Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và Công nghệ quy "
            "định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg")
NUMBER_PLACEHOLDER = "\u2063NUMBER\u2063"  # replaced by the real number inside the numbering transaction
MAX_NAMES_IN_BODY = 15


def report_issuer(report: ConsolidatedReport) -> Issuer:
    """Who issues the report as printed: the agency its kind chose when it was requested, or the Ministry."""
    if report.issuer is None:
        return ministry_issuer()
    return issuer_of(report.issuer)


def numbered_in_portal(report: ConsolidatedReport) -> bool:
    """The registers of the Sở, its inspecting unit and the People's Committee are kept here; the Ministry numbers
    its roll-up in its own register (it is not an agency of the portal): the number is left blank for it."""
    return report.issuer is not None and kind_spec(report.kind).numbered_in_portal


def _where(report: ConsolidatedReport, *, national: str) -> str:
    return province_words(report.province) if report.province_id else national


def summary_line(report: ConsolidatedReport) -> str:
    return kind_spec(report.kind).summary_line(report, where=_where(report, national="cả nước"),
                                               phrase=period_phrase(report))


def recipients(report: ConsolidatedReport, issuer: Issuer) -> list[str]:
    return kind_spec(report.kind).recipients(report, issuer_code=issuer.code)


def default_narrative(report: ConsolidatedReport) -> dict[str, str]:
    """Suggested wording of the four narrative sections, in the voice of the body that issues the kind of report
    (reports.kinds). Edited before issuing."""
    return kind_spec(report.kind).default_narrative(
        report, where=_where(report, national="các tỉnh, thành phố"), phrase=period_phrase(report))


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def qr_png(text: str, *, scale: int = 4) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=1)
    return buffer.getvalue()


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(text, scale=scale)).decode("ascii")


def verification_url(code: str) -> str:
    return portal_url(f"/verify/{code}/")


@dataclass
class Prepared:
    document: OfficialDocument
    body_template: str
    appendices_template: str | None  # the annex laid out by WeasyPrint: the one-piece reference layout
    context: dict
    file_stem: str
    annex: "Annex | None" = None  # the annex as drawn (reports.rendering.annexes)


def prepare(report: ConsolidatedReport, data: ReportData, *, number: str = NUMBER_PLACEHOLDER,
            issued_on=None) -> Prepared:
    """Everything the renderer needs; `number` is normally the placeholder, replaced when it is allocated (or the
    blank "        /BC-UBND" of a body whose register is not kept here)."""
    issuer = report_issuer(report)
    issued_on = issued_on or timezone.localdate()
    narrative = {**default_narrative(report), **{k: v for k, v in (report.narrative or {}).items() if v}}
    capacity = issuer.capacity_lines(narrative.get("signing_capacity") or None, allow_default=True)
    signer = narrative.get("signer_name") or _signer(report)
    if not numbered_in_portal(report):
        number = issuer.blank_number(DocumentType.REPORT)
    url = verification_url(report.verification_code)
    document = OfficialDocument(
        parent_body=issuer.parent_body, issuing_body=issuer.issuing_body, number=number, place=issuer.place,
        issued_on=issued_on, doc_type="Báo cáo", summary=summary_line(report),
        recipients=recipients(report, issuer), signing_capacity=capacity, signer_name=signer)
    context = body_context(report, data, narrative, issuer)
    # Printed in the bottom margin (QR and link on page 1, the code on every page) rather than under the
    # signature, where a nearly full last page would push it onto a page of its own.
    context["verification"] = {"code": report.verification_code, "url": url, "qr": qr_data_uri(url, scale=2),
                               "every_page": f"Mã xác thực: {report.verification_code}",
                               "first_page": f"Kiểm tra tính xác thực của văn bản tại {url}",
                               "first_page_label": "Kiểm tra tính xác thực của văn bản tại"}
    kind = kind_spec(report.kind)
    stem = f"bao-cao-{report.kind.replace('_', '-')}-{report.year}-v{report.version}-{report.pk}"
    return Prepared(document, kind.body_template, kind.annex_template, context, stem, kind.annex)


def _signer(report: ConsolidatedReport) -> str:
    """The requester (the department leader) signs the Sở's reports; the People's Committee and the Ministry sign
    their own, whose signer is named in the narrative form."""
    if not kind_spec(report.kind).signed_by_requester:
        return ""
    return person_name(report.requested_by) if report.requested_by else ""


def fraction(met: int, total: int, unit: str = "đơn vị") -> str:
    """"43/45 đơn vị, đạt 96%"."""
    from ..selectors import percent

    return f"{met}/{total} {unit}, đạt {percent(met, total)}%"


def body_context(report: ConsolidatedReport, data: ReportData, narrative: dict, issuer) -> dict:
    total = data.total
    mandatory = sum(1 for r in data.rows if r.expected and r.obligation == "mandatory")
    encouraged = sum(1 for r in data.rows if r.expected and r.obligation == "encouraged")
    figures = data.figures
    indicator_lines = [{"label": INDICATOR_WORDS[code].words, "text": figures.text(code)} for code in AGENCY_INDICATORS]
    rows = [{
        "row": r, "kind": vi.kind_text(r.kind), "obligation": vi.OBLIGATION.get(r.obligation, ""),
        "edition": vi.EDITION.get(r.edition, ""), "stage": vi.STAGE.get(r.stage, r.stage),
        "announcement": (f"{r.announcement_number}, {short_date(r.announcement_date)}"
                         if r.announcement_number and r.announcement_date else ""),
        "inspection": vi.FORM.get(r.inspection_form, "") + (f", {short_date(r.bbkt_date)}" if r.bbkt_date else ""),
        "report": vi.REPORT.get(r.report, "") if r.expected else "",
        "audit": vi.YES if r.internal_audit else "", "review": vi.YES if r.management_review else "",
        "legal": vi.LEGAL.get(r.legal, ""),
    } for r in data.rows]
    ct = data.completeness_total
    return {
        "report": report, "data": data, "issuer": issuer,
        "where": _where(report, national="cả nước"),
        "period_phrase": period_phrase(report), "legal_basis": LEGAL_BASIS, "circular": CIRCULAR,
        "issuer_title": issuer.name,
        "narrative": {key: paragraphs(narrative.get(key, "")) for key in ("direction", "results", "difficulties",
                                                                          "proposals")},
        "headings": [label for _, label in INDICATORS],
        "by_kind": [{"label": vi.kind_text(s.key), "total": s.total, "cells": s.ordered} for s in data.by_kind],
        "by_province": [{"label": s.label, "total": s.total, "cells": s.ordered} for s in data.by_province],
        "total": {"label": "Tổng cộng", "total": total.total, "cells": total.ordered},
        "mandatory": mandatory, "encouraged": encouraged, "indicator_lines": indicator_lines,
        "completeness": [{"label": vi.kind_text(c.kind), "c": c} for c in data.completeness],
        "completeness_total": ct,
        "received_text": fraction(ct.received, ct.expected), "on_time_text": fraction(ct.on_time, ct.expected),
        "missing_names": [r.name for r in data.missing][:MAX_NAMES_IN_BODY],
        "missing_more": max(len(data.missing) - MAX_NAMES_IN_BODY, 0),
        "late_count": len(data.late),
        "inspections": data.inspections, "findings_by_class": data.findings_by_class,
        "stages": [(vi.STAGE.get(code, code), count) for code, count in data.stages],
        "rows": rows, "as_of": short_date(data.as_of), "f": figures.values,
        "cutoff": timezone.localtime(data.cutoff_at).strftime("%H:%M ngày %d/%m/%Y"),
    }
