"""A finding's refusals and records as the user reads them (audits.services.findings): each refusal compared whole
(field, translated message, code), each change with the event and history it leaves. test_rules.py checks the
same life by substring in English. Written from the survivors of `make mutate MODULES=findings`
(docs/mutation.md)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from audits import services
from audits.models import (
    ChecklistItem,
    ChecklistVersion,
    EvidenceSide,
    Finding,
    FindingClass,
    FindingEvent,
    FindingEventKind,
    FindingStatus,
)
from qms_portal.errors import ConflictError
from tests.audits.conftest import DEFAULT_DUE, SIGNED_ON, VISIT_ON, pdf_upload, respond

pytestmark = pytest.mark.django_db


def refused(call, *, field=None, message, code=None):
    with pytest.raises(ValidationError) as error:
        call()
    if field:
        assert error.value.message_dict == {field: [message]}
    else:
        assert (error.value.messages, error.value.code) == ([message], code)


def short(day):
    return day.strftime("%d/%m/%Y")


def test_a_signed_record_takes_no_new_finding(world):
    inspection, finding = world.inspections["ag_stp"], world.findings["ag_stp"]
    refused(lambda: services.finding_create(
        actor=world.cast.users["ag_inspector"], inspection=inspection, checklist_item=finding.checklist_item,
        classification=finding.classification, description="Thêm", today=SIGNED_ON),
        message=gettext("The inspection record is signed: findings can no longer be added to it."), code="signed")


def test_what_a_new_finding_must_be(open_world):
    inspection, finding = open_world.inspections["ag_stp"], open_world.findings["ag_stp"]
    inspector = open_world.cast.users["ag_inspector"]

    def create(**given):
        data = {"checklist_item": finding.checklist_item, "classification": finding.classification,
                "description": "Chưa có chính sách chất lượng.", **given}
        return services.finding_create(actor=inspector, inspection=inspection, today=VISIT_ON, **data)

    refused(lambda: create(description="  \n "), field="description", message=gettext("Describe the finding."))
    inactive = FindingClass.objects.create(code="old-class", name="Cũ", is_active=False)
    refused(lambda: create(classification=inactive), field="classification",
            message=gettext("This classification is no longer in use."))
    other_version = ChecklistVersion.objects.create(code="v2099", title="Khác", legal_basis="Khác",
                                                    effective_from=date(2099, 1, 1))
    stray = ChecklistItem.objects.create(version=other_version, code="x", number=1, group="iso9001", text="Khác")
    refused(lambda: create(checklist_item=stray), field="checklist_item",
            message=gettext("The item is not in this inspection's checklist."))
    record_day = min(inspection.scheduled_on or VISIT_ON, VISIT_ON)
    refused(lambda: create(due_on=record_day - timedelta(days=1)), field="due_on", message=gettext(
        "The due date cannot be before the date of the inspection record (%(date)s).") % {"date": short(record_day)})
    second = create(due_on=record_day, clause=" 8.5 ", description=" Hồ sơ\n thiếu ")
    assert (second.number, second.due_on, second.clause, second.description) == (
        finding.number + 1, record_day, "8.5", "Hồ sơ\n thiếu")
    latest = second.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (inspector, gettext("Recorded"))
    event = FindingEvent.objects.get(finding=second)
    assert (event.kind, event.actor, event.reason, event.data) == (FindingEventKind.CREATED, inspector, "", {
        "classification": finding.classification.code, "item": finding.checklist_item.code})


# Counted on 2026-12-04: recording a finding locks the inspection, reads its last number, then writes the finding,
# its history and its event; a check that reads more (Django's own check of each foreign key, or of the unique
# number, which the lock already guarantees) shows here.
QUERIES_TO_RECORD_A_FINDING = 10


def test_recording_a_finding_costs_few_queries(open_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    inspection, finding = open_world.inspections["ag_stp"], open_world.findings["ag_stp"]
    item, classification = finding.checklist_item, finding.classification
    with CaptureQueriesContext(connection) as queries:
        services.finding_create(actor=open_world.cast.users["ag_inspector"], inspection=inspection,
                                checklist_item=item, classification=classification, description="Thiếu hồ sơ.",
                                today=VISIT_ON)
    assert len(queries) == QUERIES_TO_RECORD_A_FINDING, [q["sql"][:90] for q in queries.captured_queries]


def test_before_signing_anything_changes_and_the_event_names_the_fields(open_world):
    finding, inspector = open_world.findings["ag_stp"], open_world.cast.users["ag_inspector"]
    services.finding_update(actor=inspector, finding=finding, data={"description": "Mô tả mới", "clause": "9.1"},
                            today=VISIT_ON)
    event = FindingEvent.objects.filter(finding=finding).latest("pk")
    assert (event.kind, event.data) == (FindingEventKind.UPDATED, {"fields": ["clause", "description"]})
    count = FindingEvent.objects.count()
    services.finding_update(actor=inspector, finding=finding, data={"clause": "9.1"}, today=VISIT_ON)
    assert FindingEvent.objects.count() == count, "no change, no event"


def test_after_signing_only_the_due_date_changes_with_a_reason(world):
    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]

    def update(data, reason=""):
        return services.finding_update(actor=inspector, finding=finding, data=data, reason=reason, today=SIGNED_ON)

    refused(lambda: update({"description": "Khác"}),
            message=gettext("The record is signed: only the due date of a finding can still change."), code="signed")
    new_due = DEFAULT_DUE + timedelta(days=30)
    refused(lambda: update({"due_on": new_due}), field="reason", message=gettext("Say why the due date changes."))
    refused(lambda: update({"due_on": None}, "Bỏ hạn"), field="due_on",
            message=gettext("A signed finding needs a due date."))
    refused(lambda: update({"due_on": SIGNED_ON - timedelta(days=1)}, "Sớm hơn"), field="due_on", message=gettext(
        "The due date cannot be before the date of the inspection record (%(date)s).") % {"date": short(SIGNED_ON)})
    update({"due_on": new_due}, " Cơ quan xin gia hạn ")
    event = FindingEvent.objects.filter(finding=finding).latest("pk")
    assert (event.kind, event.reason, event.data) == (FindingEventKind.DUE_DATE_CHANGED, "Cơ quan xin gia hạn", {
        "old": DEFAULT_DUE.isoformat(), "new": new_due.isoformat()})
    assert Finding.objects.get(pk=finding.pk).history.latest().history_change_reason == "Cơ quan xin gia hạn"


def test_a_closed_finding_changes_no_more(world):
    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    respond(world, "ag_stp")
    services.finding_accept(actor=inspector, finding=finding, today=SIGNED_ON + timedelta(days=5))
    refused(lambda: services.finding_update(actor=inspector, finding=finding, data={"due_on": DEFAULT_DUE},
                                            reason="x"), message=gettext("The finding is closed."), code="closed")
    refused(lambda: services.finding_evidence_add(actor=inspector, finding=finding, uploaded=pdf_upload()),
            message=gettext("The finding is closed."), code="closed")


def test_the_agency_answers_only_a_signed_finding_waiting_for_it(open_world):
    finding = open_world.findings["ag_stp"]
    officer = open_world.users.get("ag_stp_officer") or open_world.cast.users["ag_officer"]
    refused(lambda: services.finding_evidence_add(actor=officer, finding=finding, uploaded=pdf_upload()),
            message=gettext("The inspection record is not signed yet."), code="unsigned")


def test_a_response_under_review_takes_no_second_one(world):
    finding = world.findings["ag_stp"]
    respond(world, "ag_stp")
    state = FindingStatus.RESPONDED.label.lower()
    refused(lambda: respond(world, "ag_stp"), message=gettext(
        "The finding is not waiting for a response (it is %(state)s).") % {"state": state}, code="state")
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.RESPONDED


def test_what_a_response_needs(world):
    finding = world.findings["ag_stp"]
    officer = world.users["ag_stp_officer"]
    refused(lambda: services.finding_respond(actor=officer, finding=finding, action_taken=" ", files=[pdf_upload()]),
            field="action_taken", message=gettext("Describe the corrective action taken."))
    refused(lambda: services.finding_respond(actor=officer, finding=finding, action_taken="Đã làm"),
            field="files", message=gettext("Attach at least one evidence file."))
    refused(lambda: services.finding_respond(actor=officer, finding=finding, action_taken="Đã làm",
                                             evidence_ids=[10**9]),
            field="evidence", message=gettext("Some evidence files do not belong to this finding or cannot be "
                                              "sent again."))
    evidence = services.finding_evidence_add(actor=officer, finding=finding, uploaded=pdf_upload(), note="x" * 300)
    assert (evidence.side, evidence.note) == (EvidenceSide.AGENCY, "x" * 255)
    response = services.finding_respond(actor=officer, finding=finding, action_taken="Đã làm", cause=" Thiếu ",
                                        evidence_ids=[evidence.pk])
    assert response.cause == "Thiếu" and list(response.evidence.all()) == [evidence]
    stored = Finding.objects.get(pk=finding.pk)
    assert stored.status == FindingStatus.RESPONDED
    assert (stored.history.latest().history_user, stored.history.latest().history_change_reason) == (
        officer, gettext("Response submitted"))
    event = FindingEvent.objects.filter(finding=finding).latest("pk")
    assert (event.kind, event.reason, event.data) == (FindingEventKind.RESPONDED, "Đã làm",
                                                      {"response": response.pk, "evidence": 1})


def test_the_teams_evidence_and_its_side(world):
    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    evidence = services.finding_evidence_add(actor=inspector, finding=finding, uploaded=pdf_upload("anh.pdf"))
    event = FindingEvent.objects.filter(finding=finding).latest("pk")
    assert evidence.side == EvidenceSide.INSPECTOR and evidence.uploaded_by == inspector
    assert (event.kind, event.data) == (FindingEventKind.EVIDENCE_ADDED, {
        "file": "anh.pdf", "side": EvidenceSide.INSPECTOR, "evidence": evidence.pk})


def test_reviewing_refusals(world):
    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    refused(lambda: services.finding_accept(actor=inspector, finding=finding, today=SIGNED_ON),
            message=gettext("There is no response to review: the agency has not responded to this finding yet."),
            code="no_response")
    respond(world, "ag_stp")
    refused(lambda: services.finding_reject(actor=inspector, finding=finding, reason=" ", today=SIGNED_ON),
            field="reason", message=gettext("Say why the response is not accepted."))
    refused(lambda: services.finding_reject(actor=inspector, finding=finding, reason="Thiếu", today=SIGNED_ON,
                                            new_due_on=SIGNED_ON - timedelta(days=1)),
            field="new_due_on", message=gettext("The new due date cannot be in the past."))
    rejected = services.finding_reject(actor=inspector, finding=finding, reason="Thiếu minh chứng", today=SIGNED_ON,
                                       new_due_on=SIGNED_ON)
    assert (rejected.status, rejected.due_on) == (FindingStatus.REJECTED, SIGNED_ON)
    latest = rejected.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (inspector, str(FindingStatus.REJECTED.label))
    event = FindingEvent.objects.filter(finding=finding).latest("pk")
    assert event.kind == FindingEventKind.REJECTED and event.reason == "Thiếu minh chứng"
    assert (event.data["old_due_on"], event.data["new_due_on"]) == (DEFAULT_DUE.isoformat(), SIGNED_ON.isoformat())
    response = rejected.responses.get()
    assert (response.outcome, response.decided_by, response.decision_reason) == ("rejected", inspector,
                                                                                 "Thiếu minh chứng")


def test_the_second_reviewer_is_told_who_was_first(world):
    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    respond(world, "ag_stp")
    stale = Finding.objects.get(pk=finding.pk)
    accepted = services.finding_accept(actor=inspector, finding=finding, note=" Đạt ",
                                       today=SIGNED_ON + timedelta(days=3))
    assert (accepted.status, accepted.closed_on) == (FindingStatus.ACCEPTED, SIGNED_ON + timedelta(days=3))
    assert accepted.responses.get().decision_reason == "Đạt"
    event = FindingEvent.objects.filter(finding=finding, kind=FindingEventKind.ACCEPTED).get()
    from django.utils import timezone

    from qms_portal.people import person_name

    when = timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M")
    with pytest.raises(ConflictError) as conflict:
        services.finding_reject(actor=inspector, finding=stale, reason="Chưa đạt", today=SIGNED_ON)
    assert str(conflict.value) == gettext("This finding was already accepted by %(who)s at %(when)s.") % {
        "who": person_name(inspector), "when": when}


def test_a_rejection_is_a_numbered_letter_with_its_reason_and_new_due_date(world):
    from audits.models import RejectionLetter

    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    response = respond(world, "ag_stp")
    new_due = SIGNED_ON + timedelta(days=40)
    services.finding_reject(actor=inspector, finding=finding, reason="Thiếu minh chứng", today=SIGNED_ON,
                            new_due_on=new_due)
    letter = RejectionLetter.objects.get(finding=finding)
    assert (letter.response, letter.reason, letter.new_due_on, letter.created_by, letter.issued_on) == (
        response, "Thiếu minh chứng", new_due, inspector, SIGNED_ON)
    assert letter.number.endswith("/" + letter.issuer.short_code) and letter.number[:2].isdigit()
    assert FindingEvent.objects.filter(finding=finding).latest("pk").data["letter"] == letter.number


def test_the_second_reviewer_is_told_a_rejection_came_first(world):
    from django.utils import timezone

    from qms_portal.people import person_name

    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    respond(world, "ag_stp")
    stale = Finding.objects.get(pk=finding.pk)
    services.finding_reject(actor=inspector, finding=finding, reason="Thiếu", today=SIGNED_ON)
    event = FindingEvent.objects.get(finding=finding, kind=FindingEventKind.REJECTED)
    with pytest.raises(ConflictError) as conflict:
        services.finding_accept(actor=inspector, finding=stale, today=SIGNED_ON)
    assert str(conflict.value) == gettext("This finding was already not accepted by %(who)s at %(when)s.") % {
        "who": person_name(inspector), "when": timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M")}
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.REJECTED


def test_a_due_date_after_signing_is_bounded_by_the_records_date_not_today(world):
    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    later = SIGNED_ON + timedelta(days=60)
    services.finding_update(actor=inspector, finding=finding, data={"due_on": SIGNED_ON + timedelta(days=1)},
                            reason="Rút ngắn", today=later)
    assert Finding.objects.get(pk=finding.pk).due_on == SIGNED_ON + timedelta(days=1)


def test_a_decision_touches_its_finding_alone_and_stamps_it(world):
    finding, other, inspector = world.findings["ag_stp"], world.findings["ag_snv"], world.cast.users["ag_inspector"]
    respond(world, "ag_stp")
    respond(world, "ag_snv")
    before = Finding.objects.get(pk=finding.pk).updated_at
    services.finding_accept(actor=inspector, finding=finding, today=SIGNED_ON + timedelta(days=2))
    assert Finding.objects.get(pk=other.pk).status == FindingStatus.RESPONDED
    assert Finding.objects.get(pk=finding.pk).updated_at > before


def test_a_reviewer_of_another_province_is_refused(world):
    from django.core.exceptions import PermissionDenied

    finding = world.findings["ag_stp"]
    respond(world, "ag_stp")
    with pytest.raises(PermissionDenied):
        services.finding_accept(actor=world.cast.users["cb_inspector"], finding=finding, today=SIGNED_ON)
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.RESPONDED


def test_a_rejected_finding_has_no_response_to_review(world):
    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    respond(world, "ag_stp")
    services.finding_reject(actor=inspector, finding=finding, reason="Thiếu", today=SIGNED_ON)
    refused(lambda: services.finding_accept(actor=inspector, finding=Finding.objects.get(pk=finding.pk),
                                            today=SIGNED_ON),
            message=gettext("There is no response to review: the agency has not responded to this finding yet."),
            code="no_response")


def test_a_response_notifies_the_team_after_the_commit(world, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        respond(world, "ag_stp")
    assert len(callbacks) == 1 and len(mailoutbox) >= 1



def test_the_due_date_is_bounded_by_the_day_the_record_was_signed_not_the_first_day_of_the_visit(world):
    """A visit of several days: the record is signed on its last day, and no finding may fall due before it."""
    from audits.models import InspectionRecord

    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    last_day = SIGNED_ON + timedelta(days=2)
    InspectionRecord.objects.filter(inspection=finding.inspection).update(signed_on=last_day)
    assert finding.inspection.scheduled_on < last_day
    refused(lambda: services.finding_update(actor=inspector, finding=finding, data={"due_on": last_day - timedelta(
        days=1)}, reason="Sớm hơn", today=last_day + timedelta(days=5)), field="due_on", message=gettext(
        "The due date cannot be before the date of the inspection record (%(date)s).") % {"date": short(last_day)})
    services.finding_update(actor=inspector, finding=finding, data={"due_on": last_day}, reason="Rút ngắn",
                            today=last_day + timedelta(days=5))
    assert Finding.objects.get(pk=finding.pk).due_on == last_day


def test_before_signing_the_due_date_is_bounded_by_the_visit_or_today_whichever_is_earlier(open_world):
    inspection, finding = open_world.inspections["ag_stp"], open_world.findings["ag_stp"]
    inspector = open_world.cast.users["ag_inspector"]

    def create(due_on, today):
        return services.finding_create(actor=inspector, inspection=inspection, checklist_item=finding.checklist_item,
                                       classification=finding.classification, description="Thiếu hồ sơ.",
                                       due_on=due_on, today=today)

    visit = inspection.scheduled_on
    # entered a week after the visit: a due date between the visit and today is accepted
    assert create(visit + timedelta(days=1), today=visit + timedelta(days=7)).due_on == visit + timedelta(days=1)
    # entered ahead of a visit still to come: bounded by today
    refused(lambda: create(visit - timedelta(days=4), today=visit - timedelta(days=3)), field="due_on",
            message=gettext("The due date cannot be before the date of the inspection record (%(date)s).") % {
                "date": short(visit - timedelta(days=3))})
    assert create(visit - timedelta(days=3), today=visit - timedelta(days=3)).due_on == visit - timedelta(days=3)
