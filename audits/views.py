"""HTML pages of inspections and findings: thin views over the selectors and services.

Each page shows what the user may see (scoped selectors: 404 outside scope) and only the forms of the actions the
user may take (audits.actions); each form posts to its own action view, which calls one service (pages.py).
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import can, scope_of
from agencies.models import Agency, Province
from agencies.selectors import agencies_in_scope
from qms_portal import table_versions
from qms_portal.files import generated_file_response, stored_file_response
from qms_portal.forms import attempt as _attempt
from qms_portal.queries import choice_param, int_param, month_param, page_of, page_of_rows

from . import documents, forms, pages, selectors, services
from .models import (
    CLOSED_STATES,
    AgencyChecklistAnswer,
    Finding,
    FindingClass,
    FindingStatus,
    InspectionRecord,
    InspectionStatus,
    PdfStatus,
    PlanEntry,
)


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


CALENDAR_PER_PAGE = 50


@login_required
def calendar_view(request):
    """Paged in SQL (a province has about 126 inspections a year, the nation thousands), in a number of queries that
    does not grow with them; filtered by month and status, the filters kept in the page links."""
    today = timezone.localdate()
    overdue_only = choice_param(request.GET, "show", ["overdue"]) == "overdue"
    month = month_param(request.GET)
    status = choice_param(request.GET, "status", selectors.CALENDAR_STATUSES)
    filters = {"user": request.user, "today": today, "status": status}
    page = page_of(request, selectors.calendar_rows(overdue_only=overdue_only, month=month, **filters),
                   CALENDAR_PER_PAGE)
    return render(request, "audits/calendar.html", {
        "page": page, "months": selectors.by_month(page.object_list).items(), "query": _query_without(request, "page"),
        "month": month, "status": status or "", "month_choices": selectors.calendar_months(
            overdue_only=overdue_only, **filters),
        "status_choices": [(s.value, s.label) for s in selectors.CALENDAR_STATUSES],
        "overdue": selectors.calendar_overdue(month=month, **filters), "overdue_only": overdue_only,
        "overdue_query": _query_without(request, "show", "page"),
        "today": today, "can_manage": can(request.user, "inspection.manage"),
        "show_province": scope_of(request.user).is_national,
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


# The plan, inspection and finding pages are GET only; each of their forms posts to its own action (pages.py).
plan_detail = pages.PLAN.view()
inspection_detail = pages.INSPECTION.view()
finding_detail = pages.FINDING.view()


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


FINDINGS_PER_PAGE = 25
AGENCIES_PER_PAGE = 25


@login_required
def findings_board(request):
    """Both tables are paged in SQL (LIMIT/OFFSET and a COUNT each): the nation has thousands of agencies with
    open findings, and rendering them all made a page of 1.7 MB. They are rendered once for a scope, day, language
    and query string, and kept until a table they read is written (`qms_portal.table_versions`): most of the page's
    time was their queries and template, and findings change seldom against how often the board is read."""
    scope = scope_of(request.user)
    if scope.is_agency:
        return redirect("audits:my-findings")
    today = timezone.localdate()
    compute = partial(_board_tables, request, scope=scope, today=today)
    if _kept_form(request.GET):
        key = (f"findings-board|{scope.is_national}|{scope.province_id}|{today}|{translation.get_language()}|"
               f"{request.GET.urlencode()}")
        tables = table_versions.cached(key, BOARD_TABLES, compute)
    else:
        tables = compute()
    return render(request, "audits/findings_board.html", {"tables": tables, "today": today})  # SafeString, kept


# The board as people open it is kept: a filter of the list, and the first pages of either table. Any other query
# string (an agency chosen, a page further on, a parameter the board does not read) is computed for the request,
# so that no one can fill the cache with a copy per number they type.
KEPT_BOARD = {"show": {"overdue", "responded"}, "page": {"1", "2", "3"}, "agencies_page": {"1", "2", "3"}}


def _kept_form(query) -> bool:
    return all(key in KEPT_BOARD and len(values) == 1 and values[0] in KEPT_BOARD[key]
               for key, values in query.lists())


# What the board's tables show: the findings and their classification, the record's number, the agencies' and the
# provinces' names.
BOARD_TABLES = (Finding, FindingClass, InspectionRecord, Agency, Province)


def _board_tables(request, *, scope, today) -> str:
    findings = selectors.board_findings(user=request.user, today=today).exclude(status__in=CLOSED_STATES)
    only = choice_param(request.GET, "show", ["overdue", "responded"])
    if only == "overdue":
        findings = findings.overdue(today)  # on the columns, not on the is_overdue annotation: the index applies
    elif only == "responded":
        findings = findings.filter(status=FindingStatus.RESPONDED)
    agency_id = int_param(request.GET, "agency")
    agency_name = None
    if agency_id is not None:
        findings = findings.filter(responsible_agency_id=agency_id)  # as the table by agency counts them
        # named on the list, looked up in the user's scope (an id outside it names nothing)
        agency_name = agencies_in_scope(user=request.user).filter(pk=agency_id).values_list(
            "name", flat=True).first() or "—"
    page = page_of(request, findings, FINDINGS_PER_PAGE)
    board = selectors.findings_board(user=request.user, today=today)
    agencies = page_of_rows(request, board, AGENCIES_PER_PAGE, param="agencies_page", count=board.count)
    return render_to_string("audits/_findings_board_tables.html", {
        "agencies": agencies, "agencies_query": _query_without(request, "agencies_page"),
        "page": page, "query": _query_without(request, "page"),
        # an agency chosen in the table keeps the other filters; the list says which agency it shows
        "agency_link_query": _query_without(request, "agency", "page"),
        "agency_name": agency_name,
        "today": today, "show": only or "", "agency_id": "" if agency_id is None else agency_id,
        "show_province": scope.is_national,
    })


def _query_without(request, *keys: str) -> str:
    """The current query string without `keys`, for the links of a paginator or of a filter."""
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


@login_required
def my_findings(request):
    scope = scope_of(request.user)
    if not scope.is_agency:
        return redirect("audits:findings-board")
    today = timezone.localdate()
    findings = list(selectors.finding_list(user=request.user, today=today))
    order = {FindingStatus.REJECTED: 0, FindingStatus.OPEN: 1, FindingStatus.RESPONDED: 2, FindingStatus.ACCEPTED: 3,
             FindingStatus.WITHDRAWN: 4}
    findings.sort(key=lambda f: (not f.is_overdue, order[f.status], f.due_on or today))
    rows = [{"finding": f, "next": selectors.next_step(f, today)} for f in findings]
    # the closed ones (corrective action accepted, or closed by the Sở for a dissolved agency) are kept for the
    # record, below the ones still to act on, each with its own status
    closed = [row for row in rows if row["finding"].is_closed]
    rows = [row for row in rows if not row["finding"].is_closed]
    inspections = list(selectors.inspection_list(user=request.user, today=today).exclude(
        status=InspectionStatus.SIGNED))
    return render(request, "audits/my_findings.html", {"rows": rows, "closed": closed, "inspections": inspections,
                                                       "today": today})


@login_required
def evidence_file(request, pk: int, evidence_id: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    evidence = get_object_or_404(finding.evidence.select_related("file"), pk=evidence_id)
    return stored_file_response(evidence.file)
