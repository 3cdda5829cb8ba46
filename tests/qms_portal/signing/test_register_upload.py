"""The final signed PDF of a register entry: uploaded on the entry's page or through the API, validated with
`signed_pdf_check` against the configured trust store, refused with a translated reason (nothing stored) or
stored for good with its SHA-256; the entry becomes "issued" and the report's verification page shows the signer."""

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import DocumentType, ProvinceSettings, RegisteredDocument, RegisterStatus
from qms_portal.models import StoredFile
from qms_portal.signing import Reason, signed_pdf_check

from .pki import sign_pdf
from .test_refusals import EMBEDDED_MESSAGE, JAVASCRIPT_MESSAGE, _document_script, rewrite

pytestmark = pytest.mark.django_db

USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "cb_officer", "cb_inspector", "cb_leader",
         "ministry", "admin"]
# Targets: the Sở KH&CN An Giang's report 05/BC-SKHCN (a province body), Sở Tư pháp An Giang's own report.
UPLOAD = {
    "ag_officer": (404, 403), "ag_head": (404, 201), "ag_inspector": (201, 403), "ag_leader": (201, 403),
    "ag_ubnd": (403, 403), "cb_officer": (404, 404), "cb_inspector": (404, 404), "cb_leader": (404, 404),
    "ministry": (403, 403), "admin": (201, 201),
}


@pytest.fixture
def trust(settings, tmp_path, pki):
    """The deployment trusts the test government root (not the other root)."""
    (tmp_path / "root.pem").write_bytes(pki.root.pem())
    settings.SIGNATURE_TRUST_ROOTS_DIR = str(tmp_path)


def _entry(agency, number=5, symbol="BC-SKHCN"):
    return RegisteredDocument.objects.create(issuer=agency, year=2024, number=number, symbol=symbol,
                                             doc_type=DocumentType.REPORT, issued_on=date(2024, 12, 2),
                                             title="Báo cáo kết quả áp dụng HTQLCL")


@pytest.fixture
def entries(cast):
    ProvinceSettings.objects.update_or_create(province=cast.provinces["ag"],
                                              defaults={"lead_agency": cast.agencies["ag_skhcn"]})
    return {"skhcn": _entry(cast.agencies["ag_skhcn"]), "stp": _entry(cast.agencies["ag_stp"], symbol="BC-STP")}


