"""The register's rules called directly (agencies.register): gaps per body, year and symbol; the province's own
issuing bodies; who keeps a register; the reader's years and bodies; a withdrawal's reason; every cell of the
XLSX export. Written from the survivors of `make mutate MODULES=numbering` (docs/mutation.md)."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from openpyxl import load_workbook

from agencies.models import DocumentType, ProvinceSettings, RegisteredDocument, RegisterStatus
from agencies.register import (
    NOT_YOUR_BODY,
    Gap,
    province_bodies,
    register_describe,
    register_entries_of,
    register_entry_of,
    register_gaps,
    register_issuers,
    register_require_keeper,
    register_withdraw,
    register_workbook,
    register_years,
)
from qms_portal.files import stored_bytes_create

pytestmark = pytest.mark.django_db


def line(issuer, number, *, year=2026, symbol=None, **fields):
    symbol = symbol or f"BC-{issuer.short_code}"
    fields.setdefault("title", f"Văn bản {number}")
    return RegisteredDocument.objects.create(issuer=issuer, year=year, number=number, symbol=symbol,
                                             doc_type=DocumentType.REPORT, issued_on=date(year, 3, 2), **fields)


def test_gaps_per_body_year_and_symbol(cast):
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    for number in (1, 2, 5):  # 03-04 missing
        line(stp, number)
    line(stp, 2, symbol="KH-STP")  # its own sequence: 01 missing
    line(stp, 1, year=2025)
    line(stp, 3, year=2025)  # 02 of 2025 missing
    for number in (1, 2, 3):  # complete
        line(snv, number)
    line(snv, 7, symbol="BC-STP")  # another body's sequence with the same symbol: 01-06 missing there
    gaps = register_gaps(RegisteredDocument.objects.all())
    assert sorted(gaps, key=lambda g: (g.issuer_name, g.year, g.symbol)) == sorted([
        Gap(snv.name, 2026, "BC-STP", 1, 6),
        Gap(stp.name, 2025, "BC-STP", 2, 2),
        Gap(stp.name, 2026, "BC-STP", 3, 4),
        Gap(stp.name, 2026, "KH-STP", 1, 1),
    ], key=lambda g: (g.issuer_name, g.year, g.symbol))
    assert register_gaps(RegisteredDocument.objects.filter(issuer=snv, symbol="BC-SNV")) == []


def test_a_gap_reads_as_the_numbers_missing():
    assert str(Gap("Sở Tư pháp", 2026, "BC-STP", 3, 3)) == "03/BC-STP (Sở Tư pháp, 2026)"
    assert str(Gap("Sở Tư pháp", 2026, "BC-STP", 3, 5)) == "03–05/BC-STP (Sở Tư pháp, 2026)"


def test_the_provinces_own_bodies(cast):
    ag, cb = cast.provinces["ag"], cast.provinces["cb"]
    assert province_bodies(ag.pk) == {cast.agencies["ag_ubnd"].pk}
    ProvinceSettings.objects.update_or_create(province=ag, defaults={
        "lead_agency": cast.agencies["ag_skhcn"], "inspecting_agency": cast.agencies["ag_snv"]})
    assert province_bodies(ag.pk) == {cast.agencies[k].pk for k in ("ag_ubnd", "ag_skhcn", "ag_snv")}
    ProvinceSettings.objects.update_or_create(province=cb, defaults={"lead_agency": cast.agencies["cb_skhcn"],
                                                                     "inspecting_agency": None})
    assert province_bodies(cb.pk) == {cast.agencies["cb_ubnd"].pk, cast.agencies["cb_skhcn"].pk}


@pytest.mark.parametrize(("user", "body", "allowed"), [
    ("ag_head", "ag_stp", True),  # an agency's keeper keeps its own register
    ("ag_head", "ag_snv", False),  # not another agency's
    ("ag_head", "ag_ubnd", False),
    ("ag_leader", "ag_ubnd", True),  # the Sở keeps the province's bodies' registers
    ("ag_leader", "ag_skhcn", True),
    ("ag_leader", "ag_stp", False),  # never an agency's
    ("ag_leader", "cb_ubnd", False),
    ("admin", "cb_stp", True),
])
def test_who_keeps_a_register(cast, user, body, allowed):
    ProvinceSettings.objects.update_or_create(province=cast.provinces["ag"],
                                              defaults={"lead_agency": cast.agencies["ag_skhcn"]})
    entry = line(cast.agencies[body], 1)
    if allowed:
        register_require_keeper(cast.users[user], entry)
        return
    with pytest.raises(PermissionDenied) as refused:
        register_require_keeper(cast.users[user], entry)
    assert str(refused.value) == str(NOT_YOUR_BODY) and str(NOT_YOUR_BODY) == gettext(
        "This document belongs to another issuing body's register.")


def test_the_readers_years_and_bodies(cast):
    stp, ubnd, cb = cast.agencies["ag_stp"], cast.agencies["ag_ubnd"], cast.agencies["cb_stp"]
    line(stp, 1, year=2024)
    line(stp, 1)
    line(stp, 2)
    line(ubnd, 1, year=2025)
    line(cb, 1, year=2023)
    assert register_years(user=cast.users["ag_officer"]) == [2026, 2024]
    assert register_years(user=cast.users["ag_inspector"]) == [2026, 2025, 2024]
    assert register_years(user=cast.users["ministry"]) == [2026, 2025, 2024, 2023]
    assert list(register_issuers(user=cast.users["ag_officer"])) == [stp]
    assert list(register_issuers(user=cast.users["ag_inspector"])) == sorted([stp, ubnd], key=lambda a: a.name)


def test_a_withdrawal_keeps_its_reason_on_several_lines(cast):
    entry = line(cast.agencies["ag_stp"], 1)
    with pytest.raises(ValidationError) as refused:
        register_withdraw(actor=cast.users["ag_head"], entry=entry, reason="  \n ")
    assert refused.value.message_dict == {"reason": [gettext("Give the reason for the withdrawal.")]}
    withdrawn = register_withdraw(actor=cast.users["ag_head"], entry=entry, reason=" Sai số liệu\nBan hành lại ")
    assert withdrawn.withdrawn_reason == "Sai số liệu\nBan hành lại"
    assert RegisteredDocument.objects.get(pk=entry.pk).status == RegisterStatus.WITHDRAWN


def test_every_cell_of_the_export(cast):
    stp = cast.agencies["ag_stp"]
    signed = stored_bytes_create(content=b"%PDF-1.7 signed", name="01-BC-STP-2026-signed.pdf", kind="pdf",
                                 actor=cast.users["ag_head"])
    line(stp, 1, recipients="Bộ KH&CN\nUBND tỉnh", signer_name="Nguyễn Văn A", signer_capacity="Giám đốc",
         signed_file=signed, status=RegisterStatus.ISSUED)
    line(stp, 2, signer_name="Trần Thị B", status=RegisterStatus.WITHDRAWN, withdrawn_reason="=Sai số liệu")
    workbook = load_workbook(io.BytesIO(register_workbook(RegisteredDocument.objects.order_by("number"))))
    sheet = workbook.active
    assert workbook.sheetnames == [gettext("Register")]
    header = [cell.value for cell in sheet[1]]
    assert header == [gettext(title) for title in (
        "Issuing body", "Year", "Number", "Symbol", "Issued on", "Type", "Title", "Recipients", "Signer", "Status",
        "Reason for withdrawal", "Signed file SHA-256")]
    assert all(cell.font.b for cell in sheet[1]) and not any(cell.font.b for cell in sheet[2])
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    report = str(DocumentType.REPORT.label)
    assert rows[0][:4] == [stp.name, 2026, 1, "BC-STP"] and rows[0][4].date() == date(2026, 3, 2)
    assert rows[0][5:] == [report, "Văn bản 1", "Bộ KH&CN\nUBND tỉnh", "Giám đốc, Nguyễn Văn A",
                           str(RegisterStatus.ISSUED.label), None, signed.sha256]
    # a formula-like text is kept as text; an empty signer capacity leaves the name alone; no file, no hash
    assert rows[1][5:] == [report, "Văn bản 2", None, "Trần Thị B", str(RegisterStatus.WITHDRAWN.label),
                           "'=Sai số liệu", None]
    assert len(rows) == 2 and str(RegisterStatus.ISSUED.label) != "Issued"


class Printed:
    """What `register_describe` reads of a printed document (a qms_portal.printing.OfficialDocument)."""

    def __init__(self, **fields):
        self.doc_type, self.summary = fields.get("doc_type", "báo cáo"), fields.get("summary", " Tình hình ISO ")
        self.recipients = fields.get("recipients", ["Bộ KH&CN", "UBND tỉnh"])
        self.signer_name = fields.get("signer_name", "Nguyễn Văn A")
        self.signing_capacity = fields.get("signing_capacity", ["KT. GIÁM ĐỐC", "", "PHÓ GIÁM ĐỐC"])


def test_a_printed_document_describes_its_line(cast):
    stp = cast.agencies["ag_stp"]
    entry = line(stp, 5)
    other = line(stp, 5, year=2025)
    stored = stored_bytes_create(content=b"%PDF-1.7 draft", name="05.pdf", kind="pdf", actor=cast.users["ag_head"])
    assert register_describe(issuer_id=stp.pk, number="05/BC-STP", issued_on=date(2026, 3, 2), document=Printed(),
                             stored=stored) == 1
    entry.refresh_from_db()
    assert (entry.title, entry.recipients, entry.signer_name, entry.signer_capacity, entry.current_file) == (
        "Báo cáo Tình hình ISO", "Bộ KH&CN\nUBND tỉnh", "Nguyễn Văn A", "KT. GIÁM ĐỐC – PHÓ GIÁM ĐỐC", stored)
    other.refresh_from_db()
    assert other.title == "Văn bản 5" and other.current_file is None, "the line of another year is left alone"
    # without a file, the file is kept; long texts are cut to their columns
    register_describe(issuer_id=stp.pk, number="05/BC-STP", issued_on=date(2026, 3, 2),
                      document=Printed(doc_type="", summary="x" * 400, signer_name="y" * 200))
    entry.refresh_from_db()
    assert (entry.title, entry.signer_name, entry.current_file) == ("x" * 300, "y" * 120, stored)


def test_a_signed_line_keeps_what_was_signed(cast):
    """Once the signed version is stored, printing the document again (a worker's retry, a regenerated PDF) leaves
    the line as signed: its title, recipients, signer and printed PDF."""
    stp = cast.agencies["ag_stp"]
    signed = stored_bytes_create(content=b"%PDF-1.7 signed", name="05-signed.pdf", kind="pdf",
                                 actor=cast.users["ag_head"])
    draft = stored_bytes_create(content=b"%PDF-1.7 draft", name="05.pdf", kind="pdf", actor=cast.users["ag_head"])
    entry = line(stp, 5, signer_name="Nguyễn Văn A", signed_file=signed, current_file=draft,
                 status=RegisterStatus.ISSUED)
    again = stored_bytes_create(content=b"%PDF-1.7 again", name="05.pdf", kind="pdf", actor=cast.users["ag_head"])
    assert register_describe(issuer_id=stp.pk, number="05/BC-STP", issued_on=date(2026, 3, 2),
                             document=Printed(summary="Khác", signer_name="Trần Thị B"), stored=again) == 0
    entry.refresh_from_db()
    assert (entry.title, entry.signer_name, entry.current_file, entry.signed_file) == (
        "Văn bản 5", "Nguyễn Văn A", draft, signed)


@pytest.mark.parametrize("number", ["", "05", "BC-STP", "V/BC-STP", "05/"])
def test_a_number_not_from_the_register_describes_nothing(cast, number):
    stp = cast.agencies["ag_stp"]
    line(stp, 5)
    assert register_describe(issuer_id=stp.pk, number=number, issued_on=date(2026, 3, 2), document=Printed()) == 0
    assert register_entry_of(issuer_id=stp.pk, number=number, issued_on=date(2026, 3, 2)) is None


def test_the_line_of_a_printed_number(cast):
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    entry = line(stp, 5)
    line(stp, 5, year=2025)
    assert register_entry_of(issuer_id=stp.pk, number="05/BC-STP", issued_on=date(2026, 8, 1)) == entry
    assert register_entry_of(issuer_id=stp.pk, number=" 5/ BC-STP", issued_on=date(2026, 8, 1)) == entry
    assert register_entry_of(issuer_id=stp.pk, number="5/ BC-STP ", issued_on=date(2026, 8, 1)) == entry
    assert register_entry_of(issuer_id=snv.pk, number="05/BC-STP", issued_on=date(2026, 8, 1)) is None
    assert register_entry_of(issuer_id=None, number="05/BC-STP", issued_on=date(2026, 8, 1)) is None
    assert register_entry_of(issuer_id=stp.pk, number="05/BC-STP", issued_on=None) is None


def test_the_lines_of_many_printed_numbers_in_one_query(cast, django_assert_num_queries):
    """The registry column of a list of reports: every document's line (and its signed file) in one query, each
    under its own document, whichever bodies, years and symbols they have."""
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    signed = stored_bytes_create(content=b"%PDF-1.7 signed", name="05.pdf", kind="pdf", actor=cast.users["ag_head"])
    five = line(stp, 5, signed_file=signed)
    seven_plan = line(stp, 7, symbol="KH-STP")
    five_snv = line(snv, 5)
    line(stp, 5, year=2025)
    documents = [(stp.pk, "05/BC-STP", date(2026, 8, 1)), (stp.pk, "07/KH-STP", date(2026, 9, 1)),
                 (snv.pk, "05/BC-SNV", date(2026, 8, 1)), (stp.pk, "06/BC-STP", date(2026, 8, 1)),
                 (stp.pk, "no number", date(2026, 8, 1))]
    with django_assert_num_queries(1):
        found = register_entries_of(documents)
        assert found[documents[0]].signed_file.original_name == "05.pdf"
    assert found == {documents[0]: five, documents[1]: seven_plan, documents[2]: five_snv}
    assert register_entries_of([documents[3], documents[4]]) == {}


def test_a_withdrawal_is_audited_and_refused_twice(cast):
    from qms_portal.errors import ConflictError
    from qms_portal.models import AuditEvent

    head = cast.users["ag_head"]
    entry = line(cast.agencies["ag_stp"], 4)
    register_withdraw(actor=head, entry=entry, reason="Sai số liệu")
    event = AuditEvent.objects.filter(object_type="agencies.registereddocument").latest("pk")
    assert (event.action, event.user, event.object_id, event.summary) == (
        "update", head, str(entry.pk), gettext("Withdrew %(number)s") % {"number": "04/BC-STP"})
    with pytest.raises(ConflictError) as twice:
        register_withdraw(actor=head, entry=entry, reason="Lần nữa")
    assert str(twice.value) == gettext("This document has already been withdrawn.")
    stored = RegisteredDocument.objects.get(pk=entry.pk)
    assert (stored.withdrawn_reason, stored.withdrawn_by, stored.title) == ("Sai số liệu", head, "Văn bản 4")


def test_a_line_is_found_by_body_year_number_and_symbol_alone(cast):
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    sixth = line(stp, 6)  # registered first
    entry = line(stp, 5)
    line(stp, 5, symbol="KH-STP")
    line(snv, 5, symbol="BC-STP")
    assert register_entry_of(issuer_id=stp.pk, number="05/BC-STP", issued_on=date(2026, 8, 1)) == entry
    # the lines come in number order: a lookup that forgot the number would find 05 for 06
    assert register_entry_of(issuer_id=stp.pk, number="06/BC-STP", issued_on=date(2026, 8, 1)) == sixth
    assert register_entry_of(issuer_id=stp.pk, number="05/BC-STP/2026", issued_on=date(2026, 8, 1)) is None
    assert register_describe(issuer_id=stp.pk, number="05/BC-STP", issued_on=date(2026, 3, 2),
                             document=Printed(summary="", signer_name="")) == 1
    entry.refresh_from_db()
    assert (entry.title, entry.signer_name) == ("Báo cáo", "")
    assert set(RegisteredDocument.objects.exclude(pk=entry.pk).values_list("title", flat=True)) == {
        "Văn bản 5", "Văn bản 6"}


def test_a_sequence_that_starts_late_has_its_first_numbers_missing(cast):
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    line(stp, 2)
    line(snv, 1, symbol="BC-STP")
    line(stp, 3)
    line(snv, 2, symbol="BC-STP")
    assert register_gaps(RegisteredDocument.objects.all()) == [Gap(stp.name, 2026, "BC-STP", 1, 1)]


def test_the_province_bodies_add_the_settings_to_the_committee(cast):
    ag = cast.provinces["ag"]
    ProvinceSettings.objects.update_or_create(province=ag, defaults={"lead_agency": cast.agencies["ag_skhcn"]})
    assert province_bodies(ag.pk) == {cast.agencies["ag_ubnd"].pk, cast.agencies["ag_skhcn"].pk}


def test_a_number_is_taken_for_the_year_of_issue_with_its_title_cut_to_the_column(cast):
    from agencies.numbering import document_number_next

    stp = cast.agencies["ag_stp"]
    number = document_number_next(issuer=stp, doc_type=DocumentType.REPORT, issued_on=date(2027, 1, 1),
                                  title="T" * 350)
    assert (number.number, number.year, str(number)) == (1, 2027, "01/BC-STP")
    entry = RegisteredDocument.objects.get(issuer=stp, year=2027, number=1)
    assert (entry.title, entry.recipients, entry.issued_on) == ("T" * 300, "", date(2027, 1, 1))
    assert document_number_next(issuer=stp, doc_type=DocumentType.REPORT, issued_on=date(2027, 2, 1)).number == 2


def test_no_reason_is_no_withdrawal_and_a_long_capacity_is_cut(cast):
    stp = cast.agencies["ag_stp"]
    entry = line(stp, 7)
    with pytest.raises(ValidationError) as refused:
        register_withdraw(actor=cast.users["ag_head"], entry=entry, reason=None)
    assert refused.value.message_dict == {"reason": [gettext("Give the reason for the withdrawal.")]}
    register_describe(issuer_id=stp.pk, number="07/BC-STP", issued_on=date(2026, 3, 2),
                      document=Printed(signing_capacity=["K" * 200]))
    assert RegisteredDocument.objects.get(pk=entry.pk).signer_capacity == "K" * 120


def test_the_register_is_searched_by_number_and_symbol_and_read_newest_year_first(cast):
    """The register page's order (year, newest first; body; symbol; number) and its search: a number alone, a
    number with (part of) its symbol, or any words of the title (issue 19, from the numbering survivors)."""
    from agencies.register import register_list

    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    twelfth = line(stp, 12, title="Báo cáo quý")  # registered before 05: the order is the number's, not the row's
    fifth = line(stp, 5)
    plan = line(stp, 5, symbol="KH-STP")
    other_body = line(snv, 5, symbol="TB-SNV")  # Sở Nội vụ reads before Sở Tư pháp, its symbol after theirs
    last_year = line(stp, 3, year=2025)
    reply = line(stp, 13, title="Trả lời văn bản 05/BC-STP")

    def found(q=""):
        return list(register_list(user=cast.users["admin"], q=q))

    assert found() == [other_body, fifth, twelfth, reply, plan, last_year]
    assert found("12") == [twelfth]
    assert found("05") == [other_body, fifth, reply, plan]  # the number, or in the title
    assert found("05/KH") == [plan]
    assert found("05/bc-stp") == [fifth, reply]  # the line, and the one whose title cites it
    assert found(" 05 / bc-stp ") == [fifth]
