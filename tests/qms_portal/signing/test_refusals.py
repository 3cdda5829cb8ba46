"""Files refused before any signature is read: each a NOT_ACCEPTABLE verdict with a clear Vietnamese message."""

import io

import pytest
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

from qms_portal.signing import Reason, Verdict, signed_pdf_check

from .pki import sign_pdf

JAVASCRIPT_MESSAGE = ("Tệp PDF có chứa mã JavaScript hoặc lệnh chạy chương trình, không được chấp nhận làm văn bản "
                      "ban hành.")
EMBEDDED_MESSAGE = "Tệp PDF có chứa tệp đính kèm bên trong, không được chấp nhận làm văn bản ban hành."


def rewrite(pdf: bytes, change, *, incremental: bool = False) -> bytes:
    writer = PdfWriter(PdfReader(io.BytesIO(pdf)), incremental=incremental) if incremental else PdfWriter(
        clone_from=PdfReader(io.BytesIO(pdf)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind),
                             **{NameObject(f"/{k}"): v for k, v in entries.items()}})


def annotation(writer: PdfWriter, subtype: str, **entries) -> None:
    rect = ArrayObject([FloatObject(v) for v in (100, 100, 200, 120)])
    writer.add_annotation(0, DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): rect, **{NameObject(f"/{k}"): v for k, v in entries.items()}}))


def assert_refused(result, reason: Reason, message: str) -> None:
    assert (result.verdict, result.reason) == (Verdict.NOT_ACCEPTABLE, reason)
    assert not result.accepted and result.signatures == ()
    assert str(result.message) == message


@pytest.mark.parametrize("content", [b"Quyet dinh so 05", b"PK\x03\x04not really a docx", b"\x89PNG\r\n\x1a\n", b""],
                         ids=["text", "zip", "png", "empty"])
def test_a_file_that_is_not_a_pdf_is_refused(content):
    result = signed_pdf_check(content, trust_roots=[])

    assert_refused(result, Reason.NOT_PDF, "Tệp không phải định dạng PDF. Đề nghị tải lên tệp PDF đã ký số.")


def test_a_pdf_renamed_from_nothing_but_a_header_is_unreadable():
    result = signed_pdf_check(b"%PDF-1.7\n" + b"\x00garbage" * 50, trust_roots=[])

    assert_refused(result, Reason.UNREADABLE, "Tệp PDF bị lỗi, không đọc được.")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings, signed):
    settings.FILE_UPLOAD_MAX_BYTES = len(signed.content) - 1

    result = signed_pdf_check(signed.content, trust_roots=[])

    size, limit = filesizeformat(len(signed.content)), filesizeformat(len(signed.content) - 1)
    assert_refused(result, Reason.TOO_LARGE, f"Tệp quá lớn ({size}); dung lượng tối đa là {limit}.")


def test_a_file_at_the_size_limit_is_checked(settings, signed):
    settings.FILE_UPLOAD_MAX_BYTES = len(signed.content)

    assert signed_pdf_check(signed.content, trust_roots=[]).verdict == Verdict.VALID_UNTRUSTED


def test_an_encrypted_pdf_is_refused(unsigned_pdf):
    content = rewrite(unsigned_pdf, lambda w: w.encrypt(user_password="", owner_password="chi-doc"))

    result = signed_pdf_check(content, trust_roots=[])

    assert_refused(result, Reason.ENCRYPTED, "Tệp PDF đã bị mã hóa hoặc đặt mật khẩu. Đề nghị tải lên bản không "
                                             "đặt mật khẩu.")


def _document_script(writer):
    """A document-level script: the catalog's /Names /JavaScript name tree."""
    script = action("/JavaScript", JS=TextStringObject("app.alert('Xin chào');"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("chao"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def _open_action_script(writer):
    writer._root_object[NameObject("/OpenAction")] = action("/JavaScript", JS=TextStringObject("app.alert(1);"))


def _page_open_script(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): action("/JavaScript", JS=TextStringObject("this.print();"))})


def _link_launching_a_program(writer):
    annotation(writer, "/Link", A=action("/Launch", F=TextStringObject("cmd.exe")))


def _script_chained_after_a_goto(writer):
    first_page = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = action(
        "/GoTo", D=ArrayObject([first_page, NameObject("/Fit")]),
        Next=action("/JavaScript", JS=TextStringObject("app.alert(2);")))


@pytest.mark.parametrize("add_script", [_document_script, _open_action_script, _page_open_script,
                                        _link_launching_a_program, _script_chained_after_a_goto],
                         ids=["names-tree", "open-action", "page-action", "launch", "chained-next"])
def test_a_pdf_with_javascript_is_refused(unsigned_pdf, add_script):
    result = signed_pdf_check(rewrite(unsigned_pdf, add_script), trust_roots=[])

    assert_refused(result, Reason.JAVASCRIPT, JAVASCRIPT_MESSAGE)


def test_javascript_added_after_signing_is_refused_too(signed):
    content = rewrite(signed.content, _document_script, incremental=True)
    assert content.startswith(signed.content)

    assert_refused(signed_pdf_check(content, trust_roots=[]), Reason.JAVASCRIPT, JAVASCRIPT_MESSAGE)


def test_an_open_action_that_only_opens_page_one_is_allowed(pki, unsigned_pdf):
    """Word and LibreOffice write /OpenAction [page /XYZ ...]: not code, the file goes on to validation."""
    def open_at_page_one(writer):
        writer._root_object[NameObject("/OpenAction")] = ArrayObject(
            [writer.pages[0].indirect_reference, NameObject("/XYZ"), NumberObject(0), NumberObject(842),
             NumberObject(0)])

    content = sign_pdf(rewrite(unsigned_pdf, open_at_page_one), pki.signer, chain=(pki.intermediate,))

    assert signed_pdf_check(content, trust_roots=[pki.root.cert]).verdict == Verdict.VALID_TRUSTED


def _attachment(writer):
    writer.add_attachment("bang-tong-hop.xlsx", b"PK\x03\x04 data")


def _file_attachment_annotation(writer):
    spec = DictionaryObject({NameObject("/Type"): NameObject("/Filespec"),
                             NameObject("/F"): TextStringObject("ghi-chu.txt")})
    annotation(writer, "/FileAttachment", FS=spec, Contents=TextStringObject("Ghi chú"))


@pytest.mark.parametrize("attach", [_attachment, _file_attachment_annotation],
                         ids=["embedded-files", "file-attachment-annotation"])
def test_a_pdf_with_an_embedded_file_is_refused(unsigned_pdf, attach):
    result = signed_pdf_check(rewrite(unsigned_pdf, attach), trust_roots=[])

    assert_refused(result, Reason.EMBEDDED_FILE, EMBEDDED_MESSAGE)
