"""Filters of the reports API (django-filter, strict: a value it cannot use is a 400 naming the parameter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from qms_portal.filters import IdFilter, YearFilter

from .models import AgencyReportStatus, PeriodKind, ReportKind, ReportStatus


class PeriodFilter(django_filters.FilterSet):
    year = YearFilter(field_name="year", label=_("Year"))
    province = IdFilter(field_name="province__code", label=_("Province code"))
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("Kind"))


class AgencyReportFilter(django_filters.FilterSet):
    period = IdFilter(field_name="period_id", label=_("Reporting period"))
    agency = IdFilter(field_name="agency_id", label=_("Agency"))
    status = django_filters.ChoiceFilter(choices=AgencyReportStatus.choices, label=_("Status"))


class ConsolidatedReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("Kind"))
    period = IdFilter(field_name="period_id", label=_("Reporting period"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
