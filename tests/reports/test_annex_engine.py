"""The annex drawn by reports.rendering.table_pages against the same annex laid out by WeasyPrint from its
template (the layout it replaces): same words at the same places on the same pages, row by row, for every
annex; then what the printed document must show (Decree 30: page numbers continuing in the top margin, the
header row on every page, embedded fonts, Vietnamese intact) and what the merge must keep small (each font
embedded once, the size of the one-piece document). Poppler's pdftotext and pdffonts read the PDFs."""

import html
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest

from agencies.models import AgencyKind, ObligationLevel
from qms.models import Stage
from reports.gathering import gather
from reports.models import ConsolidatedReport, ReportingPeriod
from reports.rendering import annex_render, html_prepare, pdf_merge, pdf_render, prepare
from reports.rendering.table_pages import CENTER, Column, Paragraph, table_pages
from tests.factories import AgencyFactory, ObligationFactory

from .conftest import give_qms

pytestmark = pytest.mark.django_db

NUMBER = "07/BC-SKHCN"
TOLERANCE = 0.5  # pt: the engines place every word within this of each other (measured: under 0.05)
NAMES = [
    "Trường Trung học phổ thông chuyên Thoại Ngọc Hầu",
    "Ủy ban nhân dân phường Long Xuyên",
    "Trung tâm Phục vụ hành chính công tỉnh An Giang",
    "Ban Quản lý các dự án đầu tư xây dựng công trình dân dụng và công nghiệp tỉnh An Giang (đơn vị sự nghiệp "
    "công lập tự chủ một phần chi thường xuyên, trực thuộc Ủy ban nhân dân tỉnh)",
    "Chi cục Thủy lợi & Phòng, chống thiên tai <An Giang>",
    "Văn phòng Đăng ký đất đai - Chi nhánh Châu Đốc",
    "Ủy ban nhân dân xã Mỹ Hòa Hưng",
    "Bệnh viện Đa khoa khu vực tỉnh",
]


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{tool} (poppler-utils) is missing; .ci/run installs it")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


