"""Digitally signed PDFs (PAdES): validate the signatures of an uploaded document with pyHanko.

`signed_pdf_check` is the one entry point; see `check` for how verdicts are reached, `structure` for the
files refused before any signature is read, `trust` for the trust store, `reference` for the printed
number and date.
"""

from .check import signed_pdf_check
from .reference import printed_reference_warnings
from .result import Reason, SignatureCheck, SignatureDetail, Verdict
from .trust import trust_roots_load

__all__ = [
    "Reason",
    "SignatureCheck",
    "SignatureDetail",
    "Verdict",
    "printed_reference_warnings",
    "signed_pdf_check",
    "trust_roots_load",
]
