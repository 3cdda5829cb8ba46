from qms_portal.generated import PdfStatus, Printable

from .checklists import ChecklistGroup, ChecklistItem, ChecklistVersion, FindingClass
from .findings import (
    AWAITING_AGENCY,
    CLOSED_STATES,
    REPLACED_DUE,
    EvidenceSide,
    Finding,
    FindingEvent,
    FindingEventKind,
    FindingEvidence,
    FindingResponse,
    FindingStatus,
    RejectionLetter,
    ReminderKind,
    ReminderLog,
    ResponseOutcome,
    finding_accepted_by,
    finding_closed_by,
    finding_closed_late_by,
    finding_not_closed,
    finding_open_on,
    finding_overdue_on,
    finding_to_act_on,
    findings_answered_by,
    findings_answered_by_on,
)
from .inspections import (
    AgencyChecklistAnswer,
    ChecklistResult,
    Inspection,
    InspectionDecision,
    InspectionKind,
    InspectionRecord,
    InspectionStatus,
    RecordItemResult,
    ReportRequest,
    TeamMember,
    TeamRole,
)
from .plans import APPROVED_STATES, InspectionForm, InspectionPlan, PlanEntry, PlanState

__all__ = [
    "APPROVED_STATES", "AWAITING_AGENCY", "CLOSED_STATES", "REPLACED_DUE", "AgencyChecklistAnswer", "ChecklistGroup",
    "ChecklistItem", "ChecklistResult", "ChecklistVersion", "EvidenceSide", "Finding", "FindingClass", "FindingEvent",
    "FindingEventKind", "FindingEvidence", "FindingResponse", "FindingStatus", "Inspection", "InspectionDecision",
    "InspectionForm", "InspectionKind", "InspectionPlan", "InspectionRecord", "InspectionStatus", "PdfStatus",
    "PlanEntry", "PlanState", "Printable", "RecordItemResult", "RejectionLetter", "ReminderKind", "ReminderLog",
    "ReportRequest", "ResponseOutcome", "TeamMember", "TeamRole", "finding_accepted_by", "finding_closed_by",
    "finding_closed_late_by", "finding_not_closed", "finding_open_on", "finding_overdue_on", "finding_to_act_on",
    "findings_answered_by", "findings_answered_by_on",
]
