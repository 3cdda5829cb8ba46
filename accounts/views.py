"""Pages of accounts: the audit log, staff and roles, the invitation link (sign-in, two-factor and token pages are
in two_factor.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from agencies.access import require, scope_of
from agencies.models import Province
from qms_portal.forms import attempt
from qms_portal.models import AuditEvent
from qms_portal.people import person_name
from qms_portal.queries import choice_param, page_of

from . import forms, staff


@login_required
def audit_log(request):
    """Who did what, when, from where: for administrators only, read only."""
    require(request.user, "audit_log.read")
    events = AuditEvent.objects.all()
    actions = ["created", "changed", "deleted", "login", "logout", "login_failed", "invited", "invitation_accepted"]
    action, who = choice_param(request.GET, "action", actions) or "", request.GET.get("user", "").strip()
    if action:
        events = events.filter(action=action)
    if who:
        events = events.filter(username__icontains=who)
    page = page_of(request, events, 50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_log.html", {"page": page, "query": query.urlencode(), "action": action,
                                                        "who": who, "actions": actions})


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
                           site_url=request.build_absolute_uri("/"), **_unit_of(request.user, data))

    if request.method == "POST" and attempt(form, invite):
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("accounts:staff")
    return render(request, "accounts/staff_form.html", {"form": form, "title": _("Invite a person")})


@login_required
def staff_edit(request, user_id: int):
    require(request.user, "membership.manage")
    membership = get_object_or_404(staff.staff_in_reach(user=request.user), user_id=user_id)
    if not staff.may_manage(request.user, membership) or membership.user_id == request.user.pk:
        raise PermissionDenied
    initial = {"role": membership.role, "agency": membership.agency, "province": membership.province}
    action = request.POST.get("action") if request.method == "POST" else None
    form = forms.RoleForm(request.POST if action == "save" else None, initial=initial, actor=request.user)
    if action == "remove":
        staff.staff_role_remove(actor=request.user, user=membership.user)
        messages.success(request, _("The role of %(name)s was removed.") % {"name": person_name(membership.user)})
        return redirect("accounts:staff")
    if action == "save" and attempt(form, lambda data: staff.staff_role_set(
            actor=request.user, user=membership.user, **_unit_of(request.user, data))):
        messages.success(request, _("The role of %(name)s was changed.") % {"name": person_name(membership.user)})
        return redirect("accounts:staff")
    return render(request, "accounts/staff_form.html", {
        "form": form, "membership": membership, "title": person_name(membership.user)})


def invitation_accept(request, uidb64: str, token: str):
    """The invited person sets their password (public: the link is the proof, once, before it expires)."""
    user = staff.invitation_user(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/invitation.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        staff.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set: sign in with your username %(username)s.") % {
            "username": user.get_username()})
        return redirect("accounts:login")
    return render(request, "accounts/invitation.html", {"form": form, "invited": user})
