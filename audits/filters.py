import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms_portal.filters import IdFilter, YearFilter

from .models import FindingStatus, InspectionForm, InspectionKind, InspectionStatus, PlanState


class PlanFilter(django_filters.FilterSet):
    province = IdFilter(field_name="province__code", label=_("Province code"))
    year = YearFilter(field_name="year", label=_("Year"))
    status = django_filters.ChoiceFilter(field_name="state", choices=PlanState.choices, label=_("Status"))


class InspectionFilter(django_filters.FilterSet):
    province = IdFilter(field_name="province__code", label=_("Province code"))
    agency = IdFilter(field_name="agency_id", label=_("Agency"))
    year = YearFilter(field_name="year", label=_("Year"))
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices, label=_("Status"))
    form = django_filters.ChoiceFilter(choices=InspectionForm.choices, label=pgettext_lazy("inspection", "Form"))
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices, label=_("Kind"))
    plan = IdFilter(field_name="plan_id", label=_("Inspection plan"))


class FindingFilter(django_filters.FilterSet):
    province = IdFilter(field_name="province__code", label=_("Province code"))
    agency = IdFilter(field_name="agency_id", label=_("Agency"))
    responsible_agency = IdFilter(field_name="responsible_agency_id", label=_("Agency answering"))
    year = YearFilter(field_name="inspection__year", label=_("Year"))
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices, label=_("Status"))
    overdue = django_filters.ChoiceFilter(choices=[("true", _("Yes")), ("false", _("No"))], method="filter_overdue",
                                          label=_("Overdue"))
    inspection = IdFilter(field_name="inspection_id", label=_("Inspection"))
    classification = django_filters.CharFilter(field_name="classification__code", label=_("Classification"))

    def filter_overdue(self, queryset, name, value):
        """On the `is_overdue` annotation of the selectors (computed from the due date, never stored)."""
        return queryset.filter(is_overdue=value == "true")
