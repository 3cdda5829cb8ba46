"""Every check of an uploaded file (qms_portal.uploads), at its boundaries, with its exact translated message:
the kind read from the content (never the name), the size limit, ZIP containers (members, unpacked size and
ratio, macros, parts), a name that contradicts the content. Written from the survivors of
`make mutate MODULES=uploads` (docs/mutation.md)."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from qms_portal import uploads
from qms_portal.uploads import MAX_UNPACKED_RATIO, MAX_ZIP_MEMBERS, detect_kind, sha256_of, validate_upload

PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def ooxml(*parts, stored=False, sizes=None):
    """A ZIP with the content-types part and `parts` (names), each a little text."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name in ("[Content_Types].xml", *parts):
            archive.writestr(name, (sizes or {}).get(name, b"<x/>"))
    return buffer.getvalue()


def upload(content, name="file.bin"):
    return SimpleUploadedFile(name, content)


def refused(content, name, message, code, **kwargs):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(content, name), **kwargs)
    assert (error.value.messages, error.value.code) == ([message], code)


@pytest.mark.parametrize(("content", "kind"), [
    (PDF, "pdf"), (JPEG, "jpeg"), (PNG, "png"),
    (ooxml("word/document.xml"), "docx"), (ooxml("xl/workbook.xml"), "xlsx"),
    (ooxml("xl/workbook.xml", "word/document.xml"), "docx"),
    (ooxml("ppt/presentation.xml"), None),  # another OOXML kind
    (ooxml("word/other.xml"), None),
    (b"PK\x03\x04 not really a zip", None),
    (b"%PDF", None),  # too short for the signature
    (b"\xff\xd8", None),
    (b"GIF89a", None),
])
def test_the_kind_is_read_from_the_content(content, kind):
    fileobj = io.BytesIO(content)
    fileobj.seek(3)
    assert detect_kind(fileobj) == kind
    assert fileobj.tell() == 0, "the file is given back rewound"


def test_a_zip_without_content_types_is_no_office_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    assert detect_kind(io.BytesIO(buffer.getvalue())) is None


@pytest.mark.parametrize("part", ["word/vbaProject.bin", "xl/VBAPROJECT.BIN", "vbaproject.bin"])
def test_macros_are_refused_wherever_they_are(part):
    refused(ooxml("word/document.xml", part), "a.docx", gettext(
        "Files with macros are not accepted; save the document without macros (as .docx or .xlsx) and upload it "
        "again."), "macros")


def test_a_part_merely_named_like_macros_is_no_macro():
    assert validate_upload(upload(ooxml("word/document.xml", "word/notvbaproject.bin"), "a.docx")) == "docx"


def test_too_many_members(settings):
    many = [f"word/media/{i}.xml" for i in range(MAX_ZIP_MEMBERS - 1)]  # + content types = the limit exactly
    assert detect_kind(io.BytesIO(ooxml("word/document.xml", *many[:-1]))) == "docx"
    assert detect_kind(io.BytesIO(ooxml("word/document.xml", *many))) is None


