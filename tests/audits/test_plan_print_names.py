"""The printed plan (PDF and DOCX) named each agency as it is today, while the inspection record, the decision and
the letters print the name an agency had when they were signed or issued (`documents.agency_as_of`). An approved
plan is a document issued with the names of its approval: made again after a renaming it prints those; a draft, not
issued yet, prints today's names."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from agencies.services import agency_update
from audits import services
from audits.documents import build, render_document, render_docx
from tests.audits.conftest import APPROVED_ON, SUBMITTED_ON, draft_plan, read_pdf_text
from tests.factories import AgencyFactory, ObligationFactory

pytestmark = pytest.mark.django_db

NEW_NAME = "Sở Tư pháp và Hộ tịch tỉnh An Giang"
UNIT_NEW_NAME = "Phòng Tiêu chuẩn Đo lường Chất lượng"


def _docx_text(plan) -> str:
    word = Document(io.BytesIO(render_docx(plan)[0]))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _rename(cast, key: str, name: str) -> None:
    agency_update(actor=cast.users["admin"], agency=cast.agencies[key], data={"name": name},
                  reason="Đổi tên theo quyết định của UBND tỉnh")


def _approve(cast, plan):
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    services.plan_approve(actor=cast.users["ag_leader"], plan=plan, approval_number="215/QĐ-UBND",
                          approval_date=APPROVED_ON, today=APPROVED_ON)
    plan.refresh_from_db()
    return plan


def test_an_approved_plan_prints_the_names_of_its_approval(units):
    cast = units
    plan = _approve(cast, draft_plan(cast, "ag"))
    _rename(cast, "ag_stp", NEW_NAME)
    _rename(cast, "ag_cctdc", UNIT_NEW_NAME)  # the inspecting unit of every entry

    text = _docx_text(plan)
    assert "Sở Tư pháp" in text and NEW_NAME not in text
    assert "Chi cục Tiêu chuẩn Đo lường Chất lượng" in text and UNIT_NEW_NAME not in text
    pdf = read_pdf_text(render_document(plan)[0])
    assert "Sở Tư pháp" in pdf and NEW_NAME not in pdf and UNIT_NEW_NAME not in pdf


def test_a_renaming_before_the_approval_is_printed(units):
    """The moment is the approval, not the drafting: a name changed while the plan waited is the one approved."""
    cast = units
    plan = draft_plan(cast, "ag")
    _rename(cast, "ag_stp", NEW_NAME)
    plan = _approve(cast, plan)
    text = _docx_text(plan)
    assert NEW_NAME in text


def test_a_draft_prints_todays_names(units):
    cast = units
    plan = draft_plan(cast, "ag")
    _rename(cast, "ag_stp", NEW_NAME)
    _rename(cast, "ag_cctdc", UNIT_NEW_NAME)
    text = _docx_text(plan)
    assert NEW_NAME in text and UNIT_NEW_NAME in text
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    _rename(cast, "ag_stp", "Sở Tư pháp tỉnh An Giang")
    assert "Sở Tư pháp tỉnh An Giang" in _docx_text(plan)  # submitted, not approved yet: today's name


def test_the_names_of_a_plan_are_read_in_queries_that_do_not_grow_with_it(units):
    cast = units
    small = _approve(cast, draft_plan(cast, "ag"))
    with CaptureQueriesContext(connection) as few:
        build(small)
    # the other province's plan, with ten more agencies in it, each renamed after the approval
    province = cast.provinces["cb"]
    extra = [AgencyFactory(province=province, name=f"Trường THPT số {n}") for n in range(10)]
    for agency in extra:
        ObligationFactory(agency=agency, year=2026)
    inspector = cast.users["cb_inspector"]
    plan = draft_plan(cast, "cb")
    for agency in extra:
        services.plan_entry_add(actor=inspector, plan=plan, agency=agency, data={
            "form": "on_site", "expected_from": date(2026, 4, 6), "expected_to": date(2026, 4, 10)})
    services.plan_submit(actor=inspector, plan=plan, today=SUBMITTED_ON)
    services.plan_approve(actor=cast.users["cb_leader"], plan=plan, approval_number="12/QĐ-UBND",
                          approval_date=APPROVED_ON, today=APPROVED_ON)
    plan.refresh_from_db()
    for agency in extra:
        agency_update(actor=cast.users["admin"], agency=agency, data={"name": agency.name + " (mới)"})
    with CaptureQueriesContext(connection) as many:
        document, _body, context, _name = build(plan)
    assert len(many) == len(few)
    names = [row["agency"].name for row in context["rows"]]
    assert "Trường THPT số 3" in names and not [n for n in names if "(mới)" in n]
