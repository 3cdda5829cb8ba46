"""An agency merged or dissolved after it was put in the draft plan: the plan used to be submitted and approved
with it, opening an inspection of an agency that no longer exists. The coverage check (the plan's page, its
submission and its approval) names it, to be removed."""

import pytest
from django.core.exceptions import ValidationError

from agencies.services import agency_deactivate
from audits import services
from audits.models import Inspection, PlanState
from tests.audits.conftest import APPROVED_ON, SUBMITTED_ON, draft_plan
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _with_finance(cast):
    """Sở Tài chính of An Giang, not mandatory this year: one more agency for the plan."""
    cast.agencies["ag_stc"] = AgencyFactory(name="Sở Tài chính", short_code="STC", province=cast.provinces["ag"],
                                            parent=cast.agencies["ag_ubnd"])
    return cast


def _merged(cast, key: str):
    return agency_deactivate(actor=cast.users["admin"], agency=cast.agencies[key], reason="Sáp nhập")


def test_a_draft_plan_with_a_merged_agency_is_not_submitted(client, units):
    cast = _with_finance(units)
    plan = draft_plan(cast, "ag", forms={"stp": "on_site", "snv": "on_site", "ubnd": "documents",
                                         "skhcn": "documents", "stc": "documents"})
    name = cast.agencies["ag_stc"].name
    _merged(cast, "ag_stc")
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    text = " ".join(exc.value.messages)
    assert name in text and ("no longer active" in text or "không còn hoạt động" in text)
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and not plan.number

    client.force_login(cast.users["ag_inspector"])
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "không còn hoạt động" in page and name in page

    entry = plan.entries.get(agency=cast.agencies["ag_stc"])
    services.plan_entry_remove(actor=cast.users["ag_inspector"], entry=entry)
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)


def test_a_submitted_plan_whose_agency_merged_is_not_approved(units):
    cast = _with_finance(units)
    plan = draft_plan(cast, "ag", forms={"stp": "on_site", "snv": "on_site", "ubnd": "documents",
                                         "skhcn": "documents", "stc": "documents"})
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    _merged(cast, "ag_stc")
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(actor=cast.users["ag_leader"], plan=plan, approval_number="215/QĐ-UBND",
                              approval_date=APPROVED_ON, today=APPROVED_ON)
    assert cast.agencies["ag_stc"].name in " ".join(exc.value.messages)
    assert not Inspection.objects.filter(plan=plan).exists()
