"""With the broker down, a report request still answers 202, says the generation is delayed, and the report
is made once the broker is back (the beat sweeper re-sends queued reports): nothing is lost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.generation import stale_reports_requeue
from reports.models import ConsolidatedReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_broker(settings):
    """The app sends to a real redis-server that has just been stopped."""
    from qms_portal.celery import app
    from tests.faults import PrivateRedis

    redis = PrivateRedis().start()
    redis.stop()
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(task_always_eager=False, broker_url=redis.url, broker_transport_options={})
    app._pool, app.amqp._producer_pool = None, None  # new connections to the new URL
    yield
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = None, None
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_request_while_the_broker_is_down_is_delayed_not_lost(api, cast, reporting, settings, dead_broker,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(cast.users["ag_leader"]).post(
            "/api/v1/reports/", {"kind": "provincial", "period": reporting["ag"].pk}, format="json")
    assert response.status_code == 202, response.content
    report = ConsolidatedReport.objects.get(pk=response.json()["id"])
    assert report.status == "queued" and report.error  # "generation is delayed ... nothing is lost"
    status = api.get(response.json()["status_url"]).json()
    assert status["status"] == "queued"

    # The broker is back (eager here): the sweeper sends what was left queued, and the report is made.
    from qms_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    assert stale_reports_requeue(now=timezone.now() + timedelta(minutes=10)) == [report.pk]
    report.refresh_from_db()
    assert report.status == "done" and report.pdf_id and report.xlsx_id
    assert ConsolidatedReport.objects.filter(scope_key=report.scope_key).count() == 1
