"""Reference data (checklist versions, finding classes) is edited here; workflow records are read-only."""

from django.contrib import admin

from qms_portal.admin import HistoryAdmin, ReadOnlyAdminMixin

from .models import (
    ChecklistItem,
    ChecklistVersion,
    Finding,
    FindingClass,
    FindingEvent,
    Inspection,
    InspectionDecision,
    InspectionPlan,
    InspectionRecord,
    ReminderLog,
    ReportRequest,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["number", "code", "group", "text", "text_en", "legal_reference"]


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "effective_from"]
    inlines = [ChecklistItemInline]

    def has_delete_permission(self, request, obj=None):
        return False  # inspections refer to it


@admin.register(FindingClass)
class FindingClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead


class ReadOnlyAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Workflow records change only through the portal's services, which keep the rules and the timeline."""


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "province", "number", "state", "approval_number", "approval_date"]
    list_filter = ["state", "year", "province"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "kind", "form", "status", "scheduled_on"]
    list_filter = ["status", "form", "kind", "year", "province"]
    list_select_related = ["agency"]


@admin.register(InspectionDecision)
class InspectionDecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "issued_on", "starts_on", "ends_on", "team_leader", "pdf_status"]


@admin.register(InspectionRecord)
class InspectionRecordAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "number", "signed_on", "pdf_status"]


@admin.register(ReportRequest)
class ReportRequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "issued_on", "deadline", "province"]


class FindingEventInline(admin.TabularInline):
    model = FindingEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["agency", "number", "classification", "status", "due_on", "closed_on"]
    list_filter = ["status", "classification", "province"]
    list_select_related = ["agency", "classification"]
    inlines = [FindingEventInline]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "email", "finding_count", "sent_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
