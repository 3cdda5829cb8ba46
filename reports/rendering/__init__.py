"""Turning gathered report data into the printed PDF (Decree 30 layout), the editable DOCX and the XLSX with the
same numbers.

The body goes through WeasyPrint (`html_prepare`, `pdf_render`); the annex table is drawn directly
(`annex_render`) and appended with each font embedded once (`pdf_merge`).
"""

from .annexes import annex_render
from .document import NUMBER_PLACEHOLDER, Prepared, default_narrative, prepare
from .docx import docx_render
from .merge import pdf_merge
from .pdf import html_prepare, pdf_render
from .xlsx import workbook_render

__all__ = ["NUMBER_PLACEHOLDER", "Prepared", "annex_render", "default_narrative", "docx_render", "html_prepare",
           "pdf_merge", "pdf_render", "prepare", "workbook_render"]
