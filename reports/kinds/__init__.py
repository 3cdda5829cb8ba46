"""The kinds of consolidated report, one module each, registered in `KINDS` (see base.py)."""

# isort: off
# The registry first: the kinds' annex columns load the drawing code, which looks kinds up here.
from .base import KINDS, ReportKindSpec, kind_spec, period_phrase, province_words, register

# Importing a kind's module registers it, in the order of reports.models.ReportKind.
from . import provincial, ministry, inspection_summary, national  # noqa: E402, F401
# isort: on

__all__ = ["KINDS", "ReportKindSpec", "kind_spec", "period_phrase", "province_words", "register"]
