"""The register of outgoing documents: scoped page and API (role x own/other body x action), search, year/body
filters, gaps in numbering, XLSX export, withdrawal that keeps the number."""

import io
from datetime import date

import pytest
from django.utils.translation import gettext
from openpyxl import load_workbook

from agencies.models import DocumentType, RegisteredDocument, RegisterStatus
from agencies.numbering import document_number_next
from agencies.register import register_gaps

pytestmark = pytest.mark.django_db

USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd",
         "cb_officer", "cb_inspector", "cb_leader", "ministry", "admin"]
# Targets: an An Giang agency's own report (ag_stp), a line of UBND tỉnh An Giang (a province body), Cao Bằng's STP.
TARGETS = ("ag_stp", "ag_ubnd", "cb_stp")
READ = {  # GET /outgoing-documents/{id}/ and /register/{id}/
    "ag_officer": (200, 404, 404), "ag_head": (200, 404, 404),
    "ag_inspector": (200, 200, 404), "ag_leader": (200, 200, 404), "ag_ubnd": (200, 200, 404),
    "cb_officer": (404, 404, 200), "cb_inspector": (404, 404, 200), "cb_leader": (404, 404, 200),
    "ministry": (200, 200, 200), "admin": (200, 200, 200),
}
WITHDRAW = {  # POST /outgoing-documents/{id}/withdraw/: the body's own keeper only
    "ag_officer": (403, 404, 404), "ag_head": (200, 404, 404),
    "ag_inspector": (403, 200, 404), "ag_leader": (403, 200, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 403), "cb_inspector": (404, 404, 403), "cb_leader": (404, 404, 403),
    "ministry": (403, 403, 403), "admin": (200, 200, 200),
}


def _cases(table):
    return [(user, target, table[user][i]) for user in USERS for i, target in enumerate(TARGETS)]


@pytest.fixture
def entries(cast):
    """One report number of each target body in 2026, plus UBND An Giang's 01 and 03 (02 missing: a gap)."""
    made = {}
    for key in TARGETS:
        number = document_number_next(issuer=cast.agencies[key], doc_type=DocumentType.REPORT,
                                      issued_on=date(2026, 3, 2), title=f"Báo cáo {key}", recipients="Bộ KH&CN")
        made[key] = RegisteredDocument.objects.get(issuer=cast.agencies[key], year=2026, number=number.number,
                                                   symbol=number.symbol)
    made["gap"] = RegisteredDocument.objects.create(
        issuer=cast.agencies["ag_ubnd"], year=2026, number=3, symbol="BC-UBND", doc_type=DocumentType.REPORT,
        issued_on=date(2026, 5, 4), title="Báo cáo tình hình áp dụng ISO")
    made["old"] = RegisteredDocument.objects.create(
        issuer=cast.agencies["ag_ubnd"], year=2025, number=1, symbol="KH-UBND", doc_type=DocumentType.PLAN,
        issued_on=date(2025, 1, 4), title="Kế hoạch kiểm tra")
    return made


@pytest.mark.parametrize(("user", "target", "expected"), _cases(READ))
def test_the_draft_file_downloads_from_its_line_in_scope(client, cast, entries, user, target, expected):
    """Issue 17: "a link to the file". The PDF the portal printed (current_file) is served from the line to whoever
    reads the line; a line with no file yet has none (404)."""
    from qms_portal.files import stored_bytes_create

    entry = entries[target]
    url = f"/register/{entry.pk}/file/"
    client.force_login(cast.users[user])
    assert client.get(url).status_code == 404  # no file printed yet
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    RegisteredDocument.objects.filter(pk=entry.pk).update(
        current_file=stored_bytes_create(content=pdf, name="bao-cao.pdf", kind="pdf"))
    response = client.get(url)
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content) == pdf
        assert f'href="{url}"' in client.get(f"/register/{entry.pk}/").content.decode()
        assert f'href="{url}"' in client.get("/register/", {"year": 2026}).content.decode()


