"""A share is printed with the same per cent everywhere: 5 of 8 communes with an internal audit this year is "5/8
(63%)" in the consolidated report (half up, as people count) and was "5/8 (62%)" on the province's dashboard and
in the compliance page's summary by kind (Python's round() rounds 62.5 to the even 62)."""

import re

import pytest
from django.utils import timezone

from agencies.models import AgencyKind
from qms.rules import RULES, kind_summary
from reports import gathering
from reports.models import ConsolidatedReport
from tests.factories import AgencyFactory, ObligationFactory

from .conftest import give_qms

pytestmark = pytest.mark.django_db


def test_five_of_eight_is_63_per_cent_on_the_report_the_dashboard_and_the_compliance_page(cast, client):
    today = timezone.localdate()
    province = cast.provinces["ag"]
    for n in range(8):
        commune = AgencyFactory(name=f"Ủy ban nhân dân xã Thử {n}", short_code=f"XT{n}", province=province,
                                kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE)
        ObligationFactory(agency=commune, year=today.year)
        give_qms(commune, today=today, audit=n < 5)
    report = ConsolidatedReport(kind="provincial", province=province, period=None, year=today.year,
                                period_kind="annual")
    row = next(r for r in gathering.gather(report).by_kind if r.key == AgencyKind.COMMUNE_PEOPLES_COMMITTEE)
    cell = row.cell("internal_audit")
    assert (cell.met, cell.total, cell.percent) == (5, 8, 63)

    client.force_login(cast.users["ag_leader"])
    page = client.get("/").content.decode()
    shown = re.findall(r"5/8(?:</a>)? \((\d+)%\)", page)
    assert shown and set(shown) == {"63"}, shown

    # the compliance page's summary by kind (qms.rules.kind_summary)
    met = tuple(5 if code == "internal_audit" else 0 for code in RULES)
    [communes] = kind_summary({AgencyKind.COMMUNE_PEOPLES_COMMITTEE: (8, met)})
    audit = next(r for r in communes["rules"] if r["code"] == "internal_audit")
    assert (audit["met"], audit["percent"]) == (5, 63)


def test_the_findings_trend_rounds_as_the_reports_do():
    """Its share of overdue findings was Python's round() (5 of 8: 62%) beside the reports' 63%."""
    from audits import dashboard
    from qms_portal.numbers import percent

    assert dashboard.percent is percent
