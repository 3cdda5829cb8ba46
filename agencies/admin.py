"""The admin edits what has no page of its own (divisions, province settings) and describes agencies; whatever
carries a rule or a history of its own (closing an agency, successions, obligations) is written by the portal's
services and only shown here. Every form runs the same checks as the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from qms_portal.admin import HistoryAdmin, ReadOnlyAdminMixin

from . import services
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
    """Shown only: obligations are set on the obligations page, which keeps a year's proposal and confirmation."""

    model = AgencyObligation
    extra = 0
    fields = readonly_fields = ["year", "level", "note"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AgencyAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        for field in (*services.TEXT_FIELDS, "short_code"):
            if data.get(field) is not None:
                try:
                    data[field] = services.agency_text(field, data[field])
                except ValidationError as error:
                    self.add_error(field, error)
        return data

    def _post_clean(self):
        super()._post_clean()  # the instance built from the form and the model's own validation
        if not self.errors:
            try:
                services.agency_check(self.instance)
            except ValidationError as error:
                self._update_errors(error)


@admin.register(Agency)
class AgencyAdmin(HistoryAdmin):
    form = AgencyAdminForm
    list_display = ["name", "short_code", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["search_text"]
    raw_id_fields = ["parent", "commune"]
    list_select_related = ["province"]
    inlines = [ObligationInline]
    # Closed by the portal (deactivation, a merger taking effect), which dates it and closes its QMS file.
    readonly_fields = ["is_active", "closed_on"]

    def get_readonly_fields(self, request, obj=None):
        # An agency's records (QMS file, inspections, reports) belong to its province: it never moves.
        return [*self.readonly_fields, "province"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Recorded in the portal only (form, API, import): the checks of `services.agency_succession_create` and the
    succession taking effect on its date."""

    list_display = ["predecessor", "successor", "kind", "effective_date", "took_effect_at"]
    list_select_related = ["predecessor", "successor"]


class MembershipAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if data.get("role"):
            try:  # the unit of the role, as the staff pages set it
                data["agency"], data["province"] = services.membership_unit(
                    data["role"], data.get("agency"), data.get("province"))
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    form = MembershipAdminForm
    list_display = ["user", "role", "agency", "province"]
    list_filter = ["role", "province"]
    raw_id_fields = ["user", "agency"]


@admin.register(ProvinceSettings)
class ProvinceSettingsAdmin(HistoryAdmin):
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