def test_a_compressed_bomb_is_refused_by_ratio_and_by_size(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    bomb = ooxml("word/document.xml", sizes={"word/document.xml": b"0" * 2_000_000})
    message = gettext("The file unpacks to far more than its size (a compressed bomb?).")
    refused(bomb, "a.docx", message, "zip_bomb")
    # stored (not compressed): ratio 1, but more than ten times the upload limit unpacked
    settings.FILE_UPLOAD_MAX_BYTES = 1_000
    big = ooxml("word/document.xml", stored=True, sizes={"word/document.xml": b"0" * 10_001})
    with pytest.raises(ValidationError) as error:
        detect_kind(io.BytesIO(big))
    assert error.value.code == "zip_bomb"
    at_limit = ooxml("word/document.xml", stored=True, sizes={"word/document.xml": b"0" * (10_000 - 4)})
    assert detect_kind(io.BytesIO(at_limit)) == "docx", "ten times the limit unpacked, exactly, is allowed"


def test_ordinary_text_compresses_far_inside_the_ratio():
    text = "".join(f"Dòng {i}: thủ tục {i * 7919 % 1009}, hồ sơ {i * 104729 % 997}\n" for i in range(2000)).encode()
    assert detect_kind(io.BytesIO(ooxml("word/document.xml", sizes={"word/document.xml": text}))) == "docx"
    assert MAX_UNPACKED_RATIO == 100


def test_the_size_limit_is_inclusive(settings):
    settings.FILE_UPLOAD_MAX_BYTES = len(PDF)
    assert validate_upload(upload(PDF, "a.pdf")) == "pdf"
    settings.FILE_UPLOAD_MAX_BYTES = len(PDF) - 1
    sizes = {"size": filesizeformat(len(PDF)), "limit": filesizeformat(len(PDF) - 1)}
    refused(PDF, "a.pdf", gettext("The file is too large (%(size)s); the limit is %(limit)s.") % sizes, "too_large")


def test_an_empty_file():
    refused(b"", "a.pdf", gettext("The file is empty."), "empty")


def test_only_the_allowed_kinds():
    refused(PNG, "a.png", gettext("Only these kinds of file are accepted: %(kinds)s.") % {"kinds": "PDF, DOCX"},
            "kind", allowed=("pdf", "docx"))
    refused(b"GIF89a....", "a.gif", gettext("Only these kinds of file are accepted: %(kinds)s.") % {
        "kinds": "PDF, DOCX, XLSX, JPEG, PNG"}, "kind")
    assert validate_upload(upload(PNG, "a.png"), allowed=("png",)) == "png"


@pytest.mark.parametrize(("content", "name", "kind"), [
    (JPEG, "photo.jpg", "jpeg"), (JPEG, "PHOTO.JPEG", "jpeg"), (PDF, "Báo cáo.PDF", "pdf"),
    (PDF, "no-extension", "pdf"), (ooxml("xl/workbook.xml"), "a.xlsx", "xlsx"), (PDF, "bao.cao.v2.pdf", "pdf"),
])
def test_a_name_agreeing_with_the_content(content, name, kind):
    assert validate_upload(upload(content, name)) == kind


@pytest.mark.parametrize(("content", "name", "kind"), [
    (PDF, "report.docx", "PDF"), (JPEG, "photo.png", "JPEG"), (ooxml("word/document.xml"), "a.xlsx", "DOCX"),
    (PDF, "archive.pdf.exe", "PDF"),
])
def test_a_name_contradicting_the_content(content, name, kind):
    refused(content, name, gettext("The file's name says one kind but its content is %(kind)s.") % {"kind": kind},
            "mismatch")


def test_sha256_reads_the_whole_file_in_chunks_and_rewinds():
    content = b"x" * (3 * 65536 + 5)
    fileobj = io.BytesIO(content)
    fileobj.seek(100)
    assert sha256_of(fileobj) == hashlib.sha256(content).hexdigest()
    assert fileobj.tell() == 0


def test_the_mime_types_and_extensions_cover_the_same_kinds():
    assert set(uploads.MIME_TYPES) == set(uploads.EXTENSIONS) == {"pdf", "docx", "xlsx", "jpeg", "png"}
    assert uploads.MIME_TYPES["pdf"] == "application/pdf" and uploads.MIME_TYPES["png"] == "image/png"


def test_the_ratio_limit_itself_is_allowed():
    """2,600 bytes unpacked from 26 packed: exactly MAX_UNPACKED_RATIO, still allowed (deflate is deterministic;
    the sizes are checked so that a change of zlib would show here rather than pass silently)."""
    content = ooxml("word/document.xml", sizes={"word/document.xml": b"0" * 2596})
    members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    unpacked, packed = sum(m.file_size for m in members), sum(m.compress_size for m in members)
    assert unpacked == MAX_UNPACKED_RATIO * packed
    assert detect_kind(io.BytesIO(content)) == "docx"


def test_macros_in_a_nested_folder():
    refused(ooxml("word/document.xml", "word/embeddings/vbaProject.bin"), "a.docx", gettext(
        "Files with macros are not accepted; save the document without macros (as .docx or .xlsx) and upload it "
        "again."), "macros")


def _broken_central_directory(content: bytes, *, version: int | None = None, utf8_name: bool = False) -> bytes:
    """`content` (a ZIP) with its first central-directory entry claiming a ZIP version Python cannot read, or
    claiming a UTF-8 name that is not UTF-8: what a damaged or crafted archive carries."""
    import struct

    data = bytearray(content)
    entry = data.find(b"PK\x01\x02")
    if version is not None:
        struct.pack_into("<H", data, entry + 6, version)  # version needed to extract
    if utf8_name:
        flags = struct.unpack_from("<H", data, entry + 8)[0]
        struct.pack_into("<H", data, entry + 8, flags | 0x800)
        data[entry + 46] = 0xFF  # the name's first byte: never valid UTF-8
    return bytes(data)


@pytest.mark.parametrize("content", [
    pytest.param(_broken_central_directory(ooxml("word/document.xml"), version=70), id="zip-version"),
    pytest.param(_broken_central_directory(ooxml("word/document.xml"), utf8_name=True), id="name-not-utf8"),
])
def test_a_damaged_archive_is_refused_not_a_500(content):
    """zipfile raises NotImplementedError (a version it cannot read) or UnicodeDecodeError (a name flagged UTF-8
    that is not) while reading the directory: both escaped the check as 500s on every upload and import."""
    assert detect_kind(io.BytesIO(content)) is None
    refused(content, "bien-ban.docx", "Chỉ chấp nhận các loại tệp: PDF, DOCX, XLSX, JPEG, PNG.", "kind")
