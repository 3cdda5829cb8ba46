"""signed_pdf_check on PDFs signed with pyHanko by a test CA: each verdict, its reason and its message."""

import asyncio
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from pyhanko.pdf_utils import generic as pdf_generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from qms_portal.signing import Reason, Verdict, signed_pdf_check
from qms_portal.signing.loop import outside_event_loop
from qms_portal.signing.result import moment_text

from .conftest import SIGNER_NAME, SIGNER_ORGANISATION
from .pki import issue, name, sign_pdf

ROOT_NAME = "CN=Root CA thử nghiệm Chính phủ, O=Ban Cơ yếu Chính phủ, C=VN"
OTHER_ROOT_NAME = "CN=Root CA không tin cậy, O=Công ty Chứng thực Ngoài, C=VN"


def check(content, pki, **kwargs):
    return signed_pdf_check(content, trust_roots=[pki.root.cert], **kwargs)


def trusted_message(signed_at) -> str:
    return (f"Chữ ký số hợp lệ, tin cậy: ký bởi {SIGNER_NAME} ({SIGNER_ORGANISATION}) lúc "
            f"{moment_text(signed_at)}.")


def test_a_good_signature_is_valid_and_trusted_with_its_signer_and_time(pki, signed):
    result = check(signed.content, pki)

    assert (result.verdict, result.reason) == (Verdict.VALID_TRUSTED, Reason.TRUSTED)
    assert result.accepted
    assert (result.signer_name, result.signer_organisation) == (SIGNER_NAME, SIGNER_ORGANISATION)
    assert signed.before <= result.signed_at <= signed.after
    assert result.signed_at_source == "signer"
    assert str(result.message) == trusted_message(result.signed_at)
    assert result.covers_whole_document
    assert (result.certificate_valid_from, result.certificate_valid_until) == (
        pki.signer.cert.not_valid_before_utc, pki.signer.cert.not_valid_after_utc)
    assert result.missing_root == ""
    assert result.sha256 == hashlib.sha256(signed.content).hexdigest()
    (only,) = result.signatures
    assert (only.field_name, only.signed_revision, only.revisions) == ("Signature1", 2, 2)
    assert only.certificate_issuer == "CN=CA cấp dưới thử nghiệm, O=Ban Cơ yếu Chính phủ, C=VN"


def test_the_message_follows_the_readers_language(pki, signed):
    result = check(signed.content, pki)

    with translation.override("en"):
        assert str(result.message) == (f"The signature is valid and trusted: signed by {SIGNER_NAME} "
                                       f"({SIGNER_ORGANISATION}) at {moment_text(result.signed_at)}.")
    assert str(result.message).startswith("Chữ ký số hợp lệ, tin cậy")


def test_bytes_changed_inside_the_signed_range_are_detected(pki, signed):
    """One byte of page 1's content stream flipped: the file still opens, the text is no longer what was signed."""
    start, first_length, _, _ = PdfFileReader(io.BytesIO(signed.content)).embedded_signatures[0].byte_range
    at = signed.content.index(b"stream\n") + 100
    assert start <= at < start + first_length
    tampered = signed.content[:at] + bytes([signed.content[at] ^ 0x01]) + signed.content[at + 1:]

    result = check(tampered, pki)

    assert (result.verdict, result.reason) == (Verdict.INVALID_MODIFIED, Reason.MODIFIED)
    assert not result.accepted
    assert str(result.message) == ("Văn bản đã bị thay đổi sau khi ký: nội dung đã ký không còn khớp với "
                                   "chữ ký số.")


def test_a_page_added_in_an_incremental_update_after_signing_is_refused(pki, signed):
    writer = PdfWriter(PdfReader(io.BytesIO(signed.content)), incremental=True)
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(signed.content)  # the signed revision is untouched, a revision appended

    result = check(out.getvalue(), pki)

    assert (result.verdict, result.reason) == (Verdict.INVALID_MODIFIED, Reason.CHANGED_AFTER_SIGNING)
    assert not result.covers_whole_document
    assert (result.signatures[0].signed_revision, result.signatures[0].revisions) == (2, 3)
    assert str(result.message) == (
        "Văn bản đã bị thay đổi sau khi ký: chữ ký số chỉ bao gồm phiên bản 2 trong 3 phiên bản của tệp, phiên "
        "bản sau đã thêm hoặc sửa nội dung (ví dụ: thêm trang, ghi chú hoặc trường biểu mẫu).")


