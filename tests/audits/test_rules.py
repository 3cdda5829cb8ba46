"""Business rules of plans, inspections and findings, through the services (clear, translated errors)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from agencies.models import AgencyObligation, ObligationLevel
from audits import services
from audits.models import (
    FindingClass,
    FindingEvent,
    FindingStatus,
    InspectionForm,
    InspectionStatus,
    PlanState,
    ResponseOutcome,
)
from qms_portal.dates import add_months
from qms_portal.errors import ConflictError
from tests.audits.conftest import (
    APPROVED_ON,
    DECIDED_ON,
    DEFAULT_DUE,
    SIGNED_ON,
    SUBMITTED_ON,
    VISIT_ON,
    YEAR,
    approved_plan,
    draft_plan,
    pdf_upload,
    respond,
)

pytestmark = pytest.mark.django_db


def messages(exc) -> str:
    return " ".join(str(m) for m in exc.value.messages)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- plan ---------------------------------------------------------------------------------------------


def test_submit_refuses_missing_mandatory_agencies_and_names_them(units):
    cast = units
    plan = draft_plan(cast, "ag", forms={"stp": InspectionForm.ON_SITE, "snv": InspectionForm.ON_SITE})
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    text = messages(exc)
    assert "2 mandatory agencies are not in the plan" in text
    assert "Sở Khoa học và Công nghệ" in text and "Ủy ban nhân dân tỉnh An Giang" in text
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and plan.number == ""


def test_submit_needs_a_third_on_site(units):
    cast = units
    plan = draft_plan(cast, "ag", forms={"stp": "on_site", "snv": "documents", "ubnd": "documents",
                                         "skhcn": "documents"})
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    assert "At least one third of the mandatory agencies must be inspected on site: 2 of 4, the plan has 1." \
        in messages(exc)


def test_submit_numbers_the_plan_and_queues_its_pdf(units, django_capture_on_commit_callbacks):
    cast = units
    plan = draft_plan(cast, "ag")
    with django_capture_on_commit_callbacks() as callbacks:
        services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    plan.refresh_from_db()
    assert (plan.state, plan.number, plan.issued_on) == (PlanState.SUBMITTED, "01/KH-CCTDC", SUBMITTED_ON)
    assert plan.pdf_status == "queued" and len(callbacks) == 2  # its PDF rendered, those who approve it told
    assert plan.history.first().history_user == cast.users["ag_inspector"]


def test_encouraged_agencies_do_not_count(units):
    cast = units
    AgencyObligation.objects.filter(agency=cast.agencies["ag_ubnd"], year=YEAR).update(
        level=ObligationLevel.ENCOURAGED)
    plan = draft_plan(cast, "ag", forms={"stp": "on_site", "snv": "documents", "skhcn": "documents"})
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)  # 1 of 3 on site is enough


def test_approve_only_a_submitted_plan(units):
    cast = units
    plan = draft_plan(cast, "ag")
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(actor=cast.users["ag_leader"], plan=plan, approval_number="1/QĐ-UBND",
                              approval_date=APPROVED_ON, today=APPROVED_ON)
    assert "Only a submitted plan can be approved: the plan is draft." in messages(exc)


def test_approve_refuses_a_plan_that_became_incomplete(units):
    cast = units
    plan = draft_plan(cast, "ag")
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    AgencyObligation.objects.create(agency=cast.agencies["ag_cctdc"], year=YEAR, level=ObligationLevel.MANDATORY)
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(actor=cast.users["ag_leader"], plan=plan, approval_number="1/QĐ-UBND",
                              approval_date=APPROVED_ON, today=APPROVED_ON)
    assert "The plan is incomplete and cannot be approved." in messages(exc)
    assert "Chi cục Tiêu chuẩn Đo lường Chất lượng" in messages(exc)


@pytest.mark.parametrize(("approval_date", "error"), [
    (date(2026, 2, 1), "The date cannot be in the future."),
    (date(2026, 1, 2), "The approval cannot be dated before the plan (12/01/2026)."),
])
def test_approval_dates(units, approval_date, error):
    cast = units
    plan = draft_plan(cast, "ag")
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(actor=cast.users["ag_leader"], plan=plan, approval_number="1/QĐ-UBND",
                              approval_date=approval_date, today=APPROVED_ON)
    assert error in messages(exc)


def test_approval_opens_one_inspection_per_entry(units):
    cast = units
    plan = approved_plan(cast, "ag")
    assert plan.state == PlanState.APPROVED and plan.approved_by == cast.users["ag_leader"]
    inspections = {i.agency.short_code: i for i in plan.inspections.select_related("agency")}
    assert set(inspections) == {"STP", "SNV", "UBND", "SKHCN"}
    assert inspections["STP"].form == InspectionForm.ON_SITE and inspections["UBND"].form == InspectionForm.DOCUMENTS
    assert all(i.status == InspectionStatus.PLANNED for i in inspections.values())


def test_only_the_leader_approves_and_only_the_inspector_drafts(units):
    cast = units
    plan = draft_plan(cast, "ag")
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=cast.users["ag_inspector"], plan=plan, approval_number="1",
                              approval_date=APPROVED_ON, today=APPROVED_ON)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=cast.users["cb_leader"], plan=plan, approval_number="1",
                              approval_date=APPROVED_ON, today=APPROVED_ON)
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=cast.users["ag_leader"], year=2027)


def test_return_needs_a_reason_and_reopens_the_draft(units):
    cast = units
    plan = draft_plan(cast, "ag")
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    with pytest.raises(ValidationError) as exc:
        services.plan_return(actor=cast.users["ag_leader"], plan=plan, reason="  ")
    assert "Say why the plan is returned." in messages(exc)
    services.plan_return(actor=cast.users["ag_leader"], plan=plan, reason="Bổ sung kinh phí")
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and plan.number == "01/KH-CCTDC"
    assert plan.history.first().history_change_reason == "Bổ sung kinh phí"


def test_entry_rules(units):
    cast = units
    inspector = cast.users["ag_inspector"]
    plan = draft_plan(cast, "ag", forms={"stp": "on_site"})
    base = {"form": "on_site", "expected_from": date(YEAR, 4, 1), "expected_to": date(YEAR, 4, 2)}
    with pytest.raises(ValidationError) as exc:
        services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies["cb_snv"], data=base)
    assert "The agency belongs to another province." in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies["ag_stp"], data=base)
    assert "Sở Tư pháp is already in the plan." in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies["ag_snv"],
                                data={**base, "expected_to": date(YEAR + 1, 1, 2)})
    assert "The date must fall in the plan's year (2026)." in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies["ag_snv"],
                                data={**base, "expected_to": date(YEAR, 3, 1)})
    assert "The end of the period cannot be before its start." in messages(exc)
    assert plan.entries.count() == 1


def test_an_approved_plan_is_frozen(units):
    cast = units
    plan = approved_plan(cast, "ag")
    with pytest.raises(ValidationError) as exc:
        services.plan_update(actor=cast.users["ag_inspector"], plan=plan, data={"purpose": "x"})
    assert "Only a draft plan can be changed: the plan is approved." in messages(exc)
    with pytest.raises(ValidationError):
        services.plan_entry_remove(actor=cast.users["ag_inspector"], entry=plan.entries.first())


def test_one_plan_per_province_and_year(units):
    cast = units
    draft_plan(cast, "ag")
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=cast.users["ag_inspector"], year=YEAR)
    assert "The province already has an inspection plan for 2026." in messages(exc)


def test_no_inspecting_unit_configured(cast):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=cast.users["ag_inspector"], year=YEAR)
    assert "The province has no inspecting unit yet" in messages(exc)


def test_close_needs_every_record_signed(world):
    cast = world.cast
    plan = world.plans["ag"]
    with pytest.raises(ValidationError) as exc:
        services.plan_close(actor=cast.users["ag_inspector"], plan=plan)
    assert "These inspections have no signed record yet" in messages(exc) and "Sở Khoa học" in messages(exc)


def test_unplanned_inspection_needs_a_reason(units):
    cast = units
    with pytest.raises(ValidationError) as exc:
        services.inspection_create_unplanned(actor=cast.users["ag_inspector"], agency=cast.agencies["ag_snv"],
                                             form="on_site", reason="", today=VISIT_ON)
    assert "Say why this unplanned inspection is needed." in messages(exc)
    inspection = services.inspection_create_unplanned(
        actor=cast.users["ag_inspector"], agency=cast.agencies["ag_snv"], form="on_site",
        reason="Phản ánh của người dân về giải quyết TTHC", scheduled_on=VISIT_ON, today=VISIT_ON)
    assert inspection.kind == "unplanned" and inspection.plan is None and inspection.year == 2026


# --- request to report and self-assessment ------------------------------------------------------------------


def test_report_request_numbers_and_prefills(units, django_capture_on_commit_callbacks, mailoutbox):
    from qms.models import Edition, QmsRecord

    cast = units
    plan = approved_plan(cast, "ag")
    QmsRecord.objects.create(agency=cast.agencies["ag_stp"], edition=Edition.ISO_2008, consultant="")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.report_request_send(actor=cast.users["ag_inspector"],
                                               inspections=list(plan.inspections.all()),
                                               deadline=date(YEAR, 3, 31), today=date(YEAR, 3, 2))
    assert request.number == "01/CCTDC" and request.deadline == date(YEAR, 3, 31)
    plan.refresh_from_db()
    assert plan.state == PlanState.IN_PROGRESS
    stp = plan.inspections.get(agency=cast.agencies["ag_stp"])
    assert stp.status == InspectionStatus.REQUESTED
    answers = {a.item.code: a for a in stp.answers.select_related("item")}
    assert len(answers) == 13
    assert answers["requirements-complied"].result == "not_met"
    assert answers["requirements-complied"].prefill["edition"] == Edition.ISO_2008  # facts, not text
    assert answers["requirements-complied"].prefill_note == ""
    assert answers["consultant-properly-selected"].result == "na"
    # the two STP users get one e-mail each about the request
    assert sorted(m.to[0] for m in mailoutbox) == ["ag_head@example.invalid", "ag_officer@example.invalid"]
    assert "01/CCTDC" in mailoutbox[0].subject


def test_report_request_rules(units):
    cast = units
    plan = approved_plan(cast, "ag")
    inspections = list(plan.inspections.all())
    with pytest.raises(ValidationError) as exc:
        services.report_request_send(actor=cast.users["ag_inspector"], inspections=inspections,
                                     deadline=date(YEAR, 3, 1), today=date(YEAR, 3, 2))
    assert "The deadline cannot be before the date of the request (02/03/2026)." in messages(exc)
    services.report_request_send(actor=cast.users["ag_inspector"], inspections=inspections[:1],
                                 deadline=date(YEAR, 3, 31), today=date(YEAR, 3, 2))
    with pytest.raises(ValidationError) as exc:
        services.report_request_send(actor=cast.users["ag_inspector"], inspections=inspections,
                                     deadline=date(YEAR, 3, 31), today=date(YEAR, 3, 2))
    assert "have already been asked to report" in messages(exc)


def test_self_assessment_submit_needs_every_answer(units):
    cast = units
    plan = approved_plan(cast, "ag")
    stp = plan.inspections.get(agency=cast.agencies["ag_stp"])
    officer = cast.users["ag_officer"]
    services.self_assessment_save(actor=officer, inspection=stp, answers=[
        {"item": "scope-covers-procedures", "result": "met", "explanation": "Đủ 45/45 TTHC"}])
    with pytest.raises(ValidationError) as exc:
        services.self_assessment_submit(actor=officer, inspection=stp)
    assert "Answer every checklist item before submitting; still unanswered:" in messages(exc)
    items = [a.item.code for a in stp.answers.select_related("item")]
    services.self_assessment_save(actor=officer, inspection=stp, answers=[{"item": c, "result": "met"} for c in items])
    services.self_assessment_submit(actor=officer, inspection=stp)
    stp.refresh_from_db()
    assert stp.status == InspectionStatus.SELF_ASSESSED and stp.self_assessment_submitted_by == officer
    with pytest.raises(ValidationError) as exc:
        services.self_assessment_save(actor=officer, inspection=stp, answers=[])
    assert "already submitted" in messages(exc)


def test_self_assessment_only_for_own_agency(units):
    cast = units
    plan = approved_plan(cast, "ag")
    snv = plan.inspections.get(agency=cast.agencies["ag_snv"])
    with pytest.raises(PermissionDenied) as exc:
        services.self_assessment_save(actor=cast.users["ag_officer"], inspection=snv, answers=[])
    assert "your own agency" in str(exc.value)


# --- decision and record ----------------------------------------------------------------------------------


def test_decision_only_for_on_site_inspections(units):
    cast = units
    plan = approved_plan(cast, "ag")
    ubnd = plan.inspections.get(agency=cast.agencies["ag_ubnd"])
    with pytest.raises(ValidationError) as exc:
        services.decision_issue(actor=cast.users["ag_inspector"], inspections=[ubnd], issued_on=DECIDED_ON,
                                starts_on=VISIT_ON, ends_on=VISIT_ON, team_leader="A", today=DECIDED_ON)
    assert "Only on-site inspections need a decision" in messages(exc)


def test_decision_dates(units):
    cast = units
    plan = approved_plan(cast, "ag")
    stp = plan.inspections.get(agency=cast.agencies["ag_stp"])
    with pytest.raises(ValidationError) as exc:
        services.decision_issue(actor=cast.users["ag_inspector"], inspections=[stp], issued_on=DECIDED_ON,
                                starts_on=date(YEAR, 3, 1), ends_on=date(YEAR, 2, 1), team_leader="",
                                today=DECIDED_ON)
    error = exc.value.message_dict
    assert error["starts_on"] == ["The inspection cannot start before the decision is issued."]
    assert error["ends_on"] == ["The end of the period cannot be before its start."]
    assert error["team_leader"] == ["Name the team leader."]


def test_sign_refuses_unanswered_items(open_world):
    world = open_world
    inspection = world.inspections["ag_stp"]
    services.record_save(actor=world.cast.users["ag_inspector"], inspection=inspection,
                         results=[{"item": "complaints-handled", "result": ""},
                                  {"item": "improvement-activities", "result": ""}])
    with pytest.raises(ValidationError) as exc:
        services.record_sign(actor=world.cast.users["ag_inspector"], inspection=inspection, signed_on=SIGNED_ON,
                             today=SIGNED_ON)
    assert "These checklist items have no result yet: 6, 7." in messages(exc)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DECIDED and inspection.record.number == ""


def test_sign_on_site_needs_a_decision(units):
    cast = units
    plan = approved_plan(cast, "ag")
    stp = plan.inspections.get(agency=cast.agencies["ag_stp"])
    with pytest.raises(ValidationError) as exc:
        services.record_sign(actor=cast.users["ag_inspector"], inspection=stp, signed_on=SIGNED_ON, today=SIGNED_ON,
                             data={"team_leader_name": "A", "agency_representative": "B"})
    assert "An on-site inspection needs an inspection decision before its record is signed." in messages(exc)


def test_due_date_before_the_record_date_is_refused(open_world):
    world = open_world
    inspector = world.cast.users["ag_inspector"]
    finding = world.findings["ag_stp"]
    with pytest.raises(ValidationError) as exc:
        services.finding_update(actor=inspector, finding=finding, data={"due_on": date(YEAR, 3, 1)}, today=VISIT_ON)
    assert exc.value.message_dict["due_on"] == [
        "The due date cannot be before the date of the inspection record (10/03/2026)."]
    services.finding_update(actor=inspector, finding=finding, data={"due_on": date(YEAR, 3, 20)}, today=VISIT_ON)
    with pytest.raises(ValidationError) as exc:
        services.record_sign(actor=inspector, inspection=world.inspections["ag_stp"], signed_on=date(YEAR, 3, 25),
                             today=date(YEAR, 3, 25))
    assert "Finding 1: the due date 20/03/2026 is before the record date 25/03/2026." in messages(exc)


def test_signing_sets_due_dates_numbers_and_freezes(open_world, django_capture_on_commit_callbacks):
    world = open_world
    inspector = world.cast.users["ag_inspector"]
    inspection = world.inspections["ag_stp"]
    with django_capture_on_commit_callbacks() as callbacks:
        record = services.record_sign(actor=inspector, inspection=inspection, signed_on=SIGNED_ON, today=SIGNED_ON)
    # two tasks after the commit: the record's PDF, and the e-mail telling the agency its findings
    assert record.number == "01/BB-CCTDC" and record.signed_by == inspector and len(callbacks) == 2
    finding = world.findings["ag_stp"]
    finding.refresh_from_db()
    assert finding.due_on == DEFAULT_DUE
    assert finding.events.filter(kind="due_date_set").exists()
    with pytest.raises(ValidationError) as exc:
        services.record_save(actor=inspector, inspection=inspection, results=[])
    assert "is signed; the inspection can no longer be changed" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.finding_create(actor=inspector, inspection=inspection, checklist_item=finding.checklist_item,
                                classification=finding.classification, description="x", today=SIGNED_ON)
    assert "findings can no longer be added" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.finding_update(actor=inspector, finding=finding, data={"description": "y"})
    assert "only the due date of a finding can still change" in messages(exc)


def test_add_months_clamps_the_day():
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 10), 2) == date(2026, 5, 10)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_finding_classification_is_configurable(open_world):
    world = open_world
    FindingClass.objects.create(code="serious", name="Tồn tại nghiêm trọng", name_en="Serious", order=0)
    retired = FindingClass.objects.get(code="recommendation")
    retired.is_active = False
    retired.save()
    inspection = world.inspections["ag_stp"]
    item = world.items(inspection)["complaints-handled"]
    finding = services.finding_create(actor=world.cast.users["ag_inspector"], inspection=inspection,
                                      checklist_item=item, classification=FindingClass.objects.get(code="serious"),
                                      description="Chưa giải quyết khiếu nại", today=VISIT_ON)
    assert finding.number == 2
    with pytest.raises(ValidationError) as exc:
        services.finding_create(actor=world.cast.users["ag_inspector"], inspection=inspection, checklist_item=item,
                                classification=retired, description="x", today=VISIT_ON)
    assert "This classification is no longer in use." in messages(exc)


# --- findings to closure -----------------------------------------------------------------------------------


def test_respond_only_to_your_own_agency(world):
    cast = world.cast
    with pytest.raises(PermissionDenied) as exc:
        services.finding_respond(actor=cast.users["ag_officer"], finding=world.findings["ag_snv"],
                                 action_taken="x", files=[pdf_upload()])
    assert str(exc.value) == "You can only act for your own agency."
    with pytest.raises(PermissionDenied):
        services.finding_respond(actor=cast.users["ag_inspector"], finding=world.findings["ag_stp"],
                                 action_taken="x", files=[pdf_upload()])


def test_respond_needs_a_signed_record_an_action_and_evidence(open_world):
    world = open_world
    officer = world.users["ag_stp_officer"]
    with pytest.raises(ValidationError) as exc:
        services.finding_respond(actor=officer, finding=world.findings["ag_stp"], action_taken="x",
                                 files=[pdf_upload()])
    assert "The inspection record is not signed yet." in messages(exc)
    services.record_sign(actor=world.cast.users["ag_inspector"], inspection=world.inspections["ag_stp"],
                         signed_on=SIGNED_ON, today=SIGNED_ON)
    with pytest.raises(ValidationError) as exc:
        services.finding_respond(actor=officer, finding=world.findings["ag_stp"], action_taken="Đã khắc phục")
    assert exc.value.message_dict == {"files": ["Attach at least one evidence file."]}
    with pytest.raises(ValidationError) as exc:
        services.finding_respond(actor=officer, finding=world.findings["ag_stp"], action_taken=" ",
                                 files=[pdf_upload()])
    assert exc.value.message_dict == {"action_taken": ["Describe the corrective action taken."]}


def test_evidence_file_checks(world, settings, png_upload):
    officer = world.users["ag_stp_officer"]
    finding = world.findings["ag_stp"]
    with pytest.raises(ValidationError) as exc:
        services.finding_evidence_add(actor=officer, finding=finding, uploaded=png_upload("bien-ban.pdf"))
    assert "The file's name says one kind but its content is PNG." in messages(exc)
    settings.FILE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        services.finding_evidence_add(actor=officer, finding=finding, uploaded=pdf_upload(size=5000))
    assert "The file is too large" in messages(exc)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as exc:
        services.finding_evidence_add(actor=officer, finding=finding,
                                      uploaded=SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10))
    assert "Only these kinds of file are accepted" in messages(exc)
    assert not finding.evidence.exists()
    assert not finding.events.filter(kind="evidence_added").exists()


def test_full_life_with_timeline(world):
    cast = world.cast
    inspector, officer = cast.users["ag_inspector"], world.users["ag_stp_officer"]
    finding = world.findings["ag_stp"]
    services.finding_evidence_add(actor=officer, finding=finding, uploaded=pdf_upload("quyet-dinh.pdf"))
    response = services.finding_respond(actor=officer, finding=finding, action_taken="Đã họp xem xét của lãnh đạo",
                                        files=[pdf_upload("bien-ban-hop.pdf")])
    assert response.evidence.count() == 2  # the earlier upload joins the response
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESPONDED
    with pytest.raises(ValidationError) as exc:
        services.finding_reject(actor=inspector, finding=finding, reason="")
    assert exc.value.message_dict == {"reason": ["Say why the response is not accepted."]}
    services.finding_reject(actor=inspector, finding=finding, reason="Biên bản chưa có chữ ký của Giám đốc",
                            new_due_on=date(YEAR, 6, 30), today=date(YEAR, 5, 12))
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REJECTED and finding.due_on == date(YEAR, 6, 30)
    assert response.__class__.objects.get(pk=response.pk).outcome == ResponseOutcome.REJECTED
    second = services.finding_respond(actor=officer, finding=finding, action_taken="Bổ sung chữ ký",
                                      files=[pdf_upload("bo-sung.pdf")])
    services.finding_accept(actor=inspector, finding=finding, note="Đạt", today=date(YEAR, 6, 1))
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ACCEPTED and finding.closed_on == date(YEAR, 6, 1)
    assert second.__class__.objects.get(pk=second.pk).outcome == ResponseOutcome.ACCEPTED
    kinds = list(finding.events.values_list("kind", "actor__username"))
    assert kinds == [
        ("created", "ag_inspector"), ("due_date_set", "ag_inspector"), ("evidence_added", "ag_stp_officer"),
        ("evidence_added", "ag_stp_officer"), ("responded", "ag_stp_officer"), ("rejected", "ag_inspector"),
        ("evidence_added", "ag_stp_officer"), ("responded", "ag_stp_officer"), ("accepted", "ag_inspector")]
    rejected = finding.events.get(kind="rejected")
    assert rejected.reason == "Biên bản chưa có chữ ký của Giám đốc" and rejected.data["new_due_on"] == "2026-06-30"
    assert finding.responses.count() == 2 and finding.evidence.count() == 3  # nothing deleted


def test_accept_without_a_response(world):
    with pytest.raises(ValidationError) as exc:
        services.finding_accept(actor=world.cast.users["ag_inspector"], finding=world.findings["ag_stp"])
    assert "There is no response to review: the agency has not responded to this finding yet." in messages(exc)


def test_accept_and_reject_at_once_one_wins(world):
    """Two reviewers loaded the finding while it was responded; the second conditional update finds nothing."""
    cast = world.cast
    respond(world, "ag_stp")
    from audits.models import Finding

    seen_by_first = Finding.objects.get(pk=world.findings["ag_stp"].pk)
    seen_by_second = Finding.objects.get(pk=world.findings["ag_stp"].pk)
    assert seen_by_first.status == seen_by_second.status == FindingStatus.RESPONDED
    services.finding_accept(actor=cast.users["ag_inspector"], finding=seen_by_first)
    with pytest.raises(ConflictError) as exc:
        services.finding_reject(actor=cast.users["ag_inspector"], finding=seen_by_second, reason="Chưa đạt")
    assert "This finding was already accepted by" in str(exc.value)  # the API answers it as 409
    finding = Finding.objects.get(pk=seen_by_first.pk)
    assert finding.status == FindingStatus.ACCEPTED
    assert list(finding.events.filter(kind__in=["accepted", "rejected"]).values_list("kind", flat=True)) == [
        "accepted"]


def test_reject_then_accept_race_also_conflicts(world):
    respond(world, "ag_stp")
    from audits.models import Finding

    first, second = (Finding.objects.get(pk=world.findings["ag_stp"].pk) for _ in range(2))
    services.finding_reject(actor=world.cast.users["ag_inspector"], finding=first, reason="Thiếu hồ sơ")
    with pytest.raises(ConflictError) as exc:
        services.finding_accept(actor=world.cast.users["ag_inspector"], finding=second)
    assert "already not accepted" in str(exc.value)


def test_overdue_is_computed(world):
    from audits.models import Finding

    finding = world.findings["ag_stp"]
    assert finding.due_on == DEFAULT_DUE
    assert Finding.objects.overdue(date(YEAR, 5, 10)).filter(pk=finding.pk).count() == 0
    assert Finding.objects.overdue(date(YEAR, 5, 11)).filter(pk=finding.pk).count() == 1
    respond(world, "ag_stp")
    # issue 13: a response under review does not end the lateness; only acceptance does
    assert Finding.objects.overdue(date(YEAR, 5, 11)).filter(pk=finding.pk).count() == 1
    assert "is_overdue" not in [f.name for f in Finding._meta.fields]


def test_due_date_change_after_signing_needs_a_reason(world):
    inspector = world.cast.users["ag_inspector"]
    finding = world.findings["ag_stp"]
    with pytest.raises(ValidationError) as exc:
        services.finding_update(actor=inspector, finding=finding, data={"due_on": date(YEAR, 7, 1)})
    assert exc.value.message_dict == {"reason": ["Say why the due date changes."]}
    services.finding_update(actor=inspector, finding=finding, data={"due_on": date(YEAR, 7, 1)},
                            reason="Cơ quan đề nghị gia hạn")
    event = FindingEvent.objects.filter(finding=finding).latest("at")
    assert (event.kind, event.data["old"], event.data["new"]) == ("due_date_changed", "2026-05-10", "2026-07-01")
