"""An inspection plan's refusals as the user reads them (audits.services.plans): the exact translated sentence and
its code for each state and coverage rule, and what the plan's history keeps. test_rules.py checks the same
rules by substring in English; these compare whole messages in Vietnamese. Written from the survivors of
`make mutate MODULES=plans` (docs/mutation.md)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from audits import services
from audits.models import InspectionPlan, PlanState
from audits.selectors import Coverage
from audits.services.plans import coverage_errors, plan_mark_in_progress
from tests.audits.conftest import APPROVED_ON, SUBMITTED_ON, approved_plan, draft_plan

pytestmark = pytest.mark.django_db


def state_error(action, state):
    return gettext("%(action)s: the plan is %(state)s.") % {"action": gettext(action),
                                                            "state": PlanState(state).label.lower()}


def refused(call, messages, code=None):
    """`call` is refused with exactly `messages`; a single message also with its `code` (Django keeps no code
    for a list of messages)."""
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.messages == messages
    if code:
        assert error.value.code == code


def test_what_a_submitted_plan_refuses(units):
    cast = units
    inspector, leader = cast.users["ag_inspector"], cast.users["ag_leader"]
    plan = draft_plan(cast, "ag")
    services.plan_submit(actor=inspector, plan=plan, today=SUBMITTED_ON)
    entry = plan.entries.first()
    submitted = PlanState.SUBMITTED
    refused(lambda: services.plan_update(actor=inspector, plan=plan, data={"purpose": "x"}),
            [state_error("Only a draft plan can be changed", submitted)], "state")
    refused(lambda: services.plan_entry_update(actor=inspector, entry=entry, data={"note": "x"}),
            [state_error("Only a draft plan can be changed", submitted)], "state")
    refused(lambda: services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies["ag_cctdc"], data={}),
            [state_error("Agencies can be added only to a draft plan", submitted)], "state")
    refused(lambda: services.plan_entry_remove(actor=inspector, entry=entry),
            [state_error("Agencies can be removed only from a draft plan", submitted)], "state")
    refused(lambda: services.plan_submit(actor=inspector, plan=plan, today=SUBMITTED_ON),
            [state_error("Only a draft plan can be submitted", submitted)], "state")
    refused(lambda: services.plan_close(actor=inspector, plan=plan),
            [state_error("Only an approved plan can be closed", submitted)], "state")
    services.plan_return(actor=leader, plan=plan, reason="Bổ sung")
    refused(lambda: services.plan_return(actor=leader, plan=plan, reason="Lần nữa"),
            [state_error("Only a submitted plan can be returned", PlanState.DRAFT)], "state")
    refused(lambda: services.plan_approve(actor=leader, plan=plan, approval_number="1/QĐ-UBND",
                                          approval_date=APPROVED_ON, today=APPROVED_ON),
            [state_error("Only a submitted plan can be approved", PlanState.DRAFT)], "state")
    assert gettext("Only a draft plan can be changed") != "Only a draft plan can be changed"


def test_coverage_not_determined_yet():
    assert coverage_errors(Coverage(determined=False, year=2027)) == [
        gettext("The mandatory agencies of %(year)d have not been determined yet.") % {"year": 2027}]


class Named:
    def __init__(self, name):
        self.name = name


@pytest.mark.parametrize("missing", [1, 2])
def test_coverage_names_the_missing_agencies_in_the_right_number(missing):
    mandatory = [Named(f"Sở {i}") for i in range(3)]
    coverage = Coverage(mandatory=mandatory, missing=mandatory[:missing], on_site=1, year=2026)
    names = ", ".join(a.name for a in mandatory[:missing])
    assert coverage_errors(coverage) == [ngettext(
        "%(count)d mandatory agency is not in the plan: %(names)s.",
        "These %(count)d mandatory agencies are not in the plan: %(names)s.", missing) % {
        "count": missing, "names": names}]


def test_coverage_on_site_short_and_complete():
    mandatory = [Named(f"Sở {i}") for i in range(4)]
    assert coverage_errors(Coverage(mandatory=mandatory, on_site=1, year=2026)) == [gettext(
        "At least one third of the mandatory agencies must be inspected on site: %(required)d of %(total)d, the "
        "plan has %(on_site)d.") % {"required": 2, "total": 4, "on_site": 1}]
    assert coverage_errors(Coverage(mandatory=mandatory, on_site=2, year=2026)) == []


def test_the_first_inspection_act_puts_an_approved_plan_in_progress_once(units):
    cast = units
    plan = approved_plan(cast, "ag")
    inspector = cast.users["ag_inspector"]
    plan_mark_in_progress(None, actor=inspector)  # an unplanned inspection: nothing to do
    plan_mark_in_progress(plan.pk, actor=inspector)
    stored = InspectionPlan.objects.get(pk=plan.pk)
    latest = stored.history.latest()
    assert stored.state == PlanState.IN_PROGRESS
    assert (latest.history_user, latest.history_change_reason) == (inspector, gettext("Inspections started"))
    count = stored.history.count()
    plan_mark_in_progress(plan.pk, actor=inspector)
    assert InspectionPlan.objects.get(pk=plan.pk).history.count() == count


def test_an_empty_plan_and_an_incomplete_one(units):
    cast = units
    inspector = cast.users["ag_inspector"]
    empty = services.plan_create(actor=inspector, year=2027, province=cast.provinces["ag"])
    refused(lambda: services.plan_submit(actor=inspector, plan=empty, today=date(2027, 1, 5)),
            [gettext("The plan has no agencies yet.")], "empty")
    plan = draft_plan(cast, "ag", forms={"stp": "on_site", "snv": "documents", "ubnd": "documents",
                                         "skhcn": "documents"})
    refused(lambda: services.plan_submit(actor=inspector, plan=plan, today=SUBMITTED_ON), [
        gettext("The plan cannot be submitted."),
        gettext("At least one third of the mandatory agencies must be inspected on site: %(required)d of "
                "%(total)d, the plan has %(on_site)d.") % {"required": 2, "total": 4, "on_site": 1}])


def test_the_plans_texts_are_cleaned_and_its_signing_form_checked(units):
    cast = units
    inspector = cast.users["ag_inspector"]
    plan = draft_plan(cast, "ag")
    services.plan_update(actor=inspector, plan=plan, data={
        "purpose": " Đánh giá\n việc áp dụng ", "organisation": None, "signing_capacity": " kt ",
        "signer_name": "Lê Văn C"})
    plan.refresh_from_db()
    assert (plan.purpose, plan.organisation, plan.signing_capacity, plan.signer_name) == (
        "Đánh giá\n việc áp dụng", "", "kt", "Lê Văn C")
    services.plan_update(actor=inspector, plan=plan, data={"signer_name": "Lê Văn D"})
    plan.refresh_from_db()
    assert (plan.signing_capacity, plan.signer_name) == ("kt", "Lê Văn D"), "a field not given is kept"
    latest = plan.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (inspector, ""), "an edit gives no reason"
    with pytest.raises(ValidationError) as error:
        services.plan_update(actor=inspector, plan=plan, data={"signing_capacity": "tm"})
    assert list(error.value.message_dict) == ["signing_capacity"]
    assert error.value.message_dict["signing_capacity"][0].startswith(
        gettext("%(body)s signs in one of these forms: %(forms)s.").split("%(forms)s")[0] % {
            "body": plan.issuer.name})


def test_the_plural_sentence_reads_in_english():
    """Vietnamese has one form for every number; English reads the plural msgid, which must stay right."""
    from django.utils import translation

    mandatory = [Named("Sở A"), Named("Sở B")]
    with translation.override("en"):
        assert coverage_errors(Coverage(mandatory=mandatory, missing=mandatory, on_site=1, year=2026)) == [
            "These 2 mandatory agencies are not in the plan: Sở A, Sở B."]
        assert coverage_errors(Coverage(mandatory=mandatory, missing=mandatory[:1], on_site=1, year=2026)) == [
            "1 mandatory agency is not in the plan: Sở A."]


def test_an_entry_of_another_province_or_an_inactive_agency_is_refused_on_agency(units):
    cast = units
    inspector = cast.users["ag_inspector"]
    plan = services.plan_create(actor=inspector, year=2026, province=cast.provinces["ag"])
    refused_on = {}
    for key, agency in (("other", cast.agencies["cb_stp"]), ("inactive", cast.agencies["ag_snv"])):
        if key == "inactive":
            type(agency).objects.filter(pk=agency.pk).update(is_active=False)
            agency.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            services.plan_entry_add(actor=inspector, plan=plan, agency=agency, data={"form": "documents"})
        refused_on[key] = error.value.message_dict
    assert refused_on == {"other": {"agency": [gettext("The agency belongs to another province.")]},
                          "inactive": {"agency": [gettext("The agency is no longer active.")]}}
    assert not plan.entries.exists()


def test_an_entrys_unit_period_and_duplicate_are_refused_field_by_field(units):
    """Each check of a plan line, on its own field with its sentence (issue 19, from the plans survivors)."""
    from audits.models import PlanEntry

    cast = units
    inspector = cast.users["ag_inspector"]
    plan = services.plan_create(actor=inspector, year=2026, province=cast.provinces["ag"])
    stp = cast.agencies["ag_stp"]

    def add(agency=stp, **data):
        return services.plan_entry_add(actor=inspector, plan=plan, agency=agency, data={"form": "documents", **data})

    def refusal(call):
        with pytest.raises(ValidationError) as error:
            call()
        return error.value.message_dict

    in_year = gettext("The date must fall in the plan's year (%(year)s).") % {"year": 2026}
    assert refusal(lambda: add(inspecting_unit=cast.agencies["cb_cctdc"])) == {
        "inspecting_unit": [gettext("The inspecting unit belongs to another province.")]}
    assert refusal(lambda: add(expected_from=date(2025, 12, 29), expected_to=date(2027, 1, 2))) == {
        "expected_from": [in_year], "expected_to": [in_year]}
    assert refusal(lambda: add(expected_from=date(2026, 5, 11), expected_to=date(2026, 5, 10))) == {
        "expected_to": [gettext("The end of the period cannot be before its start.")]}
    assert not plan.entries.exists()
    entry = add(expected_from=date(2026, 5, 11), expected_to=date(2026, 5, 11))  # a one-day visit
    assert refusal(lambda: add()) == {"agency": [gettext("%(agency)s is already in the plan.") % {
        "agency": stp.name}]}
    services.plan_entry_update(actor=inspector, entry=entry, data={"note": " Đoàn 2 "})  # itself is no duplicate
    assert PlanEntry.objects.get(pk=entry.pk).note == "Đoàn 2"
    # A line of another province's agency (made before the rule) says so, not that it is already there.
    stray = cast.agencies["cb_stp"]
    PlanEntry.objects.create(plan=plan, agency=stray, inspecting_unit=plan.issuer, expected_from=date(2026, 6, 1),
                             expected_to=date(2026, 6, 2))
    assert refusal(lambda: add(agency=stray)) == {"agency": [gettext("The agency belongs to another province.")]}


# Counted on 2026-12-04: adding a line reads the plan (locked), checks for a duplicate and writes the line and its
# history; a check that reads more (Django's own check of each foreign key, a unique check repeated) shows here.
QUERIES_TO_ADD_A_LINE = 8


def test_a_line_without_a_cooperating_unit_or_note_keeps_them_empty_and_costs_few_queries(units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast = units
    inspector = cast.users["ag_inspector"]
    plan = services.plan_create(actor=inspector, year=2026, province=cast.provinces["ag"])
    with CaptureQueriesContext(connection) as queries:
        entry = services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies["ag_stp"], data={
            "form": "documents", "expected_from": date(2026, 4, 1), "expected_to": date(2026, 4, 2),
            "cooperating_unit": None, "note": None})
    assert (entry.cooperating_unit, entry.note) == ("", "")
    assert len(queries) == QUERIES_TO_ADD_A_LINE
