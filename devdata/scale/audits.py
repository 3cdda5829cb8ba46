"""National-scale inspections for benchmarks (called by `manage.py generate_scale_data` after agencies).

Per province and per year of the data set (5 years): the yearly plan (approved; closed for past years), the
request to report, one plan entry and one inspection per mandatory agency (at least a third on site, the
provincial bodies first, as the services' own demo does), inspection decisions for the on-site visits with
their teams, signed records (BBKT) and about 50,000 findings in all at full scale, with the agencies'
corrective-action responses, the inspectors' decisions and each finding's timeline. Past years are closed
(most findings accepted, a few still overdue); the current year is in progress as of `state["today"]`.
The checklist answers and the per-item results of the record are written for the current year only (they
are per-inspection detail; 13 rows each would double the data set for little).

Bulk inserts only; history rows dated when the thing happened. Document numbers continue the real sequences.
"""

import math
import random
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db import models

from agencies.models import (
    Agency,
    AgencyKind,
    AgencyObligation,
    DocumentSequence,
    DocumentType,
    Membership,
    ObligationLevel,
    Province,
    ProvinceSettings,
    Role,
)
from audits.models import (
    AgencyChecklistAnswer,
    ChecklistItem,
    ChecklistResult,
    ChecklistVersion,
    Finding,
    FindingClass,
    FindingEvent,
    FindingEventKind,
    FindingEvidence,
    FindingResponse,
    FindingStatus,
    Inspection,
    InspectionDecision,
    InspectionForm,
    InspectionKind,
    InspectionPlan,
    InspectionRecord,
    InspectionStatus,
    PlanEntry,
    PlanState,
    RecordItemResult,
    ReportRequest,
    ResponseOutcome,
    TeamMember,
    TeamRole,
)
from devdata.scale.agencies import (
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
from qms_portal.dates import add_months

K = AgencyKind
ON_SITE_FIRST = (K.PROVINCIAL_PEOPLES_COMMITTEE, K.PROVINCIAL_OFFICE, K.DEPARTMENT, K.SUB_DEPARTMENT,
                 K.PUBLIC_ADMIN_SERVICE_CENTRE)
FINDINGS_ON_SITE = [(0, 6), (1, 10), (2, 16), (3, 20), (4, 18), (5, 14), (6, 10), (7, 6)]
FINDINGS_BY_DOCUMENTS = [(0, 22), (1, 28), (2, 24), (3, 14), (4, 8), (5, 4)]
CLASSES = [("nonconformity", 50), ("observation", 35), ("recommendation", 15)]
CLAUSES = ["4.3", "4.4", "5.2", "6.1", "6.2", "7.2", "7.5", "8.1", "8.5", "9.1", "9.2", "9.3", "10.2"]
DESCRIPTIONS = {
    "scope-covers-procedures": "Một số thủ tục hành chính mới công bố chưa được xây dựng quy trình và đưa vào "
                               "phạm vi áp dụng.",
    "documents-rolled-out": "Tài liệu HTQLCL chưa được phổ biến đến toàn bộ công chức trong phạm vi áp dụng.",
    "requirements-complied": "Mục tiêu chất lượng chưa được theo dõi, đo lường định kỳ.",
    "processes-carried-out": "Một số hồ sơ giải quyết thủ tục hành chính chưa thực hiện đúng quy trình đã ban "
                             "hành.",
    "review-audit-corrective-action": "Chưa tổ chức xem xét của lãnh đạo về HTQLCL trong năm.",
    "complaints-handled": "Chưa lưu đầy đủ hồ sơ giải quyết phản ánh, kiến nghị.",
    "improvement-activities": "Chưa có hoạt động cải tiến được ghi nhận trong kỳ.",
    "leaders-and-staff-take-part": "Một số phòng chuyên môn chưa tham gia đầy đủ hoạt động duy trì HTQLCL.",
    "effectiveness-confirmed": "Chưa có văn bản xác nhận hiệu lực của HTQLCL.",
    "announced-notified-posted": "Chưa niêm yết Quyết định công bố tại trụ sở và trên trang thông tin điện tử.",
    "legal-changes-within-3-months": "Chưa cập nhật văn bản quy phạm pháp luật mới vào HTQLCL trong thời hạn "
                                     "3 tháng.",
    "reannounced-after-scope-change": "Chưa công bố lại sau khi điều chỉnh phạm vi áp dụng.",
    "consultant-properly-selected": "Hồ sơ lựa chọn tổ chức tư vấn chưa đầy đủ.",
}
ACTIONS = ["Đã rà soát, bổ sung quy trình và ban hành lại tài liệu.", "Đã tổ chức phổ biến lại cho công chức.",
           "Đã tổ chức xem xét của lãnh đạo và lưu hồ sơ.", "Đã cập nhật văn bản pháp luật mới vào quy trình.",
           "Đã niêm yết và đăng tải Quyết định công bố."]
REJECTIONS = ["Chưa gửi kèm hồ sơ minh chứng.", "Biện pháp khắc phục chưa xử lý nguyên nhân."]


class _Numbers:
    """Official numbers per issuing body, type and year, continued later by the real sequences."""

    def __init__(self):
        self.last: Counter = Counter()

    def take(self, issuer: dict, doc_type: str, year: int) -> str:
        key = (issuer["id"], doc_type, year)
        self.last[key] += 1
        return f"{self.last[key]:02d}/{doc_type}-{issuer['short_code']}"

    def sequences(self) -> list:
        return [new(DocumentSequence, issuer_id=issuer, doc_type=doc_type, year=year, last_number=last)
                for (issuer, doc_type, year), last in self.last.items()]


def _people() -> dict:
    """User ids and names of the generated roles: inspectors and leaders per province, heads and officers."""
    people = {"inspectors": defaultdict(list), "leaders": defaultdict(list), "heads": {}, "officers": {}}
    rows = (Membership.objects.filter(user__in=generated_users())
            .values("role", "province_id", "agency_id", "user_id", "user__last_name", "user__first_name")
            .order_by("user__username"))
    for row in rows:
        person = (row["user_id"], f"{row['user__last_name']} {row['user__first_name']}".strip())
        if row["role"] == Role.INSPECTOR:
            people["inspectors"][row["province_id"]].append(person)
        elif row["role"] == Role.DEPARTMENT_LEADER:
            people["leaders"][row["province_id"]].append(person)
        elif row["role"] == Role.AGENCY_HEAD:
            people["heads"][row["agency_id"]] = person
        elif row["role"] == Role.ISO_OFFICER:
            people["officers"][row["agency_id"]] = person
    return people


def generate(*, rng: random.Random, scale: float, progress, state: dict) -> dict[str, int]:
    today: date = state["today"]
    years: list[int] = state["years"]
    counts: Counter = Counter()
    generated = generated_agencies()
    agencies = {a["id"]: a for a in Agency.objects.filter(pk__in=generated)
                .values("id", "province_id", "kind", "short_code", "name", "address")}
    mandatory: dict = defaultdict(list)  # (province, year) -> agencies
    for agency_id, year in (AgencyObligation.objects.filter(agency__in=generated, level=ObligationLevel.MANDATORY,
                                                            year__in=years)
                            .order_by("agency_id", "year").values_list("agency_id", "year")):
        mandatory[(agencies[agency_id]["province_id"], year)].append(agencies[agency_id])
    settings = {s.province_id: s for s in ProvinceSettings.objects.filter(lead_agency__in=generated)}
    people = _people()
    versions = {}
    items: dict[int, list] = defaultdict(list)
    for item in ChecklistItem.objects.order_by("version_id", "number"):
        items[item.version_id].append(item)
    classes = {c.code: c for c in FindingClass.objects.all()}
    numbers = _Numbers()
    token = rng.getrandbits(64)
    provinces = [p for p in Province.objects.current().order_by("code") if p.pk in settings]
    bar = progress("inspections & findings (provinces)", len(provinces))
    for province in provinces:
        writer = _ProvinceInspections(province, settings[province.pk], rng=random.Random(f"{token}:{province.code}"),
                                      today=today, people=people, counts=counts, numbers=numbers, classes=classes)
        for year in years:
            when = date(year, 1, 20)
            if year not in versions:
                versions[year] = ChecklistVersion.objects.current(when)
            version = versions[year]
            if version is None or when > today:
                continue
            writer.year(year, mandatory.get((province.pk, year), []), items[version.pk])
        bar.update(1)
        bar.set_postfix(findings=counts["audits.Finding"], rows=sum(counts.values()), refresh=False)
    bar.close()
    DocumentSequence.objects.bulk_create(numbers.sequences(), batch_size=2000)
    counts["agencies.DocumentSequence"] += len(numbers.last)
    return dict(counts)


class _ProvinceInspections:
    def __init__(self, province, settings, *, rng, today, people, counts, numbers, classes):
        self.province, self.rng, self.today, self.counts = province, rng, today, counts
        self.numbers, self.classes = numbers, classes
        self.classes_by_id = {c.pk: code for code, c in classes.items()}
        unit = settings.inspecting_agency or settings.lead_agency
        self.issuer = {"id": unit.pk, "short_code": unit.short_code, "name": unit.name}
        self.inspectors = people["inspectors"].get(province.pk) or [(None, "Thanh tra viên")]
        self.leader = (people["leaders"].get(province.pk) or [(None, "")])[0]
        self.heads, self.officers = people["heads"], people["officers"]

    # --- one year of one province -------------------------------------------------------------------------
    def year(self, year: int, agencies: list[dict], checklist: list) -> None:
        rng, today, counts = self.rng, self.today, self.counts
        inspector_id, inspector_name = self.inspectors[year % len(self.inspectors)]
        past = year < today.year
        issued = min(date(year, 1, rng.randint(5, 15)), today)
        approved = min(issued + timedelta(days=rng.randint(5, 15)), today)
        plan = new(InspectionPlan, province_id=self.province.pk, year=year, issuer_id=self.issuer["id"],
                   state=PlanState.CLOSED if past else PlanState.IN_PROGRESS,
                   number=self.numbers.take(self.issuer, DocumentType.PLAN, year), issued_on=issued,
                   purpose="Kiểm tra việc áp dụng, duy trì và cải tiến HTQLCL theo TCVN ISO 9001 tại các cơ quan, "
                           "đơn vị trên địa bàn tỉnh.",
                   organisation="Chi cục Tiêu chuẩn Đo lường Chất lượng chủ trì, phối hợp Sở Nội vụ.",
                   signing_capacity="kt", signer_name=inspector_name,
                   submitted_at=at(issued, rng), submitted_by_id=inspector_id,
                   approval_number=f"{rng.randint(100, 999)}/QĐ-UBND", approval_date=approved,
                   approved_at=at(approved, rng), approved_by_id=self.leader[0],
                   closed_at=at(date(year, 12, rng.randint(15, 28)), rng) if past else None,
                   created_by_id=inspector_id)
        bulk_insert([plan], InspectionPlan, counts, history=False)
        plan_steps = [(at(issued - timedelta(days=3), rng), "+", {"state": PlanState.DRAFT, "number": "",
                                                                  "issued_on": None, "approval_number": "",
                                                                  "approval_date": None, "closed_at": None},
                       "", inspector_id),
                      (plan.submitted_at, "~", {"state": PlanState.SUBMITTED, "approval_number": "",
                                                "approval_date": None, "closed_at": None},
                       "Submitted for approval", inspector_id),
                      (plan.approved_at, "~", {"state": PlanState.APPROVED, "closed_at": None}, "Approved",
                       self.leader[0])]
        if past:
            plan_steps.append((plan.closed_at, "~", {}, "Closed", inspector_id))
        bulk_history(InspectionPlan, [(plan, plan_steps)], counts)

        request_day = date(year, 3, 2)
        request = None
        if request_day < today:
            request = stamp(new(ReportRequest, province_id=self.province.pk, issuer_id=self.issuer["id"],
                                number=self.numbers.take(self.issuer, DocumentType.NOTICE, year),
                                issued_on=request_day, deadline=date(year, 3, 31), created_by_id=inspector_id,
                                message="Đề nghị các cơ quan, đơn vị tự đánh giá theo 13 nội dung kiểm tra và gửi "
                                        "kèm hồ sơ minh chứng."), at(request_day, rng), inspector_id)
            bulk_insert([request], ReportRequest, counts)

        # entries: provincial bodies on site first, then enough others to reach one third
        required = math.ceil(len(agencies) / 3)
        ordered = sorted(agencies, key=lambda a: (a["kind"] not in ON_SITE_FIRST, a["short_code"]))
        entries = []
        for index, agency in enumerate(ordered):
            on_site = index < max(required, 1)
            start = date(year, 4 + index % 7, 1 + (index * 3) % 20)
            entries.append(stamp(new(
                PlanEntry, plan=plan, agency_id=agency["id"], inspecting_unit_id=self.issuer["id"],
                cooperating_unit="Sở Nội vụ" if on_site else "", expected_from=start,
                expected_to=start + timedelta(days=2 if on_site else 14),
                form=InspectionForm.ON_SITE if on_site else InspectionForm.DOCUMENTS,
                budget_vnd=3_000_000 if on_site else 500_000), at(issued - timedelta(days=2), rng), inspector_id))
        bulk_insert(entries, PlanEntry, counts)

        # decisions: on-site visits in groups of up to three agencies
        on_site = [e for e in entries if e.form == InspectionForm.ON_SITE]
        decisions, members, decision_of = [], [], {}
        for start in range(0, len(on_site), 3):
            group = on_site[start:start + 3]
            starts_on = min(e.expected_from for e in group)
            issued_on = max(starts_on - timedelta(days=rng.randint(7, 14)), approved)
            if issued_on >= today:
                continue
            decision = stamp(new(
                InspectionDecision, province_id=self.province.pk, issuer_id=self.issuer["id"],
                number=self.numbers.take(self.issuer, DocumentType.DECISION, year), issued_on=issued_on,
                starts_on=max(starts_on, issued_on), ends_on=max(max(e.expected_to for e in group), issued_on),
                team_leader=inspector_name, team_leader_position="Phó Chi cục trưởng",
                signing_capacity="kt", signer_name=inspector_name,
                created_by_id=inspector_id), at(issued_on, rng), inspector_id)
            decisions.append(decision)
            for entry in group:
                decision_of[entry.agency_id] = decision
        bulk_insert(decisions, InspectionDecision, counts)
        for decision in decisions:
            for order, (role, name) in enumerate([(TeamRole.SECRETARY, "Nguyễn Văn An"),
                                                  (TeamRole.MEMBER, "Trần Thị Bích"),
                                                  (TeamRole.MEMBER, "Lê Quốc Khánh")][:rng.randint(2, 3)]):
                members.append(new(TeamMember, decision=decision, name=name, role=role, order=order,
                                   position="Chuyên viên" if order else "Chuyên viên Chi cục TĐC"))
        bulk_insert(members, TeamMember, counts, history=False)

        # inspections and their records
        inspections, timelines, records = [], [], []
        by_id = {a["id"]: a for a in ordered}
        for entry in entries:
            agency = by_id[entry.agency_id]
            head_id, head_name = self.heads.get(entry.agency_id, (None, ""))
            reporter = self.officers.get(entry.agency_id, (head_id, head_name))[0]
            assessed = day_between(rng, date(year, 3, 10), date(year, 3, 31)) if request else None
            if assessed and (assessed >= today or rng.random() < (0.02 if past else 0.05)):
                assessed = None
            decision = decision_of.get(entry.agency_id)
            signed_on = entry.expected_to + timedelta(days=rng.randint(0, 3))
            signable = signed_on < today and (decision is not None or entry.form == InspectionForm.DOCUMENTS)
            signed = signable and assessed is not None and (past or rng.random() < 0.93)
            status = (InspectionStatus.SIGNED if signed else InspectionStatus.DECIDED if decision
                      else InspectionStatus.SELF_ASSESSED if assessed
                      else InspectionStatus.REQUESTED if request else InspectionStatus.PLANNED)
            inspection = new(
                Inspection, province_id=self.province.pk, agency_id=entry.agency_id, year=year, plan=plan,
                plan_entry=entry, kind=InspectionKind.PLANNED, form=entry.form, status=status,
                inspecting_unit_id=self.issuer["id"], expected_from=entry.expected_from,
                expected_to=entry.expected_to,
                scheduled_on=entry.expected_from if entry.form == InspectionForm.ON_SITE else None,
                location=agency["address"], checklist_version_id=checklist[0].version_id,
                report_request=request, decision=decision,
                self_assessment_submitted_at=at(assessed, rng) if assessed else None,
                self_assessment_submitted_by_id=reporter if assessed else None, created_by_id=inspector_id)
            inspection._facts = (signed_on if signed else None, head_name, assessed)
            inspection._decision = decision
            inspections.append(inspection)
            steps = [(at(approved, rng), "+", {"status": InspectionStatus.PLANNED, "report_request_id": None,
                                               "decision_id": None, "self_assessment_submitted_at": None,
                                               "self_assessment_submitted_by_id": None}, "", self.leader[0])]
            if status != InspectionStatus.PLANNED:
                last = signed_on if signed else (decision.issued_on if decision else assessed or request_day)
                steps.append((at(last, rng), "~", {}, "", inspector_id if signed or decision else reporter))
            timelines.append((inspection, steps))
        bulk_insert(inspections, Inspection, counts, history=False)
        bulk_history(Inspection, timelines, counts)
        for inspection in inspections:
            signed_on, head_name, _assessed = inspection._facts
            if signed_on is None:
                continue
            record = new(InspectionRecord, inspection=inspection, issuer_id=self.issuer["id"],
                         number=self.numbers.take(self.issuer, DocumentType.RECORD, signed_on.year),
                         place=inspection.location, team_leader_name=inspector_name,
                         agency_representative=head_name or "Thủ trưởng cơ quan",
                         agency_representative_position="Thủ trưởng cơ quan",
                         conclusion="Cơ quan đã áp dụng, duy trì HTQLCL theo TCVN ISO 9001:2015; còn một số tồn "
                                    "tại cần khắc phục như nêu tại biên bản.",
                         signed_on=signed_on, signed_at=at(signed_on, rng), signed_by_id=inspector_id)
            record._signed = signed_on
            records.append(record)
        bulk_insert(records, InspectionRecord, counts, history=False)
        bulk_history(InspectionRecord, [(r, [(r.signed_at - timedelta(hours=3), "+", {
            "signed_on": None, "signed_at": None, "signed_by_id": None, "number": ""}, "", inspector_id),
            (r.signed_at, "~", {}, "Signed", inspector_id)]) for r in records], counts)

        current = year == self.today.year
        if current:  # per-item detail for the year in progress only
            answers, results = [], []
            for inspection in inspections:
                if inspection.self_assessment_submitted_at:
                    for item in checklist:
                        answers.append(stamp(new(
                            AgencyChecklistAnswer, inspection=inspection, item=item,
                            result=weighted(rng, [(ChecklistResult.MET, 80), (ChecklistResult.PARTLY, 15),
                                                  (ChecklistResult.NOT_MET, 5)]),
                            explanation="Đơn vị đã thực hiện theo quy định.",
                            updated_by_id=inspection.self_assessment_submitted_by_id),
                            inspection.self_assessment_submitted_at, inspection.self_assessment_submitted_by_id))
            for record in records:
                for item in checklist:
                    results.append(stamp(new(RecordItemResult, record=record, item=item,
                                             result=weighted(rng, [(ChecklistResult.MET, 75),
                                                                   (ChecklistResult.PARTLY, 18),
                                                                   (ChecklistResult.NOT_MET, 7)])),
                                         record.signed_at - timedelta(hours=2), inspector_id))
            bulk_insert(answers, AgencyChecklistAnswer, counts)
            bulk_insert(results, RecordItemResult, counts)
        self._findings(inspections, checklist, inspector_id)

    def _findings(self, inspections, checklist, inspector_id) -> None:
        rng, counts = self.rng, self.counts
        findings, timelines = [], []
        for inspection in inspections:
            signed_on, _head, _assessed = inspection._facts
            if signed_on is None and inspection.status != InspectionStatus.DECIDED:
                continue
            how_many = weighted(rng, FINDINGS_ON_SITE if inspection.form == InspectionForm.ON_SITE
                                else FINDINGS_BY_DOCUMENTS)
            if signed_on is None:
                how_many = min(how_many, 2)  # recorded during the visit, record not signed yet
            recorded = signed_on or inspection._decision.starts_on
            for number, item in enumerate(rng.sample(checklist, min(how_many, len(checklist))), 1):
                due = add_months(signed_on, 2) if signed_on else None
                finding = new(Finding, inspection=inspection, province_id=inspection.province_id,
                              agency_id=inspection.agency_id, responsible_agency_id=inspection.agency_id,
                              number=number, checklist_item=item,
                              clause=rng.choice(CLAUSES),
                              classification=self.classes[weighted(rng, CLASSES)],
                              description=DESCRIPTIONS.get(item.code, "Chưa đáp ứng yêu cầu."), due_on=due,
                              status=FindingStatus.OPEN, created_by_id=inspector_id,
                              record_signed=signed_on is not None)
                finding._story = self._story(due, recorded)
                finding._codes = (self.classes_by_id[finding.classification_id], item.code)
                status, closed_on = finding._story["status"], finding._story["closed_on"]
                finding.status, finding.closed_on = status, closed_on
                findings.append(finding)
        bulk_insert(findings, Finding, counts, history=False)
        responses, events = [], []
        for finding in findings:
            story = finding._story
            head_id = self.heads.get(finding.agency_id, (None, ""))[0]
            officer_id = self.officers.get(finding.agency_id, (head_id, ""))[0] or head_id
            created = at(story["recorded"], rng)
            steps = [(created, "+", {"status": FindingStatus.OPEN, "due_on": None, "closed_on": None},
                      "Recorded", inspector_id)]
            events.append(new(FindingEvent, finding=finding, kind=FindingEventKind.CREATED, actor_id=inspector_id,
                              at=created, data={"classification": finding._codes[0], "item": finding._codes[1]}))
            if finding.due_on:
                signed = created + timedelta(hours=1)
                steps.append((signed, "~", {"status": FindingStatus.OPEN, "closed_on": None}, "Record signed",
                              inspector_id))
                events.append(new(FindingEvent, finding=finding, kind=FindingEventKind.DUE_DATE_SET,
                                  actor_id=inspector_id, at=signed, data={"due_on": finding.due_on.isoformat()}))
            for submitted, outcome, decided in story["responses"]:
                if head_id is None:
                    continue
                response = new(FindingResponse, finding=finding, cause="Cán bộ chưa nắm vững quy trình.",
                               action_taken=rng.choice(ACTIONS), submitted_by_id=officer_id,
                               submitted_at=at(submitted, rng), outcome=outcome,
                               decided_by_id=inspector_id if decided else None,
                               decided_at=at(decided, rng) if decided else None,
                               decision_reason=rng.choice(REJECTIONS) if outcome == ResponseOutcome.REJECTED else "")
                responses.append(response)
                events.append(new(FindingEvent, finding=finding, kind=FindingEventKind.RESPONDED, actor_id=officer_id,
                                  at=response.submitted_at))
                steps.append((response.submitted_at, "~", {"status": FindingStatus.RESPONDED, "closed_on": None},
                              "Response submitted", officer_id))
                if decided:
                    accepted = outcome == ResponseOutcome.ACCEPTED
                    events.append(new(FindingEvent, finding=finding, actor_id=inspector_id, at=response.decided_at,
                                      kind=FindingEventKind.ACCEPTED if accepted else FindingEventKind.REJECTED,
                                      reason=response.decision_reason))
                    steps.append((response.decided_at, "~",
                                  {} if accepted else {"status": FindingStatus.REJECTED, "closed_on": None},
                                  "Accepted" if accepted else "Not accepted", inspector_id))
            timelines.append((finding, steps))
        bulk_history(Finding, timelines, counts)
        bulk_insert(responses, FindingResponse, counts, history=False)
        bulk_insert(events, FindingEvent, counts, history=False)

    def _story(self, due: date | None, recorded: date) -> dict:
        """What happened to a finding by `today`: responses (date, outcome, decided on) and the final status."""
        rng, today = self.rng, self.today
        story = {"recorded": recorded, "responses": [], "status": FindingStatus.OPEN, "closed_on": None}
        if due is None:
            return story
        responded = recorded + timedelta(days=rng.randint(20, 75))
        roll = rng.random()
        if responded >= today or roll < 0.07:
            return story  # nothing sent yet (overdue once the due date passes)
        decided = responded + timedelta(days=rng.randint(5, 30))
        if decided >= today:
            story["responses"].append((responded, ResponseOutcome.PENDING, None))
            story["status"] = FindingStatus.RESPONDED
            return story
        if roll < 0.20:  # not accepted the first time
            story["responses"].append((responded, ResponseOutcome.REJECTED, decided))
            again = decided + timedelta(days=rng.randint(10, 40))
            if again >= today or roll < 0.09:
                story["status"] = FindingStatus.REJECTED
                return story
            final = again + timedelta(days=rng.randint(5, 20))
            if final >= today:
                story["responses"].append((again, ResponseOutcome.PENDING, None))
                story["status"] = FindingStatus.RESPONDED
                return story
            story["responses"].append((again, ResponseOutcome.ACCEPTED, final))
            story["status"], story["closed_on"] = FindingStatus.ACCEPTED, final
            return story
        story["responses"].append((responded, ResponseOutcome.ACCEPTED, decided))
        story["status"], story["closed_on"] = FindingStatus.ACCEPTED, decided
        return story


def reset(*, progress, state: dict) -> dict[str, int]:
    """Delete the inspections of generated agencies (and the plans, requests and decisions they issued)."""
    agencies = generated_agencies()
    inspections = Inspection.objects.filter(agency_id__in=agencies).values("pk")
    findings = Finding.objects.filter(agency_id__in=agencies).values("pk")
    records = InspectionRecord.objects.filter(inspection__in=inspections).values("pk")
    answers = AgencyChecklistAnswer.objects.filter(inspection__in=inspections).values("pk")
    issued = models.Q(issuer_id__in=agencies)
    steps = [
        (FindingEvent, models.Q(finding__in=findings)),
        (FindingEvidence, models.Q(finding__in=findings)),
        (FindingResponse, models.Q(finding__in=findings)),
        (Finding.history.model, models.Q(agency_id__in=agencies)),
        (Finding, models.Q(agency_id__in=agencies)),
        (RecordItemResult.history.model, models.Q(record_id__in=records)),
        (RecordItemResult, models.Q(record__in=records)),
        (InspectionRecord.history.model, models.Q(inspection_id__in=inspections)),
        (InspectionRecord, models.Q(inspection__in=inspections)),
        (AgencyChecklistAnswer.evidence.through, models.Q(agencychecklistanswer_id__in=answers)),
        (AgencyChecklistAnswer.history.model, models.Q(inspection_id__in=inspections)),
        (AgencyChecklistAnswer, models.Q(inspection__in=inspections)),
        (Inspection.history.model, models.Q(agency_id__in=agencies)),
        (Inspection, models.Q(agency_id__in=agencies)),
        (TeamMember, models.Q(decision__issuer_id__in=agencies)),
        (InspectionDecision.history.model, issued),
        (InspectionDecision, issued),
        (ReportRequest.history.model, issued),
        (ReportRequest, issued),
        (PlanEntry.history.model, models.Q(agency_id__in=agencies)),
        (PlanEntry, models.Q(agency_id__in=agencies) | models.Q(plan__issuer_id__in=agencies)),
        (InspectionPlan.history.model, issued),
        (InspectionPlan, issued),
    ]
    deleted: Counter = Counter()
    bar = progress("reset inspections", len(steps))
    for model, condition in steps:
        deleted[model._meta.label] += raw_delete(model._default_manager.filter(condition))
        bar.update(1)
    bar.close()
    return {k: v for k, v in deleted.items() if v}
