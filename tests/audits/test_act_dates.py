"""A decision or a record of a planned inspection dated before its plan was approved (a mistyped year: 10/03/2016
for 10/03/2026) was accepted: it took a number in that year's register, and the findings were due, and overdue,
years ago. Both are refused on their date field, with the day the plan was approved, and nothing is numbered."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agencies.models import RegisteredDocument
from audits import services
from audits.models import InspectionForm, InspectionRecord
from tests.audits.conftest import APPROVED_ON, SIGNED_ON, build_world

pytestmark = pytest.mark.django_db


def test_a_record_dated_before_the_plan_was_approved_is_refused(cast):
    world = build_world(cast, sign=False)
    inspector = cast.users["ag_inspector"]
    inspection = world.plans["ag"].inspections.get(agency=cast.agencies["ag_ubnd"])  # by documents
    assert inspection.form == InspectionForm.DOCUMENTS
    items = world.items(inspection)
    services.record_save(actor=inspector, inspection=inspection, results=[
        {"item": code, "result": "met"} for code in items], data={"agency_representative": "Trần Văn Hùng",
                                                                  "team_leader_name": "Lê Minh Tuấn"})
    registered = RegisteredDocument.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.record_sign(actor=inspector, inspection=inspection, signed_on=date(2016, 3, 10), today=SIGNED_ON)
    assert exc.value.message_dict == {"signed_on": [
        _("The date cannot be before %(date)s, when the inspection plan was approved.") % {"date": "15/01/2026"}]}
    assert InspectionRecord.objects.get(inspection=inspection).signed_on is None
    assert RegisteredDocument.objects.count() == registered
    # the day of the approval itself is fine
    services.record_sign(actor=inspector, inspection=inspection, signed_on=APPROVED_ON, today=SIGNED_ON)


def test_a_decision_dated_before_the_plan_was_approved_is_refused(cast):
    world = build_world(cast, sign=False)
    inspector = cast.users["ag_inspector"]
    plan = world.plans["ag"]
    planned = plan.inspections.get(agency=cast.agencies["ag_skhcn"])
    with pytest.raises(ValidationError) as exc:
        services.decision_issue(actor=inspector, inspections=[planned], issued_on=date(2016, 3, 2),
                                starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 10), team_leader="Lê Minh Tuấn",
                                today=SIGNED_ON)
    assert exc.value.message_dict.get("issued_on") == [
        _("The date cannot be before %(date)s, when the inspection plan was approved.") % {"date": "15/01/2026"}]
    planned.refresh_from_db()
    assert planned.decision_id is None
