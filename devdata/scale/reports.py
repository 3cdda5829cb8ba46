"""National-scale periodic reports for benchmarks (called by `manage.py generate_scale_data` after audits).

Per province: the 6-month and annual reporting periods of every year of the data set (windows and deadlines
from `period_defaults`), and an agency report per expected agency per period (mandatory that year, or
encouraged and applying its system), as of `state["today"]`:

- closed periods: most reports submitted on time, some late, some returned and resubmitted, some missing
  (never started, or a draft left unsubmitted); most submitted reports accepted by the Sở;
- the open period (the annual report of the current year): a quarter submitted already, many drafts with the
  narrative written and ready to submit (the deadline rush of `make bench` submits those), the rest not started.

The frozen facts (`data`) follow the shape of `reports.prefill.agency_report_facts`, built from a few
aggregate queries per province rather than fifteen queries per report. Bulk inserts only; history rows dated
when each report was created, submitted and reviewed.
"""

import random
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db import models
from django.db.models import Count, Q

from agencies.models import Agency, AgencyObligation, Membership, ObligationLevel, Province, ProvinceSettings, Role
from devdata.scale.agencies import (
    HISTORY_REASON,
    at,
    bulk_history,
    bulk_insert,
    day_between,
    generated_agencies,
    generated_users,
    new,
    raw_delete,
    stamp,
    weighted,
)
from qms.models import DocumentStatus, InternalAudit, ManagementReview, Procedure, QmsDocument, QmsRecord, Training
from reports.models import (
    AgencyReport,
    AgencyReportStatus,
    ConsolidatedReport,
    PeriodKind,
    ReportingPeriod,
    ReportReminder,
)
from reports.selectors import APPLIED_STAGES
from reports.services import period_defaults

S = AgencyReportStatus
DIFFICULTIES = ["Kinh phí duy trì HTQLCL còn hạn chế; nhân sự làm công tác ISO kiêm nhiệm nhiều việc.",
                "Văn bản pháp luật thay đổi thường xuyên, việc cập nhật quy trình còn chậm.",
                "Sau sắp xếp tổ chức bộ máy, phạm vi áp dụng thay đổi, cần xây dựng lại tài liệu.",
                "Không"]
PROPOSALS = ["Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn chuyên gia đánh giá nội bộ.",
             "Đề nghị bố trí kinh phí duy trì, cải tiến HTQLCL hằng năm.",
             "Đề nghị ban hành mô hình khung HTQLCL cho cấp xã sau sắp xếp.", "Không"]
RETURN_REASONS = ["Đề nghị bổ sung số liệu kinh phí theo từng nội dung chi.",
                  "Đề nghị bổ sung kết quả đánh giá nội bộ trong kỳ."]


def generate(*, rng: random.Random, scale: float, progress, state: dict) -> dict[str, int]:
    today: date = state["today"]
    years: list[int] = state["years"]
    counts: Counter = Counter()
    generated = generated_agencies()
    settings = {s.province_id: s for s in ProvinceSettings.objects.filter(lead_agency__in=generated)}
    people = _people()
    token = rng.getrandbits(64)
    provinces = [p for p in Province.objects.current().order_by("code") if p.pk in settings]
    bar = progress("periods & agency reports (provinces)", len(provinces))
    for province in provinces:
        _ProvinceReports(province, rng=random.Random(f"{token}:{province.code}"), today=today, years=years,
                         people=people, counts=counts).write()
        bar.update(1)
        bar.set_postfix(reports=counts["reports.AgencyReport"], rows=sum(counts.values()), refresh=False)
    bar.close()
    return dict(counts)


def _people() -> dict:
    people = {"leaders": defaultdict(list), "heads": {}, "officers": {}}
    rows = (Membership.objects.filter(user__in=generated_users())
            .filter(role__in=[Role.DEPARTMENT_LEADER, Role.INSPECTOR, Role.AGENCY_HEAD, Role.ISO_OFFICER])
            .values_list("role", "province_id", "agency_id", "user_id").order_by("user__username"))
    for role, province_id, agency_id, user_id in rows:
        if role in (Role.DEPARTMENT_LEADER, Role.INSPECTOR):
            people["leaders"][province_id].append(user_id)
        elif role == Role.AGENCY_HEAD:
            people["heads"][agency_id] = user_id
        else:
            people["officers"][agency_id] = user_id
    return people