def words(path) -> list[list[tuple[float, float, str]]]:
    """Per page: (x, y, word) of every word, in reading order."""
    document = poppler("pdftotext", "-bbox", str(path), "-")
    return [[(float(x), float(y), unicodedata.normalize("NFC", html.unescape(w)))
             for x, y, w in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<', page)]
            for page in document.split("<page ")[1:]]


def layout_lines(path) -> list[list[str]]:
    return [[line.rstrip() for line in page.splitlines() if line.strip()]
            for page in poppler("pdftotext", "-layout", str(path), "-").split("\f")[:-1]]


@pytest.fixture
def annex_world(cast, reporting, qms_files, today):
    """An Giang with 60 more agencies: long names that wrap over three lines and more, diacritics, markup
    characters; QMS files for some; enough rows for several annex pages."""
    province, ubnd = cast.provinces["ag"], cast.agencies["ag_ubnd"]
    kinds = [AgencyKind.PUBLIC_SERVICE_UNIT, AgencyKind.COMMUNE_PEOPLES_COMMITTEE, AgencyKind.SUB_DEPARTMENT]
    for n in range(60):
        agency = AgencyFactory(name=f"{NAMES[n % len(NAMES)]} số {n + 1}", province=province, parent=ubnd,
                               kind=kinds[n % len(kinds)])
        ObligationFactory(agency=agency, year=today.year,
                          level=ObligationLevel.MANDATORY if n % 3 else ObligationLevel.ENCOURAGED)
        if n % 4:
            give_qms(agency, today=today, stage=[Stage.MAINTAINING, Stage.ANNOUNCED, Stage.APPLYING][n % 3],
                     covered=n % 5, total=4 + n % 3, audit=bool(n % 2))
    return reporting


def _report(cast, kind: str, period: ReportingPeriod | None, year: int) -> ConsolidatedReport:
    issuer = {"provincial": cast.agencies["ag_skhcn"], "inspection_summary": cast.agencies["ag_skhcn"]}.get(kind)
    report = ConsolidatedReport.objects.create(
        kind=kind, province=period.province if period else None, period=period, year=year, period_kind="annual",
        scope_key=f"test/{kind}", issuer=issuer, verification_code=f"ANNEX{kind[:5].upper()}")
    return ConsolidatedReport.objects.select_related("province", "period", "issuer", "issuer__province",
                                                     "issuer__parent", "requested_by").get(pk=report.pk)


def _both(report, tmp_path) -> tuple:
    """The one-piece WeasyPrint document and body + drawn annex, from the same prepared data."""
    prepared = prepare(report, gather(report), issued_on=date(2026, 12, 2))
    assert len(prepared.context["rows"]) >= (4 if report.kind == "inspection_summary" else 60)
    from reports.rendering.document import numbered_in_portal

    # the Ministry numbers its roll-up by hand ("        /BC-BKHCN"), as the worker prints it
    number = NUMBER if numbered_in_portal(report) else prepared.document.number
    old = pdf_render(html_prepare(prepared, with_annex=True), number=number)
    new = pdf_merge(pdf_render(html_prepare(prepared), number=number), annex_render(prepared, number=number))
    (tmp_path / "old.pdf").write_bytes(old)
    (tmp_path / "new.pdf").write_bytes(new)
    return prepared, tmp_path / "old.pdf", tmp_path / "new.pdf"


@pytest.fixture
def inspected_period(cast):
    """The inspections world of the audits tests (2026): four agencies inspected, findings open."""
    from tests.audits.conftest import build_world

    build_world(cast)
    return ReportingPeriod.objects.create(province=cast.provinces["ag"], year=2026, kind="annual",
                                          window_start=date(2025, 12, 15), window_end=date(2026, 12, 14),
                                          deadline=date(2026, 12, 20))


@pytest.mark.parametrize("kind", ["provincial", "inspection_summary", "national"])
def test_the_drawn_annex_matches_the_weasyprint_one_row_by_row(cast, today, tmp_path, kind, request):
    if kind == "inspection_summary":  # only the inspected agencies, with the inspection annex's own columns
        period = request.getfixturevalue("inspected_period")
        report = _report(cast, kind, period, period.year)
    else:
        period = request.getfixturevalue("annex_world")["ag"]
        report = _report(cast, kind, None if kind == "national" else period, today.year)
    prepared, old, new = _both(report, tmp_path)
    old_lines, new_lines = layout_lines(old), layout_lines(new)
    assert len(new_lines) == len(old_lines) >= 2
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=True), start=1):
        assert b == a, f"page {number}"
    for number, (a, b) in enumerate(zip(words(old), words(new), strict=True), start=1):
        assert [w for *_, w in b] == [w for *_, w in a], f"page {number}"
        worst = max((max(abs(p[0] - q[0]), abs(p[1] - q[1])), q[2]) for p, q in zip(a, b, strict=True))
        assert worst[0] < TOLERANCE, (number, worst)
    # Every agency of the data is a row of the new annex, in order (the STT column, under the header).
    pages = words(new)
    first = next(i for i, page in enumerate(pages) if [w for *_, w in page[1:3]] == ["PHỤ", "LỤC"])
    stt = next(x for x, y, w in pages[first] if w == "STT")
    numbers = [w for page in pages[first:] for x, y, w in sorted(page, key=lambda p: p[1])
               if abs(x - stt) < 15 and y > 60 and w.isdigit()]
    assert numbers == [str(r["row"].number) for r in prepared.context["rows"]]


