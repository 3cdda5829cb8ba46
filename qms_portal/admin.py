from django.contrib import admin

from .models import AuditEvent, StoredFile


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
