"""An agency that has not started is on no edition, wherever it is shown (`qms.rules.edition_of`): the dashboard,
the report's annex, the compliance API and the compliance XLSX (the last two printed the record's default
edition, TCVN ISO 9001:2015), the QMS file page and the agency's periodic report (both did too); and an agency
without a QMS record is "not started" in the API as on the page (the API said null)."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from qms.dashboard import qms_overview
from qms.models import QmsRecord, Stage
from reports.models import PeriodKind, ReportingPeriod
from reports.prefill import agency_report_facts

pytestmark = pytest.mark.django_db


def _api_row(api, user, agency):
    rows = api.as_user(user).get("/api/v1/compliance/", {"page_size": 200}).json()["results"]
    return next(r for r in rows if r["id"] == agency.pk)


def test_not_started_agency_has_no_edition_anywhere(cast, api, client):
    stp = cast.agencies["ag_stp"]
    QmsRecord.objects.create(agency=stp, stage=Stage.NOT_STARTED)  # edition defaults to 2015
    inspector = cast.users["ag_inspector"]
    overview = qms_overview(user=inspector)
    assert sum(sum(e.values()) for e in overview["editions"].values()) == 0  # the dashboard: on no edition
    client.force_login(inspector)
    sheet = load_workbook(io.BytesIO(client.get("/compliance/export.xlsx").getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    xlsx_edition = next(r for r in body if r[1] == stp.name)[header.index("Phiên bản")]
    api_edition = _api_row(api, inspector, stp)["edition"]
    assert (api_edition, xlsx_edition) == (None, None), (api_edition, xlsx_edition)  # an empty cell: no edition
    page = client.get(f"/agencies/{stp.pk}/qms/").content.decode()
    shown = re.search(r"<dt>Phiên bản</dt><dd>([^<]*)</dd>", page)
    assert shown and shown.group(1) == "—", shown
    period = ReportingPeriod.objects.create(province=stp.province, year=2026, kind=PeriodKind.ANNUAL,
                                            window_start=date(2025, 12, 15), window_end=date(2026, 12, 14),
                                            deadline=date(2026, 12, 20))
    assert agency_report_facts(agency=stp, period=period)["qms"]["edition"] == ""  # the report's page and PDF


def test_api_stage_of_an_agency_without_a_record_is_not_started(cast, api):
    row = _api_row(api, cast.users["ag_inspector"], cast.agencies["ag_snv"])
    assert row["stage"] == Stage.NOT_STARTED, row["stage"]
