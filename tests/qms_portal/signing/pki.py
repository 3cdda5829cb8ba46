"""A small certificate authority for the signature tests, made with `cryptography`, and a PAdES signer (pyHanko).

Nothing here is a real CA: keys are generated per test session and never leave memory.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

from qms_portal.signing.loop import outside_event_loop


@dataclass(frozen=True)
class Identity:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def asn1_cert(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        return asn1_keys.PrivateKeyInfo.load(self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def name(common_name: str, organisation: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def issue(subject: x509.Name, *, issuer: Identity | None = None, ca: bool = False,
          not_before: datetime | None = None, not_after: datetime | None = None,
          time_stamping: bool = False, crl_url: str | None = None) -> Identity:
    """A certificate for `subject`, signed by `issuer` (self-signed when None)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # RSA, as Vietnamese CAs issue
    not_before = not_before or datetime.now(UTC) - timedelta(days=30)
    not_after = not_after or datetime.now(UTC) + timedelta(days=3 * 365)
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before)
               .not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    if crl_url:  # where the CRL would be published (nothing is fetched: the tests embed the CRL in the PDF)
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True}
    elif time_stamping:
        usage = {"digital_signature": True}
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    else:
        usage = {"digital_signature": True, "content_commitment": True}
    flags = dict.fromkeys(["digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                           "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"], False)
    builder = builder.add_extension(x509.KeyUsage(**{**flags, **usage}), critical=True)
    cert = builder.sign((issuer or Identity(None, key)).key, hashes.SHA256())
    return Identity(cert=cert, key=key)


def sign_pdf(pdf: bytes, signer: Identity, *, chain: tuple[Identity, ...] = (), field_name: str = "Signature1",
             timestamper: Identity | None = None, timestamp_at: datetime | None = None) -> bytes:
    """Sign `pdf` (PAdES baseline) as `signer`, embedding `chain` (intermediates, root) in the signature."""
    registry = SimpleCertificateStore.from_certs([c.asn1_cert for c in chain])
    simple = signers.SimpleSigner(signing_cert=signer.asn1_cert, signing_key=signer.asn1_key, cert_registry=registry)
    stamper = None
    if timestamper:
        stamper = DummyTimeStamper(tsa_cert=timestamper.asn1_cert, tsa_key=timestamper.asn1_key, fixed_dt=timestamp_at)
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    return outside_event_loop(signers.sign_pdf, writer, meta, signer=simple, timestamper=stamper).getvalue()


def revocation_list(issuer: Identity, *, revoked: dict[int, datetime]) -> x509.CertificateRevocationList:
    """A CRL of `issuer` listing the serial numbers in `revoked` with their revocation times."""
    now = datetime.now(UTC)
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(issuer.cert.subject)
               .last_update(now - timedelta(minutes=1))
               .next_update(now + timedelta(days=7))
               .add_extension(x509.CRLNumber(1), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                              critical=False))
    for serial, when in revoked.items():
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build())
    return builder.sign(issuer.key, hashes.SHA256())


def add_revocation_list(pdf: bytes, revocation: x509.CertificateRevocationList) -> bytes:
    """Append a DSS revision carrying `revocation`, as a PAdES-LT signer does."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    der = revocation.public_bytes(serialization.Encoding.DER)
    DocumentSecurityStore.supply_dss_in_writer(writer, sig_contents=None, crls=[asn1_crl.CertificateList.load(der)])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
