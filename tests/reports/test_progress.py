"""The progress bar moves while the PDF is rendered: an estimate from the time the worker expected it to take."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from reports import generation, services
from reports.models import ConsolidatedReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendering(cast, reporting, qms_files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="provincial",
                                                         period=reporting["ag"])
    return report


def _at(report, *, seconds_ago: float, expected: float | None = 10.0, progress: int = 50, status: str = "running"):
    ConsolidatedReport.objects.filter(pk=report.pk).update(
        status=status, progress=progress, heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago),
        summary={"render_seconds": expected} if expected else {})
    return ConsolidatedReport.objects.get(pk=report.pk)


def test_the_estimate_grows_with_time_and_stops_at_95(rendering):
    assert _at(rendering, seconds_ago=0).progress_estimate == 50
    assert 72 <= _at(rendering, seconds_ago=5).progress_estimate <= 73
    assert _at(rendering, seconds_ago=60).progress_estimate == 95


@pytest.mark.parametrize(("progress", "status", "expected"), [(35, "running", 10.0), (50, "running", None),
                                                              (0, "failed", 10.0), (50, "queued", 10.0)])
def test_the_stored_progress_otherwise(rendering, progress, status, expected):
    assert _at(rendering, seconds_ago=5, progress=progress, status=status, expected=expected
               ).progress_estimate == progress


def test_the_status_api_shows_the_estimate(rendering, api, cast):
    _at(rendering, seconds_ago=5)
    body = api.as_user(cast.users["ag_leader"]).get(f"/api/v1/reports/{rendering.pk}/").json()
    assert 72 <= body["progress"] <= 76  # 5 s (and the time of the call) of the expected 10 s


def test_the_worker_says_how_long_the_rendering_should_take(rendering):
    from reports.rendering import html_prepare, pdf_render

    seen = {}

    def spy(html, **kwargs):
        report = ConsolidatedReport.objects.get(pk=rendering.pk)
        seen.update(progress=report.progress, summary=report.summary)
        return pdf_render(html, **kwargs)

    def gathered(prepared):  # the data is read, the document not yet laid out
        seen["gathered"] = ConsolidatedReport.objects.get(pk=rendering.pk).progress
        return html_prepare(prepared)

    # A per-row cost large enough to be seen at the estimate's tenth of a second on the 4 agencies of the report.
    with mock.patch("reports.rendering.pdf_render", spy), mock.patch("reports.rendering.html_prepare", gathered), \
            mock.patch.object(generation, "RENDER_SECONDS_PER_ROW", 0.03):
        assert generation.report_generate(report_id=rendering.pk) == "done"
    assert seen["gathered"] == 35
    assert (seen["progress"], seen["summary"]) == (50, {"render_seconds": 1.1})  # 1 s + 4 rows x 0.03 s
    rendering.refresh_from_db()
    assert "render_seconds" not in rendering.summary and rendering.progress_estimate == 100
