"""Fixtures of the reports tests: both provinces configured, one open annual period each, QMS files."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import (
    AgencyObligation,
    Announcement,
    Edition,
    InternalAudit,
    ManagementReview,
    ObligationLevel,
    Procedure,
    ProvinceSettings,
    QmsRecord,
    Stage,
)
from reports.models import PeriodKind, ReportingPeriod


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def reporting(cast, today):
    """ProvinceSettings for both provinces and an open annual period (deadline in 10 days) in each."""
    year = today.year
    for key, agency in cast.agencies.items():
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
