"""Who may see and do what: the one scope filter and the one capability registry of the portal.

Scope (what a user can see) follows the user's one role: agency roles see their agency, province roles their
province, national roles everything. Every list, count, chart, export, PDF and file starts from `in_scope`
(through an app's selector), so an object outside the scope is simply not found: 404.

Capabilities (what a role may do inside its scope) are the table `CAPABILITIES`, role x action. Services are the
authority: they call `require` (403 for too low a role, or for acting for another agency or province). Views
and the permission-matrix tests read the same table; a view asks an app's `<entity>_actions(user, obj)`
selector for the actions to show on an object (templates get the answers, not the table).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qms_portal.scoping import ScopePaths

from .models import AGENCY_ROLES, NATIONAL_ROLES, PROVINCE_ROLES, Membership, Role

# --- scope ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    role: str | None
    agency_id: int | None = None
    province_id: int | None = None

    @property
    def is_national(self) -> bool:
        return self.role in NATIONAL_ROLES

    @property
    def is_provincial(self) -> bool:
        return self.role in PROVINCE_ROLES

    @property
    def is_agency(self) -> bool:
        return self.role in AGENCY_ROLES


NO_SCOPE = Scope(role=None)


def scope_of(user) -> Scope:
    """The user's role and where it applies; cached on the user object for the request. A disabled account has
    none, wherever it is read: sign-in and tokens refuse it, and so does the worker running what it asked for
    before it was disabled (an import job)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return NO_SCOPE
    cached = getattr(user, "_qms_scope", None)
    if cached is not None:
        return cached
    membership = Membership.objects.filter(user=user).values("role", "agency_id", "province_id").first()
    if membership:
        scope = Scope(membership["role"], membership["agency_id"], membership["province_id"])
    elif user.is_superuser:
        scope = Scope(Role.ADMINISTRATOR)
    else:
        scope = NO_SCOPE
    user._qms_scope = scope
    return scope


def in_scope(queryset: QuerySet, *, user, paths: ScopePaths | None = None) -> QuerySet:
    """The one scope filter: the rows of `queryset` the user may see."""
    paths = paths or queryset.model.scope_paths
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.is_provincial and paths.province:
        if callable(paths.province):
            return queryset.filter(paths.province(scope.province_id))
        return queryset.filter(**{paths.province: scope.province_id})
    if scope.is_agency and paths.agency:
        if callable(paths.agency):
            return queryset.filter(paths.agency(scope.agency_id))
        return queryset.filter(**{paths.agency: scope.agency_id})
    return queryset.none()


# --- capabilities ------------------------------------------------------------------------------------------

ADMIN = Role.ADMINISTRATOR
OFFICER, HEAD = Role.ISO_OFFICER, Role.AGENCY_HEAD
INSPECTOR, LEADER, UBND = Role.INSPECTOR, Role.DEPARTMENT_LEADER, Role.PROVINCIAL_LEADERSHIP
PADMIN = Role.PROVINCE_ADMINISTRATOR
MINISTRY = Role.MINISTRY
AGENCY_STAFF = frozenset({OFFICER, HEAD})
READERS = frozenset({ADMIN, INSPECTOR, LEADER, UBND, MINISTRY})  # the province's and the nation's readers

