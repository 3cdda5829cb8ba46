"""An agency renamed (or merged into a new name) after its inspection record was signed: the record made again
(its DOCX, or its PDF after a change) printed the new name, so the document no longer said what its signatories
signed. A signed record, a letter and a decision print the name the agency had when they were signed or issued;
the pages show today's name."""

import io

import pytest
from docx import Document

from agencies.services import agency_update
from audits import services
from audits.documents import render_docx
from audits.models import InspectionRecord
from tests.audits.conftest import SIGNED_ON, build_world, respond

pytestmark = pytest.mark.django_db

NEW_NAME = "Sở Tư pháp và Hộ tịch tỉnh An Giang"


def _text(data: bytes) -> str:
    word = Document(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_signed_record_and_a_letter_keep_the_name_they_were_signed_with(cast):
    world = build_world(cast)
    record = InspectionRecord.objects.get(inspection=world.inspections["ag_stp"])
    respond(world, "ag_stp")
    finding = services.finding_reject(actor=cast.users["ag_inspector"], finding=world.findings["ag_stp"],
                                      reason="Chưa có biên bản họp.", today=SIGNED_ON)
    letter = finding.rejection_letters.get()
    agency_update(actor=cast.users["admin"], agency=cast.agencies["ag_stp"], data={"name": NEW_NAME},
                  reason="Đổi tên theo quyết định của UBND tỉnh")

    decision = world.inspections["ag_stp"].decision
    for document in (record, letter, decision):
        text = _text(render_docx(document)[0])
        assert "Sở Tư pháp" in text and NEW_NAME not in text, type(document).__name__
