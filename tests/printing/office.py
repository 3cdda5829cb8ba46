"""Helpers of the DOCX tests: LibreOffice's conversion to PDF, the words of a PDF, and their comparison.

The DOCX (laid out by LibreOffice) and the PDF (laid out by WeasyPrint) break lines and pages in different
places, so their texts are compared as word sequences, with these expected differences only:

- what is printed in the top and bottom margins (page numbers; a report's verification code on every page)
  is left out, because the two have a different number of pages; the tests check it separately;
- a word broken after "/" at a line end ("dụng/" + "tổng số") is joined again, as it reads (in both texts),
  and so is a dotted line to fill in by hand ("…………"), which LibreOffice breaks and WeasyPrint does not;
- a table's header rows are repeated on each page the table runs onto, and the pages end elsewhere: the
  repeats (a run of a header's words, in any order, after its first) are left out of both texts.
"""

import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import lxml.html
from pypdf import PdfReader

MM = 72 / 25.4
MARGIN = 20 * MM  # the Decree 30 margins of both renderers: nothing but margin notes is printed there


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_required() -> None:
    """Skip when LibreOffice is not installed; fail instead where CI promises it (REQUIRE_SERVICES=1)."""
    from tests.conftest import require_services

    if soffice_path() is None:
        require_services("LibreOffice is not installed (Debian package libreoffice-writer-nogui)")


def docx_to_pdf(docx: bytes, *, workdir: Path, profile: Path, name: str = "document") -> bytes:
    """Convert with LibreOffice (headless, its own profile so parallel runs do not collide); fail on any error."""
    source = workdir / f"{name}.docx"
    source.write_bytes(docx)
    target = workdir / f"{name}.pdf"
    target.unlink(missing_ok=True)
    result = subprocess.run(
        [soffice_path(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(workdir), str(source)],
        capture_output=True, text=True, timeout=300, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Error" not in output, output
    assert target.is_file(), output
    return target.read_bytes()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(text: str) -> list[str]:
    """Words, with a word broken after "/" at a line end (or written "x/ y") read as one, and a dotted line to
    fill in by hand ("………") as one however it was broken."""
    return re.sub(r"(?<=…)\s+(?=…)", "", re.sub(r"/\s+", "/", text)).split()


def margin_words(page) -> Counter:
    """The words drawn in the top and bottom margins of a page."""
    height = float(page.mediabox.height)
    found: list[str] = []

    def visit(text, cm, tm, font_dict, font_size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and not MARGIN - 1 < y < height - MARGIN:
            found.extend(_nfc(text).split())

    page.extract_text(visitor_text=visit)
    return Counter(found)


def page_lines(page) -> list[str]:
    """The text lines of a page without the margin notes (drawn first or last, each on a line of its own)."""
    lines = [line for line in _nfc(page.extract_text()).splitlines() if line.strip()]
    margins = margin_words(page)
    for index in (0, -1, 0, -1, 0, -1):
        if lines and margins and not Counter(lines[index].split()) - margins:
            margins -= Counter(lines.pop(index).split())
    return lines


def pdf_words(data: bytes) -> list[str]:
    return _words("\n".join(line for page in PdfReader(io.BytesIO(data)).pages for line in page_lines(page)))


def pdf_margin_lines(data: bytes) -> list[list[str]]:
    """For each page, the words printed in its margins."""
    return [sorted(margin_words(page).elements()) for page in PdfReader(io.BytesIO(data)).pages]


def table_headers(*htmls: str) -> list[Counter]:
    """The words of each table's header (thead) and footer (tfoot) rows, as a multiset."""
    headers = []
    for html in htmls:
        if not html.strip():
            continue
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        for group in root.iter("thead", "tfoot"):
            words = Counter(_words(_nfc(" ".join(cell.text_content() for cell in group.iter("th", "td")))))
            if words:
                headers.append(words)
    return headers


def without_repeated_headers(words: list[str], headers: list[Counter]) -> list[str]:
    """`words` without the repeats of each table header: a run of words that is a header's words (in any order),
    after the first such run."""
    out: list[str] = []
    seen: set[int] = set()
    i = 0
    while i < len(words):
        match = next((index for index, header in enumerate(headers)
                      if Counter(words[i:i + sum(header.values())]) == header), None)
        if match is None:
            out.append(words[i])
            i += 1
            continue
        size = sum(headers[match].values())
        if match not in seen:
            seen.add(match)
            out.extend(words[i:i + size])
        i += size
    return out


def unexplained_differences(expected: list[str], actual: list[str], headers: list[Counter]) -> list[str]:
    """The differences between two word sequences, once the repeated table headers are left out, readably."""
    expected, actual = without_repeated_headers(expected, headers), without_repeated_headers(actual, headers)
    differences = []
    for op, a1, a2, b1, b2 in SequenceMatcher(a=expected, b=actual, autojunk=False).get_opcodes():
        if op != "equal":
            context, pdf, docx = (" ".join(words) for words in (expected[max(a1 - 5, 0):a1], expected[a1:a2],
                                                                actual[b1:b2]))
            differences.append(f"after «{context}»: PDF «{pdf}» / DOCX «{docx}»")
    return differences


def differences_from_pdf(converted: bytes, reference: bytes, *, document, body_template: str, context: dict,
                         appendices_template: str | None = None) -> tuple[list[str], list[str]]:
    """(the unexplained differences between LibreOffice's PDF of a DOCX and the portal's PDF of the same document,
    the DOCX's words): the repeated headers of the document's tables are left out of both."""
    from qms_portal.printing.render import render_official_parts

    headers = table_headers(*render_official_parts(document=document, body_template=body_template, context=context,
                                                   appendices_template=appendices_template))
    words = pdf_words(converted)
    return unexplained_differences(pdf_words(reference), words, headers), words
