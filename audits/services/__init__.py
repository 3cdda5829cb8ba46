"""Writes to inspections and findings: all business rules, one transaction each, an audit trail."""

from .findings import (
    finding_accept,
    finding_create,
    finding_evidence_add,
    finding_reject,
    finding_respond,
    finding_update,
    finding_withdraw,
    findings_hand_over,
)
from .inspections import (
    decision_issue,
    inspection_create_unplanned,
    inspection_update,
    record_prepare,
    record_save,
    record_sign,
    report_request_send,
    self_assessment_evidence_add,
    self_assessment_record,
    self_assessment_save,
    self_assessment_submit,
)
from .pdf import pdf_render, pdf_request
from .plans import (
    coverage_errors,
    plan_approve,
    plan_close,
    plan_create,
    plan_entry_add,
    plan_entry_remove,
    plan_entry_update,
    plan_return,
    plan_submit,
    plan_update,
)
from .reminders import due_reminders_send, finding_event_notify, overdue_digest_send, report_request_notify

__all__ = [
    "coverage_errors", "decision_issue", "due_reminders_send", "finding_accept", "finding_create",
    "finding_event_notify", "finding_evidence_add", "finding_reject", "finding_respond", "finding_update",
    "finding_withdraw", "findings_hand_over",
    "inspection_create_unplanned", "inspection_update", "overdue_digest_send", "pdf_render", "pdf_request",
    "plan_approve", "plan_close", "plan_create", "plan_entry_add", "plan_entry_remove", "plan_entry_update",
    "plan_return", "plan_submit", "plan_update", "record_prepare", "record_save", "record_sign",
    "report_request_notify", "report_request_send", "self_assessment_evidence_add", "self_assessment_record",
    "self_assessment_save", "self_assessment_submit",
]