def _post(api, user, entry, content, name="van-ban-ky-so.pdf"):
    return api.as_user(user).post(f"/api/v1/outgoing-documents/{entry.pk}/signed-pdf/",
                                  {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
                                  format="multipart")


@pytest.mark.parametrize(("user", "target", "expected"),
                         [(u, t, UPLOAD[u][i]) for u in USERS for i, t in enumerate(("skhcn", "stp"))])
def test_upload_matrix(api, cast, entries, trust, signed, user, target, expected):
    entry = entries[target]
    response = _post(api, cast.users[user], entry, signed.content)
    assert response.status_code == expected, response.content
    entry.refresh_from_db()
    assert (entry.status == RegisterStatus.ISSUED) == (expected == 201)
    assert (entry.signed_file_id is not None) == (expected == 201)


def test_a_good_signature_is_stored_for_good(api, cast, entries, trust, signed):
    entry = entries["skhcn"]
    response = _post(api, cast.users["ag_leader"], entry, signed.content)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["warnings"] == []  # 05/BC-SKHCN of 02/12/2024 is what the PDF prints
    assert body["entry"]["status"] == "issued"
    assert body["entry"]["signature_signer"] == "Nguyễn Thị Ngọc Trường"
    assert body["entry"]["signed_sha256"] == hashlib.sha256(signed.content).hexdigest()
    entry.refresh_from_db()
    assert entry.signed_file.file.open("rb").read() == signed.content
    assert signed.before <= entry.signature_signed_at <= signed.after
    # immutable: a second upload is refused and changes nothing
    again = _post(api, cast.users["ag_leader"], entry, signed.content)
    assert again.status_code == 409
    assert StoredFile.objects.count() == 1


def test_the_page_uploads_downloads_and_shows_the_signer(client, cast, entries, trust, signed):
    entry = entries["skhcn"]
    client.force_login(cast.users["ag_inspector"])
    page = client.get(f"/register/{entry.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(f"/register/{entry.pk}/signed/", {"file": SimpleUploadedFile("ky.pdf", signed.content)})
    assert response.status_code == 302
    page = client.get(f"/register/{entry.pk}/").content.decode()
    assert "Nguyễn Thị Ngọc Trường" in page and "Đã ban hành" in page
    download = client.get(f"/register/{entry.pk}/signed/")
    assert b"".join(download.streaming_content) == signed.content
    client.force_login(cast.users["cb_inspector"])
    assert client.get(f"/register/{entry.pk}/signed/").status_code == 404


def _refused(api, cast, entry, content, name="van-ban.pdf"):
    response = _post(api, cast.users["ag_leader"], entry, content, name=name)
    assert response.status_code == 400, response.content
    entry.refresh_from_db()
    assert entry.status == RegisterStatus.DRAFT and entry.signed_file_id is None
    assert StoredFile.objects.count() == 0
    return str(response.json())


def test_refusals_say_why_and_store_nothing(api, cast, entries, trust, pki, signed, unsigned_pdf):
    entry = entries["skhcn"]

    def refused_as_checked(content, reason):
        check = signed_pdf_check(content)
        assert check.reason == reason
        message = _refused(api, cast, entry, content)
        assert str(check.message) in message
        return message

    assert "PDF" in _refused(api, cast, entry, b"Quyet dinh so 05", name="quyet-dinh.txt")
    assert "PDF" in _refused(api, cast, entry, b"PK\x03\x04not a docx", name="quyet-dinh.pdf")
    assert "chưa có chữ ký số" in refused_as_checked(unsigned_pdf, Reason.NO_SIGNATURE)
    refused_as_checked(rewrite(signed.content, lambda w: w.add_blank_page(), incremental=True),
                       Reason.CHANGED_AFTER_SIGNING)
    untrusted = sign_pdf(unsigned_pdf, pki.other_signer, chain=(pki.other_root,))
    assert "Root CA không tin cậy" in refused_as_checked(untrusted, Reason.UNTRUSTED_ROOT)  # the missing root
    refused_as_checked(sign_pdf(unsigned_pdf, pki.expired, chain=(pki.intermediate,)), Reason.EXPIRED)
    assert JAVASCRIPT_MESSAGE in refused_as_checked(
        rewrite(signed.content, _document_script, incremental=True), Reason.JAVASCRIPT)
    attached = rewrite(unsigned_pdf, lambda w: w.add_attachment("phu-luc.txt", b"x"))
    assert EMBEDDED_MESSAGE in refused_as_checked(
        sign_pdf(attached, pki.signer, chain=(pki.intermediate,)), Reason.EMBEDDED_FILE)


def test_an_encrypted_pdf_is_refused(api, cast, entries, trust, unsigned_pdf):
    def encrypt(writer):
        writer.encrypt("mat-khau")

    content = rewrite(unsigned_pdf, encrypt)
    assert signed_pdf_check(content).reason == Reason.ENCRYPTED
    assert str(signed_pdf_check(content).message) in _refused(api, cast, entries["skhcn"], content)


def test_a_file_over_the_size_limit_is_refused(api, cast, entries, trust, signed, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1000
    assert "quá lớn" in _refused(api, cast, entries["skhcn"], signed.content)


def test_a_different_printed_number_is_a_warning(api, cast, entries, trust, signed):
    other = _entry(cast.agencies["ag_skhcn"], number=6)
    response = _post(api, cast.users["ag_leader"], other, signed.content)
    assert response.status_code == 201, response.content
    assert any("05/BC-SKHCN" in w for w in response.json()["warnings"])


def test_the_verification_page_shows_the_signed_version(client, cast, entries, trust, signed, unsigned_pdf, api):
    from qms_portal.files import stored_bytes_create
    from reports.models import ConsolidatedReport

    draft = stored_bytes_create(content=unsigned_pdf, name="bc.pdf", kind="pdf")
    ConsolidatedReport.objects.create(
        kind="national", year=2024, scope_key="national-2024", status="done", pdf=draft, xlsx=draft,
        issuer=cast.agencies["ag_skhcn"], issuer_name="Sở Khoa học và Công nghệ", number="05/BC-SKHCN",
        issued_on=date(2024, 12, 2), verification_code="ABCD2345")
    page = client.get("/verify/ABCD2345/").content.decode()
    assert "Nguyễn Thị Ngọc Trường" not in page and 'data-testid="signed-version"' in page
    assert _post(api, cast.users["ag_leader"], entries["skhcn"], signed.content).status_code == 201
    page = client.get("/verify/ABCD2345/").content.decode()
    assert "Nguyễn Thị Ngọc Trường" in page
    assert hashlib.sha256(signed.content).hexdigest() in page


def test_the_service_stores_once_names_the_file_audits_and_refuses_by_field(cast, entries, trust, signed):
    """agencies.register.register_signed_upload called directly: what it stores and says (issue 19, from the
    numbering survivors)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    from agencies.register import register_signed_upload
    from qms_portal.errors import ConflictError
    from qms_portal.models import AuditEvent

    leader, entry = cast.users["ag_leader"], entries["skhcn"]

    def upload(content=signed.content, name="ky-so.pdf"):
        return register_signed_upload(actor=leader, entry=RegisteredDocument.objects.get(pk=entry.pk),
                                      uploaded=SimpleUploadedFile(name, content, content_type="application/pdf"))

    with pytest.raises(ValidationError) as not_pdf:
        upload(b"GIF89a not a pdf", name="anh.gif")
    assert list(not_pdf.value.message_dict) == ["file"]
    done = upload()
    assert done.entry.pk == entry.pk and done.warnings == ()
    stored = RegisteredDocument.objects.get(pk=entry.pk)
    assert (stored.status, stored.signed_file.original_name, stored.signed_file.uploaded_by) == (
        RegisterStatus.ISSUED, "05-BC-SKHCN-2024-signed.pdf", leader)
    assert stored.signature_signer == "Nguyễn Thị Ngọc Trường"
    event = AuditEvent.objects.filter(object_type="agencies.registereddocument", object_id=str(entry.pk)).latest("pk")
    assert (event.action, event.user, event.summary) == ("update", leader, gettext(
        "Stored the signed version of %(number)s (SHA-256 %(sha256)s)") % {
        "number": "05/BC-SKHCN", "sha256": stored.signed_file.sha256})
    with pytest.raises(ConflictError) as twice:
        upload()
    assert str(twice.value) == gettext(
        "The signed version of this document is already stored; it cannot be replaced.")
    withdrawn = _entry(cast.agencies["ag_skhcn"], number=6)
    RegisteredDocument.objects.filter(pk=withdrawn.pk).update(status=RegisterStatus.WITHDRAWN, withdrawn_reason="Sai")
    with pytest.raises(ValidationError) as refused:
        register_signed_upload(actor=leader, entry=RegisteredDocument.objects.get(pk=withdrawn.pk),
                               uploaded=SimpleUploadedFile("ky.pdf", signed.content))
    assert refused.value.message_dict == {"file": [gettext("This document was withdrawn: it cannot be issued.")]}


def test_the_service_refuses_with_the_checks_reason_and_warns_on_the_printed_date(cast, entries, trust, signed,
                                                                                 unsigned_pdf):
    """What the caller of register_signed_upload reads: the refused field, the translated message and the code of
    the check; a PNG is refused as not a PDF before any signature check; a printed date other than the
    register's is a warning (issue 19, from the numbering survivors)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    from agencies.register import register_signed_upload

    leader = cast.users["ag_leader"]

    def upload(entry, content, name="ky-so.pdf"):
        return register_signed_upload(actor=leader, entry=RegisteredDocument.objects.get(pk=entry.pk),
                                      uploaded=SimpleUploadedFile(name, content, content_type="application/pdf"))

    with pytest.raises(ValidationError) as unsigned:
        upload(entries["skhcn"], unsigned_pdf)
    (error,) = unsigned.value.error_dict["file"]
    assert (error.message, error.code) == (str(signed_pdf_check(unsigned_pdf).message), Reason.NO_SIGNATURE)
    with pytest.raises(ValidationError) as picture:
        upload(entries["skhcn"], b"\x89PNG\r\n\x1a\n" + b"\0" * 64, name="anh.png")
    assert picture.value.message_dict == {"file": [gettext("Only these kinds of file are accepted: %(kinds)s.")
                                                   % {"kinds": "PDF"}]}
    RegisteredDocument.objects.filter(pk=entries["skhcn"].pk).update(issued_on=date(2024, 12, 3))
    done = upload(entries["skhcn"], signed.content)
    assert done.warnings == (gettext("The document is dated %(found)s but the register says %(expected)s.") % {
        "found": "02/12/2024", "expected": "03/12/2024"},)


@pytest.mark.parametrize("meanwhile", ["withdrawn", "issued"])
def test_an_entry_changed_since_it_was_read_is_not_issued(cast, entries, trust, signed, meanwhile):
    """The page read the entry as a draft; before the upload was stored, another keeper withdrew it or stored its
    signed version: the re-check under the row lock refuses, nothing more is stored."""
    from django.utils.translation import gettext

    from agencies.register import register_signed_upload
    from qms_portal.errors import ConflictError
    from qms_portal.files import stored_bytes_create

    entry = entries["skhcn"]
    read = RegisteredDocument.objects.get(pk=entry.pk)
    if meanwhile == "withdrawn":
        RegisteredDocument.objects.filter(pk=entry.pk).update(status=RegisterStatus.WITHDRAWN, withdrawn_reason="Sai")
    else:
        other = stored_bytes_create(content=signed.content, name="truoc.pdf", kind="pdf")
        RegisteredDocument.objects.filter(pk=entry.pk).update(status=RegisterStatus.ISSUED, signed_file=other)
    files = StoredFile.objects.count()
    with pytest.raises(ConflictError) as changed:
        register_signed_upload(actor=cast.users["ag_leader"], entry=read,
                               uploaded=SimpleUploadedFile("ky.pdf", signed.content))
    assert str(changed.value) == gettext("This document changed meanwhile; reload the page.")
    assert StoredFile.objects.count() == files
    assert RegisteredDocument.objects.get(pk=entry.pk).status == (
        RegisterStatus.WITHDRAWN if meanwhile == "withdrawn" else RegisterStatus.ISSUED)


@pytest.mark.filterwarnings("ignore:Attribute's length must be:UserWarning")
def test_a_certificate_name_longer_than_the_column_is_cut_to_it(cast, entries, trust, pki, unsigned_pdf):
    """X.509 bounds a common name to 64 characters, but the portal does not issue certificates: a longer subject
    (not validated by the CA) is stored cut to the 255 characters of the column, not refused by the database."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from agencies.register import register_signed_upload

    from .pki import issue

    person, organisation = "Nguyễn Văn " + "A" * 300, "Sở " + "B" * 300
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation, _validate=False),
                         x509.NameAttribute(NameOID.COMMON_NAME, person, _validate=False)])
    content = sign_pdf(unsigned_pdf, issue(subject, issuer=pki.intermediate), chain=(pki.intermediate,))
    done = register_signed_upload(actor=cast.users["ag_leader"], entry=entries["skhcn"],
                                  uploaded=SimpleUploadedFile("ky.pdf", content))
    stored = RegisteredDocument.objects.get(pk=done.entry.pk)
    assert (stored.signature_signer, stored.signature_organisation) == (person[:255], organisation[:255])
