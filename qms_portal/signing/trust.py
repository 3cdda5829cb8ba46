"""The trust store: root certificates the deployment trusts for document signatures.

The operator puts the roots (the Vietnamese government CA roots, a ministry's or a commercial CA's root:
whatever the province accepts) as PEM or DER files (.pem, .crt, .cer, .der; a PEM file may hold several) in
the folder named by the SIGNATURE_TRUST_ROOTS_DIR setting. None ship with the portal. With the setting
empty, no root is trusted and an intact signature is at best "valid but not trusted".

Every certificate in the folder is a trust anchor: an intermediate CA placed there is trusted as if it
were a root.
"""

from collections.abc import Iterable
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data

CERTIFICATE_SUFFIXES = frozenset({".pem", ".crt", ".cer", ".der"})

Certificate = x509.Certificate | asn1_x509.Certificate


def as_asn1(certificate: Certificate) -> asn1_x509.Certificate:
    """pyHanko speaks asn1crypto; tests and callers may hold `cryptography` certificates."""
    if isinstance(certificate, x509.Certificate):
        return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    return certificate


def _load_file(path: Path) -> list[asn1_x509.Certificate]:
    try:
        certificates = list(load_certs_from_pemder_data(path.read_bytes()))
        for certificate in certificates:
            certificate.native  # noqa: B018 (asn1crypto parses lazily: parse now, so a bad file fails here)
    except (OSError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"SIGNATURE_TRUST_ROOTS_DIR: {path.name} is not a PEM or DER certificate") from exc
    if not certificates:
        raise ImproperlyConfigured(f"SIGNATURE_TRUST_ROOTS_DIR: {path.name} holds no certificate")
    return certificates


def trust_roots_load(directory: str | Path | None = None) -> list[asn1_x509.Certificate]:
    """The certificates in `directory` (default: settings.SIGNATURE_TRUST_ROOTS_DIR); [] when it is not set."""
    directory = settings.SIGNATURE_TRUST_ROOTS_DIR if directory is None else directory
    if not directory:
        return []
    folder = Path(directory)
    if not folder.is_dir():
        raise ImproperlyConfigured(f"SIGNATURE_TRUST_ROOTS_DIR is not a folder: {folder}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CERTIFICATE_SUFFIXES)
    return [certificate for path in files for certificate in _load_file(path)]


def trust_roots_resolve(trust_roots: Iterable[Certificate] | None) -> list[asn1_x509.Certificate]:
    """The caller's roots, or the configured ones when the caller gives none (None; [] means trust nothing)."""
    if trust_roots is None:
        return trust_roots_load()
    return [as_asn1(certificate) for certificate in trust_roots]
