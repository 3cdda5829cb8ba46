"""The three printed documents of an inspection in the official layout (Decree 30/2020, DOMAIN.md §9):
the plan (Mẫu 19), the inspection decision (Mẫu 20) and the inspection record (BBKT, Mẫu 21).

They are rendered by the shared renderer in `qms_portal.printing`; this module only supplies the header
data and the body context. The printed text is Vietnamese legal wording, whatever the user's language.
"""

import copy
from datetime import date

from django.utils import timezone

from agencies.divisions import committee_short, division_name
from agencies.issuers import Issuer, SigningForm, issuer_of
from agencies.models import Agency, AgencyKind, DocumentType
from qms_portal.printing import OfficialDocument, render_official_docx, render_official_pdf, short_date
from qms_portal.printing.labels import PrintedLabels

from .models import (
    REPLACED_DUE,
    ChecklistGroup,
    ChecklistResult,
    FindingEvent,
    Inspection,
    InspectionDecision,
    InspectionForm,
    InspectionPlan,
    InspectionRecord,
    RejectionLetter,
    TeamRole,
)

# The pages' own labels, in Vietnamese: one vocabulary for pages and documents.
RESULT_TEXT = PrintedLabels(ChecklistResult)
FORM_TEXT = PrintedLabels(InspectionForm)
GROUP_TEXT = {ChecklistGroup.ISO_9001: "Đối chiếu với yêu cầu của Tiêu chuẩn quốc gia TCVN ISO 9001",
              ChecklistGroup.DECISION_19: "Đối chiếu với yêu cầu của Quyết định số 19/2014/QĐ-TTg"}
LEGAL_BASIS = [
    "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ "
    "thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt động của các cơ quan, tổ chức "
    "thuộc hệ thống hành chính nhà nước;",
    "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và Công nghệ quy "
    "định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg;",
]


def vnd(amount: int | None) -> str:
    return f"{amount or 0:,}".replace(",", ".")


def head_title(agency: Agency) -> str:
    """The head's title as written in a signature block: "CHI CỤC TRƯỞNG", "GIÁM ĐỐC"."""
    return issuer_of(agency).titles.head


def capacity_lines(form: str, issuer: Issuer) -> tuple[str, ...]:
    """The signature lines of the chosen form; the body's head when none was chosen."""
    return issuer.capacity_lines(form or SigningForm.HEAD, allow_default=True)


def number_or_blank(number: str, doc_type: str, issuer: Issuer) -> str:
    return number or issuer.blank_number(doc_type)


# Points under a numbered section are lettered a), b), c), d), đ), e)... (Decree 30/2020, Appendix I)
LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def checklist_groups(items, results: dict | None = None) -> list[dict]:
    """[{"title": ..., "letter": "A", "rows": [{"item", "result", "result_text", "notes"}]}], by group."""
    groups: dict[str, dict] = {}
    for item in items:
        group = groups.setdefault(item.group, {"title": GROUP_TEXT.get(item.group, item.get_group_display()),
                                               "rows": []})
        row = (results or {}).get(item.pk)
        result = row.result if row else ""
        group["rows"].append({"item": item, "result": result, "result_text": RESULT_TEXT.get(result, ""),
                              "notes": row.notes if row else "", "letter": LETTERS[len(group["rows"]) % len(LETTERS)]})
    return [{**g, "letter": "AB"[i] if i < 2 else str(i + 1)} for i, g in enumerate(groups.values())]


def plan_moment(plan: InspectionPlan):
    """When the plan's names are read: an approved plan prints the names of its approval, whatever the agencies
    have been renamed (or merged into) since; a draft or a submitted plan, not issued yet, today's."""
    return plan.approved_at if plan.is_approved else None


