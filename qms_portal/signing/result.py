"""What a signature check returns: a verdict, a plain-language message, and what the certificate says."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    VALID_TRUSTED = "valid_trusted", _("Valid and trusted")
    VALID_UNTRUSTED = "valid_untrusted", _("Valid but not trusted")
    INVALID_MODIFIED = "invalid_modified", _("Invalid: changed after signing")
    NOT_SIGNED = "not_signed", _("Not signed")
    NOT_ACCEPTABLE = "not_acceptable", _("Not acceptable")


class Reason(StrEnum):
    """Why a verdict was reached, for code (the message is for people)."""

    TRUSTED = "trusted"
    UNTRUSTED_ROOT = "untrusted_root"
    MODIFIED = "modified"  # the signed bytes no longer match the signature
    BAD_SIGNATURE = "bad_signature"  # the signature value does not verify with the certificate's key
    PARTIAL_COVERAGE = "partial_coverage"  # the signature covers only part of its revision
    CHANGED_AFTER_SIGNING = "changed_after_signing"  # a later revision changed or added content
    NO_SIGNATURE = "no_signature"
    NOT_PDF = "not_pdf"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"
    ENCRYPTED = "encrypted"
    JAVASCRIPT = "javascript"
    EMBEDDED_FILE = "embedded_file"
    SIGNATURE_UNREADABLE = "signature_unreadable"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    CHAIN_INVALID = "chain_invalid"


ACCEPTED = frozenset({Verdict.VALID_TRUSTED, Verdict.VALID_UNTRUSTED})
# Worst first: a document's verdict is the worst of its signatures' verdicts.
SEVERITY = (Verdict.INVALID_MODIFIED, Verdict.NOT_ACCEPTABLE, Verdict.VALID_UNTRUSTED, Verdict.VALID_TRUSTED)


def lazy_message(template: Promise, **params) -> Promise:
    """`template % params`, translated when shown (in the reader's language), not when built."""
    return lazy(lambda: str(template) % {key: str(value) for key, value in params.items()}, str)()


lazy_filesize = lazy(filesizeformat, str)


def moment_text(value: datetime) -> str:
    """Local (Asia/Ho_Chi_Minh) time as "14:05, 02/12/2024"."""
    return timezone.localtime(value).strftime("%H:%M, %d/%m/%Y")


@dataclass(frozen=True)
class SignatureDetail:
    """One signature of the document, as pyHanko judged it against the portal's trust store."""

    field_name: str
    verdict: Verdict
    reason: Reason
    message: Promise
    signer_name: str  # subject CN of the signer's certificate
    signer_organisation: str  # subject O
    signed_at: datetime | None
    signed_at_source: str  # "timestamp" (a timestamp token, intact) or "signer" (the signer's own clock)
    covers_whole_document: bool  # nothing but signature upkeep (DSS, document timestamps) after this signature
    signed_revision: int  # 1-based revision of the file this signature covers
    revisions: int  # revisions in the file
    certificate_valid_from: datetime | None  # None when the signature could not be read
    certificate_valid_until: datetime | None
    certificate_issuer: str
    certificate_sha256: str
    missing_root: str  # for VALID_UNTRUSTED: the issuer of the top of the chain, which the trust store lacks


def _first_signature(field: str, default) -> property:
    """A SignatureCheck attribute read from its first signature (`default` when there is none)."""
    return property(lambda check: getattr(check.signatures[0], field) if check.signatures else default,
                    doc=f"The first signature's {field}.")


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on an uploaded signed PDF.

    The document's verdict is the worst of its signatures'. The signer fields describe the first signature
    (under Decree 30/2020 the person with signing authority signs first, the issuing body's seal after);
    `covers_whole_document` describes the last one (nothing was changed after it).
    """

    verdict: Verdict
    reason: Reason
    message: Promise
    signatures: tuple[SignatureDetail, ...] = ()
    warnings: tuple[Promise, ...] = ()
    sha256: str = ""

    @property
    def accepted(self) -> bool:
        """Intact and unchanged (trusted or not): may become the issued version."""
        return self.verdict in ACCEPTED

    signer_name = _first_signature("signer_name", "")
    signer_organisation = _first_signature("signer_organisation", "")
    signed_at = _first_signature("signed_at", None)
    signed_at_source = _first_signature("signed_at_source", "")
    certificate_valid_from = _first_signature("certificate_valid_from", None)
    certificate_valid_until = _first_signature("certificate_valid_until", None)

    @property
    def covers_whole_document(self) -> bool:
        return bool(self.signatures) and self.signatures[-1].covers_whole_document

    @property
    def missing_root(self) -> str:
        return next((s.missing_root for s in self.signatures if s.missing_root), "")
