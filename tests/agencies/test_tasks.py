"""The Celery tasks of the agencies app, run as the beat runs them (the task, not the service underneath)."""

import pytest
from django.utils import timezone

from agencies.models import AgencyObligation, ObligationYear, ObligationYearState
from agencies.tasks import dashboards_warm, obligations_propose_next_year
from tests.factories import ObligationFactory

pytestmark = pytest.mark.django_db


def test_the_task_proposes_next_years_obligations_of_every_province(cast):
    this_year = timezone.localdate().year
    stp = cast.agencies["ag_stp"]
    if this_year != 2026:  # the cast's obligations are of 2026
        ObligationFactory(agency=stp, year=this_year)
    level = AgencyObligation.objects.get(agency=stp, year=this_year).level

    result = obligations_propose_next_year.apply().get()

    assert result == {"year": this_year + 1, "provinces": 2}
    proposed = ObligationYear.objects.filter(year=this_year + 1)
    assert sorted(proposed.values_list("province_id", flat=True)) == sorted(p.pk for p in cast.provinces.values())
    assert {row.state for row in proposed} == {ObligationYearState.PROPOSED}
    assert {row.proposed_by for row in proposed} == {None}  # the system, not a person
    assert AgencyObligation.objects.get(agency=stp, year=this_year + 1).level == level
    # run again (a retried beat message): nothing more is proposed
    assert obligations_propose_next_year.apply().get() == {"year": this_year + 1, "provinces": 0}
    assert ObligationYear.objects.filter(year=this_year + 1).count() == 2


def test_the_warming_task_does_nothing_when_figures_are_not_shared(settings, cast):
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert dashboards_warm.apply().get() == {"scopes": 0, "seconds": 0.0}

