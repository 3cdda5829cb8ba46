"""The nation's compliance list is written by the worker: the click leads to the export's page, whose bar moves
and which downloads the file by itself when the worker is done (qms_portal.exports)."""

import io

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import login
from tests.e2e.test_journeys import go

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_long_export_shows_progress_and_downloads_itself(browser, live_server, cast, settings, monkeypatch):
    from qms_portal.exports import tasks
    from qms_portal.exports.services import export_make
    from qms_portal.models import ExportJob

    settings.EXPORT_INLINE_MAX_ROWS = 2
    sent = []
    monkeypatch.setattr(tasks.make_export, "delay", lambda job_id: sent.append(job_id))  # the worker is busy
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    login(page, "ministry")
    page.goto("/compliance/?sort=stage")
    go(page.locator("#main a", has_text="Xuất ra Excel"))
    job = ExportJob.objects.get()
    assert sent == [job.pk] and page.url.endswith(f"/exports/{job.pk}/")
    main = page.locator("#main").inner_text()
    assert "Mức độ tuân thủ của các cơ quan: Xuất ra Excel" in main and "Tệp tự tải về khi xong" in main
    status = page.locator("#export-status")
    assert status.get_attribute("data-status") == "queued"
    assert status.locator("progress[data-role=progress]").is_visible()
    with page.expect_download(timeout=30000) as download:
        assert export_make(job_id=job.pk) == "done"  # the worker finishes meanwhile
    assert download.value.suggested_filename.startswith("tuan-thu-htqlcl-")
    rows = list(load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active.iter_rows(values_only=True))
    assert len(rows) == job.rows + 1
    assert status.get_attribute("data-status") == "done"
    assert status.locator("[data-role=percent]").inner_text() == "100%"
    go(page.locator("#main a", has_text="Quay lại"))
    assert page.url.endswith("/compliance/?sort=stage")
    context.close()
