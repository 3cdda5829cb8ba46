"""The reports' beat tasks run as Celery tasks (eager here): what each returns is what beat's log shows."""


import pytest
from django.core import mail

from reports.models import ConsolidatedReport
from reports.tasks import ensure_periods, generate_scheduled, send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(cast):
    """An Giang with its settings (lead agency), the provinces whose periods the task makes."""
    from agencies.models import ProvinceSettings

    ProvinceSettings.objects.update_or_create(province=cast.provinces["ag"], defaults={
        "lead_agency": cast.agencies["ag_skhcn"], "inspecting_agency": cast.agencies["ag_skhcn"]})
    return cast


def test_the_daily_tasks_run_as_celery_tasks(settled):
    assert ensure_periods.apply(args=[2026]).get() > 0  # the default 6-month and annual periods of each province
    assert ensure_periods.apply(args=[2026]).get() == 0  # once
    assert generate_scheduled.apply().get() == []
    assert not ConsolidatedReport.objects.exists()
    sent = send_reminders.apply().get()
    assert set(sent) >= {"due_soon", "missing", "digest"}
    assert len(mail.outbox) == sum(sent.values())


def test_the_ensure_task_defaults_to_this_year(settled):
    from django.utils import timezone

    from reports.models import ReportingPeriod

    ensure_periods.apply().get()
    made = ReportingPeriod.objects.filter(province=settled.provinces["ag"])
    assert set(made.values_list("year", "kind")) == {(timezone.localdate().year, "six_month"),
                                                    (timezone.localdate().year, "annual")}
