"""The consolidated report as an editable DOCX: the same prepared document as the PDF (header, body, annex,
verification code and link in the bottom margin), laid out by qms_portal.printing.docx. An annex above
MAX_ANNEX_ROWS rows stays in the XLSX, which the DOCX names."""

from dataclasses import replace

from django.utils import translation

from qms_portal.printing.docx import MAX_ANNEX_ROWS, PageNotes, render_official_docx

from .document import Prepared, qr_png


def docx_render(prepared: Prepared, *, number: str, max_annex_rows: int = MAX_ANNEX_ROWS) -> bytes:
    """The DOCX of a prepared report, with its number (the PDF's `pdf_render` takes the same two things).
    Prepare it with the whole annex: the PDF's slicing of a large annex (annex_parts) does not apply here."""
    verification = prepared.context["verification"]
    notes = PageNotes(every_page=verification["every_page"], first_page=verification["first_page"],
                      first_page_image=qr_png(verification["url"], scale=4))
    with translation.override("vi"):
        return render_official_docx(document=replace(prepared.document, number=number),
                                    body_template=prepared.body_template, context=prepared.context,
                                    appendices_template=prepared.appendices_template, page_notes=notes,
                                    annex_xlsx_name=f"{prepared.file_stem}.xlsx", max_annex_rows=max_annex_rows)
