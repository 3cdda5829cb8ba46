"""What a user may do now with a plan, an inspection or a finding: the names of the page's actions (issue 20).

The pages show a form only when its action is in this set, so the rules of who may act on what, and when, live in
one place instead of being repeated as booleans in each view. These are read-only predicates (selectors): the
services stay the authority and refuse, with their own messages, an action whose state no longer fits.
"""

from agencies.access import can, scope_of

from .models import AWAITING_AGENCY, FindingStatus, InspectionForm, InspectionStatus, PlanState


def plan_actions(user, plan) -> set[str]:
    actions = set()
    if can(user, "plan.edit") and plan.state == PlanState.DRAFT:
        actions |= {"texts", "entry", "entry-remove", "submit"}
    if can(user, "plan.approve") and plan.state == PlanState.SUBMITTED:
        actions |= {"approve", "return"}
    if can(user, "inspection.manage") and plan.state in (PlanState.APPROVED, PlanState.IN_PROGRESS):
        actions.add("request")
        if can(user, "plan.edit"):
            actions.add("close")
    return actions


def inspection_actions(user, inspection) -> set[str]:
    if inspection.status == InspectionStatus.SIGNED:
        return set()
    actions = set()
    own_agency = scope_of(user).agency_id == inspection.agency_id
    if can(user, "inspection.self_assess") and own_agency and not inspection.self_assessment_submitted_at:
        actions |= {"self", "self-submit"}
    if can(user, "inspection.manage"):
        actions |= {"schedule", "checklist", "sign"}
        if inspection.form == InspectionForm.ON_SITE and not inspection.decision_id:
            actions.add("decision")
        if not inspection.report_request_id:
            actions.add("request")
    if can(user, "finding.record"):
        actions.add("finding")
    return actions


def _awaits_agency(finding) -> bool:
    return finding.status in AWAITING_AGENCY and finding.inspection.status == InspectionStatus.SIGNED


def can_respond(user, finding) -> bool:
    """The staff of the agency answering the finding (`Finding.responsible_agency`: its own, or one merged into it)
    answer a finding of a signed record that awaits them, while that agency is open (the service checks it too)."""
    return (can(user, "finding.respond") and scope_of(user).agency_id == finding.responsible_agency_id
            and finding.responsible_agency.is_active and _awaits_agency(finding))


def finding_actions(user, finding) -> set[str]:
    actions = {"respond", "evidence"} if can_respond(user, finding) else set()
    if can(user, "finding.review") and not finding.is_closed:
        actions.add("evidence")
        if finding.status == FindingStatus.RESPONDED:
            actions |= {"accept", "reject"}
        if finding.inspection.status == InspectionStatus.SIGNED and can(user, "finding.record"):
            actions.add("due")
        if _awaits_agency(finding) and not finding.responsible_agency.is_active:
            actions.add("withdraw")  # dissolved without a successor: nobody is left to answer
    return actions
