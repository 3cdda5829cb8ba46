"""Render official documents (Decree 30/2020 layout) to HTML and PDF.

The page frame lives in ``templates/printing/official_document.html``: header, title, the caller's body
template (included with the caller's context), recipients and signature. Its stylesheet is
``static/css/print/official.css``, which loads the bundled Liberation Serif fonts.

Resources are referenced with the ``static:`` scheme, a path relative to the static root
(``<link rel="stylesheet" href="static:css/print/official.css">``, ``<img src="static:img/x.png">``).
Documents are rendered with the static root's ``file://`` URL as base URL, so plain relative references
(``url(../../fonts/x.ttf)`` in CSS, ``img/x.png`` in HTML) resolve into the static root as well. Both go
through :class:`~qms_portal.printing.fetcher.StaticFilesFetcher`, which never touches the network,
serves only files inside the static root and ``data:`` URLs, and aborts the rendering on anything else.

    doc = OfficialDocument(parent_body="UBND TỈNH AN GIANG", issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ", ...)
    pdf = render_official_pdf(document=doc, body_template="reports/pdf/agency_report_body.html",
                              context={"report": report})
"""

from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import HTML

from .document import OfficialDocument
from .fetcher import StaticFilesFetcher

FRAME_TEMPLATE = "printing/official_document.html"
_RESERVED = frozenset({"document", "body_template", "appendices_template"})


def _frame_context(document: OfficialDocument, body_template: str, context: dict | None,
                   appendices_template: str | None) -> dict:
    context = dict(context or {})
    if clash := _RESERVED & context.keys():
        raise ValueError(f"Context keys reserved by the document frame: {', '.join(sorted(clash))}")
    frame = {"document": document, "body_template": body_template, "appendices_template": appendices_template}
    return {**context, **frame}


def render_official_html(*, document: OfficialDocument, body_template: str, context: dict | None = None,
                         appendices_template: str | None = None) -> str:
    """Return the complete HTML of the document.

    `body_template` is included between the title and the signature block; `appendices_template`, if
    given, after the signature block (appendices follow the signed document). Both see `context`
    plus `document`.
    """
    return render_to_string(FRAME_TEMPLATE, _frame_context(document, body_template, context, appendices_template))


def render_official_parts(*, document: OfficialDocument, body_template: str, context: dict | None = None,
                          appendices_template: str | None = None) -> tuple[str, str]:
    """Return (body HTML, appendices HTML) exactly as the frame includes them, without the frame: what the
    DOCX renderer lays out around its own header and signature block."""
    full = _frame_context(document, body_template, context, appendices_template)
    appendices = render_to_string(appendices_template, full) if appendices_template else ""
    return render_to_string(body_template, full), appendices


def html_to_pdf(html: str, *, static_root: Path | str | None = None) -> bytes:
    """Lay out `html` with WeasyPrint, fetching resources only from the static root."""
    fetcher = StaticFilesFetcher(static_root)
    return HTML(string=html, base_url=fetcher.base_url, url_fetcher=fetcher).write_pdf()


def render_official_pdf(*, document: OfficialDocument, body_template: str, context: dict | None = None,
                        appendices_template: str | None = None, static_root: Path | str | None = None) -> bytes:
    """Return the PDF bytes of the document."""
    html = render_official_html(document=document, body_template=body_template, context=context,
                                appendices_template=appendices_template)
    return html_to_pdf(html, static_root=static_root)
