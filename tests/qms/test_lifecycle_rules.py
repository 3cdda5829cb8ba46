"""Lifecycle rules found loose (issue 13): through the service and through the API."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qms import services
from qms.models import InternalAudit, ManagementReview, QmsDocument, QmsRecord, Stage
from qms.parts import PARTS

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(agency, suffix=""):
    return f"/api/v1/agencies/{agency.pk}/{suffix}"


def days(n):
    return TODAY - timedelta(days=n)


def test_build_start_before_the_steering_decision_is_refused_never_changed(api, cast):
    stp = cast.agencies["ag_stp"]
    officer = cast.users["ag_officer"]
    qms = services.qms_for_agency(agency=stp)
    with pytest.raises(ValidationError) as error:
        services.qms_update(actor=officer, qms=qms, data={"steering_decision_date": days(30),
                                                         "build_started_on": days(40)})
    assert "build_started_on" in error.value.message_dict
    qms.refresh_from_db()
    assert qms.build_started_on is None and qms.steering_decision_date is None  # nothing half-saved
    # after the decision: kept as typed (it was silently moved back to the decision's date)
    qms = services.qms_update(actor=officer, qms=qms, data={"steering_decision_date": days(40),
                                                           "build_started_on": days(30)})
    assert (qms.steering_decision_date, qms.build_started_on) == (days(40), days(30))
    response = api.as_user(officer).patch(url(stp, "qms/"), {"build_started_on": str(days(50))}, format="json")
    assert response.status_code == 400 and days(40).strftime("%d/%m/%Y") in str(response.json()["build_started_on"])
    assert QmsRecord.objects.get(agency=stp).build_started_on == days(30)


def applying(cast):
    """STP applying: steering decision, a document in force, documents approved 100 days ago."""
    stp = cast.agencies["ag_stp"]
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.APPLYING, steering_decision_number="1/QĐ",
                                   steering_decision_date=days(300), build_started_on=days(290),
                                   documents_approved_on=days(100), documents_approved_by="Giám đốc")
    QmsDocument.objects.create(qms=qms, kind="policy", code="CS-01", title="Chính sách", status="in_force")
    return qms


def announcement(n=10):
    return {"kind": "first", "decision_number": "45/QĐ-STP", "decision_date": str(days(n)), "signer": "Giám đốc",
            "edition": "2015", "scope": "Toàn bộ TTHC"}


def test_announcing_needs_an_audit_and_a_review_after_approval_then_the_heads_confirmation(api, cast):
    qms = applying(cast)
    stp, officer = qms.agency, cast.users["ag_officer"]
    InternalAudit.objects.create(qms=qms, held_on=days(120), auditors="Tổ")  # before the approval: does not count
    services.qms_update(actor=cast.users["ag_head"], qms=qms, data={"effectiveness_confirmed_on": days(20),
                                                                   "effectiveness_confirmed_by": "Giám đốc"})
    client = api.as_user(officer)
    assert client.post(url(stp, "announcements/"), announcement(), format="json").status_code == 201
    qms.refresh_from_db()
    assert qms.stage == Stage.APPLYING  # the decision is recorded; the stage does not move without the evidence
    response = client.patch(url(stp, "qms/"), {"stage": "announced"}, format="json")
    assert response.status_code == 400 and "đánh giá nội bộ" in str(response.json()["stage"])
    with pytest.raises(ValidationError):
        services.qms_update(actor=officer, qms=qms, data={"stage": Stage.ANNOUNCED})

    InternalAudit.objects.create(qms=qms, held_on=days(60), auditors="Tổ")
    ManagementReview.objects.create(qms=qms, held_on=days(15), chair="Giám đốc")  # after the confirmation
    response = client.patch(url(stp, "qms/"), {"stage": "announced"}, format="json")
    assert response.status_code == 400 and "xác nhận hiệu lực" in str(response.json()["stage"]).lower()

    ManagementReview.objects.create(qms=qms, held_on=days(50), chair="Giám đốc")
    assert client.patch(url(stp, "qms/"), {"stage": "announced"}, format="json").json()["stage"] == "announced"


def test_recording_the_announcement_moves_the_stage_when_the_evidence_is_there(cast):
    qms = applying(cast)
    InternalAudit.objects.create(qms=qms, held_on=days(60), auditors="Tổ")
    ManagementReview.objects.create(qms=qms, held_on=days(50), chair="Giám đốc")
    services.qms_update(actor=cast.users["ag_head"], qms=qms, data={"effectiveness_confirmed_on": days(20),
                                                                   "effectiveness_confirmed_by": "Giám đốc"})
    data = announcement()
    data["decision_date"] = days(10)
    services.qms_part_create(actor=cast.users["ag_officer"], agency=qms.agency, part=PARTS["announcements"], data=data)
    qms.refresh_from_db()
    assert qms.stage == Stage.ANNOUNCED


def test_a_duplicate_document_code_is_refused(api, cast):
    qms = applying(cast)
    other = QmsDocument.objects.create(qms=qms, kind="system_process", code="QT-HT-01", title="Kiểm soát tài liệu",
                                       status="in_force")
    third = QmsDocument.objects.create(qms=qms, kind="system_process", code="QT-HT-02", title="Đánh giá nội bộ",
                                       status="in_force")
    officer = cast.users["ag_officer"]
    with pytest.raises(ValidationError) as error:
        services.qms_part_update(actor=officer, obj=third, part=PARTS["documents"], data={"code": "QT-HT-01"})
    assert "code" in error.value.message_dict
    response = api.as_user(officer).patch(url(qms.agency, f"documents/{third.pk}/"), {"code": "QT-HT-01"},
                                          format="json")
    assert response.status_code == 400 and "QT-HT-01" in str(response.json()["code"])
    other.refresh_from_db()
    third.refresh_from_db()
    assert (other.status, third.code) == ("in_force", "QT-HT-02")  # nothing superseded, nothing changed
    # another kind of document under a code in use: refused; a new edition of the same document: accepted
    response = api.as_user(officer).post(url(qms.agency, "documents/"), {
        "kind": "work_process", "code": "QT-HT-01", "title": "Cấp bản sao", "status": "in_force"}, format="json")
    assert response.status_code == 400 and "code" in response.json()
    response = api.as_user(officer).post(url(qms.agency, "documents/"), {
        "kind": "system_process", "code": "QT-HT-01", "title": "Kiểm soát tài liệu", "status": "in_force"},
        format="json")
    assert response.status_code == 201 and response.json()["edition"] == 2
    assert QmsDocument.objects.filter(qms=qms, code="QT-HT-01", status="in_force").count() == 1


def test_the_inspection_record_is_dated_within_the_decisions_days(api, cast):
    from audits import services as audit_services
    from tests.audits.conftest import VISIT_ON, build_world

    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    inspector = cast.users["ag_inspector"]
    day_before = VISIT_ON - timedelta(days=1)  # the decision set 10/03; the record said 09/03
    with pytest.raises(ValidationError) as error:
        audit_services.record_sign(actor=inspector, inspection=inspection, signed_on=day_before,
                                   today=date(2026, 3, 20))
    assert "10/03/2026" in " ".join(error.value.messages)
    response = api.as_user(inspector).post(f"/api/v1/inspections/{inspection.pk}/sign/",
                                           {"signed_on": day_before.isoformat()}, format="json")
    assert response.status_code == 400 and "10/03/2026" in str(response.json())
    response = api.as_user(inspector).post(f"/api/v1/inspections/{inspection.pk}/sign/",
                                           {"signed_on": (TODAY + timedelta(days=1)).isoformat()}, format="json")
    assert response.status_code == 400  # never in the future
    signed = api.as_user(inspector).post(f"/api/v1/inspections/{inspection.pk}/sign/",
                                         {"signed_on": VISIT_ON.isoformat()}, format="json")
    assert signed.status_code == 200, signed.json()