def with_text_field(pdf: bytes) -> bytes:
    """`pdf` with an empty text field on page 1 (before signing)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    field = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("ghi_chu"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (100, 50, 300, 70)]),
        NameObject("/P"): page.indirect_reference, NameObject("/DA"): TextStringObject("/Helv 12 Tf 0 g")}))
    page[NameObject("/Annots")] = ArrayObject([field])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([field])})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_form_filled_after_the_last_signature_is_refused(pki, unsigned_pdf):
    """pyHanko tolerates form filling after an approval signature; nobody signed the new text, the portal refuses."""
    signed = sign_pdf(with_text_field(unsigned_pdf), pki.signer, chain=(pki.intermediate,))
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    (text_field,) = [f for f in writer.root["/AcroForm"]["/Fields"] if f.get_object().get("/FT") == "/Tx"]
    text_field.get_object()[pdf_generic.NameObject("/V")] = pdf_generic.TextStringObject("Số: 06/BC-SKHCN")
    writer.mark_update(text_field)
    out = io.BytesIO()
    writer.write(out)
    reader = PdfFileReader(io.BytesIO(out.getvalue()), strict=False)
    status = outside_event_loop(validate_pdf_signature, reader.embedded_signatures[0],
                                ValidationContext(trust_roots=[]))
    assert (status.modification_level, status.docmdp_ok) == (ModificationLevel.FORM_FILLING, True)

    result = check(out.getvalue(), pki)

    assert (result.verdict, result.reason) == (Verdict.INVALID_MODIFIED, Reason.CHANGED_AFTER_SIGNING)
    assert not result.covers_whole_document
    assert str(result.message) == (
        "Văn bản đã bị thay đổi sau khi ký: chữ ký số chỉ bao gồm phiên bản 2 trong 3 phiên bản của tệp, phiên "
        "bản sau đã thêm hoặc sửa nội dung (ví dụ: thêm trang, ghi chú hoặc trường biểu mẫu).")


def test_an_unsigned_pdf_is_not_signed(pki, unsigned_pdf):
    result = check(unsigned_pdf, pki)

    assert (result.verdict, result.reason) == (Verdict.NOT_SIGNED, Reason.NO_SIGNATURE)
    assert not result.accepted and result.signatures == ()
    assert (result.signer_name, result.signed_at, result.covers_whole_document) == ("", None, False)
    assert str(result.message) == "Tệp PDF chưa có chữ ký số: đề nghị tải lên tệp sau khi đã ký số."


def test_a_signature_from_an_untrusted_ca_names_the_missing_root(pki, unsigned_pdf):
    content = sign_pdf(unsigned_pdf, pki.other_signer)

    result = check(content, pki)

    assert (result.verdict, result.reason) == (Verdict.VALID_UNTRUSTED, Reason.UNTRUSTED_ROOT)
    assert result.accepted
    assert result.missing_root == OTHER_ROOT_NAME
    assert result.signer_name == "Lê Văn Ngoại"
    assert str(result.message) == (
        "Chữ ký số còn nguyên vẹn, văn bản không bị thay đổi, nhưng chứng thư số của Lê Văn Ngoại không thuộc "
        f"chuỗi tin cậy: chứng thư gốc “{OTHER_ROOT_NAME}” chưa có trong danh sách chứng thư gốc tin cậy của "
        "Cổng thông tin.")


def test_the_missing_root_is_the_top_of_the_chain_the_signature_carries(signed):
    """The signature carries the intermediate CA: the root missing is the intermediate's issuer."""
    result = signed_pdf_check(signed.content, trust_roots=[])

    assert result.verdict == Verdict.VALID_UNTRUSTED
    assert result.missing_root == ROOT_NAME
    assert f"chứng thư gốc “{ROOT_NAME}” chưa có" in str(result.message)


EXPIRED_MESSAGE = ("Chứng thư số của người ký đã hết hiệu lực lúc 07:00, 01/01/2025 (có hiệu lực từ 07:00, "
                   "01/01/2024); thời điểm kiểm tra: 10:00, 01/06/2025.")


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted-chain", "untrusted-chain"])
def test_an_expired_certificate_is_refused_with_its_dates(pki, unsigned_pdf, trusted):
    content = sign_pdf(unsigned_pdf, pki.expired, chain=(pki.intermediate,))

    result = signed_pdf_check(content, trust_roots=[pki.root.cert] if trusted else [],
                              now=datetime(2025, 6, 1, 3, 0, tzinfo=UTC))

    assert (result.verdict, result.reason) == (Verdict.NOT_ACCEPTABLE, Reason.EXPIRED)
    assert not result.accepted
    assert result.signer_name == "Trần Văn Hùng"
    assert str(result.message) == EXPIRED_MESSAGE


def test_a_certificate_not_yet_valid_is_refused(pki, unsigned_pdf):
    content = sign_pdf(unsigned_pdf, pki.expired, chain=(pki.intermediate,))

    result = check(content, pki, now=datetime(2023, 6, 1, 3, 0, tzinfo=UTC))

    assert (result.verdict, result.reason) == (Verdict.NOT_ACCEPTABLE, Reason.NOT_YET_VALID)
    assert str(result.message) == ("Chứng thư số của người ký chỉ có hiệu lực từ 07:00, 01/01/2024; thời điểm "
                                   "kiểm tra: 10:00, 01/06/2023.")