def test_the_printed_annex_keeps_the_decree_30_layout(cast, annex_world, today, tmp_path):
    report = _report(cast, "provincial", annex_world["ag"], today.year)
    prepared, old, new = _both(report, tmp_path)
    pages = words(new)
    annex_first = next(i for i, page in enumerate(pages) if [w for *_, w in page[1:3]] == ["PHỤ", "LỤC"])
    assert annex_first >= 1 and len(pages) - annex_first >= 3  # the body, then several annex pages
    for index, page in enumerate(pages[1:], start=2):
        # The page number, centred in the top margin (20 mm = 56.7 pt), continuing the body's numbering: the
        # middle of the text area is at 319 pt on a portrait page, 442 pt on a landscape one.
        x, y, word = page[0]
        centred = min(abs(x + 3.3 * len(word) - middle) for middle in (318.9, 442.2)) < 2
        assert (word, y < 40, centred) == (str(index), True, True), (index, page[0])
    for page in pages[annex_first + 1:]:
        # The header row is repeated at the top of every annex page.
        assert page[1][2] == "STT" and page[1][1] < 75, page[1:4]
    first = " ".join(w for *_, w in pages[annex_first])
    assert "PHỤ LỤC I DANH SÁCH CƠ QUAN, ĐƠN VỊ ÁP DỤNG" in first
    assert f"(Kèm theo Báo cáo số {NUMBER} ngày 02 tháng 12 năm 2026 của Sở Khoa học và Công nghệ)" in first
    assert all(f"Mã xác thực: {report.verification_code}" in " ".join(w for *_, w in page) for page in pages)
    # Vietnamese diacritics intact: the name column (30 mm + 4 % to + 22 % of the width) reads back every name.
    column = " ".join(w for page in pages[annex_first:]
                      for x, y, w in sorted((p for p in page if 113 < p[0] < 240 and p[1] > 60), key=lambda p: p[1]))
    for n in range(60):
        assert f"{' '.join(NAMES[n % len(NAMES)].split())} số {n + 1}" in column, n
    # Every font embedded, each face once (the body's and the annex's text share it).
    fonts = [line.split() for line in poppler("pdffonts", str(new)).splitlines()[2:]]
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # "emb" column
    names = [row[0].split("+", 1)[1] for row in fonts]
    assert len(names) == len(set(names)) == 4, names
    # About the size of the same document laid out in one piece (at most 10 % larger).
    assert new.stat().st_size <= 1.10 * old.stat().st_size, (new.stat().st_size, old.stat().st_size)


def test_a_row_taller_than_a_page_continues_on_the_next_page():
    long_text = " ".join(f"dòng{n}" for n in range(2500))  # about 200 lines of a half-width column
    pages = table_pages(heading=[Paragraph("PHỤ LỤC I", "bold")],
                        columns=[Column("STT", 1, CENTER), Column("Nội dung", 1)], rows=[["1", long_text], ["2", "x"]])
    assert len(pages.pages) >= 3
    assert {"ò", "d", "0"} <= pages.chars["regular"]
    content = b"".join(pages.content(i, i + 5) for i in range(len(pages.pages)))
    assert content.count(b"Tf") >= len(pages.pages)


def test_an_annex_without_a_body_gets_fonts_of_its_own(tmp_path):
    """Faces the body does not use (here: no body at all) are embedded by the merge itself."""
    heading = [Paragraph("PHỤ LỤC I", "bold"), Paragraph("(Kèm theo Báo cáo số 01/BC-SKHCN)", "italic")]
    pages = table_pages(heading=heading, columns=[Column("STT", 1, CENTER), Column("Tên cơ quan, đơn vị", 4)],
                        rows=[["1", "Ủy ban nhân dân xã Mỹ Hòa Hưng"], ["2", "Sở Tư pháp"]], footer="Mã xác thực: X")
    path = tmp_path / "annex.pdf"
    path.write_bytes(pdf_merge(None, pages))
    fonts = [line.split() for line in poppler("pdffonts", str(path)).splitlines()[2:]]
    assert sorted(row[0].split("+")[1] for row in fonts) == ["QMS-Serif", "QMS-Serif-Bold", "QMS-Serif-Italic"]
    assert all(row[-5] == "yes" and row[3] == "Identity-H" for row in fonts), fonts
    text = " ".join(poppler("pdftotext", str(path), "-").split())
    for expected in ("PHỤ LỤC I", "(Kèm theo Báo cáo số 01/BC-SKHCN)", "Ủy ban nhân dân xã Mỹ Hòa Hưng", "Sở Tư pháp",
                     "Mã xác thực: X"):
        assert expected in unicodedata.normalize("NFC", text), expected
    assert words(path)[0][0][2] == "1"  # the page number: the first page of a document without a body
