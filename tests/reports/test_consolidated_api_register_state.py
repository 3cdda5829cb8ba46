"""The API says of a consolidated report what its page and its verification page say of it: once its number is
withdrawn in the issuer's register, the report is no longer a valid document, and the API's detail and list tell an
integrator so (with the date and the reason the page shows), in a number of queries that does not grow with the
page of reports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import DocumentType, RegisteredDocument
from agencies.register import register_withdraw

from .conftest import done_report

pytestmark = pytest.mark.django_db

REASON = "Ban hành nhầm số liệu"


def _registered(cast, period, n: int, code: str):
    report = done_report(period=period, number=f"{n:02d}/BC-SKHCN", code=code)
    report.issuer = cast.agencies["ag_skhcn"]
    report.version = 100 + n  # issues of one report: the next one made by done_report is version 1
    report.save(update_fields=["issuer", "version"])
    line = RegisteredDocument.objects.create(
        issuer=cast.agencies["ag_skhcn"], year=report.issued_on.year, number=n, symbol="BC-SKHCN",
        doc_type=DocumentType.REPORT, issued_on=report.issued_on, title="Báo cáo kết quả áp dụng HTQLCL",
        current_file=report.pdf)
    return report, line


def _api(api, user, report) -> list[dict]:
    client = api.as_user(user)
    detail = client.get(f"/api/v1/reports/{report.pk}/").json()
    [row] = [r for r in client.get("/api/v1/reports/").json()["results"] if r["id"] == report.pk]
    return [detail, row]


def test_a_withdrawn_report_is_withdrawn_in_the_api_as_on_its_pages(api, cast, reporting, client):
    report, line = _registered(cast, reporting["ag"], 1, "WDRN2345")
    leader = cast.users["ag_leader"]
    for body in _api(api, leader, report):
        assert (body["withdrawn"], body["withdrawn_on"], body["withdrawn_reason"]) == (False, None, "")
    register_withdraw(actor=leader, entry=line, reason=REASON)
    today = timezone.localdate()
    for user in ("ag_leader", "ag_inspector", "ag_ubnd", "ministry"):
        for body in _api(api, cast.users[user], report):
            assert body["withdrawn"] is True, user
            assert (body["withdrawn_on"], body["withdrawn_reason"]) == (today.isoformat(), REASON), user
    # what the report's page and its verification page say
    client.force_login(leader)
    page = client.get(f"/reports/consolidated/{report.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and REASON in page
    verified = client.get(f"/verify/{report.verification_code}/").content.decode()
    assert 'data-testid="withdrawn"' in verified and today.strftime("%d/%m/%Y") in verified


def test_a_report_without_a_register_line_is_not_withdrawn(api, cast, reporting):
    national = done_report(kind="national", year=reporting["ag"].year, number="")
    for body in _api(api, cast.users["ministry"], national):
        assert (body["withdrawn"], body["withdrawn_on"], body["withdrawn_reason"]) == (False, None, "")


def test_the_list_reads_the_register_in_queries_that_do_not_grow(api, cast, reporting):
    client = api.as_user(cast.users["ag_leader"])
    first, line = _registered(cast, reporting["ag"], 1, "AAAA2345")
    register_withdraw(actor=cast.users["ag_leader"], entry=line, reason=REASON)
    client.get("/api/v1/reports/")  # the user's scope is looked up once, then cached
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/reports/").status_code == 200
    for n, code in ((2, "BBBB2345"), (3, "CCCC2345"), (4, "DDDD2345")):
        _registered(cast, reporting["ag"], n, code)
    with CaptureQueriesContext(connection) as many:
        rows = client.get("/api/v1/reports/").json()["results"]
    assert len(rows) == 4 and len(many) == len(few)
    assert [r["withdrawn"] for r in sorted(rows, key=lambda r: r["number"])] == [True, False, False, False]


def test_the_schema_documents_the_withdrawal():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    properties = schema["components"]["schemas"]["ConsolidatedReport"]["properties"]
    assert properties["withdrawn"]["type"] == "boolean"
    assert properties["withdrawn_on"]["format"] == "date" and properties["withdrawn_on"]["nullable"]
    assert properties["withdrawn_reason"]["type"] == "string"


def test_a_signed_report_gives_the_signed_version_as_its_verification_page(api, cast, reporting, client):
    """Once the signed PDF is stored on the report's register line, the verification page names its signer and
    checksum: the report's own page and the API say the same (the stored PDF, pdf_sha256, is the unsigned one)."""
    from datetime import datetime

    from qms_portal.files import stored_bytes_create

    report, line = _registered(cast, reporting["ag"], 1, "SGND2345")
    leader = cast.users["ag_leader"]
    for body in _api(api, leader, report):
        assert (body["signed_pdf_sha256"], body["signed_by"], body["signed_at"]) == (None, "", None)
    client.force_login(leader)
    assert 'data-testid="signed-version"' in client.get(f"/reports/consolidated/{report.pk}/").content.decode()
    signed_at = timezone.make_aware(datetime(2026, 12, 1, 9, 30))
    line.signed_file = stored_bytes_create(content=b"%PDF-1.7\n% signed\n", name="signed.pdf", kind="pdf")
    line.signature_signer, line.signature_signed_at, line.status = "Trần Văn Bình", signed_at, "issued"
    line.save()
    sha = line.signed_file.sha256
    assert sha != report.pdf.sha256
    for body in _api(api, leader, report):
        assert body["signed_pdf_sha256"] == sha and body["signed_by"] == "Trần Văn Bình"
        assert body["signed_at"].startswith("2026-12-01T09:30")
    for url in (f"/verify/{report.verification_code}/", f"/reports/consolidated/{report.pk}/"):
        page = client.get(url).content.decode()
        assert f'data-testid="signed-sha256">{sha}<' in page, url
        assert "Signed by Trần Văn Bình at 01/12/2026 09:30" in page, url
    # the report's readers download the signed PDF from its page; the public verification page gives checksums only
    page = client.get(f"/reports/consolidated/{report.pk}/").content.decode()
    assert f'href="/register/{line.pk}/signed/" data-testid="signed-download"' in page
    assert b"".join(client.get(f"/register/{line.pk}/signed/").streaming_content) == b"%PDF-1.7\n% signed\n"
    client.logout()
    assert 'data-testid="signed-download"' not in client.get(f"/verify/{report.verification_code}/").content.decode()


def test_the_lists_of_reports_say_withdrawn_as_the_api_list(api, cast, reporting, client):
    """The reports page and the period page list the consolidated reports with their number and status: a
    withdrawn one is marked so there too, not listed as a valid document beside one that is."""
    withdrawn, line = _registered(cast, reporting["ag"], 1, "WWWW2345")
    valid, _line = _registered(cast, reporting["ag"], 2, "VVVV2345")
    register_withdraw(actor=cast.users["ag_leader"], entry=line, reason=REASON)
    client.force_login(cast.users["ag_leader"])
    for url in ("/reports/", f"/reports/periods/{reporting['ag'].pk}/"):
        page = client.get(url).content.decode()
        assert page.count('data-testid="withdrawn-badge"') == 1, url
        badge = page.index('data-testid="withdrawn-badge"')
        assert page.rfind("01/BC-SKHCN", 0, badge) > page.rfind("02/BC-SKHCN", 0, badge), url
    rows = {r["number"]: r["withdrawn"] for r in api.as_user(cast.users["ag_leader"]).get("/api/v1/reports/")
            .json()["results"]}
    assert rows == {"01/BC-SKHCN": True, "02/BC-SKHCN": False}
