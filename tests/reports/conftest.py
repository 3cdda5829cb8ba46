"""Fixtures of the reports tests: both provinces configured, one open annual period each, QMS files."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import AgencyObligation, ObligationLevel, ProvinceSettings
from qms.models import Announcement, Edition, InternalAudit, ManagementReview, Procedure, QmsRecord, Stage
from reports.models import PeriodKind, ReportingPeriod


@pytest.fixture
def api(api):
    """The shared API client, asking for English so that the tests can read the messages (the catalogue is
    Vietnamese-first and may change wording)."""
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def reporting(cast, today):
    """ProvinceSettings for both provinces and an open annual period (deadline in 10 days) in each."""
    year = today.year
    for _key, agency in cast.agencies.items():
        AgencyObligation.objects.get_or_create(agency=agency, year=year,
                                               defaults={"level": ObligationLevel.MANDATORY})
    periods = {}
    for prefix in ("ag", "cb"):
        province = cast.provinces[prefix]
        ProvinceSettings.objects.update_or_create(province=province, defaults={
            "lead_agency": cast.agencies[f"{prefix}_skhcn"], "inspecting_agency": cast.agencies[f"{prefix}_skhcn"]})
        periods[prefix] = ReportingPeriod.objects.create(
            province=province, year=year, kind=PeriodKind.ANNUAL, window_start=date(year, 1, 1) - timedelta(days=17),
            window_end=today + timedelta(days=5), deadline=today + timedelta(days=10))
    return periods


def give_qms(agency, *, today, stage=Stage.MAINTAINING, covered=3, total=3, audit=True):
    qms = QmsRecord.objects.create(agency=agency, stage=stage, edition=Edition.ISO_2015,
                                   effectiveness_confirmed_on=today - timedelta(days=300))
    Announcement.objects.create(qms=qms, kind="first", decision_number=f"12/QĐ-{agency.short_code}",
                                decision_date=today - timedelta(days=290), signer="Giám đốc",
                                edition=Edition.ISO_2015, scope="Toàn bộ TTHC")
    for n in range(total):
        Procedure.objects.create(agency=agency, code=f"{agency.pk}.{n}", name=f"Thủ tục {n}", covered=n < covered)
    if audit:
        held = max(date(today.year, 1, 2), today - timedelta(days=20))
        InternalAudit.objects.create(qms=qms, held_on=held, auditors="Tổ ĐGNB", nonconformities=2)
        ManagementReview.objects.create(qms=qms, held_on=held, chair="Giám đốc")
    return qms


@pytest.fixture
def qms_files(cast, today):
    """An Giang: STP and SKHCN maintain a QMS (STP with 2 of 3 procedures covered); SNV and UBND have none."""
    give_qms(cast.agencies["ag_stp"], today=today, covered=2, total=3)
    give_qms(cast.agencies["ag_skhcn"], today=today)
    give_qms(cast.agencies["cb_stp"], today=today)


def tiny_xlsx() -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["test"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tiny_docx() -> bytes:
    import io

    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def done_report(*, period=None, kind="provincial", year=None, number="01/BC-SKHCN", code=None):
    """A finished consolidated report with small stored files, without running WeasyPrint."""
    from qms_portal.files import stored_bytes_create
    from reports.models import ConsolidatedReport
    from reports.services import scope_key_of, verification_code_new

    year = year or period.year
    pdf = stored_bytes_create(content=b"%PDF-1.4\n% test\n", name="r.pdf", kind="pdf")
    xlsx = stored_bytes_create(content=tiny_xlsx(), name="r.xlsx", kind="xlsx")
    docx = stored_bytes_create(content=tiny_docx(), name="r.docx", kind="docx")
    return ConsolidatedReport.objects.create(
        kind=kind, province=period.province if period else None, period=period, year=year, period_kind="annual",
        scope_key=scope_key_of(kind=kind, period=period, year=year, period_kind="annual"), status="done",
        progress=100, number=number, issued_on=timezone.localdate(), pdf=pdf, xlsx=xlsx, docx=docx,
        issuer_name="Sở Khoa học và Công nghệ", verification_code=code or verification_code_new())


@pytest.fixture
def agency_reports(cast, reporting):
    """Draft reports, ready to submit, for ag_stp (own agency of ag_officer/ag_head), ag_snv and cb_stp."""
    from reports.models import AgencyReport

    reports = {}
    for key, prefix in (("ag_stp", "ag"), ("ag_snv", "ag"), ("cb_stp", "cb")):
        reports[key] = AgencyReport.objects.create(period=reporting[prefix], agency=cast.agencies[key],
                                                   difficulties="Không", proposals="Không")
    return reports
