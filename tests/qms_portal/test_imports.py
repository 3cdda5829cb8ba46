"""Import jobs (qms_portal.imports): small files at once, large ones in the worker; a check saves nothing; an
all-or-nothing import saves nothing when a row is refused; a job is its owner's alone."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, transaction
from django.http import Http404
from django.utils.translation import gettext

from qms_portal.imports.base import REGISTRY, Importer, ImportReport, register
from qms_portal.imports.services import import_job_progress, import_job_run, import_submit
from qms_portal.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

PROCEDURES_CSV = "Mã TTHC;Tên TTHC\n" + "".join(f"1.{n:04d};Thủ tục {n}\n" for n in range(1, 8))


def procedures_url(agency) -> str:
    return f"/api/v1/agencies/{agency.pk}/procedures/import/"


def upload(text: str, name: str = "tthc.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


@pytest.fixture
def codes_importer(cast):
    """An all-or-nothing import of the province's agencies' short codes: a row names an agency and its code."""
    from agencies.access import require
    from agencies.models import Agency

    @register
    class CodesImporter(Importer):
        kind = "test.codes"
        label = "Codes"

        def authorize(self, *, actor, params):
            require(actor, "agency.update", province_id=params["province_id"])

        def back_url(self, params):
            return "/"

        def check_header(self, header):
            if header[:2] != ["name", "code"]:
                raise ValidationError({"file": "name, code"})

        def run(self, *, actor, params, rows, apply, progress):
            report, found = ImportReport(), []
            for number, (name, code) in enumerate(rows[1:], start=2):
                report.total += 1
                agency = Agency.objects.filter(province_id=params["province_id"], name=name).first()
                if agency is None:
                    report.refuse(number, ValidationError({"name": "Không có cơ quan này."}), {"name": name})
                    continue
                found.append((agency, code))
            report.updated = len(found)
            if apply and not report.errors:
                for agency, code in found:
                    Agency.objects.filter(pk=agency.pk).update(short_code=code)
                report.applied = True
            return report

    yield REGISTRY["test.codes"]
    del REGISTRY["test.codes"]


def test_a_small_import_runs_at_once_and_answers_its_report(api, cast):
    officer = api.as_user(cast.users["ag_officer"])
    response = officer.post(procedures_url(cast.agencies["ag_stp"]), {"file": upload(PROCEDURES_CSV)},
                            format="multipart")
    assert response.status_code == 200, response.json()
    job = response.json()
    assert (job["status"], job["progress"], job["report"]["created"]) == ("done", 100, 7)
    assert officer.get(f"/api/v1/imports/{job['id']}/").json()["report"]["rows"] == 7


def test_a_large_import_runs_in_the_worker_with_progress(api, cast, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 3
    officer = api.as_user(cast.users["ag_officer"])
    stp = cast.agencies["ag_stp"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = officer.post(procedures_url(stp), {"file": upload(PROCEDURES_CSV)}, format="multipart")
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["progress"], job["report"]) == ("queued", 0, None)
    assert not stp.procedures.exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the worker's turn (eager in tests)
    done = officer.get(f"/api/v1/imports/{job['id']}/")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["report"]["created"]) == ("done", 7)
    assert stp.procedures.count() == 7


def test_progress_is_read_from_the_workers_notes(cast):
    from django.core.cache import cache

    job = ImportJob.objects.create(kind="qms.procedures", params={}, file_name="x.csv", created_by=cast.users["admin"],
                                   rows=[["code"]] + [["x"]] * 400, status=ImportStatus.RUNNING)
    cache.set(f"import-progress:{job.pk}", 200)
    assert import_job_progress(job) == 50


def test_a_job_is_seen_by_its_owner_only(api, cast, client):
    officer = api.as_user(cast.users["ag_officer"])
    job_id = officer.post(procedures_url(cast.agencies["ag_stp"]), {"file": upload(PROCEDURES_CSV)},
                          format="multipart").json()["id"]
    other = api.__class__().as_user(cast.users["ag_inspector"])
    assert other.get(f"/api/v1/imports/{job_id}/").status_code == 404
    assert other.post(f"/api/v1/imports/{job_id}/apply/").status_code == 404
    client.force_login(cast.users["ag_inspector"])
    assert client.get(f"/imports/{job_id}/").status_code == 404
    client.force_login(cast.users["ag_officer"])
    page = client.get(f"/imports/{job_id}/")
    assert page.status_code == 200 and "tthc.csv" in page.content.decode()


def test_a_file_without_the_needed_columns_is_refused_before_any_job(api, cast):
    officer = api.as_user(cast.users["ag_officer"])
    response = officer.post(procedures_url(cast.agencies["ag_stp"]), {"file": upload("Tên\nA\n")},
                            format="multipart")
    assert response.status_code == 400 and "còn thiếu: Mã TTHC." in str(response.json())
    assert not ImportJob.objects.exists()


def test_a_check_saves_nothing_and_a_clean_check_is_applied(cast, codes_importer, api):
    actor, province = cast.users["ag_leader"], cast.provinces["ag"]
    stp = cast.agencies["ag_stp"]
    check = import_submit(actor=actor, kind="test.codes", params={"province_id": province.pk},
                          uploaded=upload(f"name,code\n{stp.name},STP-9\n"), apply=False)
    assert (check.status, check.report["updated"], check.report["applied"]) == ("done", 1, False)
    stp.refresh_from_db()
    assert stp.short_code != "STP-9"
    applied = api.as_user(actor).post(f"/api/v1/imports/{check.pk}/apply/")
    assert applied.status_code == 200 and applied.json()["report"]["applied"] is True
    stp.refresh_from_db()
    assert stp.short_code == "STP-9"
    assert ImportJob.objects.get(pk=check.pk).apply is False  # the check's report stays as it was


def test_all_or_nothing_saves_nothing_when_a_row_is_refused(cast, codes_importer, api):
    actor, province = cast.users["admin"], cast.provinces["ag"]
    stp = cast.agencies["ag_stp"]
    job = import_submit(actor=actor, kind="test.codes", params={"province_id": province.pk},
                        uploaded=upload(f"name,code\n{stp.name},STP-9\nKhông tồn tại,X\n"), apply=True)
    assert job.report["errors"] == [{"row": 3, "column": "name", "value": "Không tồn tại",
                                     "message": "Không có cơ quan này."}]
    stp.refresh_from_db()
    assert stp.short_code != "STP-9"
    response = api.as_user(actor).post(f"/api/v1/imports/{job.pk}/apply/")
    assert response.status_code == 400  # only a clean check can be applied
    assert response.json() == {"non_field_errors": [
        gettext("Only a check without refused rows can be applied; correct the file and check it again.")]}


def test_the_import_is_authorized_again_when_the_worker_runs_it(cast):
    from agencies.models import Membership

    officer = cast.users["ag_officer"]
    job = ImportJob.objects.create(kind="qms.procedures", params={"agency_id": cast.agencies["ag_stp"].pk},
                                   file_name="x.csv", created_by=officer, apply=True,
                                   rows=[["Mã TTHC", "Tên TTHC"], ["1.0001", "A"]])
    Membership.objects.filter(user=officer).delete()
    assert import_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "Vai trò của bạn không còn được phép thực hiện lần nhập này.")
    assert not cast.agencies["ag_stp"].procedures.exists()


def test_the_worker_does_not_import_for_an_account_disabled_since(padmins):
    """The administrators disabled the account after the upload (it can no longer sign in, its tokens are
    revoked): its role row is still there, and the worker must not act on it."""
    cast = padmins
    padmin = cast.users["ag_padmin"]
    job = ImportJob.objects.create(kind="agencies.agencies", params={"province_id": cast.provinces["ag"].pk},
                                   file_name="x.csv", created_by=padmin, apply=True,
                                   rows=[["Tên cơ quan", "Ký hiệu", "Loại cơ quan"],
                                         ["Trường THCS Mỹ Bình", "THCS-MB", "Đơn vị sự nghiệp công lập"]])
    padmin.is_active = False
    padmin.save()
    assert import_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "Vai trò của bạn không còn được phép thực hiện lần nhập này.")
    assert not cast.agencies["ag_stp"].__class__.objects.filter(short_code="THCS-MB").exists()


def _codes_job(cast) -> ImportJob:
    return ImportJob.objects.create(kind="test.codes", params={"province_id": cast.provinces["ag"].pk},
                                    file_name="x.csv", created_by=cast.users["ag_padmin"], apply=True,
                                    rows=[["name", "code"], ["Sở Tư pháp", "STP2"]])


def test_a_defect_in_an_import_fails_the_job_with_a_message_and_saves_nothing(padmins, codes_importer, monkeypatch):
    """Not left "running" for ever with nobody told: the job fails at once, and its transaction saved nothing."""
    from agencies.models import Agency

    def broken(self, *, actor, params, rows, apply, progress):
        Agency.objects.filter(province_id=params["province_id"], short_code="STP").update(short_code="HALF")
        raise KeyError("a defect")

    monkeypatch.setattr(type(codes_importer), "run", transaction.atomic(broken))
    job = _codes_job(padmins)
    assert import_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert job.error.startswith("Lần nhập dừng vì một lỗi không lường trước")
    assert not Agency.objects.filter(short_code="HALF").exists()


def test_a_transient_error_puts_the_job_back_in_the_queue_for_the_retry(padmins, codes_importer, monkeypatch):
    def unreachable(self, **kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr(type(codes_importer), "run", unreachable)
    job = _codes_job(padmins)
    with pytest.raises(OperationalError):
        import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    monkeypatch.undo()  # the database is back: the retry claims the job again and runs it
    assert import_job_run(job_id=job.pk) == "done"


def test_an_unknown_kind_is_not_found(cast):
    with pytest.raises(Http404):
        import_submit(actor=cast.users["admin"], kind="nope", params={}, uploaded=upload("a\nb\n"), apply=False)


def test_the_html_import_leads_to_the_job_page_with_its_report(client, cast):
    client.force_login(cast.users["ag_officer"])
    stp = cast.agencies["ag_stp"]
    response = client.post(f"/agencies/{stp.pk}/qms/procedures/import/",
                           {"file": upload(PROCEDURES_CSV.replace("1.0003;Thủ tục 3", ";Thủ tục 3"))}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/imports/")
    assert "<td>4</td><td>Mã TTHC</td><td></td>" in page and stp.procedures.count() == 6


def test_a_real_worker_runs_a_large_import(celery_worker_process, cast, settings, api):
    from django.db import connection

    settings.IMPORT_INLINE_MAX_ROWS = 3
    officer = api.as_user(cast.users["ag_officer"])
    stp = cast.agencies["ag_stp"]
    job_id = officer.post(procedures_url(stp), {"file": upload(PROCEDURES_CSV)}, format="multipart").json()["id"]
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = officer.get(f"/api/v1/imports/{job_id}/").json()["status"]
        if status in ("done", "failed"):
            break
        time.sleep(0.5)
    connection.close()
    assert status == "done"
    assert stp.procedures.count() == 7
