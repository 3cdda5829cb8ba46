"""A merged agency is counted once, the same way, on every page that counts agencies (DOMAIN.md §3; the one
definition: `agencies.selectors.active_on`): the compliance page and its API and XLSX, the dashboards, the agency
counts, a period's completeness and the consolidated report; and the reminders chase the agencies the completeness
expects. Also on the day a merger recorded ahead comes, before the daily beat task has made it take effect
(`agencies.services.successions_take_effect`): the report and the completeness already leave the merged agency out
that day, so the compliance page and the dashboards must too."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import AgencySuccession, Role, SuccessionKind
from agencies.selectors import agency_list
from agencies.services import agency_succession_create, successions_take_effect
from agencies.stats import agency_counts_by_kind
from qms.dashboard import qms_overview
from qms.models import QmsRecord, Stage
from qms.selectors import compliance_agencies
from reports import gathering
from reports.models import ConsolidatedReport, PeriodKind, ReportingPeriod
from reports.reminders import reminders_send
from reports.selectors import completeness, own_report_rows
from reports.services import agency_report_create
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def annual(cast, today: date) -> ReportingPeriod:
    """The current annual period: its window still open, so that it is judged as of today."""
    return ReportingPeriod.objects.create(province=cast.provinces["ag"], year=today.year, kind=PeriodKind.ANNUAL,
                                          window_start=today - timedelta(days=300),
                                          window_end=today + timedelta(days=5), deadline=today + timedelta(days=10))


def counted(cast, client, period) -> dict[str, set[str] | int]:
    """Who each page counts in An Giang, as seen by its inspector, today."""
    inspector = cast.users["ag_inspector"]
    report = ConsolidatedReport(kind="provincial", province=period.province, period=period, year=period.year,
                                period_kind=PeriodKind.ANNUAL)
    client.force_login(inspector)
    api = client.get("/api/v1/compliance/", {"page_size": 200}).json()["results"]
    by_kind = agency_counts_by_kind(agency_list(user=inspector, year=period.year))
    sheet = load_workbook(io.BytesIO(b"".join(client.get("/compliance/export.xlsx").streaming_content))).active
    return {
        "compliance": set(compliance_agencies(user=inspector).values_list("name", flat=True)),
        "compliance_api": {row["name"] for row in api},
        "compliance_xlsx": {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]},
        "report": {row.name for row in gathering.gather(report).rows},
        "dashboard": sum(qms_overview(user=inspector)["totals"].values()),
        "agency_counts": sum(row["total"] for row in by_kind),
        "expected": completeness(period=period, with_contacts=False).total.expected,
    }


def test_a_merger_whose_day_has_come_is_counted_once_before_and_after_the_beat_task(cast, client):
    today = timezone.localdate()
    period = annual(cast, today)
    everyone = {"Ủy ban nhân dân tỉnh An Giang", "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Sở Nội vụ"}
    before = counted(cast, client, period)
    assert before["compliance"] == before["compliance_api"] == before["compliance_xlsx"] == before["report"] == everyone
    assert before["dashboard"] == before["agency_counts"] == before["expected"] == 4

    # recorded ahead (yesterday) for today: the day has come, the beat task has not run yet
    AgencySuccession.objects.create(predecessor=cast.agencies["ag_snv"], successor=cast.agencies["ag_stp"],
                                    kind=SuccessionKind.MERGER, effective_date=today)
    merged = everyone - {"Sở Nội vụ"}
    waiting = counted(cast, client, period)
    assert waiting["report"] == merged  # the report already leaves it out (active_on)
    assert waiting["compliance"] == waiting["compliance_api"] == waiting["compliance_xlsx"] == merged
    assert waiting["dashboard"] == waiting["agency_counts"] == waiting["expected"] == 3

    assert successions_take_effect(today=today) == {"successions": 1}
    assert counted(cast, client, period) == waiting  # the beat task changes no figure



def test_the_reminders_chase_the_successor_not_an_agency_merged_within_the_window(cast):
    """Merged during the period's data window, the agency is not expected (its successor reports for what it
    carries on): no reminder for it, before or after the deadline, and the department's digest does not name it;
    the successor is reminded."""
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=today.year, kind=PeriodKind.SIX_MONTH,
                                            window_start=today - timedelta(days=200),
                                            window_end=today - timedelta(days=14), deadline=today + timedelta(days=3))
    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    snv.email = "snv@example.invalid"
    snv.save(update_fields=["email"])
    snv_officer = UserFactory(username="snv_officer", email="snv_officer@example.invalid")
    MembershipFactory(user=snv_officer, role=Role.ISO_OFFICER, agency=snv, province=snv.province)
    for key in ("ag_officer", "ag_inspector"):
        cast.users[key].email = f"{key}@example.invalid"
        cast.users[key].save(update_fields=["email"])
    agency_succession_create(actor=cast.users["admin"], predecessor=snv, successor=stp, kind=SuccessionKind.MERGER,
                             effective_date=today - timedelta(days=30))

    assert {a.name for a in completeness(period=period).missing_agencies} == {
        "Ủy ban nhân dân tỉnh An Giang", "Sở Khoa học và Công nghệ", "Sở Tư pháp"}
    reminders_send(today=today)
    reminders_send(today=period.deadline + timedelta(days=1))
    sent_to = {address for message in mail.outbox for address in message.to}
    assert "ag_officer@example.invalid" in sent_to  # the successor
    assert not sent_to & {"snv@example.invalid", "snv_officer@example.invalid"}
    digest = next(m for m in mail.outbox if m.to == ["ag_inspector@example.invalid"])
    assert "Sở Tư pháp" in digest.body and "Sở Nội vụ" not in digest.body


def test_the_merged_agencys_own_pages_do_not_call_overdue_a_report_it_no_longer_owes(cast, client):
    """Its staff still sign in after the merger: for a period whose date is after the merger, the completeness does
    not expect the merged agency, so its own report list, its period page and its dashboard panel do not flag the
    report as overdue; its successor's do."""
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=today.year, kind=PeriodKind.SIX_MONTH,
                                            window_start=today - timedelta(days=200),
                                            window_end=today - timedelta(days=14), deadline=today - timedelta(days=7))
    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    snv_officer = UserFactory(username="snv_officer")
    MembershipFactory(user=snv_officer, role=Role.ISO_OFFICER, agency=snv, province=snv.province)
    agency_succession_create(actor=cast.users["admin"], predecessor=snv, successor=stp, kind=SuccessionKind.MERGER,
                             effective_date=today - timedelta(days=30))
    assert "Sở Nội vụ" not in {a.name for a in completeness(period=period).missing_agencies}
    assert "Sở Tư pháp" in {a.name for a in completeness(period=period).missing_agencies}

    [merged] = own_report_rows(user=snv_officer, periods=[period], today=today)
    [successor] = own_report_rows(user=cast.users["ag_officer"], periods=[period], today=today)
    assert (merged["expected"], merged["overdue"]) == (False, False)
    assert (successor["expected"], successor["overdue"]) == (True, True)
    client.force_login(snv_officer)
    for path in ("/reports/", f"/reports/periods/{period.pk}/", "/"):
        page = client.get(path).content.decode()
        assert "Overdue" not in page and "Quá hạn" not in page, path
    assert "Không thuộc diện phải báo cáo" in client.get("/reports/").content.decode()
    client.force_login(cast.users["ag_officer"])
    assert "Quá hạn" in client.get(f"/reports/periods/{period.pk}/").content.decode()
    # a report drafted all the same: its page says overdue only for the agency expected
    for officer, agency, overdue in ((snv_officer, snv, False), (cast.users["ag_officer"], stp, True)):
        report = agency_report_create(actor=officer, period=period, agency=agency, today=today)
        client.force_login(officer)
        assert ("Quá hạn" in client.get(f"/reports/agency/{report.pk}/").content.decode()) is overdue, agency.name