class _ProvinceReports:
    def __init__(self, province, *, rng, today, years, people, counts):
        self.province, self.rng, self.today, self.years, self.counts = province, rng, today, years, counts
        self.reviewers = people["leaders"].get(province.pk) or [None]
        self.heads, self.officers = people["heads"], people["officers"]

    def write(self) -> None:
        rng, today = self.rng, self.today
        facts = _Facts(self.province)
        periods = []
        for year in self.years:
            for kind in (PeriodKind.SIX_MONTH, PeriodKind.ANNUAL):
                window = period_defaults(year=year, kind=kind)
                if window["window_start"] > today:
                    continue
                created = window["window_start"] - timedelta(days=rng.randint(5, 20))
                periods.append(stamp(new(ReportingPeriod, province_id=self.province.pk, year=year, kind=kind,
                                         created_by_id=self.reviewers[0], **window),
                                     at(created, rng), self.reviewers[0], HISTORY_REASON))
        bulk_insert(periods, ReportingPeriod, self.counts)
        reports, timelines = [], []
        for period in periods:
            for agency in facts.expected(period.year):
                report = self._report(period, agency, facts)
                if report is not None:
                    reports.append(report)
        bulk_insert(reports, AgencyReport, self.counts, history=False)
        for report in reports:
            timelines.append((report, report._steps))
        bulk_history(AgencyReport, timelines, self.counts)

    def _report(self, period, agency: dict, facts: "_Facts"):
        rng, today = self.rng, self.today
        head = self.heads.get(agency["id"])
        officer = self.officers.get(agency["id"], head)
        reviewer = self.reviewers[rng.randrange(len(self.reviewers))]
        open_period = period.deadline >= today
        if open_period:
            outcome = weighted(rng, [("submitted", 25), ("returned", 2), ("ready", 32), ("draft", 13), (None, 28)])
        else:
            outcome = weighted(rng, [("on_time", 75), ("late", 12), ("draft", 5), (None, 8)])
        if outcome is None:
            return None
        if open_period:  # drafted over the last weeks
            started = day_between(rng, max(period.window_start, today - timedelta(days=40)), today - timedelta(days=1))
        else:
            started = day_between(rng, period.window_end - timedelta(days=20), period.deadline - timedelta(days=3))
        narrative = outcome != "draft" or rng.random() < 0.3
        report = new(AgencyReport, period=period, agency_id=agency["id"], status=S.DRAFT, created_by_id=officer,
                     difficulties=rng.choice(DIFFICULTIES) if narrative else "",
                     proposals=rng.choice(PROPOSALS) if narrative else "",
                     other_notes="", funding=_funding(rng) if narrative else {})
        steps = [(at(started, rng), "+", {"status": S.DRAFT, "submitted_at": None, "first_submitted_at": None,
                                          "submitted_by_id": None, "reviewed_at": None, "reviewed_by_id": None,
                                          "review_note": "", "version": 1}, "", officer)]
        as_of = started
        if outcome in ("on_time", "late", "submitted", "returned"):
            if outcome == "late":
                first = period.deadline + timedelta(days=rng.randint(1, 40))
            elif open_period:
                first = day_between(rng, started, today - timedelta(days=1))
            else:
                first = day_between(rng, max(started, period.window_end - timedelta(days=5)), period.deadline)
            first = min(first, today - timedelta(days=1))
            as_of = first
            report.first_submitted_at = report.submitted_at = at(first, rng)
            report.submitted_by_id = head
            report.status = S.SUBMITTED
            steps.append((report.submitted_at, "~", {"status": S.SUBMITTED, "reviewed_at": None,
                                                     "reviewed_by_id": None, "review_note": "", "version": 2},
                          "submitted", head))
            reviewed = first + timedelta(days=rng.randint(3, 30))
            returned = outcome == "returned" or (not open_period and rng.random() < 0.05)
            if returned and reviewed < today:
                report.reviewed_at, report.reviewed_by_id = at(reviewed, rng), reviewer
                report.review_note = rng.choice(RETURN_REASONS)
                report.status = S.RETURNED
                steps.append((report.reviewed_at, "~", {"status": S.RETURNED, "version": 3}, "returned", reviewer))
                again = reviewed + timedelta(days=rng.randint(2, 15))
                if not open_period and again < today:
                    report.submitted_at, report.status = at(again, rng), S.SUBMITTED
                    steps.append((report.submitted_at, "~", {"status": S.SUBMITTED, "version": 4}, "submitted",
                                  head))
                    reviewed = again + timedelta(days=rng.randint(3, 20))
            if report.status == S.SUBMITTED and not open_period and reviewed < today and rng.random() < 0.9:
                report.status, report.reviewed_at, report.reviewed_by_id = S.ACCEPTED, at(reviewed, rng), reviewer
                report.review_note = ""
                steps.append((report.reviewed_at, "~", {}, "accepted", reviewer))
        report.version = len(steps)
        final = steps[-1]
        steps[-1] = (final[0], final[1], {k: v for k, v in final[2].items() if k != "version"}, final[3], final[4])
        report.data = facts.for_report(agency, period, as_of)
        report.data_as_of = at(as_of, rng)
        report._steps = steps
        return report


