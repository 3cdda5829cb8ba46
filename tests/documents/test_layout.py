"""Layout defects a clerk would send back (issue 14): the plan's grand total once after its last row, lettered
points under numbered sections, the BBKT's signatures kept with its last lines, one vocabulary for statuses."""

import pytest
from django.core.management import call_command
from django.utils import translation

from agencies.models import ObligationLevel, Province
from audits.documents import FORM_TEXT, RESULT_TEXT, render_document
from audits.models import ChecklistResult, InspectionForm, InspectionPlan, InspectionRecord
from qms.models import Stage
from reports.rendering import vocabulary

from .test_proof import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return Province.objects.current().get(code=91)


def test_plan_total_once_after_the_last_row_and_points_not_renumbered(demo):
    plan = InspectionPlan.objects.get(province=demo)
    pages = pdf_text(render_document(plan)[0]).split("\f")
    with_total = [i for i, page in enumerate(pages) if "Tổng cộng" in page]
    assert len(with_total) == 1, with_total  # not at the foot of every page of the table
    last_agency = plan.entries.order_by("expected_from", "agency__name").last().agency.name
    table_pages = [i for i, page in enumerate(pages) if last_agency.split()[-1] in page]
    assert with_total[0] >= max(table_pages) - 1
    assert len([p for p in pages if "Kinh phí" in p]) >= 2  # the table did run over several pages
    text = "\n".join(" ".join(line.split()) for line in "\f".join(pages).splitlines())
    assert "\na) Phạm vi áp dụng" in text and "\n1. Phạm vi áp dụng" not in text


def test_the_record_keeps_its_signatures_with_its_last_lines(demo):
    record = InspectionRecord.objects.filter(inspection__province=demo).exclude(number="").get()
    pages = pdf_text(render_document(record)[0]).split("\f")
    signing = next(page for page in pages if "ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM" in page)
    assert "Biên bản được lập thành 02 bản" in signing and "TRƯỞNG ĐOÀN KIỂM TRA" in signing


@pytest.mark.parametrize(("printed", "choices"), [(RESULT_TEXT, ChecklistResult), (FORM_TEXT, InspectionForm),
                                                  (vocabulary.STAGE, Stage), (vocabulary.FORM, InspectionForm),
                                                  (vocabulary.OBLIGATION, ObligationLevel)])
def test_documents_and_pages_use_one_vocabulary(printed, choices):
    with translation.override("vi"):
        for member in choices:
            assert printed[member.value] == str(member.label)
    assert printed[ChecklistResult.NOT_MET] == "Chưa đạt" if choices is ChecklistResult else True
    assert vocabulary.STAGE[Stage.REANNOUNCEMENT_DUE] == "Cần công bố lại"


def test_demo_commune_committees_are_named_from_the_division_type_once(demo):
    from agencies.models import Agency

    names = list(Agency.objects.filter(province=demo, kind="ubnd_xa").values_list("name", flat=True))
    assert "Ủy ban nhân dân đặc khu Phú Quốc" in names
    assert not [n for n in names if "khu khu" in n or "phường phường" in n.lower() or "xã xã" in n.lower()]
