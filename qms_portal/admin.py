from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import AuditEvent, StoredFile


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, every one of the portal's. Its page of a past version saves the posted form (a
    revert) for anyone who may view the history, whatever the change permission (only the Revert button is hidden):
    a submitted, numbered report was put back to its draft that way. Here a revert is a change: allowed only to whoever
    may change that object."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request,
                                                                                                unquote(object_id))):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class ReadOnlyAdminMixin:
    """Records the portal writes through its services only: shown in the admin, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: the audit log cannot be edited or deleted from the portal."""

    list_display = ["at", "username", "ip_address", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "summary", "object_id"]
    date_hierarchy = "at"


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = [f.name for f in StoredFile._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
