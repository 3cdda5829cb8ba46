"""Every document of the province whose names are longest (Thành phố Hồ Chí Minh) keeps each body name, place
name and title on its printed lines (issue 14): the header lines are those of agencies.issuers, the signature
titles are whole lines, and the date line breaks, if at all, only after the place."""

from datetime import date

import pytest
from django.utils import timezone

from agencies.issuers import issuer_of
from agencies.models import Agency
from audits import services as audit_services
from audits.documents import render_document
from audits.models import RejectionLetter
from reports import services as report_services
from reports.agency_printing import render as render_agency_report
from reports.generation import report_generate
from reports.models import AgencyReport, ConsolidatedReport, ReportingPeriod
from tests.audits.conftest import build_world

from .test_proof import RIGHT_COLUMN, first_page_lines, has_run, lines_of, pdf_text

pytestmark = pytest.mark.django_db

PLACE = "Thành phố Hồ Chí Minh"


@pytest.fixture
def long_world(cast, django_capture_on_commit_callbacks):
    province = cast.provinces["ag"]
    province.name, province.division_type, province.code = PLACE, "thành phố trung ương", 79
    province.save()
    Agency.objects.filter(pk=cast.agencies["ag_ubnd"].pk).update(name=f"Ủy ban nhân dân {PLACE}")
    Agency.objects.filter(pk=cast.agencies["ag_stp"].pk).update(name="Sở Văn hóa, Thể thao và Du lịch")
    world = build_world(cast, responded=True)
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.finding_reject(actor=cast.users["ag_inspector"], finding=world.findings["ag_stp"],
                                      reason="Chưa gửi kèm hồ sơ minh chứng.", today=date(2026, 4, 20))
    return world


def check_names(content: bytes, issuer, capacity: tuple[str, ...]) -> list[str]:
    text = pdf_text(content)
    head, lines = first_page_lines(text), lines_of(text)
    left = [line for line in head if line not in RIGHT_COLUMN]
    assert has_run(left, [*issuer.parent_lines, *issuer.body_lines]), (issuer.body_lines, head[:12])
    # the place is never split: the whole date line, or the place with its comma, then the date
    assert any(line.startswith(f"{PLACE}, ngày ") for line in head) or f"{PLACE}," in head, head[:14]
    assert has_run(lines, list(capacity)), (capacity, lines[-20:])
    for line in (line for line in lines if line.isupper()):  # headers, titles: never cut inside a name
        assert not line.endswith(("CHI CỤC TIÊU CHUẨN ĐO", "ỦY BAN NHÂN", "THÀNH PHỐ HỒ", "KT. CHI CỤC",
                                  "PHÓ CHI CỤC", "TM. ỦY BAN", "SỞ VĂN HÓA, THỂ THAO VÀ")), line
    return lines


def test_every_document_of_the_province_with_the_longest_names_keeps_names_whole(cast, long_world):
    world = long_world
    unit = issuer_of(cast.agencies["ag_cctdc"])
    assert unit.parent_lines == ("SỞ KHOA HỌC VÀ CÔNG NGHỆ",)
    inspection = world.inspections["ag_stp"]
    for document in (world.plans["ag"], inspection.decision, inspection.record, RejectionLetter.objects.get()):
        content, _ = render_document(document)
        capacity = ("TRƯỞNG ĐOÀN KIỂM TRA",) if document is inspection.record else ("CHI CỤC TRƯỞNG",)
        check_names(content, unit, capacity)

    today = timezone.localdate()
    period = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=2026, kind="annual",
                                            window_start=date(2025, 12, 15), window_end=date(2026, 12, 14),
                                            deadline=date(2026, 12, 20))
    committee = issuer_of(cast.agencies["ag_ubnd"])
    assert committee.body_lines == ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH")
    so = issuer_of(cast.agencies["ag_skhcn"])
    assert so.parent_lines == ("UBND THÀNH PHỐ HỒ CHÍ MINH",)
    for kind, issuer, capacity in (("provincial", so, ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
                                   ("ministry", committee, ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
                                   ("inspection_summary", unit, ("KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG"))):
        report, _ = report_services.consolidated_report_request(actor=None, kind=kind, period=period,
                                                                scheduled=True, today=today)
        assert report_generate(report_id=report.pk) == "done"
        report = ConsolidatedReport.objects.select_related("pdf").get(pk=report.pk)
        with report.pdf.file.open("rb") as handle:
            lines = check_names(handle.read(), issuer, capacity)
        assert "UBND THÀNH PHỐ THÀNH PHỐ" not in " ".join(lines) and "thành phố Thành phố" not in " ".join(lines)

    agency = cast.agencies["ag_stp"]
    agency.refresh_from_db()
    report = AgencyReport.objects.create(period=period, agency=agency, difficulties="Không", proposals="Không",
                                         number="01/BC-STP", issued_on=today, status="submitted",
                                         first_submitted_at=timezone.now())
    content, _ = render_agency_report(report)
    printed = issuer_of(agency)
    assert printed.body_lines == ("SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH")
    check_names(content, printed, ("GIÁM ĐỐC",))
