"""The editable DOCX of the inspection documents as users download it (issue 17): the plan, the decision, the
record and the letter of non-acceptance, each next to its PDF, with the PDF's scope rules, and the letter's DOCX
opened by LibreOffice with the words of its PDF (tests/audits/test_docx.py proves the other three renderers)."""

import io

import pytest
from docx import Document

from audits.documents import build, render_document
from audits.models import InspectionRecord, RejectionLetter
from tests.audits.conftest import build_world
from tests.printing.office import differences_from_pdf

from .test_letters import rejected  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LABEL = "Tải bản Word (.docx)"


@pytest.fixture
def world(rejected):  # noqa: F811
    return rejected[0]


def urls(world) -> dict[str, tuple[str, str, str]]:
    """kind -> (PDF URL, DOCX URL, the page that links both)."""
    inspection = world.inspections["ag_stp"]
    plan, decision = world.plans["ag"], inspection.decision
    letter = RejectionLetter.objects.get()
    finding = f"/findings/{letter.finding_id}"
    return {
        "plan": (f"/inspections/plans/{plan.pk}/pdf/", f"/inspections/plans/{plan.pk}/docx/",
                 f"/inspections/plans/{plan.pk}/"),
        "decision": (f"/inspections/decisions/{decision.pk}/pdf/", f"/inspections/decisions/{decision.pk}/docx/",
                     f"/inspections/{inspection.pk}/"),
        "record": (f"/inspections/{inspection.pk}/record.pdf", f"/inspections/{inspection.pk}/record.docx",
                   f"/inspections/{inspection.pk}/"),
        "letter": (f"{finding}/letters/{letter.pk}/pdf/", f"{finding}/letters/{letter.pk}/docx/", f"{finding}/"),
    }


def outcome(status: int) -> str:
    """The PDF answers 202 while the worker renders it; the DOCX is made at once (200)."""
    return {200: "file", 202: "file", 403: "forbidden", 404: "not found", 302: "sign in"}.get(status, str(status))


def test_each_docx_has_the_scope_of_its_pdf_and_a_link_next_to_it(cast, world, client):
    users = {**cast.users, **world.users}
    for kind, (pdf, docx, page) in urls(world).items():
        seen = set()
        for name, user in users.items():
            client.force_login(user)
            expected, response = outcome(client.get(pdf).status_code), client.get(docx)
            assert outcome(response.status_code) == expected, (kind, name, response.status_code)
            seen.add(expected)
            if expected == "file":
                assert response.status_code == 200 and response["Content-Type"] == DOCX, (kind, name)
                assert response["Content-Disposition"].startswith("attachment") and ".docx" in \
                    response["Content-Disposition"]
                Document(io.BytesIO(b"".join(response.streaming_content)))  # a Word document, not an error page
        assert {"file", "not found"} <= seen, (kind, seen)  # in scope and outside it were both tried
        client.force_login(cast.users["ag_inspector"] if kind != "letter" else world.users["ag_stp_officer"])
        text = client.get(page).content.decode()
        assert pdf in text and f'href="{docx}"' in text and LABEL in text, kind
    client.logout()
    assert client.get(urls(world)["plan"][1]).status_code == 302  # signing in first


def test_a_draft_record_downloads_as_a_draft_for_the_team_only(cast, client):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    url = f"/inspections/{inspection.pk}/record.docx"
    client.force_login(cast.users["ag_head"])  # the agency does not see the team's draft
    assert client.get(url).status_code == 404
    client.force_login(cast.users["ag_inspector"])
    response = client.get(url)
    assert response.status_code == 200
    word = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert word.tables[0].rows[1].cells[0].text == "Số: " + "\u00a0" * 8 + "/BB-CCTDC"  # no number yet
    assert not InspectionRecord.objects.get(inspection=inspection).number


def test_an_english_reader_gets_the_vietnamese_document(cast, world, client):
    user = cast.users["ag_inspector"]
    client.force_login(user)
    client.cookies["django_language"] = "en"
    docx = urls(world)["decision"][1]
    word = Document(io.BytesIO(b"".join(client.get(docx, HTTP_ACCEPT_LANGUAGE="en").streaming_content)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "QUYẾT ĐỊNH" in text and "Căn cứ Quyết định số 19/2014/QĐ-TTg" in text


def test_the_letter_docx_prints_the_words_of_its_pdf(cast, world, client, libreoffice):
    letter = RejectionLetter.objects.get()
    client.force_login(world.users["ag_stp_officer"])
    data = b"".join(client.get(urls(world)["letter"][1]).streaming_content)
    document, body, context, _name = build(letter)
    differences, words = differences_from_pdf(libreoffice(data, "letter"), render_document(letter)[0],
                                              document=document, body_template=body, context=context)
    assert differences == []
    text = " ".join(words)
    for expected in ("Số: 02/CCTDC", "V/v không chấp nhận kết quả khắc phục", "Kính gửi: Sở Tư pháp.",
                     "Chưa gửi kèm biên bản họp xem xét của lãnh đạo.", "31/05/2026", "- Lưu: VT, CCTDC."):
        assert expected in text, expected
