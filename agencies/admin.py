from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agency,
    AgencyObligation,
    AgencySuccession,
    Commune,
    Membership,
    Province,
    ProvinceSettings,
    RegisteredDocument,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "valid_from", "valid_to"]
    search_fields = ["name", "codename"]
    list_filter = ["division_type"]

    def has_delete_permission(self, request, obj=None):
        return False  # history is never deleted


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province", "valid_to"]
    search_fields = ["name", "codename"]
    list_filter = ["division_type", "province"]
    list_select_related = ["province"]

    def has_delete_permission(self, request, obj=None):
        return False


class ObligationInline(admin.TabularInline):
    model = AgencyObligation
    extra = 0


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_code", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["search_text"]
    raw_id_fields = ["parent", "commune"]
    list_select_related = ["province"]
    inlines = [ObligationInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(SimpleHistoryAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_date"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "agency", "province"]
    list_filter = ["role", "province"]
    raw_id_fields = ["user", "agency"]


@admin.register(ProvinceSettings)
class ProvinceSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["province", "lead_agency", "inspecting_agency"]
    raw_id_fields = ["lead_agency", "inspecting_agency"]


@admin.register(RegisteredDocument)
class RegisteredDocumentAdmin(admin.ModelAdmin):
    """The registers of outgoing documents: read only (numbers are taken by agencies.numbering only)."""

    list_display = ["__str__", "issuer", "year", "issued_on", "doc_type", "registered_at"]
    list_filter = ["year", "doc_type"]
    search_fields = ["issuer__name", "symbol"]
    list_select_related = ["issuer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
