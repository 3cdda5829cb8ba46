"""Who may do what in inspections. Scope (what a user can see) lives in `audits.selectors`.

Outside your scope you get 404 (the selector hides the object); inside it with too low a role, 403.
Workflow acts are done by people with a legal role in them: the inspector plans, inspects and reviews
corrective actions; the department leader approves plans on behalf of UBND tỉnh; the agency answers.
Provincial leadership, the ministry and the administrator read (the administrator edits reference data,
such as checklist versions and finding classes, in the Django admin).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from agencies.models import Role
from agencies.permissions import scope_of

INSPECTOR = frozenset({Role.INSPECTOR})
LEADER = frozenset({Role.DEPARTMENT_LEADER})
AGENCY = frozenset({Role.ISO_OFFICER, Role.AGENCY_HEAD})

CAPABILITIES: dict[str, frozenset[str]] = {
    "plan.edit": INSPECTOR,  # create, change, add entries, submit, close
    "plan.approve": LEADER,  # approve or return a submitted plan
    "inspection.manage": INSPECTOR,  # unplanned inspections, requests, decisions, checklist results, sign
    "inspection.self_assess": AGENCY,  # answer the checklist of one's own agency
    "finding.record": INSPECTOR,  # record and change findings, add the team's evidence
    "finding.review": INSPECTOR,  # accept or reject a response
    "finding.respond": AGENCY,  # respond to a finding of one's own agency, add evidence
}


def has_capability(user, capability: str) -> bool:
    return scope_of(user).role in CAPABILITIES[capability]


def require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied(_("Your role does not allow this action."))


def require_own_agency(user, agency_id: int) -> None:
    """Agency roles act only for their own agency (the selectors already hide the others)."""
    if scope_of(user).agency_id != agency_id:
        raise PermissionDenied(_("You can only respond for your own agency."))


def require_province(user, province_id: int) -> None:
    """Province roles act only inside their own province."""
    scope = scope_of(user)
    if scope.is_provincial and scope.province_id != province_id:
        raise PermissionDenied(_("You can only act on inspections of your own province."))
