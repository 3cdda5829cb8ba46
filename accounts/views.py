"""Pages of accounts: the audit log (sign-in, two-factor and token pages are in two_factor.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from agencies.access import require
from qms_portal.models import AuditEvent
from qms_portal.queries import choice_param, page_of


@login_required
def audit_log(request):
    """Who did what, when, from where: for administrators only, read only."""
    require(request.user, "audit_log.read")
    events = AuditEvent.objects.all()
    actions = ["created", "changed", "deleted", "login", "logout", "login_failed"]
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
