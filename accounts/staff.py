"""Staff and roles, run by the province: invite a person by e-mail (a one-time, expiring link to set a password),
give one role within the province or one of its agencies, change it, remove it. Every change is in the audit log.

Who may give what (`grantable_roles`, `may_grant`): the national administrator any role anywhere; the province's
administrator the province's roles and the agency roles of its own province; an agency head the ISO officer of its
own agency. Nobody gives a role wider than their own, and nobody changes a person whose role they could not give.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from agencies.access import DENIED, require, scope_of
from agencies.models import AGENCY_ROLES, NATIONAL_ROLES, PROVINCE_ROLES, Agency, Membership, Province, Role
from agencies.services import membership_unit
from qms_portal.audit import audit_record
from qms_portal.links import portal_url
from qms_portal.people import person_name
from qms_portal.text import normalize_text

from .passwords import link_days, link_path, link_user

# --- who may give what ------------------------------------------------------------------------------------------


def grantable_roles(actor) -> list[str]:
    """The roles `actor` may give (inside their own unit), widest last."""
    role = scope_of(actor).role
    if role == Role.ADMINISTRATOR:
        return [*AGENCY_ROLES, *PROVINCE_ROLES, *NATIONAL_ROLES]
    if role == Role.PROVINCE_ADMINISTRATOR:
        return [*AGENCY_ROLES, *PROVINCE_ROLES]
    if role == Role.AGENCY_HEAD:
        return [Role.ISO_OFFICER]
    return []


def may_grant(actor, *, role: str, agency: Agency | None, province: Province | None) -> bool:
    """Whether `actor` may give `role` at `agency` / `province` (the unit the role will apply to)."""
    if role not in grantable_roles(actor):
        return False
    scope = scope_of(actor)
    if scope.is_national:
        return True
    if scope.is_agency:
        return agency is not None and agency.pk == scope.agency_id
    unit_province = agency.province_id if agency is not None else getattr(province, "pk", None)
    return unit_province == scope.province_id


def may_manage(actor, membership: Membership | None) -> bool:
    """Whether `actor` may change or remove `membership` (a person without a role: anyone who may invite)."""
    if membership is None:
        return bool(grantable_roles(actor))
    return may_grant(actor, role=membership.role, agency=membership.agency, province=membership.province)


def staff_in_reach(*, user) -> QuerySet[Membership]:
    """The roles `user` can see on the staff pages: everyone (national administrator), the province's (province
    administrator), the agency's (agency head); nothing for other roles."""
    scope = scope_of(user)
    memberships = Membership.objects.select_related("user", "agency", "province").order_by(
        "province__name", "agency__name", "role", "user__last_name", "user__first_name")
    if scope.role == Role.ADMINISTRATOR:
        return memberships
    if scope.role == Role.PROVINCE_ADMINISTRATOR:
        return memberships.filter(province_id=scope.province_id)
    if scope.role == Role.AGENCY_HEAD:
        return memberships.filter(agency_id=scope.agency_id)
    return memberships.none()


# --- invitations ------------------------------------------------------------------------------------------------


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """One-time (the token covers the password hash and the last login, so setting the password or signing in
    spends it) and expiring (after PASSWORD_RESET_TIMEOUT seconds, 3 days by default); distinct from password
    reset tokens (its own salt)."""

    key_salt = "accounts.staff.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    return link_path(user, tokens=invitation_tokens, route="accounts:invitation-accept")


def invitation_user(*, uidb64: str, token: str):
    """The invited user if the link is valid (not used, not expired); None otherwise."""
    return link_user(uidb64=uidb64, token=token, tokens=invitation_tokens)


def _role_label(role: str) -> str:
    return str(Role(role).label)


def _unit(agency: Agency | None, province: Province | None) -> str:
    return agency.name if agency is not None else (province.name if province is not None else _("nation"))


def _check_grant(actor, role: str, agency, province) -> None:
    require(actor, "membership.manage")
    if role not in grantable_roles(actor):
        raise PermissionDenied(_("You cannot give a role wider than your own."))
    if not may_grant(actor, role=role, agency=agency, province=province):
        raise PermissionDenied(_("You can only give roles inside your own unit."))
    if agency is not None and not agency.is_active:
        raise ValidationError({"agency": _("This agency is no longer active.")})