@pytest.mark.parametrize(("user", "target", "expected"), _cases(READ))
def test_read_matrix(api, client, cast, entries, user, target, expected):
    pk = entries[target].pk
    assert api.as_user(cast.users[user]).get(f"/api/v1/outgoing-documents/{pk}/").status_code == expected
    client.force_login(cast.users[user])
    assert client.get(f"/register/{pk}/").status_code == expected


@pytest.mark.parametrize(("user", "target", "expected"), _cases(WITHDRAW))
def test_withdraw_matrix(api, cast, entries, user, target, expected):
    entry = entries[target]
    response = api.as_user(cast.users[user]).post(f"/api/v1/outgoing-documents/{entry.pk}/withdraw/",
                                                   {"reason": "Ban hành nhầm đối tượng"}, format="json")
    assert response.status_code == expected, response.content
    entry.refresh_from_db()
    assert (entry.status == RegisterStatus.WITHDRAWN) == (expected == 200)
    if expected == 200:
        assert response.json()["withdrawn_reason"] == "Ban hành nhầm đối tượng"


def test_list_is_scoped(api, cast, entries):
    def listed(user):
        response = api.as_user(cast.users[user]).get("/api/v1/outgoing-documents/")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert listed("ag_officer") == {entries["ag_stp"].pk}
    assert listed("ag_inspector") == {entries[k].pk for k in ("ag_stp", "ag_ubnd", "gap", "old")}
    assert listed("cb_officer") == {entries["cb_stp"].pk}
    assert len(listed("ministry")) == 5
    assert api.as_user(cast.users["nobody"]).get("/api/v1/outgoing-documents/").status_code == 403


def test_api_filters_and_search(api, cast, entries):
    client = api.as_user(cast.users["ag_leader"])
    ids = lambda params: {r["id"] for r in client.get("/api/v1/outgoing-documents/", params).json()["results"]}  # noqa: E731
    assert ids({"year": 2025}) == {entries["old"].pk}
    assert ids({"issuer": cast.agencies["ag_stp"].pk}) == {entries["ag_stp"].pk}
    assert ids({"q": "03/BC-UBND"}) == {entries["gap"].pk}
    assert ids({"q": "tình hình"}) == {entries["gap"].pk}
    refused = client.get("/api/v1/outgoing-documents/", {"year": "abc"})
    assert refused.status_code == 400 and refused.json() == {"year": [gettext("A valid integer is required.")]}
    row = client.get(f"/api/v1/outgoing-documents/{entries['ag_ubnd'].pk}/").json()
    assert row["reference"] == "01/BC-UBND" and row["title"] == "Báo cáo ag_ubnd" and row["recipients"] == "Bộ KH&CN"
    assert row["status"] == "draft" and row["current_sha256"] is None and row["signed_sha256"] is None


def test_the_endpoints_are_in_the_schema(api, cast):
    schema = api.as_user(cast.users["admin"]).get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/outgoing-documents/" in schema["paths"]
    assert "/api/v1/outgoing-documents/{id}/withdraw/" in schema["paths"]


def test_gaps_are_visible(client, cast, entries):
    from agencies.models import RegisteredDocument as R

    gaps = register_gaps(R.objects.all())
    assert [str(g) for g in gaps] == [f"02/BC-UBND ({cast.agencies['ag_ubnd'].name}, 2026)"]
    client.force_login(cast.users["ag_leader"])
    page = client.get("/register/").content.decode()
    assert "02/BC-UBND" in page and "Báo cáo tình hình áp dụng ISO" in page
    client.force_login(cast.users["ag_officer"])
    assert "02/BC-UBND" not in client.get("/register/").content.decode()  # not their body


def test_page_search_filters_and_menu(client, cast, entries):
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/register/", {"q": "Kế hoạch"}).content.decode()
    assert "01/KH-UBND" in page and "03/BC-UBND" not in page
    page = client.get("/register/", {"year": 2026, "issuer": cast.agencies["ag_stp"].pk}).content.decode()
    assert "01/BC-STP" in page and "BC-UBND</a>" not in page
    assert 'href="/register/"' in client.get("/").content.decode()
    client.force_login(cast.users["nobody"])
    assert client.get("/register/").status_code in (302, 403)