def _plan(plan: InspectionPlan):
    entries = list(plan.entries.select_related("agency", "inspecting_unit").order_by("expected_from", "agency__name"))
    body = plan.issuer
    then = agencies_as_of([body, *([body.parent] if body.parent_id else []),
                           *(e.agency for e in entries), *(e.inspecting_unit for e in entries)], plan_moment(plan))
    body = then[body.pk]
    if body.parent_id:
        body.parent = then[body.parent_id]  # (a copy when renamed: the agency itself is not changed)
    issuer = issuer_of(body)
    items = list(plan_items(plan))
    recipients = [f"{committee_short(plan.province)} (để báo cáo)"]
    if body.parent and body.parent.kind != AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE:
        recipients.append(body.parent.name)
    recipients += ["Các cơ quan, đơn vị được kiểm tra", f"Lưu: VT, {issuer.code}"]
    document = OfficialDocument(
        parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
        number=number_or_blank(plan.number, DocumentType.PLAN, issuer), place=issuer.place,
        issued_on=plan.issued_on or timezone.localdate(), doc_type="Kế hoạch",
        summary=f"Kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
                f"TCVN ISO 9001 tại các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước trên địa bàn "
                f"{division_name(plan.province)} năm {plan.year}",
        recipients=recipients, signing_capacity=capacity_lines(plan.signing_capacity, issuer),
        signer_name=plan.signer_name)
    context = {
        "plan": plan, "issuer": body, "entries": entries, "legal_basis": LEGAL_BASIS,
        "groups": checklist_groups(items),
        "on_site": sum(1 for e in entries if e.form == InspectionForm.ON_SITE),
        "by_documents": sum(1 for e in entries if e.form == InspectionForm.DOCUMENTS),
        "budget_total": vnd(sum(e.budget_vnd for e in entries)),
        "rows": [{"entry": e, "agency": then[e.agency_id], "inspecting_unit": then[e.inspecting_unit_id],
                  "form": FORM_TEXT[e.form], "budget": vnd(e.budget_vnd),
                  "period": f"{short_date(e.expected_from)} - {short_date(e.expected_to)}"} for e in entries],
        "approval_date": short_date(plan.approval_date) if plan.approval_date else "",
    }
    return document, "audits/pdf/plan_body.html", context, f"ke-hoach-kiem-tra-{plan.year}-{plan.pk}.pdf"


def plan_items(plan: InspectionPlan):
    from .models import ChecklistVersion

    version = ChecklistVersion.objects.current(plan.issued_on or timezone.localdate())
    return version.items.order_by("number") if version else []


def dates_as_decided(decision: InspectionDecision) -> dict:
    """{inspection id: the date it was scheduled on when `decision` took it}: the decision prints those, whatever
    the inspection was moved to afterwards (within the decision's period, `services.inspection_update`). Read from
    each inspection's history: its first version that names the decision."""
    history = Inspection.history.model.objects.filter(decision_id=decision.pk)
    return dict(history.order_by("id", "history_date", "history_id").distinct("id").values_list("id", "scheduled_on"))


def _decision(decision: InspectionDecision):
    issuer, body = issuer_of(decision.issuer), decision.issuer
    as_decided = dates_as_decided(decision)
    inspections = list(decision.inspections.select_related("agency", "plan").order_by("agency__name"))
    for inspection in inspections:
        inspection.scheduled_on = as_decided.get(inspection.pk, inspection.scheduled_on)
    inspections.sort(key=lambda i: i.scheduled_on or date.max)  # stable: by name (the database's order) within a day
    named = agencies_as_of([i.agency for i in inspections], decision.created_at)
    plan = next((i.plan for i in inspections if i.plan_id), None)
    members = list(decision.members.all())
    team = [{"name": decision.team_leader, "position": decision.team_leader_position, "role": "Trưởng đoàn"}]
    team += [{"name": m.name, "position": m.position,
              "role": "Thư ký" if m.role == TeamRole.SECRETARY else "Thành viên"} for m in members]
    year = decision.starts_on.year
    document = OfficialDocument(
        parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
        number=number_or_blank(decision.number, DocumentType.DECISION, issuer), place=issuer.place,
        issued_on=decision.issued_on, doc_type="Quyết định",
        summary=f"Về việc kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn "
                f"quốc gia TCVN ISO 9001 năm {year}",
        recipients=["Như Điều 3", f"{committee_short(decision.province)} (để báo cáo)", f"Lưu: VT, {issuer.code}"],
        signing_capacity=capacity_lines(decision.signing_capacity, issuer), signer_name=decision.signer_name)
    context = {
        "decision": decision, "issuer": body, "authority": f"{issuer.titles.head} {issuer.issuing_body_text}",
        "legal_basis": LEGAL_BASIS, "plan": plan, "team": team, "year": year,
        "plan_date": short_date(plan.issued_on) if plan and plan.issued_on else "",
        "approval_date": short_date(plan.approval_date) if plan and plan.approval_date else "",
        "rows": [{"agency": named[i.agency_id],
                  "date": short_date(i.scheduled_on) if i.scheduled_on else ""} for i in inspections],
        "starts_on": short_date(decision.starts_on), "ends_on": short_date(decision.ends_on),
    }
    return document, "audits/pdf/decision_body.html", context, f"quyet-dinh-kiem-tra-{decision.pk}.pdf"


