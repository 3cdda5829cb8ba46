"""Who may do what with periods and reports. Scope (what a user can see) lives in `reports.selectors`.

Outside your scope you get 404 (the selector hides the object); inside it with too low a role, 403.
The agency drafts (ISO officer) and submits (head) its own report; the Sở (inspector or department leader)
accepts, returns or reopens it; the department leader issues consolidated reports, the inspecting unit its
inspection summary; provincial leadership and the ministry read and download, and change nothing.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from agencies.models import Role
from agencies.permissions import scope_of

from .models import ReportKind

ADMIN = Role.ADMINISTRATOR

CAPABILITIES: dict[str, frozenset[str]] = {
    "period.manage": frozenset({ADMIN, Role.DEPARTMENT_LEADER}),  # create ad hoc periods, change deadlines
    "agency_report.draft": frozenset({ADMIN, Role.ISO_OFFICER, Role.AGENCY_HEAD}),
    "agency_report.submit": frozenset({ADMIN, Role.AGENCY_HEAD}),
    "agency_report.review": frozenset({ADMIN, Role.INSPECTOR, Role.DEPARTMENT_LEADER}),  # accept, return, reopen
    "completeness.read": frozenset({ADMIN, Role.INSPECTOR, Role.DEPARTMENT_LEADER, Role.PROVINCIAL_LEADERSHIP,
                                    Role.MINISTRY}),
    "report.read": frozenset({ADMIN, Role.INSPECTOR, Role.DEPARTMENT_LEADER, Role.PROVINCIAL_LEADERSHIP,
                              Role.MINISTRY}),
}

# Who may request (issue) each kind of consolidated report.
REQUEST_ROLES: dict[str, frozenset[str]] = {
    ReportKind.PROVINCIAL: frozenset({ADMIN, Role.DEPARTMENT_LEADER}),
    ReportKind.MINISTRY: frozenset({ADMIN, Role.DEPARTMENT_LEADER}),
    ReportKind.INSPECTION_SUMMARY: frozenset({ADMIN, Role.DEPARTMENT_LEADER, Role.INSPECTOR}),
    ReportKind.NATIONAL: frozenset({ADMIN}),
}

DENIED = _("Your role does not allow this action.")


def has_capability(user, capability: str) -> bool:
    return scope_of(user).role in CAPABILITIES[capability]


def require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied(DENIED)


def can_request(user, kind: str | None = None) -> bool:
    role = scope_of(user).role
    if kind is None:
        return any(role in roles for roles in REQUEST_ROLES.values())
    return role in REQUEST_ROLES.get(kind, frozenset())


def require_request(user, kind: str) -> None:
    if not can_request(user, kind):
        raise PermissionDenied(DENIED)


def require_own_agency(user, agency_id: int) -> None:
    """Agency roles act only for their own agency; the administrator acts for any."""
    scope = scope_of(user)
    if scope.is_agency and scope.agency_id != agency_id:
        raise PermissionDenied(_("You can only report for your own agency."))
