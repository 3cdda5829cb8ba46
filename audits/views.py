"""HTML pages of inspections and findings: thin views over the selectors and services.

Each page shows what the user may see (scoped selectors: 404 outside scope) and only the forms their role
may use; a POST names its action and calls one service (403 for a role that may not).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import can, scope_of
from agencies.issuers import issuer_of
from agencies.selectors import agencies_in_scope
from qms_portal.files import generated_file_response, stored_file_response
from qms_portal.forms import attempt as _attempt
from qms_portal.queries import choice_param, int_param, page_of

from . import documents, forms, selectors, services
from .models import (
    AgencyChecklistAnswer,
    FindingStatus,
    InspectionForm,
    InspectionStatus,
    PdfStatus,
    PlanEntry,
    PlanState,
)


def _conflict_redirect(request, form, url: str):
    """After a conflict the page's forms no longer fit the record: reload it and say what happened."""
    if getattr(form, "conflict", None):
        messages.error(request, form.conflict)
        return redirect(url)
    return None


def _pdf(request, document, back_url: str, title: str):
    """Serve the PDF if ready. Otherwise queue it and show the progress bar of the reports, which polls this URL
    (Accept: application/json) and downloads the file when it is ready (static/js/reports.js); without
    JavaScript the page says to open the link again."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    services.pdf_request(document=document)
    document.refresh_from_db(fields=["revision", "pdf_file", "pdf_revision", "pdf_status", "pdf_started_at",
                                     "pdf_error"])
    state = document.pdf_state  # a worker (or an eager task) may have finished meanwhile
    if state == PdfStatus.DONE and not wants_json:
        return stored_file_response(document.pdf_file)
    status = {"status": state, "progress": document.pdf_progress, "status_label": str(PdfStatus(state).label),
              "error": document.pdf_error if state == PdfStatus.FAILED else ""}
    if wants_json:
        return JsonResponse(status, status=200 if state == PdfStatus.DONE else 202)
    return render(request, "pdf_progress.html", {**status, "title": title, "back_url": back_url,
                                                     "download_url": request.path,
                                                     "downloads": [(request.path, _("Download the PDF"))]},
                  status=202)


def _docx(document):
    """The editable DOCX of a plan, decision, record or letter, made in the request: python-docx writes one
    document from one object and its rows (a plan's entries, a record's checklist and findings) in well under a
    second (docs/documents/README.md), while its PDF (WeasyPrint) is left to the worker. Same lookups, so the
    same 404 / 403 as the PDF; a draft prints its number blank, as its PDF does."""
    with translation.override("vi"):  # the printed wording is Vietnamese whatever the reader's language
        content, name = documents.render_docx(document)
    return generated_file_response(content=content, name=name, kind="docx")


@login_required
def index(request):
    if scope_of(request.user).is_agency:
        return redirect("audits:my-findings")
    return redirect("audits:calendar")


@login_required
def calendar_view(request):
    today = timezone.localdate()
    overdue_only = request.GET.get("show") == "overdue"
    months = selectors.calendar(user=request.user, today=today, overdue_only=overdue_only)
    overdue = sum(i.is_overdue for inspections in months.values() for i in inspections)
    return render(request, "audits/calendar.html", {
        "months": months.items(), "today": today, "can_manage": can(request.user, "inspection.manage"),
        "show_province": scope_of(request.user).is_national, "overdue": overdue, "overdue_only": overdue_only,
    })


# --- plans -------------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    form = forms.PlanCreateForm(request.POST or None)
    if request.method == "POST":
        created = {}
        if _attempt(form, lambda d: created.update(plan=services.plan_create(actor=request.user, year=d["year"]))):
            messages.success(request, _("The plan was created. Add the agencies to inspect."))
            return redirect("audits:plan-detail", created["plan"].pk)
    return render(request, "audits/plan_list.html", {
        "plans": selectors.plan_list(user=request.user), "form": form,
        "can_edit": can(request.user, "plan.edit"),
    })


def _inspecting_issuer(inspection):
    try:
        from .services.common import inspecting_unit_of

        return issuer_of(inspecting_unit_of(inspection.province_id))
    except ValidationError:
        return None


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    user = request.user
    in_plan = plan.entries.values("agency_id")
    candidates = agencies_in_scope(user=user).filter(province_id=plan.province_id, is_active=True).exclude(
        pk__in=in_plan).order_by("name")
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    bound = {
        "texts": forms.PlanTextForm(post if action == "texts" else None, initial={
            k: getattr(plan, k) for k in ("purpose", "organisation", "signing_capacity", "signer_name")},
            prefix="texts", issuer=issuer_of(plan.issuer)),
        "entry": forms.PlanEntryForm(post if action == "entry" else None, agencies=candidates, prefix="entry"),
        "approve": forms.ApproveForm(post if action == "approve" else None, prefix="approve"),
        "return": forms.ReasonForm(post if action == "return" else None, prefix="return"),
        "request": forms.ReportRequestForm(post if action == "request" else None, prefix="request"),
        "submit": forms.forms.Form(post if action == "submit" else None),
        "close": forms.forms.Form(post if action == "close" else None),
    }
    handlers = {
        "texts": ("plan.edit", lambda d: services.plan_update(actor=user, plan=plan, data=d),
                  _("The plan was saved.")),
        "entry": ("plan.edit", lambda d: services.plan_entry_add(
            actor=user, plan=plan, agency=d["agency"], data={k: v for k, v in d.items() if k != "agency"}),
            _("The agency was added to the plan.")),
        "submit": ("plan.edit", lambda d: services.plan_submit(actor=user, plan=plan),
                   _("The plan was submitted for approval.")),
        "approve": ("plan.approve", lambda d: services.plan_approve(actor=user, plan=plan, **d),
                    _("The plan was approved; its inspections are open.")),
        "return": ("plan.approve", lambda d: services.plan_return(actor=user, plan=plan, reason=d["reason"]),
                   _("The plan was returned to the inspecting unit.")),
        "request": ("inspection.manage", lambda d: services.report_request_send(
            actor=user, inspections=list(plan.inspections.filter(report_request__isnull=True)
                                         .exclude(status=InspectionStatus.SIGNED)), **d),
            _("The request to report was sent to the agencies.")),
        "close": ("plan.edit", lambda d: services.plan_close(actor=user, plan=plan), _("The plan was closed.")),
    }
    if action in handlers:
        capability, call, done = handlers[action]
        if not can(user, capability):
            raise PermissionDenied
        if _attempt(bound[action], call):
            messages.success(request, done)
            return redirect("audits:plan-detail", plan.pk)
    plan = selectors.plan_get(user=user, pk=pk)
    coverage = selectors.plan_coverage(plan=plan)
    inspections = list(selectors.inspection_list(user=user).filter(plan=plan))
    return render(request, "audits/plan_detail.html", {
        "plan": plan, "entries": selectors.plan_entries(plan=plan), "coverage": coverage,
        "coverage_errors": services.coverage_errors(coverage), "forms": bound, "inspections": inspections,
        "unrequested": sum(1 for i in inspections if not i.report_request_id and i.status != InspectionStatus.SIGNED),
        "can_edit": can(user, "plan.edit") and plan.state == PlanState.DRAFT,
        "can_approve": can(user, "plan.approve") and plan.state == PlanState.SUBMITTED,
        "can_run": can(user, "inspection.manage") and plan.state in (PlanState.APPROVED,
                                                                                PlanState.IN_PROGRESS),
        "states": PlanState,
    })


@login_required
@require_POST
def plan_entry_remove(request, pk: int):
    entry = get_object_or_404(PlanEntry.objects.filter(plan__in=selectors.plans_in_scope(user=request.user)), pk=pk)
    try:
        services.plan_entry_remove(actor=request.user, entry=entry)
        messages.success(request, _("The agency was removed from the plan."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("audits:plan-detail", entry.plan_id)


@login_required
def plan_docx(request, pk: int):
    return _docx(selectors.plan_get(user=request.user, pk=pk))


@login_required
def plan_pdf(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    title = _("Inspection plan %(year)s · %(province)s") % {"year": plan.year, "province": plan.province.name}
    return _pdf(request, plan, reverse("audits:plan-detail", args=[pk]), title)


@login_required
def unplanned_create(request):
    if not can(request.user, "inspection.manage"):
        raise PermissionDenied
    agencies = agencies_in_scope(user=request.user).filter(is_active=True).order_by("name")
    form = forms.UnplannedForm(request.POST or None, agencies=agencies)
    created = {}
    if request.method == "POST" and _attempt(form, lambda d: created.update(
            inspection=services.inspection_create_unplanned(actor=request.user, **d))):
        messages.success(request, _("The unplanned inspection was added."))
        return redirect("audits:inspection-detail", created["inspection"].pk)
    return render(request, "audits/unplanned_form.html", {"form": form})


# --- inspections ------------------------------------------------------------------------------------------


@login_required
def inspection_detail(request, pk: int):
    user = request.user
    inspection = selectors.inspection_get(user=user, pk=pk)
    scope = scope_of(user)
    record = getattr(inspection, "record", None)
    signed = inspection.status == InspectionStatus.SIGNED
    is_own_agency = can(user, "inspection.self_assess") and scope.agency_id == inspection.agency_id
    can_manage = can(user, "inspection.manage")
    can_self_assess = is_own_agency and not signed and not inspection.self_assessment_submitted_at
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    action = post.get("action") if post else None
    answers = selectors.self_assessment_rows(inspection=inspection)
    results = selectors.record_results(inspection=inspection)
    items = [row["item"] for row in results]
    record_initial = {k: getattr(record, k) for k in ("place", "team_leader_name", "agency_representative",
                                                       "agency_representative_position", "conclusion")} \
        if record else {"place": inspection.location,
                        "team_leader_name": inspection.decision.team_leader if inspection.decision_id else ""}
    bound = {
        "self": forms.ChecklistForm(post if action in ("self", "self_submit") else None,
                                    files if action in ("self", "self_submit") else None, rows=answers,
                                    note_label=_("Explanation"), note_key="explanation", with_files=True,
                                    prefix="self"),
        "checklist": forms.ChecklistForm(post if action == "checklist" else None, rows=results, prefix="check"),
        "record": forms.RecordFieldsForm(post if action == "checklist" else None, initial=record_initial,
                                         prefix="record"),
        "finding": forms.FindingForm(post if action == "finding" else None, items=items, prefix="finding"),
        "sign": forms.SignForm(post if action == "sign" else None, prefix="sign",
                               initial={**record_initial, "signed_on": timezone.localdate()}),
        "decision": forms.DecisionForm(post if action == "decision" else None, prefix="decision",
                                       issuer=_inspecting_issuer(inspection), initial={
            "issued_on": timezone.localdate(), "starts_on": inspection.scheduled_on or inspection.expected_from,
            "ends_on": inspection.scheduled_on or inspection.expected_to}),
        "schedule": forms.ScheduleForm(post if action == "schedule" else None, prefix="schedule", initial={
            "scheduled_on": inspection.scheduled_on, "location": inspection.location}),
        "request": forms.ReportRequestForm(post if action == "request" else None, prefix="request"),
    }

    def save_self(data, submit=False):
        form = bound["self"]
        services.self_assessment_record(actor=user, inspection=inspection, answers=form.answers(),
                                        uploads=list(form.uploads()), submit=submit)

    def save_checklist(data):
        services.record_save(actor=user, inspection=inspection, results=bound["checklist"].answers(),
                             data=bound["record"].cleaned_data)

    def add_finding(data):
        item = next(i for i in items if i.code == data["checklist_item"])
        services.finding_create(actor=user, inspection=inspection, checklist_item=item,
                                classification=data["classification"], clause=data["clause"],
                                description=data["description"], due_on=data["due_on"])

    def sign(data):
        data = dict(data)
        services.record_sign(actor=user, inspection=inspection, signed_on=data.pop("signed_on"), data=data)

    handlers = {
        "self": ("inspection.self_assess", save_self, _("Your answers were saved.")),
        "self_submit": ("inspection.self_assess", lambda d: save_self(d, submit=True),
                        _("Your self-assessment was submitted to the inspecting unit.")),
        "checklist": ("inspection.manage", save_checklist, _("The checklist results were saved.")),
        "finding": ("finding.record", add_finding, _("The finding was recorded.")),
        "sign": ("inspection.manage", sign, _("The inspection record was signed; the findings are due in 2 months.")),
        "decision": ("inspection.manage", lambda d: services.decision_issue(
            actor=user, inspections=[inspection], **d), _("The inspection decision was issued.")),
        "schedule": ("inspection.manage", lambda d: services.inspection_update(actor=user, inspection=inspection,
                                                                               data=d), _("Saved.")),
        "request": ("inspection.manage", lambda d: services.report_request_send(
            actor=user, inspections=[inspection], **d), _("The request to report was sent to the agency.")),
    }
    if action in handlers:
        capability, call, done = handlers[action]
        if not can(user, capability):
            raise PermissionDenied
        form = bound["self" if action == "self_submit" else action]
        valid = action != "checklist" or bound["record"].is_valid()
        if valid and _attempt(form, call):
            messages.success(request, done)
            return redirect("audits:inspection-detail", inspection.pk)
    inspection = selectors.inspection_get(user=user, pk=pk)
    findings = list(selectors.finding_list(user=user).filter(inspection=inspection).order_by("number"))
    return render(request, "audits/inspection_detail.html", {
        "inspection": inspection, "forms": bound,
        "record": inspection.record if selectors.record_visible(user=user, inspection=inspection) else None,
        "record_visible": selectors.record_visible(user=user, inspection=inspection),
        "answers": answers, "results": results, "findings": findings, "signed": signed,
        "is_own_agency": is_own_agency, "can_self_assess": can_self_assess, "can_manage": can_manage and not signed,
        "needs_decision": can_manage and not signed and inspection.form == InspectionForm.ON_SITE
        and not inspection.decision_id,
        "can_request": can_manage and not signed and not inspection.report_request_id,
        "show_self_assessment": is_own_agency or not scope.is_agency,
    })


def _record(request, pk: int):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    return inspection, selectors.record_get(user=request.user, inspection=inspection)


@login_required
def record_docx(request, pk: int):
    return _docx(_record(request, pk)[1])


@login_required
def record_pdf(request, pk: int):
    inspection, record = _record(request, pk)
    title = _("Inspection record · %(agency)s") % {"agency": inspection.agency.name}
    return _pdf(request, record, reverse("audits:inspection-detail", args=[pk]), title)


def _letter(request, pk: int, letter_id: int):
    """The letter giving the reason a response was not accepted: for the agency and the Sở (the finding's scope)."""
    finding = selectors.finding_get(user=request.user, pk=pk)
    return get_object_or_404(finding.rejection_letters.all(), pk=letter_id)


@login_required
def rejection_letter_docx(request, pk: int, letter_id: int):
    return _docx(_letter(request, pk, letter_id))


@login_required
def rejection_letter_pdf(request, pk: int, letter_id: int):
    letter = _letter(request, pk, letter_id)
    title = _("Letter %(number)s · response not accepted") % {"number": letter.number}
    return _pdf(request, letter, reverse("audits:finding-detail", args=[pk]), title)


@login_required
def decision_docx(request, pk: int):
    return _docx(get_object_or_404(selectors.decisions_in_scope(user=request.user), pk=pk))


@login_required
def decision_pdf(request, pk: int):
    decision = get_object_or_404(selectors.decisions_in_scope(user=request.user), pk=pk)
    inspection = decision.inspections.filter(pk__in=selectors.inspections_in_scope(user=request.user)).first()
    back = reverse("audits:inspection-detail", args=[inspection.pk]) if inspection else reverse("audits:calendar")
    return _pdf(request, decision, back, _("Inspection decision %(number)s") % {"number": decision.number})


@login_required
def self_assessment_file(request, pk: int, file_id: int):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    answer = get_object_or_404(AgencyChecklistAnswer.objects.filter(inspection=inspection, evidence=file_id))
    return stored_file_response(answer.evidence.get(pk=file_id))


# --- findings --------------------------------------------------------------------------------------------


FINDINGS_PER_PAGE = 50
AGENCIES_PER_PAGE = 25


@login_required
def findings_board(request):
    """Both tables are paged in SQL (LIMIT/OFFSET and a COUNT each): the nation has thousands of agencies with
    open findings, and rendering them all made a page of 1.7 MB."""
    scope = scope_of(request.user)
    if scope.is_agency:
        return redirect("audits:my-findings")
    today = timezone.localdate()
    findings = selectors.finding_list(user=request.user, today=today).exclude(status=FindingStatus.ACCEPTED)
    only = choice_param(request.GET, "show", ["overdue", "responded"])
    if only == "overdue":
        findings = findings.overdue(today)  # on the columns, not on the is_overdue annotation: the index applies
    elif only == "responded":
        findings = findings.filter(status=FindingStatus.RESPONDED)
    agency_id = int_param(request.GET, "agency")
    if agency_id is not None:
        findings = findings.filter(agency_id=agency_id)
    page = page_of(request, findings, FINDINGS_PER_PAGE)
    agencies = page_of(request, selectors.findings_board(user=request.user, today=today), AGENCIES_PER_PAGE,
                       param="agencies_page")
    return render(request, "audits/findings_board.html", {
        "agencies": agencies, "agencies_query": _query_without(request, "agencies_page"),
        "page": page, "query": _query_without(request, "page"),
        "today": today, "show": only or "", "agency_id": "" if agency_id is None else agency_id,
        "show_province": scope.is_national,
    })


def _query_without(request, key: str) -> str:
    """The current query string without `key`, for the links of a paginator."""
    query = request.GET.copy()
    query.pop(key, None)
    return query.urlencode()


@login_required
def my_findings(request):
    scope = scope_of(request.user)
    if not scope.is_agency:
        return redirect("audits:findings-board")
    today = timezone.localdate()
    findings = list(selectors.finding_list(user=request.user, today=today))
    order = {FindingStatus.REJECTED: 0, FindingStatus.OPEN: 1, FindingStatus.RESPONDED: 2, FindingStatus.ACCEPTED: 3}
    findings.sort(key=lambda f: (not f.is_overdue, order[f.status], f.due_on or today))
    rows = [{"finding": f, "next": selectors.next_step(f, today)} for f in findings]
    inspections = list(selectors.inspection_list(user=request.user, today=today).exclude(
        status=InspectionStatus.SIGNED))
    return render(request, "audits/my_findings.html", {"rows": rows, "inspections": inspections, "today": today})


@login_required
def finding_detail(request, pk: int):
    user = request.user
    today = timezone.localdate()
    finding = selectors.finding_get(user=user, pk=pk, today=today)
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    bound = {
        "respond": forms.RespondForm(post if action == "respond" else None,
                                     request.FILES if action == "respond" else None, prefix="respond"),
        "accept": forms.AcceptForm(post if action == "accept" else None, prefix="accept"),
        "reject": forms.RejectForm(post if action == "reject" else None, prefix="reject"),
        "evidence": forms.EvidenceForm(post if action == "evidence" else None,
                                       request.FILES if action == "evidence" else None, prefix="evidence"),
        "due": forms.DueDateForm(post if action == "due" else None, prefix="due",
                                 initial={"due_on": finding.due_on}),
    }
    handlers = {
        "respond": ("finding.respond", lambda d: services.finding_respond(
            actor=user, finding=finding, action_taken=d["action_taken"], cause=d["cause"], files=d["files"]),
            _("Your response was sent to the inspecting unit.")),
        "accept": ("finding.review", lambda d: services.finding_accept(actor=user, finding=finding, note=d["note"]),
                   _("The corrective action was accepted; the finding is closed.")),
        "reject": ("finding.review", lambda d: services.finding_reject(actor=user, finding=finding, **d),
                   _("The response was not accepted; the agency has been told why.")),
        "evidence": (None, lambda d: services.finding_evidence_add(actor=user, finding=finding, uploaded=d["file"],
                                                                    note=d["note"]), _("The file was added.")),
        "due": ("finding.record", lambda d: services.finding_update(actor=user, finding=finding,
                                                                    data={"due_on": d["due_on"]},
                                                                    reason=d["reason"]),
                _("The due date was changed.")),
    }
    if action in handlers:
        capability, call, done = handlers[action]
        allowed = (can(user, "finding.respond") or can(user, "finding.record")) \
            if capability is None else can(user, capability)
        if not allowed:
            raise PermissionDenied
        if _attempt(bound[action], call):
            messages.success(request, done)
            return HttpResponseRedirect(reverse("audits:finding-detail", args=[finding.pk]))
        conflict = _conflict_redirect(request, bound[action], reverse("audits:finding-detail", args=[finding.pk]))
        if conflict:
            return conflict
    finding = selectors.finding_detail(finding=finding)
    scope = scope_of(user)
    is_inspector = can(user, "finding.review")
    return render(request, "audits/finding_detail.html", {
        "finding": finding, "forms": bound, "today": today, "next": selectors.next_step(finding, today),
        "can_respond": services.can_respond(user, finding),
        "can_review": is_inspector and finding.status == FindingStatus.RESPONDED,
        "can_add_evidence": (is_inspector and finding.status != FindingStatus.ACCEPTED)
        or services.can_respond(user, finding),
        "can_change_due": is_inspector and finding.status != FindingStatus.ACCEPTED
        and finding.inspection.status == InspectionStatus.SIGNED,
        "is_agency": scope.is_agency,
    })


@login_required
def evidence_file(request, pk: int, evidence_id: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    evidence = get_object_or_404(finding.evidence.select_related("file"), pk=evidence_id)
    return stored_file_response(evidence.file)