# Action -> roles that may take it inside their scope. Workflow acts are done by the people with a legal role in
# them: the agency keeps its QMS file and answers; the inspector plans, inspects and reviews corrective actions;
# the department leader approves plans and issues the consolidated reports; provincial leadership and the ministry
# read; the administrator manages reference data and may act for an agency or a province where the table says so.
CAPABILITIES: dict[str, frozenset[str]] = {
    # agencies
    "agency.create": frozenset({ADMIN, PADMIN, INSPECTOR, LEADER}),
    "agency.update": frozenset({ADMIN, PADMIN, INSPECTOR, LEADER}),
    "agency.deactivate": frozenset({ADMIN, PADMIN, LEADER}),  # and merge
    "obligation.read": frozenset({ADMIN, PADMIN, INSPECTOR, LEADER, UBND, MINISTRY}),  # the page of a year
    "obligation.set": frozenset({ADMIN, PADMIN, INSPECTOR, LEADER}),
    "obligation.confirm": frozenset({ADMIN, PADMIN, LEADER}),  # confirm a year's obligations, propose a new year
    # staff: invite, give, change and remove roles (never wider than one's own: accounts.roles)
    "membership.manage": frozenset({ADMIN, PADMIN, HEAD}),
    # the QMS file: the agency keeps it, the province reads it
    "qms.edit": frozenset({ADMIN, OFFICER, HEAD}),
    "qms.approve": frozenset({ADMIN, HEAD}),
    "compliance.read": READERS,
    "qms.import": frozenset({ADMIN, PADMIN, LEADER}),  # carry a province's existing QMS states in from a file
    # inspections
    "plan.edit": frozenset({INSPECTOR}),  # create, change, add entries, submit, close
    "plan.approve": frozenset({LEADER}),  # approve or return a submitted plan, on behalf of UBND tỉnh
    "inspection.manage": frozenset({INSPECTOR}),  # unplanned inspections, requests, decisions, results, sign
    "inspection.self_assess": AGENCY_STAFF,  # answer the checklist of one's own agency
    "finding.record": frozenset({INSPECTOR}),  # record and change findings, add the team's evidence
    "finding.review": frozenset({INSPECTOR}),  # accept or reject a response
    "finding.respond": AGENCY_STAFF,  # respond to a finding of one's own agency, add evidence
    # periodic reports
    "period.manage": frozenset({ADMIN, LEADER}),  # create ad hoc periods, change deadlines
    "agency_report.draft": frozenset({ADMIN, OFFICER, HEAD}),
    "agency_report.submit": frozenset({ADMIN, HEAD}),
    "agency_report.review": frozenset({ADMIN, INSPECTOR, LEADER}),  # accept, return, reopen
    "completeness.read": READERS,
    "report.read": READERS,
    # consolidated reports, by kind (reports.kinds names the capability of each kind)
    "report.request.provincial": frozenset({ADMIN, LEADER}),
    "report.request.ministry": frozenset({ADMIN, LEADER}),
    "report.request.inspection_summary": frozenset({ADMIN, LEADER, INSPECTOR}),
    "report.request.national": frozenset({ADMIN, MINISTRY}),
    # the register of outgoing documents: each body's clerk keeps it, readers read it (scope: agencies.register)
    "register.read": frozenset({ADMIN, PADMIN, INSPECTOR, LEADER, UBND, MINISTRY, OFFICER, HEAD}),
    "register.keep": frozenset({ADMIN, INSPECTOR, LEADER, HEAD}),  # withdraw a number, upload the signed PDF
    # accounts
    "audit_log.read": frozenset({ADMIN}),
    "token.revoke_any": frozenset({ADMIN}),  # list and revoke any user's API tokens
    # the register of legal changes: the nation keeps national entries, the Sở its province's; the agency records
    # its update or declares a change not applicable, which the Sở accepts or rejects
    "legal_change.read": frozenset({ADMIN, INSPECTOR, LEADER, UBND, MINISTRY, OFFICER, HEAD}),
    "legal_change.register_national": frozenset({ADMIN, MINISTRY}),
    "legal_change.register": frozenset({ADMIN, MINISTRY, INSPECTOR, LEADER}),
    "legal_due.act": frozenset({ADMIN, OFFICER, HEAD}),
    "legal_due.decide": frozenset({ADMIN, INSPECTOR, LEADER}),
}

DENIED = _("Your role does not allow this action.")
OTHER_AGENCY = _("You can only act for your own agency.")
OTHER_PROVINCE = _("You can only act inside your own province.")


def province_roles_with(action: str) -> list[str]:
    """The province roles that may take `action` (to find the people of a province who do it: who approves a plan)."""
    return [role for role in PROVINCE_ROLES if role in CAPABILITIES[action]]


def province_roles_that_may(action: str) -> list[str]:
    """The names of the province roles that may take `action`, for a line that says who does it."""
    return [str(Role(role).label) for role in province_roles_with(action)]


def can(user, action: str) -> bool:
    """Whether the user's role may take `action` (inside its scope)."""
    return scope_of(user).role in CAPABILITIES[action]


def require(user, action: str, *, agency_id: int | None = None, province_id: int | None = None) -> None:
    """403 unless the user's role may take `action`, and, for an object of `agency_id` or `province_id`, an agency
    role acts for its own agency and a province role inside its own province (national roles act anywhere)."""
    if not can(user, action):
        raise PermissionDenied(DENIED)
    require_unit(user, agency_id=agency_id, province_id=province_id)


def require_unit(user, *, agency_id: int | None = None, province_id: int | None = None) -> None:
    """The unit half of `require`, for a service whose role check depends on which side acts."""
    scope = scope_of(user)
    if scope.is_national:
        return
    if agency_id is not None and scope.is_agency and scope.agency_id != agency_id:
        raise PermissionDenied(OTHER_AGENCY)
    if province_id is not None and scope.province_id != province_id:
        raise PermissionDenied(OTHER_PROVINCE)
