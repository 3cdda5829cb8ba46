"""Numbers of the inspection documents follow the year they are ISSUED in (issue 14): the 2027 plan issued on
03/12/2026 is the second plan of 2026, not "01/KH" again; decisions, records and letters restart on 1 January."""

from datetime import date

import pytest
from django.utils import timezone

from agencies.models import ObligationYear, ObligationYearState, RegisteredDocument
from audits import services
from audits.models import InspectionForm
from tests.factories import ObligationFactory

from .conftest import YEAR, build_world

pytestmark = pytest.mark.django_db


def test_a_plan_for_next_year_issued_in_december_takes_this_years_next_number(cast):
    world = build_world(cast)
    assert world.plans["ag"].number == "01/KH-CCTDC" and world.plans["ag"].issued_on.year == YEAR
    inspector = cast.users["ag_inspector"]
    for key in ("ubnd", "skhcn", "stp", "snv"):
        ObligationFactory(agency=cast.agencies[f"ag_{key}"], year=YEAR + 1)
    ObligationYear.objects.create(province=cast.provinces["ag"], year=YEAR + 1, state=ObligationYearState.CONFIRMED,
                                  confirmed_at=timezone.now())
    plan = services.plan_create(actor=inspector, year=YEAR + 1, province=cast.provinces["ag"])
    services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies["ag_stp"], data={
        "form": InspectionForm.ON_SITE, "expected_from": date(YEAR + 1, 3, 9), "expected_to": date(YEAR + 1, 3, 13),
        "cooperating_unit": "", "budget_vnd": 1_000_000})
    for key, form in (("ubnd", InspectionForm.DOCUMENTS), ("skhcn", InspectionForm.DOCUMENTS),
                      ("snv", InspectionForm.ON_SITE)):
        services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies[f"ag_{key}"], data={
            "form": form, "expected_from": date(YEAR + 1, 4, 1),
            "expected_to": date(YEAR + 1, 4, 15), "cooperating_unit": "", "budget_vnd": 0})
    services.plan_submit(actor=inspector, plan=plan, today=date(YEAR, 12, 3))
    plan.refresh_from_db()
    assert (plan.number, plan.issued_on) == ("02/KH-CCTDC", date(YEAR, 12, 3))
    unit = cast.agencies["ag_cctdc"]
    lines = {(r.year, str(r)) for r in RegisteredDocument.objects.filter(issuer=unit)}
    assert {(YEAR, "01/KH-CCTDC"), (YEAR, "02/KH-CCTDC")} <= lines


def test_every_inspection_document_is_registered_under_the_date_it_is_issued_on(cast):
    world = build_world(cast)
    inspection = world.inspections["ag_stp"]
    documents = [(world.plans["ag"], world.plans["ag"].issued_on),
                 (inspection.report_request, inspection.report_request.issued_on),
                 (inspection.decision, inspection.decision.issued_on),
                 (inspection.record, inspection.record.signed_on)]
    register = {str(r): r for r in RegisteredDocument.objects.filter(issuer=cast.agencies["ag_cctdc"])}
    for document, issued_on in documents:
        line = register[document.number]
        assert (line.year, line.issued_on) == (issued_on.year, issued_on), document.number
    assert inspection.report_request.number == "01/CCTDC"
