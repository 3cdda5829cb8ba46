"""The header and footer of an official document (Decree 30/2020, Appendix I), as plain data."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .dates import place_date_line, vietnamese_date


def _clean_recipient(line: str) -> str:
    return line.strip().removeprefix("-").strip().rstrip(";.").strip()


@dataclass(frozen=True)
class OfficialDocument:
    """Everything the fixed layout around a document body needs.

    `recipients` are written without punctuation ("UBND tỉnh", "Lưu: VT, CCTĐC"); the layout adds the
    leading "- ", the ";" and the final ".". The last recipient must be the archive line "Lưu: ...".
    `verification_qr` is an optional ``data:image/...`` URI printed with `verification_text` under the
    signature block (templates may also override the ``footer_note`` block).
    """

    parent_body: str  # "UBND TỈNH AN GIANG"; "" for a body with no parent line; "\n" between printed lines
    issuing_body: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"; "CHI CỤC TIÊU CHUẨN ĐO LƯỜNG\nCHẤT LƯỢNG": one per printed line
    number: str  # "05/BC-SKHCN"
    place: str  # "An Giang"
    issued_on: date
    doc_type: str  # "BÁO CÁO", "KẾ HOẠCH", "QUYẾT ĐỊNH", "BIÊN BẢN"; "" for a letter (công văn): no title,
    # its summary printed "V/v ..." under the number
    summary: str  # trích yếu
    recipients: Sequence[str]
    signing_capacity: Sequence[str]  # ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    signer_name: str
    landscape: bool = False
    verification_text: str = ""
    verification_qr: str = ""

    def __post_init__(self):
        recipients = tuple(_clean_recipient(r) for r in self.recipients if _clean_recipient(r))
        object.__setattr__(self, "recipients", recipients)
        object.__setattr__(self, "signing_capacity", tuple(line.strip() for line in self.signing_capacity))
        if not recipients or not recipients[-1].startswith("Lưu"):
            raise ValueError('The last recipient must be the archive line, e.g. "Lưu: VT, CCTĐC".')
        if not any(self.signing_capacity):
            raise ValueError("A signing capacity is required, e.g. ('KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC').")
        if self.verification_qr and not self.verification_qr.startswith("data:image/"):
            raise ValueError("verification_qr must be a data:image/... URI; remote images are never fetched.")

    @property
    def parent_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.parent_body.splitlines() if line.strip())

    @property
    def issuing_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.issuing_body.splitlines() if line.strip())

    @property
    def issuing_body_text(self) -> str:
        """The issuing body on one line, for metadata: "CHI CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG"."""
        return " ".join(self.issuing_lines)

    @property
    def is_letter(self) -> bool:
        return not self.doc_type

    @property
    def title(self) -> str:
        return self.doc_type.upper()

    @property
    def place_date(self) -> str:
        return place_date_line(self.place, self.issued_on)

    @property
    def place_date_parts(self) -> tuple[str, str]:
        """("Thành phố Hồ Chí Minh,", "ngày 02 tháng 12 năm 2024"): a long line breaks after the comma only."""
        return f"{self.place},", vietnamese_date(self.issued_on)

    @property
    def date_text(self) -> str:
        """"ngày 02 tháng 12 năm 2024", e.g. for an appendix's "(Kèm theo Báo cáo số ... ngày ...)" line."""
        return vietnamese_date(self.issued_on)

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        """("- UBND tỉnh;", ..., "- Lưu: VT, CCTĐC.")."""
        *others, archive = self.recipients
        return (*(f"- {r};" for r in others), f"- {archive}.")
