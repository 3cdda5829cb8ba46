"""Pages of accounts: the audit log, staff and roles, the invitation link, one's own account and a forgotten
password (sign-in, two-factor and token pages are in two_factor.py)."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import can, require, scope_of
from agencies.models import Membership, Province
from qms_portal.actions import Action, ActionPage
from qms_portal.audit import ACTION_LABELS, action_label, object_label
from qms_portal.forms import attempt
from qms_portal.models import AuditEvent
from qms_portal.people import person_name
from qms_portal.queries import choice_param, page_of, text_param

from . import forms, passwords, staff
from .two_factor import has_device


@login_required
def audit_log(request):
    """Who did what, when, from where: for administrators only, read only."""
    require(request.user, "audit_log.read")
    events = AuditEvent.objects.all()
    actions = list(ACTION_LABELS)
    action = choice_param(request.GET, "action", actions) or ""
    who = text_param(request.GET, "user", max_length=150).strip()
    if action:
        events = events.filter(action=action)
    if who:
        events = events.filter(username__icontains=who)
    page = page_of(request, events, 50)
    page.object_list = list(page.object_list)
    for event in page:  # codes shown in words: "Đăng nhập", "cuộc kiểm tra 127"
        event.action_label, event.object_label = action_label(event.action), object_label(event.object_type)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_log.html", {"page": page, "query": query.urlencode(), "action": action,
                                                        "who": who, "actions": [(a, action_label(a)) for a in actions]})


# --- staff and roles -----------------------------------------------------------------------------------------------


def _unit_of(actor, data) -> dict:
    """The agency and province a role form names; a province role's province is the actor's own."""
    province = data.get("province")
    if province is None and scope_of(actor).province_id:
        province = Province.objects.get(pk=scope_of(actor).province_id)
    return {"role": data["role"], "agency": data.get("agency"), "province": province}


@login_required
def staff_list(request):
    require(request.user, "membership.manage")
    page = page_of(request, staff.staff_in_reach(user=request.user), 50)
    return render(request, "accounts/staff_list.html", {"page": page, "query": ""})


@login_required
def staff_invite(request):
    require(request.user, "membership.manage")
    form = forms.InviteForm(request.POST or None, actor=request.user)

    def invite(data):
        staff.staff_invite(actor=request.user, email=data["email"], full_name=data["full_name"],
                           **_unit_of(request.user, data))

    if request.method == "POST" and attempt(form, invite):
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("accounts:staff")
    return render(request, "accounts/staff_form.html", {"form": form, "title": _("Invite a person")})


def _staff_load(request, user_id: int):
    require(request.user, "membership.manage")
    membership = get_object_or_404(staff.staff_in_reach(user=request.user), user_id=user_id)
    if not staff.may_manage(request.user, membership) or membership.user_id == request.user.pk:
        raise PermissionDenied
    return SimpleNamespace(user=request.user, membership=membership)


def _staff_forms(ctx, bound=None, data=None, files=None):
    initial = {"role": ctx.membership.role, "agency": ctx.membership.agency, "province": ctx.membership.province}
    return {"save": forms.RoleForm(data if bound == "save" else None, initial=initial, actor=ctx.user),
            "remove": forms.forms.Form(data if bound == "remove" else None)}


def _staff_render(request, ctx, bound_forms):
    return render(request, "accounts/staff_form.html", {
        "form": bound_forms["save"], "remove": bound_forms["remove"], "membership": ctx.membership,
        "title": person_name(ctx.membership.user)})


def _staff_done(text: str):
    return lambda ctx, bound_forms, result: text % {"name": person_name(ctx.membership.user)}


# A person's role: the page is GET only; changing and removing the role are its two actions, each its own POST.
STAFF = ActionPage(
    name="staff", path="staff/<int:user_id>/", load=_staff_load, forms=_staff_forms, render=_staff_render,
    url=lambda ctx: reverse("accounts:staff"), can=can, actions=(
        Action("save", ("membership.manage",), ("save",), lambda ctx, d, f: staff.staff_role_set(
            actor=ctx.user, user=ctx.membership.user, **_unit_of(ctx.user, d)),
            _staff_done(gettext_lazy("The role of %(name)s was changed."))),
        Action("remove", ("membership.manage",), ("remove",),
               lambda ctx, d, f: staff.staff_role_remove(actor=ctx.user, user=ctx.membership.user),
               _staff_done(gettext_lazy("The role of %(name)s was removed."))),
    ))
staff_edit = STAFF.view()


def invitation_accept(request, uidb64: str, token: str):
    """The invited person sets their password (public: the link is the proof, once, before it expires)."""
    return _password_from_link(request, staff.invitation_user(uidb64=uidb64, token=token),
                               action="invitation_accepted")


def password_reset(request, uidb64: str, token: str):
    """Set a new password from the e-mailed link (public: the link is the proof, once, before it expires)."""
    return _password_from_link(request, passwords.link_user(uidb64=uidb64, token=token, tokens=passwords.reset_tokens),
                               action="password_reset")


def _password_from_link(request, user, *, action: str):
    page = {"invitation": action == "invitation_accepted"}
    if user is None:
        return render(request, "accounts/password_from_link.html", {**page, "invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.password_set(user=user, password=form.cleaned_data["new_password1"], action=action)
        messages.success(request, _("Your password is set: sign in with your username %(username)s.") % {
            "username": user.get_username()})
        return redirect("accounts:login")
    return render(request, "accounts/password_from_link.html", {**page, "form": form, "person": user})


def password_forgotten(request):
    """Ask for a link to set a new password (public). The answer is the same whether or not an account uses the
    address, so the page tells no one who has an account."""
    form = forms.PasswordForgottenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.password_reset_request(email=form.cleaned_data["email"])
        messages.success(request, _("If an account of the portal uses %(email)s, a link to set a new password was "
                                    "sent to it. It works once and for %(days)d days.") % {
            "email": form.cleaned_data["email"], "days": passwords.link_days()})
        return redirect("accounts:login")
    return render(request, "accounts/password_forgotten.html", {"form": form})


@login_required
def account(request):
    """One's own account: who one is in the portal, the password (the current one first) and the second factor.
    Not under /accounts/: a session that still owes its second factor is sent to give it before coming here."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            passwords.password_set(user=request.user, password=form.cleaned_data["new_password1"],
                                   action="password_changed")
            update_session_auth_hash(request, request.user)  # this session goes on; the others end
            request.session.pop(WRONG_CURRENT_PASSWORD, None)
            messages.success(request, _("Your password was changed. Your other sessions and API tokens have "
                                        "ended."))
            return redirect("accounts:account")
        if "old_password" in form.errors and _too_many_wrong_passwords(request):
            logout(request)
            messages.error(request, _("The current password was wrong too many times: sign in again."))
            return redirect("accounts:login")
    return render(request, "accounts/account.html", {
        "form": form, "membership": Membership.objects.filter(user=request.user).select_related(
            "agency", "province").first(), "has_device": has_device(request.user)},
        status=400 if form.errors else 200)


# A session may give a wrong current password this many times (as many as a sign-in may fail before the lockout):
# whoever holds a session left open must not be able to try passwords at leisure.
WRONG_CURRENT_PASSWORD = "accounts:wrong-current-password"


def _too_many_wrong_passwords(request) -> bool:
    wrong = request.session.get(WRONG_CURRENT_PASSWORD, 0) + 1
    request.session[WRONG_CURRENT_PASSWORD] = wrong
    return wrong >= settings.AXES_FAILURE_LIMIT
