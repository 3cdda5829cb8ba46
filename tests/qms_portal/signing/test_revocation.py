"""Revocation, offline and soft-fail: a CRL the PDF carries (its DSS) is used; nothing is fetched."""

from datetime import UTC, datetime, timedelta

import pytest

from qms_portal.signing import Reason, Verdict, signed_pdf_check
from qms_portal.signing.result import moment_text

from .pki import add_revocation_list, revocation_list, sign_pdf


@pytest.fixture(scope="module")
def signed_by_revocable(pki, unsigned_pdf) -> bytes:
    return sign_pdf(unsigned_pdf, pki.revocable, chain=(pki.intermediate,))


def test_a_certificate_the_embedded_crl_lists_is_refused_as_revoked(pki, signed_by_revocable):
    revoked_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    crl = revocation_list(pki.intermediate, revoked={pki.revocable.cert.serial_number: revoked_at})

    result = signed_pdf_check(add_revocation_list(signed_by_revocable, crl), trust_roots=[pki.root.cert])

    assert (result.verdict, result.reason) == (Verdict.NOT_ACCEPTABLE, Reason.REVOKED)
    assert result.covers_whole_document  # the DSS revision is signature upkeep, not a change of content
    assert str(result.message) == ("Chứng thư số của người ký (hoặc của tổ chức cung cấp dịch vụ chứng thực cấp "
                                   f"trên) đã bị thu hồi lúc {moment_text(revoked_at)}.")


def test_an_embedded_crl_that_does_not_list_the_certificate_keeps_it_trusted(pki, signed_by_revocable):
    crl = revocation_list(pki.intermediate, revoked={pki.expired.cert.serial_number: datetime(2024, 6, 1, tzinfo=UTC)})

    result = signed_pdf_check(add_revocation_list(signed_by_revocable, crl), trust_roots=[pki.root.cert])

    assert result.verdict == Verdict.VALID_TRUSTED
    assert [s.signed_revision for s in result.signatures] == [2] and result.signatures[0].revisions == 3


def test_without_revocation_data_the_check_soft_fails_to_trusted(pki, signed_by_revocable):
    """The CRL's address cannot be reached from a closed network and is not tried: no data, no refusal."""
    result = signed_pdf_check(signed_by_revocable, trust_roots=[pki.root.cert])

    assert result.verdict == Verdict.VALID_TRUSTED
    assert result.signer_name == "Phạm Thị Thu"