def test_xlsx_export_follows_the_filters_and_scope(client, cast, entries):
    client.force_login(cast.users["ag_leader"])
    response = client.get("/register/", {"format": "xlsx", "year": 2026})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    numbers = sorted((row[2], row[3]) for row in rows[1:])
    assert numbers == [(1, "BC-STP"), (1, "BC-UBND"), (3, "BC-UBND")]
    assert "Báo cáo ag_stp" in {row[6] for row in rows[1:]}
    # the sheet and its columns are named in the portal's language
    assert workbook.sheetnames == [gettext("Register")] and gettext("Register") != "Register"
    assert rows[0] == tuple(gettext(title) for title in (
        "Issuing body", "Year", "Number", "Symbol", "Issued on", "Type", "Title", "Recipients", "Signer", "Status",
        "Reason for withdrawal", "Signed file SHA-256"))
    line = next(row for row in rows[1:] if row[6] == "Báo cáo ag_stp")
    assert line[0] == cast.agencies["ag_stp"].name and line[9] == gettext("Draft")


def test_a_withdrawn_number_is_kept_and_never_reused(client, cast, entries):
    entry = entries["ag_stp"]
    client.force_login(cast.users["ag_head"])
    refused = client.post(f"/register/{entry.pk}/withdraw/", {"reason": " "})
    assert refused.status_code == 400
    assert refused.context["withdraw_form"].errors == {"reason": [gettext("This field is required.")]}
    entry.refresh_from_db()
    assert entry.status == RegisterStatus.DRAFT
    response = client.post(f"/register/{entry.pk}/withdraw/", {"reason": "Sai số liệu"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == RegisterStatus.WITHDRAWN and entry.withdrawn_reason == "Sai số liệu"
    assert entry.withdrawn_by == cast.users["ag_head"]
    following = document_number_next(issuer=cast.agencies["ag_stp"], doc_type=DocumentType.REPORT,
                                     issued_on=date(2026, 6, 1))
    assert following.number == entry.number + 1
    assert "Sai số liệu" in client.get(f"/register/{entry.pk}/").content.decode()
    # twice: a conflict, said plainly
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.users["ag_head"])
    assert api.post(f"/api/v1/outgoing-documents/{entry.pk}/withdraw/", {"reason": "x"}).status_code == 409


def test_the_ministrys_register_is_written_by_the_worker(client, cast, entries, settings,
                                                         django_capture_on_commit_callbacks):
    """More lines than EXPORT_INLINE_MAX_ROWS: a job, the same lines as at once, the page it came from linked."""
    from qms_portal.models import ExportJob

    client.force_login(cast.users["ministry"])
    at_once = list(load_workbook(io.BytesIO(client.get("/register/", {"format": "xlsx", "q": "Báo cáo"}).getvalue()),
                                 read_only=True).active.iter_rows(values_only=True))
    settings.EXPORT_INLINE_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/register/", {"format": "xlsx", "q": "Báo cáo"})
    job = ExportJob.objects.get(kind="agencies.register")
    assert response["Location"] == f"/exports/{job.pk}/" and job.status == "done" and job.rows == len(at_once) - 1
    assert 'href="/register/?q=B%C3%A1o+c%C3%A1o"' in client.get(response["Location"]).content.decode()
    by_worker = client.get(f"/exports/{job.pk}/file/")
    assert by_worker["Content-Disposition"].startswith('attachment; filename="so-van-ban-di-')
    assert list(load_workbook(io.BytesIO(by_worker.getvalue()), read_only=True).active.iter_rows(
        values_only=True)) == at_once
    client.force_login(cast.users["ag_leader"])
    assert client.get(f"/exports/{job.pk}/file/").status_code == 404