def _write_membership(*, actor, user, role: str, agency, province, reason: str) -> Membership:
    membership = Membership.objects.select_for_update().filter(user=user).first() or Membership(user=user)
    before = (membership.role, membership.agency_id, membership.province_id) if membership.pk else None
    membership.role, membership.agency, membership.province = role, agency, province
    if before == (role, getattr(agency, "pk", None), getattr(province, "pk", None)):
        return membership
    membership._history_user = actor
    membership._change_reason = reason
    membership.save()  # its history row is audited (qms_portal.audit) with the actor and the reason
    return membership


@transaction.atomic
def staff_invite(*, actor, email: str, full_name: str, role: str, agency: Agency | None = None,
                 province: Province | None = None) -> tuple[object, str]:
    """Invite a person: create their account (no usable password) or take the existing one of that e-mail, give
    them the role, and e-mail them a one-time link to set their password. Returns (user, link)."""
    agency, province = membership_unit(role, agency, province)
    _check_grant(actor, role, agency, province)
    email = normalize_text(email).lower()
    full_name = normalize_text(full_name)
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        superuser = user.is_superuser and not scope_of(actor).is_national  # a superuser without a membership
        if superuser or not may_manage(actor, getattr(user, "membership", None)):
            raise ValidationError({"email": _("This person already has a role you cannot change.")})
        if not user.is_active:  # only an administrator disables an account (the admin); only one enables it
            raise ValidationError({"email": _("This account was disabled by the portal's administrators; ask them "
                                              "to enable it first.")})
    else:
        username, n = email[:150], 1
        while User.objects.filter(username__iexact=username).exists():
            n += 1
            username = f"{email[:140]}-{n}"
        family, _space, given = full_name.rpartition(" ")
        user = User(username=username, email=email, last_name=family[:150], first_name=given[:150])
        user.set_unusable_password()
        user.save()
    _write_membership(actor=actor, user=user, role=role, agency=agency, province=province, reason=_("Invited"))
    link = portal_url(invitation_path(user))
    audit_record(action="invited", user=actor, object_type="auth.user", object_id=user.pk,
                 summary=f"{email} · {_role_label(role)} · {_unit(agency, province)}")
    transaction.on_commit(lambda: send_mail(
        _("Your account on the QMS Portal"),
        _("Hello %(name)s,\n\n%(inviter)s has given you the role %(role)s (%(unit)s) on the QMS Portal.\n"
          "Set your password with this link, which works once and for %(days)d days:\n%(link)s\n\n"
          "Your username is %(username)s.") % {
            "name": person_name(user), "inviter": person_name(actor), "role": _role_label(role),
            "unit": _unit(agency, province), "link": link, "username": user.get_username(),
            "days": link_days()},
        settings.DEFAULT_FROM_EMAIL, [email]))
    return user, link


@transaction.atomic
def staff_role_set(*, actor, user, role: str, agency: Agency | None = None,
                   province: Province | None = None) -> Membership:
    """Change a person's role (one role per person)."""
    require(actor, "membership.manage")
    if not may_manage(actor, getattr(user, "membership", None)):
        raise PermissionDenied(DENIED)
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot change your own role."))
    agency, province = membership_unit(role, agency, province)
    _check_grant(actor, role, agency, province)
    membership = _write_membership(actor=actor, user=user, role=role, agency=agency, province=province,
                                   reason=_("Role changed"))
    return membership


@transaction.atomic
def staff_role_remove(*, actor, user) -> None:
    """Take a person's role away: they keep their account and their history but see nothing any more."""
    require(actor, "membership.manage")
    membership = Membership.objects.select_for_update().filter(user=user).first()
    if membership is None:
        return
    if not may_manage(actor, membership):
        raise PermissionDenied(DENIED)
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot change your own role."))
    membership._history_user = actor
    membership._change_reason = _("Role removed")
    membership.delete()