def test_a_legal_change_due_from_an_agency_being_merged_passes_to_its_successor_on_the_merger_day(cast):
    """Recorded ahead, the merger leaves the due update with the agency until its day (it still owes it); from that
    day the successor owes it, and the legal reminders go to the successor."""
    from qms.legal.models import DueStatus
    from qms.legal.reminders import legal_reminders
    from qms.legal.services import legal_change_compute_targets, legal_change_register
    from qms.models import Procedure

    today = timezone.localdate()
    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    Procedure.objects.create(agency=snv, code="1.0009", name="Tuyển dụng công chức", field="Công chức")
    change = legal_change_register(actor=cast.users["ag_inspector"], province_id=cast.provinces["ag"].pk, data={
        "number": "99/2026/NĐ-CP", "title": "Nghị định về công chức", "issuer": "Chính phủ",
        "issued_on": today - timedelta(days=20), "effective_on": today - timedelta(days=10),
        "procedure_fields": ["Công chức"]})
    legal_change_compute_targets(change_id=change.pk)
    merger_day = today + timedelta(days=10)
    agency_succession_create(actor=cast.users["admin"], predecessor=snv, successor=stp, kind=SuccessionKind.MERGER,
                             effective_date=merger_day)
    assert list(change.due_updates.values_list("agency_id", "status")) == [(snv.pk, DueStatus.PENDING)]
    assert set(legal_reminders(today=today)) == {snv.pk}

    successions_take_effect(today=merger_day)
    assert list(change.due_updates.values_list("agency_id", "status")) == [(stp.pk, DueStatus.PENDING)]
    due_on = change.due_updates.get().due_on
    assert set(legal_reminders(today=due_on - timedelta(days=5))) == {stp.pk}  # due soon: the successor's


def test_a_split_makes_both_the_agency_split_and_the_one_taking_part_of_it_reannounce(cast):
    """A split narrows the scope of the agency split (it continues, without the part that left) and widens its
    successor's: both announced systems must be announced again (DOMAIN.md §4: whenever the scope is adjusted,
    extended or narrowed), on the split's day; both stay counted, once, as agencies there."""
    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    split = QmsRecord.objects.create(agency=snv, stage=Stage.MAINTAINING)
    taking = QmsRecord.objects.create(agency=stp, stage=Stage.ANNOUNCED)
    today = timezone.localdate()
    agency_succession_create(actor=cast.users["admin"], predecessor=snv, successor=stp, kind=SuccessionKind.SPLIT,
                             effective_date=today + timedelta(days=3))
    split.refresh_from_db()
    assert split.stage == Stage.MAINTAINING  # not before its day
    successions_take_effect(today=today + timedelta(days=3))
    split.refresh_from_db()
    taking.refresh_from_db()
    assert (split.stage, taking.stage) == (Stage.REANNOUNCEMENT_DUE, Stage.REANNOUNCEMENT_DUE)
    assert split.reannouncement_reason == "Cơ quan đã được sắp xếp lại (Chia, tách)."
    assert set(compliance_agencies(user=cast.users["ag_inspector"]).values_list("name", flat=True)) >= {
        "Sở Nội vụ", "Sở Tư pháp"}