def test_a_timestamp_token_gives_the_signing_time(pki, unsigned_pdf):
    stamped_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    content = sign_pdf(unsigned_pdf, pki.signer, chain=(pki.intermediate,), timestamper=pki.tsa,
                       timestamp_at=stamped_at)

    result = check(content, pki)

    assert result.verdict == Verdict.VALID_TRUSTED
    assert (result.signed_at, result.signed_at_source) == (stamped_at, "timestamp")
    assert str(result.message) == trusted_message(stamped_at)


def test_a_trusted_timestamp_keeps_a_signature_valid_after_the_certificate_expires(pki, unsigned_pdf, signed):
    later = pki.signer.cert.not_valid_after_utc + timedelta(days=30)
    stamped = sign_pdf(unsigned_pdf, pki.signer, chain=(pki.intermediate,), timestamper=pki.tsa)

    with_timestamp = check(stamped, pki, now=later)
    without = check(signed.content, pki, now=later)

    assert with_timestamp.verdict == Verdict.VALID_TRUSTED
    assert str(with_timestamp.message) == trusted_message(with_timestamp.signed_at)
    assert (without.verdict, without.reason) == (Verdict.NOT_ACCEPTABLE, Reason.EXPIRED)
    assert str(without.message).startswith("Chứng thư số của người ký đã hết hiệu lực lúc "
                                           f"{moment_text(pki.signer.cert.not_valid_after_utc)}")


def test_the_person_then_the_issuing_bodys_seal_both_trusted(pki, signed):
    """Decree 30/2020: the person with authority signs, then the văn thư adds the organisation's signature."""
    content = sign_pdf(signed.content, pki.seal, chain=(pki.intermediate,), field_name="Signature2")

    result = check(content, pki)

    assert result.verdict == Verdict.VALID_TRUSTED
    assert result.signer_name == SIGNER_NAME  # the first signature: the person
    assert [s.signer_name for s in result.signatures] == [SIGNER_NAME, SIGNER_ORGANISATION]
    assert [s.verdict for s in result.signatures] == [Verdict.VALID_TRUSTED] * 2
    assert [s.covers_whole_document for s in result.signatures] == [False, True]  # the seal's revision follows
    assert result.covers_whole_document
    assert str(result.message) == trusted_message(result.signed_at)


def test_the_worst_signature_decides(pki, signed):
    """A trusted first signature and an untrusted second one: the document is only valid_untrusted."""
    content = sign_pdf(signed.content, pki.other_signer, field_name="Signature2")

    result = check(content, pki)

    assert [s.verdict for s in result.signatures] == [Verdict.VALID_TRUSTED, Verdict.VALID_UNTRUSTED]
    assert (result.verdict, result.missing_root) == (Verdict.VALID_UNTRUSTED, OTHER_ROOT_NAME)
    assert "Lê Văn Ngoại" in str(result.message)


def test_a_signature_in_a_format_pyhanko_does_not_check_is_refused(pki, signed):
    """/SubFilter adbe.x509.rsa_sha1 (the legacy PKCS#1 form) is not a PAdES or CMS signature."""
    legacy = signed.content.replace(b"/ETSI.CAdES.detached", b"/adbe.x509.rsa_sha1 ", 1)
    assert legacy != signed.content and len(legacy) == len(signed.content)

    result = check(legacy, pki)

    assert (result.verdict, result.reason) == (Verdict.NOT_ACCEPTABLE, Reason.SIGNATURE_UNREADABLE)
    assert str(result.message) == "Tệp có chữ ký số bị lỗi hoặc ở định dạng mà Cổng thông tin không kiểm tra được."


def test_a_certificate_not_issued_for_signing_is_refused(pki, unsigned_pdf):
    """A CA certificate (key usage: certificate and CRL signing only) used to sign a document."""
    ca_as_signer = issue(name("CA cấp dưới dùng sai mục đích", "Ban Cơ yếu Chính phủ"), issuer=pki.root, ca=True)
    content = sign_pdf(unsigned_pdf, ca_as_signer)

    result = check(content, pki)

    assert (result.verdict, result.reason) == (Verdict.NOT_ACCEPTABLE, Reason.CHAIN_INVALID)
    assert str(result.message) == (
        "Không xác thực được chuỗi chứng thư số của CA cấp dưới dùng sai mục đích: có chứng thư trong chuỗi đã hết "
        "hiệu lực, đã bị thu hồi hoặc không được dùng để ký số (CHAIN_CONSTRAINTS_FAILURE).")


def test_the_check_works_inside_a_running_event_loop(pki, signed):
    """An ASGI request (or Playwright's sync API in the browser tests) has a loop running: pyHanko's asyncio.run
    would refuse it."""
    async def in_a_request():
        return signed_pdf_check(signed.content, trust_roots=[pki.root.cert])

    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread of its own: this one may have a loop already
        result = pool.submit(asyncio.run, in_a_request()).result()

    assert result.verdict == Verdict.VALID_TRUSTED
