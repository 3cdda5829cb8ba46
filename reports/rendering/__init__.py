"""Turning gathered report data into the printed PDF (Decree 30 layout), the editable DOCX and the XLSX with the
same numbers."""

from .document import NUMBER_PLACEHOLDER, Prepared, default_narrative, prepare
from .docx import docx_render
from .pdf import html_prepare, pdf_render
from .xlsx import workbook_render

__all__ = ["NUMBER_PLACEHOLDER", "Prepared", "default_narrative", "docx_render", "html_prepare", "pdf_render",
           "prepare", "workbook_render"]
