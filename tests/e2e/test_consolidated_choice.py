"""The consolidated report request: the kind and period chosen at the top load their suggested wording as soon as
they change, so that the issuing form below (which carries the choice) always issues what the top shows. A
changed period left unloaded used to issue the report of the period loaded before."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import login
from tests.e2e.test_journeys import open_period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_changing_the_period_loads_it_at_once(page_factory, cast):
    from agencies.models import ProvinceSettings
    from reports.models import PeriodKind, ReportingPeriod

    today = timezone.localdate()
    ProvinceSettings.objects.update_or_create(province=cast.provinces["ag"], defaults={
        "lead_agency": cast.agencies["ag_skhcn"], "inspecting_agency": cast.agencies["ag_skhcn"]})
    annual = open_period(cast, today)
    half = ReportingPeriod.objects.create(
        province=cast.provinces["ag"], year=today.year, kind=PeriodKind.SIX_MONTH,
        window_start=date(today.year, 6, 1) - timedelta(days=15), window_end=today + timedelta(days=20),
        deadline=today + timedelta(days=25))
    page = page_factory(1280, 900)
    login(page, "ag_leader")
    page.goto("/reports/consolidated/new/")
    carried = page.locator("#main form[method=post] input[type=hidden][name=period]")
    assert carried.input_value() == str(annual.pk)
    with page.expect_navigation():
        page.select_option("#id_period_pick", str(half.pk))
    assert f"period={half.pk}" in page.url
    assert page.locator("#id_period_pick").input_value() == str(half.pk)
    assert carried.input_value() == str(half.pk)
    assert "6 tháng" in page.locator("[data-testid=chosen]").inner_text()
