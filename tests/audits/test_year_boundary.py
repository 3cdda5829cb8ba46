"""Inspections of one year whose documents are issued in the next (issue 19): numbers and register lines follow
the calendar year of issue, never the year of the inspection's content; an inspection period may span 31
December; the corrective-action deadline counts from the signing date across the new year."""

from datetime import date

import pytest

from agencies.models import RegisteredDocument
from audits import services
from audits.models import InspectionDecision

from .conftest import SIGNED_ON, YEAR, build_world

pytestmark = pytest.mark.django_db
NEW_YEAR = YEAR + 1


def test_a_record_of_this_years_inspection_signed_in_january_opens_next_years_register(cast):
    world = build_world(cast, sign=False)
    inspector = cast.users["ag_inspector"]
    stp, snv = world.inspections["ag_stp"], world.inspections["ag_snv"]
    assert stp.year == snv.year == YEAR
    services.record_sign(actor=inspector, inspection=stp, signed_on=SIGNED_ON, today=SIGNED_ON)
    stp.record.refresh_from_db()
    symbol = stp.record.number.split("/", 1)[1]
    assert stp.record.number == f"01/{symbol}"
    # SNV's visit runs from 29 December to 5 January; its record is signed on the last day.
    InspectionDecision.objects.filter(pk=snv.decision.pk).update(
        issued_on=date(YEAR, 12, 28), starts_on=date(YEAR, 12, 29), ends_on=date(NEW_YEAR, 1, 5))
    signed_on = date(NEW_YEAR, 1, 5)
    services.record_sign(actor=inspector, inspection=snv, signed_on=signed_on, today=signed_on)
    snv.refresh_from_db()
    snv.record.refresh_from_db()
    assert snv.year == YEAR  # the content stays the 2026 inspection
    assert snv.record.number == f"01/{symbol}"  # the first record of the new year, not the 2nd of the old one
    line = RegisteredDocument.objects.get(issuer=snv.record.issuer, doc_type="BB",
                                          year=NEW_YEAR)
    assert (line.issued_on, str(line)) == (signed_on, snv.record.number)
    assert set(RegisteredDocument.objects.filter(issuer=snv.record.issuer, doc_type="BB")
               .values_list("year", "number")) == {(YEAR, 1), (NEW_YEAR, 1)}
    # the corrective-action deadline: 2 months after the signing date, in the new year
    finding = world.findings["ag_snv"]
    finding.refresh_from_db()
    assert finding.due_on == date(NEW_YEAR, 3, 5)


def test_a_record_signed_on_31_december_stays_in_the_old_register(cast):
    world = build_world(cast, sign=False)
    inspector = cast.users["ag_inspector"]
    snv = world.inspections["ag_snv"]
    InspectionDecision.objects.filter(pk=snv.decision.pk).update(
        issued_on=date(YEAR, 12, 28), starts_on=date(YEAR, 12, 29), ends_on=date(NEW_YEAR, 1, 5))
    services.record_sign(actor=inspector, inspection=snv, signed_on=date(YEAR, 12, 31), today=date(NEW_YEAR, 1, 2))
    snv.record.refresh_from_db()
    line = RegisteredDocument.objects.get(issuer=snv.record.issuer, doc_type="BB")
    assert (line.year, line.number, line.issued_on) == (YEAR, 1, date(YEAR, 12, 31))
    finding = world.findings["ag_snv"]
    finding.refresh_from_db()
    assert finding.due_on == date(NEW_YEAR, 2, 28)  # 31 December + 2 months, clamped to February's last day