def _funding(rng) -> dict:
    lines = {"maintenance": (3, 15), "training": (1, 6), "internal_audit": (1, 4), "materials": (0, 3)}
    return {line: rng.randint(low, high) * 1_000_000 for line, (low, high) in lines.items() if high}


class _Facts:
    """What `agency_report_facts` would say, from a few aggregate queries for the whole province."""

    def __init__(self, province: Province):
        agencies = Agency.objects.filter(pk__in=generated_agencies(), province=province)
        self.agencies = {a["id"]: a for a in agencies.values("id", "name", "short_code", "kind")}
        self.province_name = province.name
        self.levels = defaultdict(dict)
        for agency_id, year, level in AgencyObligation.objects.filter(agency__in=agencies).values_list(
                "agency_id", "year", "level"):
            self.levels[year][agency_id] = level
        self.qms = {r["agency_id"]: r for r in QmsRecord.objects.filter(agency__in=agencies).values(
            "id", "agency_id", "stage", "edition", "consultant", "steering_decision_number", "steering_decision_date",
            "documents_approved_on", "effectiveness_confirmed_on")}
        self.procedures = {r["agency_id"]: r for r in Procedure.objects.filter(agency__in=agencies, is_active=True)
                           .order_by().values("agency_id").annotate(total=Count("pk"),
                                                                    covered=Count("pk", filter=Q(covered=True)))}
        self.documents = dict(QmsDocument.objects.filter(qms__agency__in=agencies, status=DocumentStatus.IN_FORCE)
                              .order_by().values_list("qms__agency_id").annotate(n=Count("pk")))
        self.audits = defaultdict(list)
        for agency_id, held_on, found in InternalAudit.objects.filter(qms__agency__in=agencies).values_list(
                "qms__agency_id", "held_on", "nonconformities"):
            self.audits[agency_id].append((held_on, found))
        self.reviews = defaultdict(list)
        for agency_id, held_on, chair in ManagementReview.objects.filter(qms__agency__in=agencies).values_list(
                "qms__agency_id", "held_on", "chair"):
            self.reviews[agency_id].append((held_on, chair))
        self.trainings = defaultdict(list)
        for agency_id, held_on, attendees in Training.objects.filter(qms__agency__in=agencies).values_list(
                "qms__agency_id", "held_on", "attendees"):
            self.trainings[agency_id].append((held_on, attendees))
        self.findings = {}
        try:
            from audits.models import AWAITING_AGENCY, Finding, FindingStatus
        except ImportError:
            return
        self.findings = {r["agency_id"]: r for r in Finding.objects.filter(
            agency__in=agencies, inspection__record__signed_on__isnull=False).order_by().values("agency_id").annotate(
            total=Count("pk"), open=Count("pk", filter=~Q(status=FindingStatus.ACCEPTED)),
            awaiting=Count("pk", filter=Q(status__in=AWAITING_AGENCY)),
            accepted=Count("pk", filter=Q(status=FindingStatus.ACCEPTED)))}

    def expected(self, year: int) -> list[dict]:
        """Mandatory that year, or encouraged and applying its system (reports.selectors.is_expected)."""
        levels = self.levels.get(year, {})
        return [a for a in self.agencies.values() if levels.get(a["id"]) == ObligationLevel.MANDATORY
                or (levels.get(a["id"]) == ObligationLevel.ENCOURAGED
                    and self.qms.get(a["id"], {}).get("stage") in APPLIED_STAGES)]

    def for_report(self, agency: dict, period, as_of: date) -> dict:
        start, end = period.window_start, min(period.window_end, as_of)
        qms = self.qms.get(agency["id"])
        procedures = self.procedures.get(agency["id"], {"total": 0, "covered": 0})
        facts = {
            "agency": {"name": agency["name"], "short_code": agency["short_code"], "kind": agency["kind"],
                       "province": self.province_name},
            "window": {"start": period.window_start.isoformat(), "end": period.window_end.isoformat()},
            "obligation": self.levels.get(period.year, {}).get(agency["id"], ""),
            "as_of": as_of.isoformat(),
            "procedures": {"total": procedures["total"], "covered": procedures["covered"]},
        }
        if qms is None:
            facts["qms"] = None
            facts.update(announcements=[], internal_audits=[], management_reviews=[], legal_updates={},
                         corrective_actions={}, complaints={}, improvements=0, trainings={}, documents_in_force=0)
        else:
            facts["qms"] = {key: (value.isoformat() if isinstance(value, date) else value)
                            for key, value in qms.items() if key not in ("id", "agency_id")}
            facts["documents_in_force"] = self.documents.get(agency["id"], 0)
            facts["announcements"] = []
            facts["internal_audits"] = [{"date": d.isoformat(), "nonconformities": n}
                                        for d, n in sorted(self.audits[agency["id"]]) if start <= d <= end]
            facts["management_reviews"] = [{"date": d.isoformat(), "chair": c}
                                           for d, c in sorted(self.reviews[agency["id"]]) if start <= d <= end]
            sessions = [n for d, n in self.trainings[agency["id"]] if start <= d <= end]
            facts["trainings"] = {"sessions": len(sessions), "attendees": sum(sessions)}
            facts.update(legal_updates={}, corrective_actions={}, complaints={}, improvements=0)
        found = self.findings.get(agency["id"])
        facts["findings"] = ({"total": found["total"], "open": found["open"], "overdue": found["awaiting"],
                              "accepted": found["accepted"]} if found else {})
        return facts


def reset(*, progress, state: dict) -> dict[str, int]:
    """Delete the generated periods and every report of a generated agency or period."""
    agencies = generated_agencies()
    periods = (ReportingPeriod.history.model.objects.filter(history_type="+", history_change_reason=HISTORY_REASON)
               .values("id"))
    steps = [
        (ReportReminder, models.Q(agency_id__in=agencies) | models.Q(period_id__in=periods)),
        (AgencyReport.history.model, models.Q(agency_id__in=agencies) | models.Q(period_id__in=periods)),
        (AgencyReport, models.Q(agency_id__in=agencies) | models.Q(period_id__in=periods)),
        (ConsolidatedReport, models.Q(period_id__in=periods) | models.Q(issuer_id__in=agencies)),
        (ReportingPeriod, models.Q(pk__in=periods)),
        (ReportingPeriod.history.model, models.Q(id__in=periods)),
    ]
    deleted: Counter = Counter()
    bar = progress("reset reports", len(steps))
    for model, condition in steps:
        deleted[model._meta.label] += raw_delete(model._default_manager.filter(condition))
        bar.update(1)
    bar.close()
    return {k: v for k, v in deleted.items() if v}

