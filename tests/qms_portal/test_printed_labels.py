"""Printed labels are the Vietnamese translations of the choices' own labels, whatever the reader's language."""

from django.utils import translation

from audits.models import FindingStatus
from qms_portal.printing.labels import PrintedLabels, printed_label


def test_a_printed_label_is_vietnamese_and_empty_for_no_value():
    with translation.override("en"):
        english = str(FindingStatus.ACCEPTED.label)
        printed = printed_label(FindingStatus.ACCEPTED)
    assert printed != english and printed == _vi(FindingStatus.ACCEPTED.label)
    assert printed_label("") == "" and printed_label(None) == ""


def test_the_mapping_holds_every_value_and_the_empty_one():
    labels = PrintedLabels(FindingStatus)
    assert len(labels) == len(FindingStatus.values) + 1
    assert set(labels) == {*FindingStatus.values, ""}
    assert labels[""] == "" and labels[FindingStatus.OPEN] == _vi(FindingStatus.OPEN.label)


def _vi(label) -> str:
    with translation.override("vi"):
        return str(label)
