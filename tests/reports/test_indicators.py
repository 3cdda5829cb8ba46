"""The named indicators of the consolidated report (reports.indicators): computed once, as of a date, of
agencies (not rows); a past period's report gives the same figures after later data is entered."""

from datetime import date

import pytest

from audits.models import Finding, Inspection, InspectionKind
from audits.services import finding_accept
from qms.models import InternalAudit, LegalUpdate, QmsRecord, Stage
from qms_portal.dates import add_months
from reports import gathering
from reports.indicators import INDICATORS, compute, inspection_figures
from reports.models import ConsolidatedReport, PeriodKind, ReportingPeriod
from tests.audits.conftest import YEAR, build_world, respond

pytestmark = pytest.mark.django_db
AFTER = date(YEAR, 11, 20)  # "today" in these tests: after the 6-month window


@pytest.fixture
def world(cast):
    return build_world(cast)  # the cast's agencies have their obligations for the year


def six_month_report(cast) -> ConsolidatedReport:
    period = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=YEAR, kind=PeriodKind.SIX_MONTH,
                                            window_start=date(YEAR - 1, 12, 15), window_end=date(YEAR, 6, 14),
                                            deadline=date(YEAR, 6, 20))
    return ConsolidatedReport(kind="provincial", province=cast.provinces["ag"], period=period, year=YEAR,
                              period_kind=PeriodKind.SIX_MONTH)


def now():
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime(AFTER.year, AFTER.month, AFTER.day, 10))


def test_every_indicator_has_words_and_a_unit():
    assert all(i.words and i.unit for i in INDICATORS.values())
    assert {"in_scope", "announced", "edition_2015", "inspected", "included", "inspections", "findings_open",
            "findings_overdue", "findings_closed_late", "legal_on_time", "legal_late", "legal_overdue",
            "legal_no_data", "internal_audit", "management_review"} <= set(INDICATORS)


def test_the_report_prints_the_indicators_computed_alone(cast, world):
    report = six_month_report(cast)
    data = gathering.gather(report, now=now())
    assert data.as_of == date(YEAR, 6, 14)  # a period report is computed as of its window's end
    alone = compute(agencies=gathering.agencies_for(report), province_id=report.province_id, year=YEAR,
                    as_of=data.as_of)
    assert data.figures.values == alone.values
    assert data.figures["in_scope"] == data.total.total == len([r for r in data.rows if r.expected])
    assert data.figures["inspections"] == 4 and data.figures["findings"] == 2
    # the summary table's total row is the same figures
    for code in ("announced", "edition_2015", "internal_audit", "legal_on_time", "inspected"):
        assert data.total.cell(code).met == data.figures[code], code


def test_an_agency_inspected_twice_is_one_inspected_agency(cast, world):
    before = inspection_figures(province_id=cast.provinces["ag"].pk, year=YEAR, as_of=AFTER)
    twice = Inspection.objects.filter(agency=cast.agencies["ag_stp"], year=YEAR).get()
    twice.pk, twice.plan_entry, twice.kind = None, None, InspectionKind.UNPLANNED
    twice.unplanned_reason = "Phản ánh của người dân"
    twice.save()
    after = inspection_figures(province_id=cast.provinces["ag"].pk, year=YEAR, as_of=AFTER)
    assert after["inspections"] == before["inspections"] + 1
    assert after["inspections_unplanned"] == before["inspections_unplanned"] + 1
    assert after["included"] == before["included"] == 4  # agencies, not rows


def test_a_past_period_gives_the_same_figures_after_later_data(cast, world):
    report = six_month_report(cast)
    # the stage and the edition are the file's current state (they carry no date): set before the first run
    qms = QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage=Stage.MAINTAINING)
    LegalUpdate.objects.create(qms=qms, legal_document="Nghị định 1", effective_on=date(YEAR, 1, 10),
                               due_on=add_months(date(YEAR, 1, 10), 3))
    first = gathering.gather(report, now=now())
    # later data, all dated after the window's end (14/06)
    InternalAudit.objects.create(qms=qms, held_on=date(YEAR, 7, 10), auditors="Tổ ĐGNB")
    LegalUpdate.objects.filter(qms=qms).update(updated_on=date(YEAR, 9, 1))  # reflected late, after 14/06
    LegalUpdate.objects.create(qms=qms, legal_document="Nghị định 2", effective_on=date(YEAR, 9, 1),
                               due_on=add_months(date(YEAR, 9, 1), 3))
    respond(world, "ag_stp")
    finding_accept(actor=cast.users["ag_inspector"], finding=Finding.objects.get(pk=world.findings["ag_stp"].pk),
                   today=date(YEAR, 9, 15))
    again = gathering.gather(report, now=now())
    assert again.as_of == first.as_of
    assert again.figures.values == first.figures.values
    assert [(r.name, r.indicators, r.findings_open, r.findings_overdue) for r in again.rows] == [
        (r.name, r.indicators, r.findings_open, r.findings_overdue) for r in first.rows]
    # the later data is there: judged today, the figures move
    live = compute(agencies=gathering.agencies_for(report), province_id=report.province_id, year=YEAR, as_of=AFTER)
    assert live["findings_accepted"] == first.figures["findings_accepted"] + 1
    assert live["findings_closed_late"] == first.figures["findings_closed_late"] + 1
    assert live["internal_audit"] == first.figures["internal_audit"] + 1
    assert first.figures["legal_overdue"] == 1  # on 14/06 the change of 10/01 was past its 3 months
    assert live["legal_late"] == first.figures["legal_late"] + 1 and live["legal_overdue"] == 0


