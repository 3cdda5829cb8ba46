"""A test PKI (made once per session) and a Decree 30 document rendered with WeasyPrint, signed with pyHanko."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from qms_portal.printing import render_official_pdf
from tests.printing.sample import sample_context, sample_document

from .pki import Identity, issue, name, sign_pdf

SIGNER_NAME = "Nguyễn Thị Ngọc Trường"
SIGNER_ORGANISATION = "Sở Khoa học và Công nghệ tỉnh An Giang"
SINCE = datetime(2020, 1, 1, tzinfo=UTC)  # the CAs and the TSA are valid from here (checks "in the past" work)


@dataclass(frozen=True)
class Pki:
    root: Identity
    intermediate: Identity
    signer: Identity  # a person of the Sở KH&CN, valid for two years
    seal: Identity  # the Sở's own certificate (ký số của cơ quan)
    expired: Identity  # expired on 01/01/2025
    revocable: Identity  # names a CRL distribution point, so its revocation status is checked
    tsa: Identity  # a time-stamping authority under the same root
    other_root: Identity  # a CA the portal does not trust
    other_signer: Identity


@pytest.fixture(scope="session")
def pki() -> Pki:
    now = datetime.now(UTC)
    root = issue(name("Root CA thử nghiệm Chính phủ", "Ban Cơ yếu Chính phủ"), ca=True, not_before=SINCE,
                 not_after=now + timedelta(days=20 * 365))
    intermediate = issue(name("CA cấp dưới thử nghiệm", "Ban Cơ yếu Chính phủ"), issuer=root, ca=True,
                         not_before=SINCE, not_after=now + timedelta(days=10 * 365))
    other_root = issue(name("Root CA không tin cậy", "Công ty Chứng thực Ngoài"), ca=True)
    return Pki(
        root=root,
        intermediate=intermediate,
        signer=issue(name(SIGNER_NAME, SIGNER_ORGANISATION), issuer=intermediate,
                     not_after=now + timedelta(days=2 * 365)),
        seal=issue(name(SIGNER_ORGANISATION, SIGNER_ORGANISATION), issuer=intermediate),
        expired=issue(name("Trần Văn Hùng", "Sở Tư pháp tỉnh An Giang"), issuer=intermediate,
                      not_before=datetime(2024, 1, 1, tzinfo=UTC), not_after=datetime(2025, 1, 1, tzinfo=UTC)),
        revocable=issue(name("Phạm Thị Thu", SIGNER_ORGANISATION), issuer=intermediate,
                        crl_url="http://crl.ca-thu-nghiem.invalid/cap-duoi.crl"),
        tsa=issue(name("Dịch vụ cấp dấu thời gian thử nghiệm", "Ban Cơ yếu Chính phủ"), issuer=root,
                  time_stamping=True, not_before=SINCE, not_after=now + timedelta(days=10 * 365)),
        other_root=other_root,
        other_signer=issue(name("Lê Văn Ngoại", "Công ty Chứng thực Ngoài"), issuer=other_root),
    )


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    """The sample report (Số: 05/BC-SKHCN, An Giang, ngày 02 tháng 12 năm 2024), one copy of the body."""
    return render_official_pdf(document=sample_document(), body_template="printing/_sample_body.html",
                               context=sample_context(repeat=1))


@dataclass(frozen=True)
class Signed:
    content: bytes
    before: datetime  # the signing time lies between these (to the second: the CMS attribute has no fraction)
    after: datetime


@pytest.fixture(scope="session")
def signed(pki, unsigned_pdf) -> Signed:
    """The sample signed by the person, the intermediate CA embedded in the signature."""
    before = datetime.now(UTC).replace(microsecond=0)
    content = sign_pdf(unsigned_pdf, pki.signer, chain=(pki.intermediate,))
    return Signed(content, before, datetime.now(UTC))
