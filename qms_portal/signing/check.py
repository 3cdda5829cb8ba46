"""Validate the digital signatures of an uploaded PDF with pyHanko against the portal's trust store.

    check = signed_pdf_check(content, expected_number="05/BC-SKHCN", expected_date=date(2024, 12, 2))
    check.verdict          # Verdict.VALID_TRUSTED, ...; check.accepted for "may become the issued version"
    str(check.message)     # plain Vietnamese (or the active language)
    check.signer_name, check.signer_organisation, check.signed_at, check.covers_whole_document
    check.warnings         # the printed number or date differs from the expected ones

How it decides, per signature (pyHanko's `validate_pdf_signature`, then this mapping):
1. the signed bytes changed, the signature value is wrong, or it covers only part of its revision:
   INVALID_MODIFIED;
2. a later revision changed content (a page added, text changed) -- between two signatures, as pyHanko's
   difference analysis judges it, and after the last signature anything beyond signature upkeep (DSS,
   document timestamps): INVALID_MODIFIED;
3. the certificate is revoked, expired or not yet valid at the time of checking, or its chain is broken:
   NOT_ACCEPTABLE with the reason;
4. no chain to a root in the trust store: VALID_UNTRUSTED, naming the missing root (the issuer of the top
   of the chain the signature carries);
5. otherwise VALID_TRUSTED.
A signature pyHanko cannot read, or skips (an unknown /SubFilter such as adbe.x509.rsa_sha1), is
NOT_ACCEPTABLE. The document's verdict is its worst signature's.

Time of checking: `now` (default: the current time). When the signer's certificate has expired since, a
timestamp token in the signature that is intact and trusted (its TSA chains to the trust store) moves the
check to the time of the timestamp (the signature provably existed then). The signing time shown is the
timestamp's when there is an intact one, else the signer's own clock (the CMS signing-time attribute or /M).

Revocation: soft-fail and offline. The portal runs on closed networks, so nothing is fetched (no OCSP, no
CRL download; hard-fail could only ever fail). Revocation data the PDF carries itself (its DSS, as written
by PAdES-LT signers) is used for the certificates that name a CRL or OCSP location: a certificate found
revoked there is refused. A revoked certificate is not detected when the file carries no data about it.

Key usage: the signer's certificate must allow digital signature or non-repudiation (either: many CAs
issue document-signing certificates with only one of the two).

pyHanko runs its own event loop; inside a running one (ASGI) the validation moves to a thread (see `loop`).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from .loop import outside_event_loop
from .reference import printed_reference_warnings
from .result import SEVERITY, Reason, SignatureCheck, SignatureDetail, Verdict, lazy_message, moment_text
from .structure import pdf_refusal
from .trust import Certificate, trust_roots_resolve

logger = logging.getLogger(__name__)

KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
OUT_OF_VALIDITY = frozenset({AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
                             AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID})
REVOKED = frozenset({AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE, AdESFailure.REVOKED})
UPKEEP_ONLY = frozenset({ModificationLevel.NONE, ModificationLevel.LTA_UPDATES})
COVERING = frozenset({SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION})


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: Reason
    message: Promise
    missing_root: str = ""


@dataclass(frozen=True)
class CertificateFacts:
    """What the portal shows of a certificate, read with `cryptography`."""

    name: str
    organisation: str
    issuer: str
    valid_from: datetime
    valid_until: datetime
    sha256: str

    @classmethod
    def of(cls, certificate: asn1_x509.Certificate) -> "CertificateFacts":
        parsed = x509.load_der_x509_certificate(certificate.dump())
        return cls(name=_attribute(parsed.subject, NameOID.COMMON_NAME),
                   organisation=_attribute(parsed.subject, NameOID.ORGANIZATION_NAME),
                   issuer=name_text(parsed.issuer), valid_from=parsed.not_valid_before_utc,
                   valid_until=parsed.not_valid_after_utc, sha256=certificate.sha256.hex())


def _attribute(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def name_text(name: x509.Name) -> str:
    """"CN=…, O=…, C=VN": most specific first, as people read a distinguished name."""
    return ", ".join(rdn.rfc4514_string() for rdn in reversed(name.rdns))


def _validation_context(roots: list[asn1_x509.Certificate], moment: datetime | None,
                        dss: DocumentSecurityStore | None) -> ValidationContext:
    options = {"trust_roots": roots, "allow_fetching": False, "revocation_mode": "soft-fail", "moment": moment}
    return dss.as_validation_context(options) if dss else ValidationContext(**options)


def _validate(signature: EmbeddedPdfSignature, *, roots, moment, dss) -> PdfSignatureStatus:
    return outside_event_loop(validate_pdf_signature, signature, _validation_context(roots, moment, dss),
                              key_usage_settings=KEY_USAGE)


def _trusted_timestamp(status: PdfSignatureStatus) -> datetime | None:
    token = status.timestamp_validity
    return token.timestamp if token and token.intact and token.valid and token.trusted else None


def _signing_time(status: PdfSignatureStatus) -> tuple[datetime | None, str]:
    token = status.timestamp_validity
    if token and token.intact and token.valid:
        return token.timestamp, "timestamp"
    return status.signer_reported_dt, "signer" if status.signer_reported_dt else ""


def _top_issuer(signature: EmbeddedPdfSignature) -> str:
    """The issuer of the top of the chain the signature carries: the root the trust store would need."""
    by_subject = {c.subject.dump(): c for c in signature.other_embedded_certs}
    top, seen = signature.signer_cert, set()
    while top.issuer.dump() != top.subject.dump() and top.issuer.dump() in by_subject and top.sha256 not in seen:
        seen.add(top.sha256)
        top = by_subject[top.issuer.dump()]
    return name_text(x509.load_der_x509_certificate(top.dump()).issuer)


def _validity_refusal(cert: CertificateFacts, moment: datetime) -> Judgement | None:
    dates = {"valid_from": moment_text(cert.valid_from), "valid_until": moment_text(cert.valid_until),
             "moment": moment_text(moment)}
    if moment > cert.valid_until:
        return Judgement(Verdict.NOT_ACCEPTABLE, Reason.EXPIRED, lazy_message(
            _("The signer's certificate expired at %(valid_until)s (it was valid from %(valid_from)s); it was "
              "checked at %(moment)s."), **dates))
    if moment < cert.valid_from:
        return Judgement(Verdict.NOT_ACCEPTABLE, Reason.NOT_YET_VALID, lazy_message(
            _("The signer's certificate is valid only from %(valid_from)s; it was checked at %(moment)s."), **dates))
    return None


def _integrity(status: PdfSignatureStatus, *, last: bool, revision: int, revisions: int) -> Judgement | None:
    if not status.intact:
        return Judgement(Verdict.INVALID_MODIFIED, Reason.MODIFIED, _(
            "The document was changed after it was signed: the signed content no longer matches the signature."))
    if not status.valid:
        return Judgement(Verdict.INVALID_MODIFIED, Reason.BAD_SIGNATURE, _(
            "The signature is not valid: it does not match the signer's certificate."))
    if status.coverage not in COVERING:
        return Judgement(Verdict.INVALID_MODIFIED, Reason.PARTIAL_COVERAGE, _(
            "The signature covers only part of the file: the rest could have been changed without breaking it."))
    if not status.docmdp_ok or (last and status.modification_level not in UPKEEP_ONLY):
        return Judgement(Verdict.INVALID_MODIFIED, Reason.CHANGED_AFTER_SIGNING, lazy_message(
            _("The document was changed after it was signed: the signature covers revision %(revision)s of "
              "%(revisions)s, and a later revision adds or changes content (for example a page, an annotation or a "
              "form field)."),
            revision=revision, revisions=revisions))
    return None


def _trust(status: PdfSignatureStatus, signature: EmbeddedPdfSignature, cert: CertificateFacts, *,
           moment: datetime, signed_at: datetime | None) -> Judgement:
    indication = status.trust_problem_indic
    if status.revoked or indication in REVOKED:
        revoked_at = status.revocation_details.revocation_date if status.revocation_details else None
        return Judgement(Verdict.NOT_ACCEPTABLE, Reason.REVOKED, lazy_message(
            _("The signer's certificate (or a CA above it) was revoked at %(revoked_at)s."),
            revoked_at=moment_text(revoked_at) if revoked_at else "?"))
    if indication == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        if refusal := _validity_refusal(cert, moment):
            return refusal
        root = _top_issuer(signature)
        return Judgement(Verdict.VALID_UNTRUSTED, Reason.UNTRUSTED_ROOT, lazy_message(
            _("The signature is intact and the document unchanged, but the certificate of %(signer)s does not lead "
              "to a trusted root: the root “%(root)s” is not in the portal's trust store."),
            signer=cert.name, root=root), missing_root=root)
    if indication is not None and (refusal := _validity_refusal(cert, moment)):
        return refusal  # pyHanko reports "not yet valid" as a general chain failure: the dates say which
    if indication is not None or status.validation_path is None:
        return Judgement(Verdict.NOT_ACCEPTABLE, Reason.CHAIN_INVALID, lazy_message(
            _("The certificate chain of %(signer)s could not be validated: a certificate in it has expired, has "
              "been revoked or may not be used for signing (%(problem)s)."),
            signer=cert.name, problem=getattr(indication, "name", "") or "NO_PATH"))
    return Judgement(Verdict.VALID_TRUSTED, Reason.TRUSTED, lazy_message(
        _("The signature is valid and trusted: signed by %(signer)s at %(signed_at)s."),
        signer=f"{cert.name} ({cert.organisation})" if cert.organisation else cert.name,
        signed_at=moment_text(signed_at) if signed_at else "?"))


def _unreadable_signature(field_name: str, *, revision: int, revisions: int) -> SignatureDetail:
    """A signature that cannot be checked (`revision` 0: not known)."""
    return SignatureDetail(
        field_name=field_name, verdict=Verdict.NOT_ACCEPTABLE, reason=Reason.SIGNATURE_UNREADABLE,
        message=_("A signature in the file is damaged or in a form the portal cannot check."),
        signer_name="", signer_organisation="", signed_at=None, signed_at_source="", covers_whole_document=False,
        signed_revision=revision, revisions=revisions, certificate_valid_from=None,
        certificate_valid_until=None, certificate_issuer="", certificate_sha256="", missing_root="")


def signature_detail(signature: EmbeddedPdfSignature, *, roots: list[asn1_x509.Certificate], now: datetime | None,
                     dss: DocumentSecurityStore | None, last: bool, revisions: int) -> SignatureDetail:
    """Validate one embedded signature and say what it means."""
    try:
        cert = CertificateFacts.of(signature.signer_cert)
        status = _validate(signature, roots=roots, moment=now, dss=dss)
        moment = now or datetime.now(UTC)
        stamped = _trusted_timestamp(status)
        if status.trust_problem_indic in OUT_OF_VALIDITY and stamped and stamped <= cert.valid_until:
            status = _validate(signature, roots=roots, moment=stamped, dss=dss)
        if stamped:
            moment = stamped
    except ValueError:  # pyHanko's SignatureValidationError and asn1crypto's parse errors are ValueErrors
        logger.info("Unreadable signature in an uploaded PDF", exc_info=True)
        return _unreadable_signature(signature.field_name or "", revision=signature.signed_revision + 1,
                                     revisions=revisions)
    revision = signature.signed_revision + 1
    signed_at, source = _signing_time(status)
    judgement = (_integrity(status, last=last, revision=revision, revisions=revisions)
                 or _trust(status, signature, cert, moment=moment, signed_at=signed_at))
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and bool(status.docmdp_ok)
        and status.modification_level in UPKEEP_ONLY)
    return SignatureDetail(
        field_name=signature.field_name or "", verdict=judgement.verdict, reason=judgement.reason,
        message=judgement.message, signer_name=cert.name, signer_organisation=cert.organisation,
        signed_at=signed_at, signed_at_source=source, covers_whole_document=whole, signed_revision=revision,
        revisions=revisions, certificate_valid_from=cert.valid_from, certificate_valid_until=cert.valid_until,
        certificate_issuer=cert.issuer, certificate_sha256=cert.sha256, missing_root=judgement.missing_root)


def _ignored_signature_fields(reader: PdfFileReader) -> list[str]:
    """Signed fields pyHanko skips without a word (an unknown /SubFilter, such as adbe.x509.rsa_sha1)."""
    known = {signature.field_name for signature in reader.embedded_signatures}
    return [name for name, _value, _field in enumerate_sig_fields(reader, filled_status=True) if name not in known]


def _document_security_store(reader: PdfFileReader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None


def signed_pdf_check(content: bytes, *, trust_roots: list[Certificate] | None = None, now: datetime | None = None,
                     expected_number: str | None = None, expected_date: date | None = None) -> SignatureCheck:
    """Check an uploaded signed PDF: refusals first, then every signature, then the printed number and date.

    `trust_roots`: the roots to trust (`cryptography` or asn1crypto certificates); None reads the folder
    settings.SIGNATURE_TRUST_ROOTS_DIR. `now`: the time of checking (aware datetime; default: now).
    """
    digest = hashlib.sha256(content).hexdigest()
    refusal, reader = pdf_refusal(content)
    if refusal:
        return SignatureCheck(Verdict.NOT_ACCEPTABLE, refusal.reason, refusal.message, sha256=digest)
    roots = trust_roots_resolve(trust_roots)
    try:
        pdf = PdfFileReader(BytesIO(content), strict=False)
        signatures = pdf.embedded_regular_signatures
        ignored = _ignored_signature_fields(pdf)
        dss = _document_security_store(pdf)
    except Exception:  # untrusted input: pypdf could read it, pyHanko's stricter reader could not
        logger.info("PDF upload unreadable by pyHanko", exc_info=True)
        return SignatureCheck(Verdict.NOT_ACCEPTABLE, Reason.UNREADABLE,
                              _("The PDF file is damaged and cannot be read."), sha256=digest)
    warnings = printed_reference_warnings(reader, expected_number=expected_number, expected_date=expected_date)
    revisions = pdf.xrefs.total_revisions
    unreadable = tuple(_unreadable_signature(name, revision=0, revisions=revisions) for name in ignored)
    if not signatures and not unreadable:
        return SignatureCheck(Verdict.NOT_SIGNED, Reason.NO_SIGNATURE, _(
            "The PDF file has no digital signature: upload the file after it has been signed."),
            warnings=warnings, sha256=digest)
    details = tuple(signature_detail(s, roots=roots, now=now, dss=dss, last=i == len(signatures) - 1,
                                     revisions=revisions) for i, s in enumerate(signatures)) + unreadable
    worst = min(details, key=lambda d: SEVERITY.index(d.verdict))
    return SignatureCheck(worst.verdict, worst.reason, worst.message, signatures=details, warnings=warnings,
                          sha256=digest)
