"""The public verification page of a consolidated report says what its register line says: a report whose number
was withdrawn is shown as withdrawn (not as a document issued through the portal, nor as "the PDF above is the
draft"), and no reader is offered its PDF as the valid document; a numbered report not signed yet is the draft."""

import pytest
from django.utils import timezone

from agencies.models import DocumentType, RegisteredDocument
from agencies.register import register_withdraw

from .conftest import done_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(cast, reporting):
    report = done_report(period=reporting["ag"], number="01/BC-SKHCN", code="WDRN2345")
    report.issuer = cast.agencies["ag_skhcn"]
    report.save(update_fields=["issuer"])
    line = RegisteredDocument.objects.create(
        issuer=cast.agencies["ag_skhcn"], year=report.issued_on.year, number=1, symbol="BC-SKHCN",
        doc_type=DocumentType.REPORT, issued_on=timezone.localdate(), title="Báo cáo kết quả áp dụng HTQLCL",
        current_file=report.pdf)
    return report, line


def test_a_numbered_report_not_signed_yet_is_the_draft(client, registered):
    page = client.get("/verify/WDRN2345/").content.decode()
    assert "Not yet uploaded: the PDF above is the draft." in page
    assert 'data-testid="withdrawn"' not in page


def test_a_withdrawn_report_is_verified_as_withdrawn(client, cast, registered):
    report, line = registered
    register_withdraw(actor=cast.users["ag_leader"], entry=line, reason="Ban hành nhầm số liệu")
    for user in (None, "ag_leader"):
        if user:
            client.force_login(cast.users[user])
        response = client.get("/verify/WDRN2345/")
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-testid="withdrawn"' in page and "This document was withdrawn by its issuing body" in page, user
        assert "<dd>Withdrawn · " in page, user
        assert "This document was issued through the QMS Portal." not in page, user
        assert "the PDF above is the draft" not in page, user
        assert 'data-testid="stored-pdf"' not in page, user
        assert report.pdf.sha256 in page  # the checksum still identifies the copy being checked


def test_the_reports_page_says_it_was_withdrawn_as_its_verification_does(client, cast, registered):
    report, line = registered
    client.force_login(cast.users["ag_leader"])
    page = client.get(f"/reports/consolidated/{report.pk}/").content.decode()
    assert 'data-testid="withdrawn"' not in page
    register_withdraw(actor=cast.users["ag_leader"], entry=line, reason="Ban hành nhầm số liệu")
    page = client.get(f"/reports/consolidated/{report.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and "This document was withdrawn by its issuing body" in page
    assert "Ban hành nhầm số liệu" in page  # the reason, to the readers in scope
