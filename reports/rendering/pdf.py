"""HTML preparation and WeasyPrint rendering, kept apart so each can be timed (and the number filled late).

The body is laid out by WeasyPrint; an annex that reports.rendering.annexes draws is left out of its HTML
(`with_annex=True` keeps it: the one-piece reference layout the tests and the benchmark compare with).
"""

from django.utils import translation
from django.utils.html import escape

from qms_portal.printing import html_to_pdf, render_official_html

from .document import NUMBER_PLACEHOLDER, Prepared


def html_prepare(prepared: Prepared, *, with_annex: bool = False) -> str:
    """The complete HTML with a placeholder where the document number goes."""
    appendices = prepared.appendices_template
    if prepared.annex is not None and not with_annex:
        appendices = None
    with translation.override("vi"):
        return render_official_html(document=prepared.document, body_template=prepared.body_template,
                                    context=prepared.context, appendices_template=appendices)


def pdf_render(html: str, *, number: str) -> bytes:
    """Fill in the number and lay the document out with WeasyPrint (static files only, never the network)."""
    return html_to_pdf(html.replace(NUMBER_PLACEHOLDER, escape(number)))
