import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms_portal.filters import BooleanFilter, IdFilter

from .models import AgencyKind, AgencyObligation, ObligationLevel
from .selectors import search_agencies


class AgencyFilter(django_filters.FilterSet):
    """Filters shared by the agency API and the agency list page."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    province = IdFilter(field_name="province__code", label=_("Province code"), max_value=999)
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, label=_("Kind"))
    parent = IdFilter(field_name="parent_id", label=_("Parent agency"))
    obligation = django_filters.ChoiceFilter(choices=ObligationLevel.choices, method="filter_obligation",
                                             label=_("Obligation this year"))
    active = BooleanFilter(field_name="is_active", label=_("Active"))

    def filter_q(self, queryset, name, value):
        return search_agencies(queryset, value)

    def filter_obligation(self, queryset, name, value):
        """This year's obligation row of that level exists: a probe of the (agency, year) index, so that a list
        not filtered on it needs no join with the obligations."""
        year = timezone.localdate().year
        return queryset.filter(Exists(AgencyObligation.objects.filter(agency_id=OuterRef("pk"), year=year,
                                                                      level=value)))
