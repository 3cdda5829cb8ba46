"""Issue 17: "numbers come from the register". Every document the portal numbers has its line in its issuing body's
register of outgoing documents; no path types a number by hand (the admin is read only, the People's Committee's
and the Ministry's reports are printed with their number left blank for those bodies' own registers). This test
walks every numbered model, so a new path that numbers a document without the register fails it."""

import pytest

from agencies.register import register_entry_of
from audits.models import InspectionDecision, InspectionPlan, InspectionRecord, RejectionLetter, ReportRequest

from .test_docx_downloads import world  # noqa: F401 (fixture)
from .test_letters import rejected  # noqa: F401 (fixture of `world`)

pytestmark = pytest.mark.django_db

# model -> (issuer id attribute, date attribute): how each numbered document names its body and its date of issue
NUMBERED = {
    InspectionPlan: ("issuer_id", "issued_on"), InspectionDecision: ("issuer_id", "issued_on"),
    InspectionRecord: ("issuer_id", "signed_on"), RejectionLetter: ("issuer_id", "issued_on"),
    ReportRequest: ("issuer_id", "issued_on"),
}


def unregistered(numbered: dict) -> tuple[set, list[str]]:
    """(the models of which a numbered document was checked, the documents without a register line)."""
    checked, missing = set(), []
    for model, (issuer, on) in numbered.items():
        for document in model.objects.exclude(number=""):
            checked.add(model)
            if register_entry_of(issuer_id=getattr(document, issuer), number=document.number,
                                 issued_on=getattr(document, on)) is None:
                missing.append(f"{model.__name__} {document.pk} {document.number}")
    return checked, missing


def test_every_inspection_document_with_a_number_has_its_register_line(world):  # noqa: F811
    checked, missing = unregistered(NUMBERED)
    assert missing == []
    assert checked == set(NUMBERED)  # a plan, decisions, records, report requests and the letter were checked


def test_a_number_outside_the_register_is_found(world):  # noqa: F811
    decision = InspectionDecision.objects.exclude(number="").first()
    InspectionDecision.objects.filter(pk=decision.pk).update(number="99/QĐ-CCTDC")  # typed by hand
    assert unregistered(NUMBERED)[1] == [f"InspectionDecision {decision.pk} 99/QĐ-CCTDC"]
