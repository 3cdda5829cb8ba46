from django.contrib import admin

from qms_portal.admin import HistoryAdmin, ReadOnlyAdminMixin

from .models import AgencyReport, ConsolidatedReport, ReportingPeriod, ReportReminder


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(HistoryAdmin):
    """Periods and their deadlines are editable here by the administrator (DOMAIN.md §6)."""

    list_display = ["__str__", "province", "year", "kind", "window_start", "window_end", "deadline"]
    list_filter = ["kind", "year", "province"]
    search_fields = ["title", "province__name"]


@admin.register(AgencyReport)
class AgencyReportAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Read-only: the workflow (submit, accept, return, reopen) goes through the portal's services."""

    list_display = ["agency", "period", "status", "first_submitted_at"]
    list_filter = ["status", "period__year", "period__kind"]
    search_fields = ["agency__name"]
    list_select_related = ["agency", "period", "period__province"]


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued reports are immutable: shown, never edited or deleted here."""

    list_display = ["__str__", "status", "progress", "number", "issued_on", "requested_at"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["number", "verification_code"]
    list_select_related = ["province", "period"]


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "period", "agency", "sent_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False
