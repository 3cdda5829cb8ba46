"""Turning gathered report data into the printed PDF (Decree 30 layout), the editable DOCX and the XLSX with the
same numbers.

The body goes through WeasyPrint (`html_prepare`, `pdf_render`); the annex table is drawn directly
(`annex_render`) and appended with each font embedded once (`pdf_merge`).

The names below load on first use, so that the drawing primitives (table_pages, fonts) can be imported on their
own: the kinds of report (reports.kinds) name their annex columns with them, and the document asks the kinds.
"""

from importlib import import_module

_EXPORTS = {
    "annex_render": "annexes", "NUMBER_PLACEHOLDER": "document", "Prepared": "document",
    "default_narrative": "document", "prepare": "document", "docx_render": "docx", "pdf_merge": "merge",
    "html_prepare": "pdf", "pdf_render": "pdf", "workbook_render": "xlsx",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
