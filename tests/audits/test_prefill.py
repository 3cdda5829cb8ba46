"""Checklist suggestions: stored as facts, written in the reader's language when shown (issue 21)."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.utils import translation

from audits import services
from audits.models import AgencyChecklistAnswer
from audits.prefill import checklist_prefill, prefill_note
from qms.models import (
    Announcement,
    Edition,
    InternalAudit,
    InternalCorrectiveAction,
    ManagementReview,
    QmsRecord,
    Stage,
)
from tests.audits.conftest import YEAR, approved_plan

TODAY = date(YEAR, 5, 20)
REVIEW = "review-audit-corrective-action"


@pytest.fixture
def stp_file(units):
    """STP maintains its system: audited on 10/05 this year, last reviewed last year, one action overdue."""
    stp = units.agencies["ag_stp"]
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.MAINTAINING, edition=Edition.ISO_2015,
                                   effectiveness_confirmed_on=date(YEAR - 1, 9, 1),
                                   effectiveness_confirmed_by="Trần Văn Hùng")
    Announcement.objects.create(qms=qms, kind="first", decision_number="12/QĐ-STP", decision_date=date(YEAR - 1, 9, 15),
                                signer="Giám đốc", edition=Edition.ISO_2015, scope="Toàn bộ TTHC",
                                notification_date=date(YEAR - 1, 9, 20))
    audit = InternalAudit.objects.create(qms=qms, held_on=date(YEAR, 5, 10), auditors="Tổ ĐGNB", nonconformities=1)
    ManagementReview.objects.create(qms=qms, held_on=date(YEAR - 1, 11, 3), chair="Giám đốc")
    InternalCorrectiveAction.objects.create(qms=qms, internal_audit=audit, description="Hồ sơ thiếu chữ ký",
                                            action="Bổ sung chữ ký", owner="Văn phòng", due_on=date(YEAR, 5, 15))
    return stp


def _notes(suggestions, language) -> dict[str, str]:
    with translation.override(language):
        return {code: s.note for code, s in suggestions.items()}


def test_suggestions_are_facts_that_read_well_in_both_languages(stp_file):
    suggestions = checklist_prefill(agency=stp_file, today=TODAY)
    json.dumps({code: s.facts for code, s in suggestions.items()})  # storable as they are
    assert suggestions[REVIEW].result == "partly"
    vietnamese, english = _notes(suggestions, "vi"), _notes(suggestions, "en")
    assert vietnamese[REVIEW] == (
        "Tiêu chí “Đã tổ chức đánh giá nội bộ trong năm nay”: đạt. Thực hiện gần nhất ngày 10/05/2026. "
        "Tiêu chí “Đã tổ chức xem xét của lãnh đạo trong năm nay”: chưa đạt. Thực hiện gần nhất ngày 03/11/2025. "
        "Tiêu chí “Không có hành động khắc phục quá hạn”: chưa đạt. 1 hành động khắc phục quá hạn.")
    assert english[REVIEW] == (
        "Internal audit held this calendar year: met. Last held on 10/05/2026. "
        "Management review held this calendar year: not met. Last held on 03/11/2025. "
        "No corrective action past its due date: not met. 1 corrective action(s) past due.")
    assert english["announced-notified-posted"] == (
        "Announcement 12/QĐ-STP of 15/09/2025. Missing: posting at the office, posting on the website.")
    assert english["effectiveness-confirmed"] == "Confirmed on 01/09/2025 by Trần Văn Hùng."
    for language, notes in (("vi", vietnamese), ("en", english)):
        for code, note in notes.items():
            assert ".." not in note and " yes" not in note and " no." not in note, (language, code, note)
    assert all(note == "" or not any(word in note for word in ("Tiêu chí", "Quyết định", "tài liệu"))
               for note in english.values()), english


def test_the_facts_are_judged_as_of_the_day_they_were_read(stp_file):
    """Read on 20/05, the audit of 10/05 is "this year" whenever the note is shown; the stored day decides."""
    facts = checklist_prefill(agency=stp_file, today=TODAY)[REVIEW].facts
    with translation.override("en"):
        assert prefill_note(facts).startswith("Internal audit held this calendar year: met.")
        assert prefill_note({**facts, "as_of": f"{YEAR + 1}-01-05"}).startswith(
            "Internal audit held this calendar year: not met.")


def test_no_qms_file(units):
    suggestions = checklist_prefill(agency=units.agencies["ag_snv"], today=TODAY)
    assert list(suggestions) == ["scope-covers-procedures"]
    assert _notes(suggestions, "en")["scope-covers-procedures"] == "The agency has no QMS file in the portal."


def _request_to_report(cast):
    plan = approved_plan(cast, "ag")
    services.report_request_send(actor=cast.users["ag_inspector"], inspections=list(plan.inspections.all()),
                                 deadline=date(YEAR, 5, 31), today=TODAY)
    return plan.inspections.get(agency=cast.agencies["ag_stp"])


def test_stored_suggestions_are_shown_in_the_readers_language(units, stp_file, client):
    inspection = _request_to_report(units)
    answer = AgencyChecklistAnswer.objects.get(inspection=inspection, item__code=REVIEW)
    assert answer.prefill["kind"] == "rules" and answer.prefill_note == ""
    client.force_login(units.users["ag_inspector"])
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Tiêu chí “Đã tổ chức đánh giá nội bộ trong năm nay”: đạt." in page
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Internal audit held this calendar year: met. Last held on 10/05/2026." in page
    assert "Tiêu chí" not in page


def test_text_kept_from_earlier_versions_is_still_shown(units, stp_file, client):
    inspection = _request_to_report(units)
    AgencyChecklistAnswer.objects.filter(inspection=inspection, item__code=REVIEW).update(
        prefill={}, prefill_note="Ghi chú cũ từ hồ sơ HTQLCL.")
    client.force_login(units.users["ag_inspector"])
    assert "Ghi chú cũ từ hồ sơ HTQLCL." in client.get(f"/inspections/{inspection.pk}/").content.decode()


def test_suggestions_kept_before_the_uncovered_count_existed_read_the_same(units, stp_file):
    """audits 0011 gives answers prefilled before `procedures_uncovered` existed the count from the two they kept,
    so the coverage rule judges them as it did then; answers kept with it, or without facts, are left alone."""
    from importlib import import_module

    from django.apps import apps

    from qms.models import Procedure

    Procedure.objects.create(agency=stp_file, code="1.001", name="Chứng thực", field="Tư pháp", covered=True)
    Procedure.objects.create(agency=stp_file, code="1.002", name="Hộ tịch", field="Tư pháp", covered=True)
    inspection = _request_to_report(units)
    answers = AgencyChecklistAnswer.objects.filter(inspection=inspection)
    coverage = answers.get(item__code="scope-covers-procedures")
    assert (coverage.prefill["procedures_total"], coverage.prefill["procedures_uncovered"]) == (2, 0)
    with translation.override("en"):
        today = prefill_note(coverage.prefill)
    old = {key: value for key, value in coverage.prefill.items() if key != "procedures_uncovered"}
    answers.filter(pk=coverage.pk).update(prefill=old)
    answers.exclude(pk=coverage.pk).filter(item__code=REVIEW).update(prefill={})
    kept = {a.pk: a.prefill for a in answers.exclude(pk=coverage.pk)}

    import_module("audits.migrations.0011_prefill_procedures_uncovered").add_uncovered(apps, None)

    coverage.refresh_from_db()
    assert coverage.prefill == {**old, "procedures_uncovered": 0}
    with translation.override("en"):
        assert prefill_note(coverage.prefill) == today
        assert today.startswith("Every administrative procedure is covered by a work process: met."), today
    assert {a.pk: a.prefill for a in answers.exclude(pk=coverage.pk)} == kept