def agency_as_of(agency: Agency, moment) -> Agency:
    """`agency` with the name it had at `moment` (from its history): a signed or issued document says what it said
    then, whatever the agency has been renamed (or merged into) since. `moment` None (a draft): as it is now."""
    return agencies_as_of([agency], moment)[agency.pk]


# What a document prints of an agency, read from its history as it was at the document's moment.
NAME_FIELDS = ("name", "printed_name")


def agencies_as_of(agencies, moment) -> dict[int, Agency]:
    """{id: `agency_as_of(agency, moment)`} for several agencies, in one query whatever their number: the newest
    version of each at `moment`. An agency whose names have not changed since is itself; a renamed one a copy."""
    now = {agency.pk: agency for agency in agencies}
    if moment is None or not now:
        return now
    history = (Agency.history.model.objects.filter(id__in=list(now), history_date__lte=moment)
               .order_by("id", "-history_date", "-history_id").distinct("id").values("id", *NAME_FIELDS))
    then = dict(now)
    for row in history:
        agency = now[row["id"]]
        changed = {key: row[key] for key in NAME_FIELDS if row[key] and row[key] != getattr(agency, key)}
        if changed:
            then[agency.pk] = copy.copy(agency)
            for key, value in changed.items():
                setattr(then[agency.pk], key, value)
    return then


def _record(record: InspectionRecord):
    from qms_portal.printing import vietnamese_date

    inspection = record.inspection
    body, agency, decision = record.issuer, agency_as_of(inspection.agency, record.signed_at), inspection.decision
    issuer = issuer_of(body)
    results = {r.item_id: r for r in record.results.all()}
    items = list(inspection.checklist_version.items.order_by("number"))
    findings = list(inspection.findings.select_related("classification", "checklist_item").order_by("number"))
    members = list(decision.members.all()) if decision else []
    secretary = next((m for m in members if m.role == TeamRole.SECRETARY), None)
    on = record.signed_on or timezone.localdate()
    due_of = dues_as_signed(record, findings)
    dues = [due for due in due_of.values() if due]
    document = OfficialDocument(
        parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
        number=number_or_blank(record.number, DocumentType.RECORD, issuer), place=issuer.place,
        issued_on=on, doc_type="Biên bản",
        summary=f"Kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
                f"TCVN ISO 9001 tại {agency.name}",
        recipients=[agency.name, f"Lưu: VT, {issuer.code}"],
        signing_capacity=["TRƯỞNG ĐOÀN KIỂM TRA"], signer_name=record.team_leader_name)
    context = {
        "record": record, "inspection": inspection, "agency": agency, "issuer": body, "decision": decision,
        "decision_date": short_date(decision.issued_on) if decision else "",
        "plan": inspection.plan, "plan_date": short_date(inspection.plan.issued_on)
        if inspection.plan and inspection.plan.issued_on else "",
        "date_text": vietnamese_date(on), "members": members, "secretary": secretary,
        "groups": checklist_groups(items, results), "on_site": inspection.form == InspectionForm.ON_SITE,
        "findings": [{"finding": f, "due": short_date(due_of[f.pk]) if due_of[f.pk] else ""} for f in findings],
        "last_due": short_date(max(dues)) if dues else "",
        "conclusion_paragraphs": [p for p in record.conclusion.splitlines() if p.strip()],
    }
    return document, "audits/pdf/record_body.html", context, f"bien-ban-kiem-tra-{record.pk}.pdf"


