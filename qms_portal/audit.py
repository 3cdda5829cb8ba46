"""The audit log: every recorded change (from django-simple-history) and every sign-in, with the address."""

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from .client_ip import client_ip
from .models import AuditEvent

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

# What the audit log page shows for each action code written here and by the services (the codes stay in the
# table and the filter's query string)
ACTION_LABELS = {
    "created": pgettext_lazy("audit log", "Created"),
    "changed": pgettext_lazy("audit log", "Changed"),
    "deleted": pgettext_lazy("audit log", "Deleted"),
    "login": pgettext_lazy("audit log", "Signed in"),
    "logout": pgettext_lazy("audit log", "Signed out"),
    "login_failed": pgettext_lazy("audit log", "Failed sign-in"),
    "invited": pgettext_lazy("audit log", "Invited"),
    "invitation_accepted": pgettext_lazy("audit log", "Invitation accepted"),
    "reset_requested": pgettext_lazy("audit log", "New password asked for by e-mail"),
    "password_reset": pgettext_lazy("audit log", "New password set from an e-mailed link"),
    "password_changed": pgettext_lazy("audit log", "Password changed"),
    "token_issued": pgettext_lazy("audit log", "API token issued"),
    "token_revoked": pgettext_lazy("audit log", "API token revoked"),
    "update": pgettext_lazy("audit log", "Register entry updated"),
    "requested": pgettext_lazy("audit log", "Report requested"),
    "issued": pgettext_lazy("audit log", "Report issued"),
    "legal_change": pgettext_lazy("audit log", "Legal change registered"),
    "legal_updated": pgettext_lazy("audit log", "Legal update recorded"),
    "legal_not_applicable": pgettext_lazy("audit log", "Declared not applicable"),
    "legal_decided": pgettext_lazy("audit log", "Declaration decided"),
    "scale_data": pgettext_lazy("audit log", "Test data generated"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def object_label(object_type: str) -> str:
    """The kind of object in the reader's language ("cuộc kiểm tra"), for "app_label.model_name"; else as kept."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def _current_request():
    return getattr(HistoricalRecords.context, "request", None)


def audit_record(*, action: str, user=None, request=None, object_type: str = "", object_id="", summary: str = ""):
    user = user if getattr(user, "pk", None) else None
    return AuditEvent.objects.create(
        user=user, username=user.get_username() if user else "", ip_address=client_ip(request or _current_request()),
        action=action, object_type=object_type[:100], object_id=str(object_id)[:40], summary=summary[:500])


@receiver(post_create_historical_record, dispatch_uid="qms_audit_history")
def _on_history(sender, instance, history_instance, history_user=None, **kwargs):
    meta = instance._meta
    audit_record(action=ACTIONS.get(history_instance.history_type, "changed"), user=history_instance.history_user,
                 object_type=f"{meta.app_label}.{meta.model_name}", object_id=instance.pk,
                 summary=f"{meta.verbose_name}: {instance}"[:200] + (
                     f" — {history_instance.history_change_reason}" if history_instance.history_change_reason else ""))


@receiver(user_logged_in, dispatch_uid="qms_audit_login")
def _on_login(sender, request, user, **kwargs):
    audit_record(action="login", user=user, request=request)


@receiver(user_logged_out, dispatch_uid="qms_audit_logout")
def _on_logout(sender, request, user, **kwargs):
    audit_record(action="logout", user=user, request=request)


@receiver(user_login_failed, dispatch_uid="qms_audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(action="login_failed", request=request, summary=str(credentials.get("username", ""))[:150])