def test_a_finding_is_overdue_until_accepted_and_closed_late_is_counted(cast, world):
    finding = Finding.objects.get(pk=world.findings["ag_stp"].pk)
    due = finding.due_on
    past_due = date.fromordinal(due.toordinal() + 30)
    assert Finding.objects.overdue(past_due).filter(pk=finding.pk).exists()
    respond(world, "ag_stp")  # responded, not yet accepted: still overdue (the board's own definition)
    finding.refresh_from_db()
    assert finding.status == "responded"
    assert Finding.objects.overdue(past_due).filter(pk=finding.pk).exists() and finding.is_overdue_on(past_due)
    finding_accept(actor=cast.users["ag_inspector"], finding=finding, today=past_due)
    finding.refresh_from_db()
    assert finding.closed_on == past_due  # the acceptance date is kept
    assert not Finding.objects.overdue(past_due).filter(pk=finding.pk).exists()
    figures = inspection_figures(province_id=cast.provinces["ag"].pk, year=YEAR, as_of=past_due)
    assert figures["findings_closed_late"] == 1 and figures["findings_accepted"] == 1
    # the day before acceptance it was still overdue
    day_before = date.fromordinal(past_due.toordinal() - 1)
    assert Finding.objects.overdue(day_before).filter(pk=finding.pk).exists()


def test_a_past_periods_agency_report_is_prefilled_as_of_its_window_end(cast, world):
    from qms.models import InternalCorrectiveAction
    from reports.prefill import agency_report_facts

    period = six_month_report(cast).period
    stp = cast.agencies["ag_stp"]
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.MAINTAINING)
    # due after the window closed: not overdue in that window, though overdue today
    InternalCorrectiveAction.objects.create(qms=qms, description="x", action="y", owner="z", due_on=date(YEAR, 7, 1))
    respond(world, "ag_stp")
    finding_accept(actor=cast.users["ag_inspector"], finding=Finding.objects.get(pk=world.findings["ag_stp"].pk),
                   today=date(YEAR, 9, 15))
    facts = agency_report_facts(agency=stp, period=period, today=AFTER)
    assert facts["as_of"] == "2026-06-14"
    assert facts["corrective_actions"]["overdue"] == 0
    # on 14/06 the finding (due 10/05) was neither accepted nor answered in time: open and overdue
    assert (facts["findings"]["open"], facts["findings"]["overdue"], facts["findings"]["accepted"]) == (1, 1, 0)


def year_report(cast) -> ConsolidatedReport:
    return ConsolidatedReport(kind="provincial", province=cast.provinces["ag"], year=YEAR,
                              period_kind=PeriodKind.ANNUAL)


def open_findings(data) -> dict[str, int]:
    return {r.name: r.findings_open for r in data.rows if r.findings_open}


@pytest.mark.parametrize("merged_on, under_successor", [(date(YEAR, 4, 1), True), (date(YEAR, 9, 1), False)])
def test_a_merged_agencys_inspection_and_findings_stay_in_the_report(cast, world, merged_on, under_successor):
    """Sở Nội vụ (SNV), inspected with an open finding, merged into Sở Tư pháp (STP). The year's report still counts
    SNV's inspection and finding (the Sở's work of the year, as the findings board shows it); STP's row carries the
    finding it now answers for. The six-month report (as of 14/06) of a merger on 01/09 keeps SNV's own row."""
    from agencies.models import SuccessionKind
    from agencies.services import agency_succession_create
    from reports.prefill import agency_report_facts

    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    reports = [year_report(cast), six_month_report(cast)]
    before = [gathering.gather(r, now=now()) for r in reports]
    agency_succession_create(actor=cast.users["admin"], predecessor=snv, successor=stp, kind=SuccessionKind.MERGER,
                             effective_date=merged_on)
    for report, was in zip(reports, before, strict=True):
        data = gathering.gather(report, now=now())
        counts = ("inspections", "included", "records_signed", "findings", "findings_open", "findings_overdue")
        assert [data.figures[code] for code in counts] == [was.figures[code] for code in counts]
        assert sum(open_findings(data).values()) == data.figures["findings_open"] == 2
        merged = under_successor or data.as_of >= merged_on
        assert open_findings(data) == ({stp.name: 2} if merged else {stp.name: 1, snv.name: 1}), data.as_of
        # STP's own periodic report of that date is pre-filled with the findings it answered for that day
        period = report.period or ReportingPeriod.objects.create(
            province=cast.provinces["ag"], year=YEAR, kind=PeriodKind.ANNUAL, window_start=date(YEAR - 1, 12, 15),
            window_end=date(YEAR, 12, 14), deadline=date(YEAR, 12, 20))
        facts = agency_report_facts(agency=stp, period=period, today=AFTER)
        assert facts["findings"]["open"] == (2 if merged else 1)
