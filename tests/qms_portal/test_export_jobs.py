"""Exports too long for the request (qms_portal.exports): the nation's compliance list is written by the worker,
served only to the person who asked, with the rights they have when it is written, and removed after a day."""

import io
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import Membership
from qms_portal.exports.services import exports_tidy
from qms_portal.models import ExportJob, StoredFile

pytestmark = pytest.mark.django_db
URL = "/compliance/export.xlsx"


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.fixture
def worker_path(settings):
    """Any list longer than two agencies goes to the worker."""
    settings.EXPORT_INLINE_MAX_ROWS = 2


def ask(client, user, params=None, *, run=None):
    """GET the export as `user`; `run` (django_capture_on_commit_callbacks) runs the worker's task on commit."""
    client.force_login(user)
    if run is None:
        return client.get(URL, params or {})
    with run(execute=True):
        return client.get(URL, params or {})


def test_a_short_list_is_written_in_the_request(client, cast):
    response = ask(client, cast.users["ag_inspector"])
    assert response.status_code == 200 and response.getvalue()[:2] == b"PK"
    assert not ExportJob.objects.exists()


def test_the_nation_is_written_by_the_worker_with_the_same_rows(client, cast, worker_path, settings,
                                                                  django_capture_on_commit_callbacks):
    ministry = cast.users["ministry"]
    response = ask(client, ministry, {"sort": "stage"}, run=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert (job.kind, job.status, job.created_by) == ("qms.compliance", "done", ministry)
    assert job.params["sort"] == "stage" and job.params["query"] == "sort=stage"
    assert job.rows == ExportJob.objects.get().rows > 2
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert f'href="/exports/{job.pk}/file/"' in page and 'href="/compliance/?sort=stage"' in page
    assert client.get(f"/exports/{job.pk}/", HTTP_ACCEPT="application/json").json()["progress"] == 100
    download = client.get(f"/exports/{job.pk}/file/")
    assert download["Content-Disposition"].startswith('attachment; filename="tuan-thu-htqlcl-')
    assert download["Cache-Control"] == "private, no-store"
    settings.EXPORT_INLINE_MAX_ROWS = 100_000
    at_once = rows_of(client.get(URL, {"sort": "stage"}).getvalue())
    assert rows_of(download.getvalue()) == at_once
    assert len(at_once) == job.rows + 1  # no filter on a rule: the bound is the count


def test_a_job_and_its_file_are_only_its_owners(client, cast, worker_path, django_capture_on_commit_callbacks):
    ask(client, cast.users["ministry"], run=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    for other in ("ag_inspector", "admin", "ag_officer"):
        client.force_login(cast.users[other])
        assert client.get(f"/exports/{job.pk}/").status_code == 404
        assert client.get(f"/exports/{job.pk}/file/").status_code == 404
    client.logout()
    assert client.get(f"/exports/{job.pk}/file/").status_code == 302  # to the sign-in page


def test_a_second_click_while_it_waits_gives_the_same_job(client, cast, worker_path):
    first = ask(client, cast.users["ministry"])
    second = ask(client, cast.users["ministry"])
    other_filter = ask(client, cast.users["ministry"], {"sort": "stage"})
    assert first["Location"] == second["Location"] != other_filter["Location"]
    assert ExportJob.objects.filter(status="queued").count() == 2
    job = ExportJob.objects.get(params__sort="")
    status = client.get(f"/exports/{job.pk}/", HTTP_ACCEPT="application/json")
    assert status.status_code == 202 and status.json()["status"] == "queued" and status.json()["progress"] == 5
    # Not made yet: the file's address leads back to the page that waits for it.
    assert client.get(f"/exports/{job.pk}/file/")["Location"] == f"/exports/{job.pk}/"


def test_the_worker_writes_with_the_rights_of_that_moment(client, cast, worker_path,
                                                          django_capture_on_commit_callbacks):
    from qms_portal.exports.services import export_make

    ministry = cast.users["ministry"]
    ask(client, ministry)
    job = ExportJob.objects.get()
    Membership.objects.filter(user=ministry).delete()
    assert export_make(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.file is None and "không còn được xuất" in job.error
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert job.error in page


@pytest.mark.parametrize("user, params, status", [
    ("ag_officer", {}, 403),  # an agency's staff see no compliance list
    ("nobody", {}, 403),
    ("ministry", {"rule": "no-such-rule"}, 400),
    ("ministry", {"province": "x"}, 400),
])
def test_a_refused_export_keeps_no_job(client, cast, worker_path, user, params, status):
    assert ask(client, cast.users[user], params).status_code == status
    assert not ExportJob.objects.exists()


def test_tidying_removes_a_day_old_job_with_its_file_and_sends_lost_ones_again(
        client, cast, worker_path, django_capture_on_commit_callbacks):
    ask(client, cast.users["ministry"], run=django_capture_on_commit_callbacks)
    old = ExportJob.objects.get()
    stored = old.file
    assert stored.file.storage.exists(stored.file.name)
    ask(client, cast.users["ministry"], {"sort": "stage"})  # queued, its message lost (never sent)
    lost = ExportJob.objects.get(status="queued")
    now = timezone.now() + timedelta(hours=1)
    ExportJob.objects.filter(pk=lost.pk).update(created_at=now - timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        result = exports_tidy(now=now)
    assert result == {"resent": [lost.pk], "removed": 0}
    lost.refresh_from_db()
    assert lost.status == "done"
    with django_capture_on_commit_callbacks(execute=True):
        result = exports_tidy(now=old.created_at + timedelta(hours=24, minutes=1))
    assert result["removed"] == 1 and not ExportJob.objects.filter(pk=old.pk).exists()
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert not stored.file.storage.exists(stored.file.name)
    assert ExportJob.objects.filter(pk=lost.pk).exists()  # younger than a day


def test_the_tidying_is_scheduled_and_both_tasks_are_registered():
    from django_celery_beat.models import PeriodicTask

    from qms_portal.celery import app

    assert PeriodicTask.objects.get(task="qms_portal.exports_tidy").crontab.minute == "*/15"
    assert {"qms_portal.exports_tidy", "qms_portal.make_export"} <= set(app.tasks)
    assert app.tasks["qms_portal.exports_tidy"].apply().get() == {"resent": [], "removed": 0}  # as beat sends it


def test_a_real_worker_writes_the_nations_list(celery_worker_process, client, cast, settings):
    from django.db import connection

    settings.EXPORT_INLINE_MAX_ROWS = 2
    client.force_login(cast.users["ministry"])
    location = client.get(URL)["Location"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(location, HTTP_ACCEPT="application/json").json()["status"]
        if status in ("done", "failed"):
            break
        time.sleep(0.3)
    connection.close()
    assert status == "done"
    content = client.get(location + "file/").getvalue()
    assert len(rows_of(content)) == ExportJob.objects.get().rows + 1


def test_the_bar_moves_with_the_rows_expected_and_stops_short_of_done(client, cast, worker_path):
    from qms_portal.exports.services import export_progress

    ask(client, cast.users["ministry"])
    job = ExportJob.objects.get()
    job.status, job.rows, job.started_at = "running", 20_000, timezone.now()
    later = lambda seconds: job.started_at + timedelta(seconds=seconds)  # noqa: E731
    assert export_progress(job, now=later(0)) == 10
    assert export_progress(job, now=later(2)) == 52  # half of the 4 s that 20,000 rows take
    assert export_progress(job, now=later(60)) == 95  # late, but not done
