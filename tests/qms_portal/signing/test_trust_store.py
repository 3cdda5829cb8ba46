"""The trust store: root certificates read from the folder SIGNATURE_TRUST_ROOTS_DIR names."""

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.exceptions import ImproperlyConfigured

from qms_portal.signing import Verdict, signed_pdf_check, trust_roots_load


def subjects(certificates) -> list[str]:
    return sorted(c.subject.native["common_name"] for c in certificates)


def test_pem_files_with_several_certificates_and_der_files_are_read(tmp_path, settings, pki):
    (tmp_path / "gov-roots.pem").write_bytes(pki.root.pem() + pki.other_root.pem())
    (tmp_path / "tsa.CER").write_bytes(pki.tsa.cert.public_bytes(Encoding.DER))
    (tmp_path / "README.txt").write_text("Chứng thư gốc do quản trị hệ thống cài đặt.")
    settings.SIGNATURE_TRUST_ROOTS_DIR = str(tmp_path)

    assert subjects(trust_roots_load()) == ["Dịch vụ cấp dấu thời gian thử nghiệm", "Root CA không tin cậy",
                                            "Root CA thử nghiệm Chính phủ"]


def test_the_check_uses_the_configured_roots_when_none_are_given(tmp_path, settings, pki, signed):
    settings.SIGNATURE_TRUST_ROOTS_DIR = str(tmp_path)
    assert signed_pdf_check(signed.content).verdict == Verdict.VALID_UNTRUSTED  # the folder is empty

    (tmp_path / "root.pem").write_bytes(pki.root.pem())

    assert signed_pdf_check(signed.content).verdict == Verdict.VALID_TRUSTED


def test_no_folder_configured_trusts_nothing(settings, signed):
    settings.SIGNATURE_TRUST_ROOTS_DIR = ""

    assert trust_roots_load() == []
    assert signed_pdf_check(signed.content).verdict == Verdict.VALID_UNTRUSTED


def test_a_file_that_is_not_a_certificate_stops_with_its_name(tmp_path, settings):
    (tmp_path / "broken.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    settings.SIGNATURE_TRUST_ROOTS_DIR = str(tmp_path)

    with pytest.raises(ImproperlyConfigured, match="broken.pem"):
        trust_roots_load()


def test_a_folder_that_does_not_exist_stops(tmp_path, settings):
    settings.SIGNATURE_TRUST_ROOTS_DIR = str(tmp_path / "missing")

    with pytest.raises(ImproperlyConfigured, match="not a folder"):
        trust_roots_load()
