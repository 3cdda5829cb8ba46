"""Who may do what. Scope (what a user can see) lives in selectors; this module answers the role question.

The house rule: outside your scope you get 404 (the selector hides the object); inside your scope with
too low a role you get 403 (`require` raises PermissionDenied).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import AGENCY_ROLES, NATIONAL_ROLES, PROVINCE_ROLES, Membership, Role


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
    """The user's role and where it applies; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
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


# Capability -> roles allowed to use it (inside their scope).
CAPABILITIES: dict[str, frozenset[str]] = {
    "agency.create": frozenset({Role.ADMINISTRATOR, Role.INSPECTOR, Role.DEPARTMENT_LEADER}),
    "agency.update": frozenset({Role.ADMINISTRATOR, Role.INSPECTOR, Role.DEPARTMENT_LEADER}),
    "agency.deactivate": frozenset({Role.ADMINISTRATOR, Role.DEPARTMENT_LEADER}),
    "obligation.set": frozenset({Role.ADMINISTRATOR, Role.INSPECTOR, Role.DEPARTMENT_LEADER}),
    # The agency keeps its own QMS file; the province reads it.
    "qms.edit": frozenset({Role.ADMINISTRATOR, Role.ISO_OFFICER, Role.AGENCY_HEAD}),
    "qms.approve": frozenset({Role.ADMINISTRATOR, Role.AGENCY_HEAD}),
}


def has_capability(user, capability: str) -> bool:
    return scope_of(user).role in CAPABILITIES[capability]


def require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied(_("Your role does not allow this action."))


def require_province(user, province_id: int) -> None:
    """Province-bound roles may only create things inside their own province."""
    scope = scope_of(user)
    if not scope.is_national and scope.province_id != province_id:
        raise PermissionDenied(_("You can only manage agencies of your own province."))
