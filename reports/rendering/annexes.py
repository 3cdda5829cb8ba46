"""The annexes (Phụ lục I) of the consolidated reports, drawn by reports.rendering.table_pages.

Each kind of report (reports.kinds) names its annex's columns (reports.kinds.columns); the templates
templates/reports/pdf/<kind>_annex.html remain the reference laid out by WeasyPrint
(`html_prepare(prepared, with_annex=True)`); tests/reports/test_annex_engine.py compares both, row by row.
"""

from .document import Prepared
from .table_pages import LEFT, Paragraph, TablePages, table_pages

ANNEX_NUMBER = "PHỤ LỤC I"


def annex_render(prepared: Prepared, *, number: str) -> TablePages | None:
    """The report's annex pages (None for a report without an annex), `number` printed in the reference line."""
    annex = prepared.annex
    if annex is None:
        return None
    context = prepared.context
    heading = [
        Paragraph(ANNEX_NUMBER, "bold"),
        Paragraph(annex.title.format(year=context["report"].year), "bold"),
        Paragraph(f"(Kèm theo Báo cáo số {number} {prepared.document.date_text} của {context['issuer_title']})",
                  "italic", space_after=12),
    ]
    if annex.note:
        heading.append(Paragraph(annex.note, "italic", 12, LEFT, space_before=12, space_after=12))
    columns = [c.column for c in annex.columns]
    getters = [c.value for c in annex.columns]
    rows = [[get(r) for get in getters] for r in context["rows"]]
    return table_pages(heading=heading, columns=columns, rows=rows,
                       footer=f"Mã xác thực: {context['verification']['code']}")