def dues_as_signed(record: InspectionRecord, findings: list) -> dict:
    """{finding id: due date} as the record was signed: the record, its PDF and its DOCX alike, keeps what its
    signatories signed (a date moved since is on the finding and in its letter)."""
    return dues_as_of(findings, record.signed_at)


def dues_as_of(findings: list, moment) -> dict:
    """{finding id: due date} in force at `moment` (the current ones when None), for a document issued then. A due
    date moved later (an extension, or a new date given with a response not accepted) is in the finding's timeline
    with the date it replaced."""
    due_of = {f.pk: f.due_on for f in findings}
    if moment is None:
        return due_of
    moves = (FindingEvent.objects.filter(finding__in=list(due_of), at__gt=moment, kind__in=REPLACED_DUE)
             .order_by("-at", "-pk").values_list("finding_id", "kind", "data"))
    for finding_id, kind, data in moves:  # newest first: the earliest move's replaced date is left
        if REPLACED_DUE[kind] in data:
            replaced = data[REPLACED_DUE[kind]]
            due_of[finding_id] = date.fromisoformat(replaced) if replaced else None
    return due_of


def _letter(letter: RejectionLetter):
    finding, body, agency = letter.finding, letter.issuer, agency_as_of(letter.agency, letter.created_at)
    issuer = issuer_of(body)
    inspection = finding.inspection
    record = getattr(inspection, "record", None)
    plan = inspection.plan
    response = letter.response
    # the date the letter was issued with: a later extension is the finding's, not this letter's
    due = letter.new_due_on or dues_as_of([finding], letter.created_at)[finding.pk]
    document = OfficialDocument(
        parent_body=issuer.parent_body, issuing_body=issuer.issuing_body, number=letter.number, place=issuer.place,
        issued_on=letter.issued_on, doc_type="",
        summary="không chấp nhận kết quả khắc phục vấn đề tồn tại sau kiểm tra HTQLCL",
        recipients=["Như trên", f"Lưu: VT, {issuer.code}"],
        signing_capacity=capacity_lines(plan.signing_capacity if plan else SigningForm.DEPUTY, issuer),
        signer_name=plan.signer_name if plan else "")
    context = {
        "letter": letter, "finding": finding, "agency": agency, "issuer": body, "record": record,
        "record_date": short_date(record.signed_on) if record and record.signed_on else "",
        "response": response,
        "response_date": short_date(timezone.localdate(response.submitted_at)) if response else "",
        "reason_paragraphs": [p for p in (line.strip() for line in letter.reason.splitlines()) if p],
        "due": short_date(due) if due else "",
    }
    return document, "audits/pdf/letter_body.html", context, f"cong-van-khong-chap-nhan-{letter.pk}.pdf"


BUILDERS = {InspectionPlan: _plan, InspectionDecision: _decision, InspectionRecord: _record,
            RejectionLetter: _letter}


def build(document_obj):
    return BUILDERS[type(document_obj)](document_obj)


def render_document(document_obj) -> tuple[bytes, str]:
    """Render the PDF of a plan, decision or record; return (bytes, file name)."""
    document, body, context, name = build(document_obj)
    return render_official_pdf(document=document, body_template=body, context=context), name


def render_docx(document_obj) -> tuple[bytes, str]:
    """The editable DOCX of a plan, decision or record, with the PDF's content; return (bytes, file name)."""
    document, body, context, name = build(document_obj)
    return render_official_docx(document=document, body_template=body, context=context), f"{name[:-4]}.docx"
