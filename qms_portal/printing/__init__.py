"""Official documents (Decree 30/2020 layout) rendered to PDF with WeasyPrint and to editable DOCX with
python-docx; shared by audits and reports."""

from .dates import place_date_line, short_date, vietnamese_date
from .document import OfficialDocument
from .docx import PageNotes, docx_render, render_official_docx
from .fetcher import ResourceRefused, StaticFilesFetcher
from .render import html_to_pdf, render_official_html, render_official_pdf

__all__ = [
    "OfficialDocument",
    "PageNotes",
    "ResourceRefused",
    "StaticFilesFetcher",
    "docx_render",
    "html_to_pdf",
    "place_date_line",
    "render_official_docx",
    "render_official_html",
    "render_official_pdf",
    "short_date",
    "vietnamese_date",
]
