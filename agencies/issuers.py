"""Issuing bodies of official documents, as data (Decree 30/2020, Appendix I; DOMAIN.md §9): one definition of
each body's header lines, its symbol, its place, its titles and the signing forms it may use.

Every printed document takes its header and signature block from here:

    issuer = issuer_of(agency)                    # a Sở, a Chi cục, an agency, the province's People's Committee
    issuer.parent_lines, issuer.body_lines        # ("UBND TỈNH AN GIANG",), ("SỞ KHOA HỌC VÀ CÔNG NGHỆ",)
    issuer.capacity_lines(SigningForm.DEPUTY)     # ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")

Header lines are broken where a clerk breaks them ("CHI CỤC TIÊU CHUẨN ĐO LƯỜNG" / "CHẤT LƯỢNG"): never inside
a word of two syllables or a place name, and each line fits the header column; an agency's `printed_name`
(one printed line per line) overrides the computed lines.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from .divisions import bare_name, committee_header, division_word, place_name
from .models import Agency, AgencyKind, Province

# The header's left column: 45% of the 165 mm between the margins, less its padding; lines are measured in the
# printed font (12 pt bold for the issuing body, 12 pt for the parent body, as Decree 30 allows 12-13 pt; see
# static/css/print/official.css and qms_portal/printing/docx.py).
HEADER_COLUMN_MM = 72.0
HEADER_SIZE_PT = 12
BODY_SIZE_PT = 12


class SigningForm(models.TextChoices):
    """How a document is signed (Decree 30/2020, Art. 13 and Appendix I, VIII)."""

    HEAD = "head", _("The head signs")
    DEPUTY = "kt", _("KT.: a deputy signs for the head")
    COLLECTIVE = "tm", _("TM.: the head signs on behalf of the collective body")
    COLLECTIVE_DEPUTY = "tm_kt", _("TM. and KT.: a deputy signs for the head, on behalf of the collective body")
    ON_ORDER = "tl", _("TL.: signed on the head's order")
    AUTHORISED = "tuq", _("TUQ.: signed under the head's authorisation")
    ACTING = "q", _("Q.: the acting head signs")


HEAD_FORMS = (SigningForm.HEAD, SigningForm.DEPUTY, SigningForm.ON_ORDER, SigningForm.AUTHORISED, SigningForm.ACTING)
COLLECTIVE_FORMS = (SigningForm.COLLECTIVE, SigningForm.COLLECTIVE_DEPUTY, SigningForm.ON_ORDER,
                    SigningForm.AUTHORISED)


@dataclass(frozen=True)
class Titles:
    """A body's titles as printed: its head, the head's deputy, the collective (for a People's Committee) and the
    head of its office, who signs TL./TUQ."""

    head: str
    deputy: str
    office_head: str = "CHÁNH VĂN PHÒNG"
    collective: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return COLLECTIVE_FORMS if self.collective else HEAD_FORMS


COMMITTEE = Titles("CHỦ TỊCH", "PHÓ CHỦ TỊCH", collective="ỦY BAN NHÂN DÂN")
TITLES: dict[str, Titles] = {
    AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE: COMMITTEE,
    AgencyKind.COMMUNE_PEOPLES_COMMITTEE: COMMITTEE,
    AgencyKind.DISTRICT_PEOPLES_COMMITTEE: COMMITTEE,
    AgencyKind.PROVINCIAL_OFFICE: Titles("CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", office_head="TRƯỞNG PHÒNG"),
    AgencyKind.DEPARTMENT: Titles("GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    AgencyKind.SUB_DEPARTMENT: Titles("CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", office_head="TRƯỞNG PHÒNG"),
    AgencyKind.PUBLIC_ADMIN_SERVICE_CENTRE: Titles("GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", office_head="TRƯỞNG PHÒNG"),
    AgencyKind.PUBLIC_SERVICE_UNIT: Titles("THỦ TRƯỞNG ĐƠN VỊ", "PHÓ THỦ TRƯỞNG ĐƠN VỊ", office_head="TRƯỞNG PHÒNG"),
    AgencyKind.VERTICAL_AGENCY: Titles("THỦ TRƯỞNG ĐƠN VỊ", "PHÓ THỦ TRƯỞNG ĐƠN VỊ", office_head="TRƯỞNG PHÒNG"),
    AgencyKind.COMMUNE_OFFICE: Titles("TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", office_head="TRƯỞNG BỘ PHẬN"),
    AgencyKind.DISTRICT_OFFICE: Titles("TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", office_head="TRƯỞNG BỘ PHẬN"),
}
MINISTRY_TITLES = Titles("BỘ TRƯỞNG", "THỨ TRƯỞNG", office_head="VỤ TRƯỞNG")

# Words of two or more syllables that a line never splits (a clerk does not print "ĐO / LƯỜNG").
WORDS = tuple(sorted({
    "ỦY BAN", "NHÂN DÂN", "KHOA HỌC", "CÔNG NGHỆ", "TIÊU CHUẨN", "ĐO LƯỜNG", "CHẤT LƯỢNG", "CHI CỤC", "VĂN PHÒNG",
    "NỘI VỤ", "TƯ PHÁP", "TÀI CHÍNH", "XÂY DỰNG", "GIÁO DỤC", "ĐÀO TẠO", "Y TẾ", "NÔNG NGHIỆP", "MÔI TRƯỜNG",
    "CÔNG THƯƠNG", "VĂN HÓA", "THỂ THAO", "DU LỊCH", "DÂN TỘC", "TÔN GIÁO", "THANH TRA", "NGOẠI VỤ", "TRUNG TÂM",
    "PHỤC VỤ", "HÀNH CHÍNH CÔNG", "HÀNH CHÍNH", "QUỐC GIA", "THÀNH PHỐ", "ĐẶC KHU", "KẾ HOẠCH", "ĐẦU TƯ",
    "LAO ĐỘNG", "THƯƠNG BINH", "XÃ HỘI", "GIAO THÔNG", "VẬN TẢI", "TÀI NGUYÊN", "THÔNG TIN", "TRUYỀN THÔNG",
    "PHÁT TRIỂN", "NÔNG THÔN", "TRUNG HỌC", "PHỔ THÔNG", "CƠ SỞ", "TIỂU HỌC", "MẦM NON", "BẢO HIỂM", "KHO BẠC",
    "NHÀ NƯỚC", "CÔNG AN", "QUÂN SỰ", "BIÊN PHÒNG", "TỔNG HỢP", "KINH TẾ", "HẠ TẦNG", "ĐÔ THỊ", "QUẢN LÝ",
    "BAN QUẢN LÝ", "DỰ ÁN", "TRƯỜNG", "CAO ĐẲNG", "ĐẠI HỌC", "BỆNH VIỆN", "ĐA KHOA", "KIỂM SOÁT", "BỆNH TẬT",
    "THỦY SẢN", "LÂM NGHIỆP", "KIỂM LÂM", "THÚ Y", "TRỒNG TRỌT", "BẢO VỆ", "THỰC VẬT", "THỦY LỢI", "DÂN SỐ",
    "AN TOÀN", "THỰC PHẨM", "VỆ SINH", "CHĂN NUÔI", "PHÒNG CHỐNG", "THIÊN TAI", "BỘ PHẬN", "MỘT CỬA",
}, key=lambda w: -len(w.split())))


def _width_mm(text: str, size_pt: float, *, bold: bool) -> float:
    from docx.shared import Pt

    from qms_portal.printing.docx_ooxml import text_width

    return text_width(text, Pt(size_pt), bold=bold).mm


CONNECTORS = frozenset({"VÀ", "VỀ", "CỦA", "-"})  # start the next line with the unit they join, never end one


def _units(text: str, keep: tuple[str, ...] = ()) -> list[str]:
    """Split capitals into units no line breaks inside: place names in `keep`, then the words above; a connector
    ("VÀ") is bound to the unit after it."""
    words = text.split()
    units, i = [], 0
    phrases = [p.split() for p in keep if p] + [w.split() for w in WORDS]
    while i < len(words):
        for phrase in phrases:
            if words[i:i + len(phrase)] == phrase:
                units.append(" ".join(phrase))
                i += len(phrase)
                break
        else:
            units.append(words[i])
            i += 1
    bound: list[str] = []
    for unit in units:
        if bound and bound[-1] in CONNECTORS:
            bound[-1] = f"{bound[-1]} {unit}"
        else:
            bound.append(unit)
    return bound


def header_lines(text: str, *, keep: tuple[str, ...] = (), size_pt: float = BODY_SIZE_PT, bold: bool = True,
                 width_mm: float = HEADER_COLUMN_MM) -> tuple[str, ...]:
    """`text` in capitals broken into lines that fit the header column, at unit boundaries, filling each line.

    A place name in `keep` ("TỈNH AN GIANG") stays whole, and starts a new line rather than being split off.
    """
    text = " ".join(text.upper().split())
    keep = tuple(k.upper() for k in keep)
    if _width_mm(text, size_pt, bold=bold) <= width_mm:
        return (text,)
    lines: list[list[str]] = []
    for unit in _units(text, keep):
        if lines and _width_mm(" ".join([*lines[-1], unit]), size_pt, bold=bold) <= width_mm:
            lines[-1].append(unit)
        else:
            lines.append([unit])
    # A clerk does not leave one syllable alone on the last line: move units down while they fit.
    while len(lines) > 1 and len(" ".join(lines[-1]).split()) < 2 and len(lines[-2]) > 1 and \
            _width_mm(" ".join([lines[-2][-1], *lines[-1]]), size_pt, bold=bold) <= width_mm:
        lines[-1].insert(0, lines[-2].pop())
    return tuple(" ".join(line) for line in lines)


@dataclass(frozen=True)
class Issuer:
    """Everything a document needs from the body that issues it."""

    name: str  # as written in running text: "Sở Khoa học và Công nghệ"
    parent_lines: tuple[str, ...]  # ("UBND TỈNH AN GIANG",); () for a body with no parent line
    body_lines: tuple[str, ...]  # ("CHI CỤC TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG")
    code: str  # in the symbol: "SKHCN" in "05/BC-SKHCN"
    place: str  # of the date line: "An Giang"
    titles: Titles
    agency: Agency | None = field(default=None, compare=False)

    @property
    def forms(self) -> tuple[str, ...]:
        return self.titles.forms

    @property
    def default_form(self) -> str:
        return SigningForm.COLLECTIVE_DEPUTY if self.titles.collective else SigningForm.DEPUTY

    @property
    def parent_body(self) -> str:
        return "\n".join(self.parent_lines)

    @property
    def issuing_body(self) -> str:
        return "\n".join(self.body_lines)

    @property
    def issuing_body_text(self) -> str:
        return " ".join(self.body_lines)

    def capacity_lines(self, form: str | None = None, *, allow_default: bool = False) -> tuple[str, ...]:
        """The signing capacity as printed, one title per line: ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC").

        `form` is a SigningForm (text written before forms were choices is read as the form it names). A form
        the body does not use is refused, or with `allow_default` replaced by the body's default form.
        """
        form = form or self.default_form
        if form not in SigningForm.values:
            form = self.form_from_text(form)
        if form not in self.forms:
            if not allow_default:
                raise ValueError(f"{self.name} does not sign {form!r}")
            form = self.default_form
        t = self.titles
        return {
            SigningForm.HEAD: (t.head,),
            SigningForm.DEPUTY: (f"KT. {t.head}", t.deputy),
            SigningForm.COLLECTIVE: (f"TM. {t.collective}", t.head),
            SigningForm.COLLECTIVE_DEPUTY: (f"TM. {t.collective}", f"KT. {t.head}", t.deputy),
            SigningForm.ON_ORDER: (f"TL. {t.head}", t.office_head),
            SigningForm.AUTHORISED: (f"TUQ. {t.head}", t.office_head),
            SigningForm.ACTING: (f"Q. {t.head}",),
        }[form]

    def form_choices(self) -> list[tuple[str, str]]:
        """[(form, "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"), ...] for a choice field."""
        return [(form, " / ".join(self.capacity_lines(form))) for form in self.forms]

    def form_from_text(self, text: str) -> str:
        """The form an old free-text capacity ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC") meant; "" when nothing was written."""
        return signing_form_from_text(text, collective=bool(self.titles.collective))

    def blank_number(self, doc_type: str) -> str:
        """"        /BC-UBND": the number a clerk writes in by hand from the body's register."""
        from .numbering import document_symbol

        return f"{BLANK_NUMBER}/{document_symbol(doc_type=doc_type, issuer_code=self.code)}"


BLANK_NUMBER = "\u00a0" * 8


def signing_form_from_text(text: str, *, collective: bool = False) -> str:
    text = " ".join((text or "").upper().split())
    if not text:
        return ""
    if text.startswith("TM."):
        return SigningForm.COLLECTIVE_DEPUTY if "KT." in text else SigningForm.COLLECTIVE
    for prefix, form in (("KT.", SigningForm.DEPUTY), ("TL.", SigningForm.ON_ORDER),
                         ("TUQ.", SigningForm.AUTHORISED), ("Q.", SigningForm.ACTING)):
        if text.startswith(prefix):
            return SigningForm.COLLECTIVE_DEPUTY if collective and form == SigningForm.DEPUTY else form
    return SigningForm.COLLECTIVE if collective else SigningForm.HEAD


def _province_place(province: Province) -> tuple[str, ...]:
    """"TỈNH AN GIANG", "THÀNH PHỐ HỒ CHÍ MINH", "AN GIANG", "HỒ CHÍ MINH": units kept on one line."""
    bare = bare_name(province.name, province.division_type).upper()
    return (f"{division_word(province.division_type).upper()} {bare}", bare)


def _committee_lines(unit) -> tuple[str, ...]:
    """The People's Committee's own header: "ỦY BAN NHÂN DÂN" / "TỈNH AN GIANG"."""
    where = f"{division_word(unit.division_type)} {bare_name(unit.name, unit.division_type)}".upper()
    return ("ỦY BAN NHÂN DÂN", *header_lines(where, keep=(where,)))


def _printed(agency: Agency) -> tuple[str, ...]:
    lines = tuple(" ".join(line.split()).upper() for line in (agency.printed_name or "").splitlines() if line.strip())
    return lines


def parent_lines_of(agency: Agency) -> tuple[str, ...]:
    """The parent body above the issuing body: the committee of the province ("UBND TỈNH AN GIANG"), or the
    agency's own parent ("SỞ KHOA HỌC VÀ CÔNG NGHỆ" above its Chi cục); none above a People's Committee."""
    if agency.kind in (AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, AgencyKind.DISTRICT_PEOPLES_COMMITTEE):
        return ()
    parent = agency.parent
    if agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE or parent is None or \
            parent.kind == AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE:
        text = committee_header(agency.province)
        return header_lines(text, keep=_province_place(agency.province), size_pt=HEADER_SIZE_PT, bold=False)
    return _printed(parent) or header_lines(parent.name, keep=_province_place(agency.province),
                                            size_pt=HEADER_SIZE_PT, bold=False)


def issuer_of(agency: Agency) -> Issuer:
    """The issuing body `agency` as printed in a document header and signature block."""
    province = agency.province
    if agency.kind == AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE:
        body = _printed(agency) or _committee_lines(province)
    elif agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE and agency.commune_id:
        body = _printed(agency) or _committee_lines(agency.commune)
    else:
        body = _printed(agency) or header_lines(agency.name, keep=_province_place(province))
    place = place_name(agency.commune) if agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE and \
        agency.commune_id else place_name(province)
    titles = TITLES.get(agency.kind, TITLES[AgencyKind.PUBLIC_SERVICE_UNIT])
    return Issuer(name=agency.name, parent_lines=parent_lines_of(agency), body_lines=body, code=agency.short_code,
                  place=place, titles=titles, agency=agency)


def province_committee_of(province: Province | int) -> Agency | None:
    """The province's People's Committee as an agency (it issues the province's report to the Ministry)."""
    return Agency.objects.select_related("province", "parent", "commune").filter(
        province_id=getattr(province, "pk", province), kind=AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE,
        is_active=True).order_by("pk").first()


def ministry_issuer() -> Issuer:
    """Bộ Khoa học và Công nghệ, which issues the national roll-up (its register is not kept in the portal)."""
    return Issuer(name="Bộ Khoa học và Công nghệ", parent_lines=(), body_lines=("BỘ KHOA HỌC VÀ CÔNG NGHỆ",),
                  code="BKHCN", place="Hà Nội", titles=MINISTRY_TITLES)
