"""HTML pages of the reports: periods and completeness, agency reports, consolidated reports, verification."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.two_factor import second_factor_owed
from agencies.access import can, require, scope_of
from agencies.selectors import agencies_in_scope
from qms_portal.errors import ConflictError
from qms_portal.fields import FIRST_DAY, LAST_DAY
from qms_portal.files import DOCX_LABEL, generated_file_response, stored_file_response
from qms_portal.forms import add_service_errors
from qms_portal.people import person_name
from qms_portal.queries import choice_param, int_param, page_of

from . import selectors, services
from .forms import AgencyReportForm, ConsolidatedRequestForm, ReasonForm
from .kinds import kind_spec
from .models import BudgetLine, ConsolidatedReport, PeriodKind
from .rendering.document import default_narrative


def _messages_from(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def report_index(request):
    scope = scope_of(request.user)
    today = timezone.localdate()
    periods = selectors.current_periods(user=request.user, today=today)
    context = {"periods": periods, "is_agency": scope.is_agency, "today": today,
               "can_request": bool(selectors.report_kinds_requestable(user=request.user))}
    if scope.is_agency:
        context["rows"] = selectors.own_report_rows(user=request.user, periods=list(periods), today=today)
    else:
        reports = selectors.consolidated_report_list(user=request.user)
        context["reports"] = page_of(request, reports, 25)
        context["withdrawn"] = _withdrawn(context["reports"])
        context["all_periods"] = selectors.period_list(user=request.user)[:60]
    return render(request, "reports/index.html", context)


def _withdrawn(reports) -> set[int]:
    """The ids of the listed consolidated reports whose number was withdrawn (one query), marked as on their page."""
    return {pk for pk, state in selectors.register_states(reports).items() if state.withdrawn}


@login_required
def period_detail(request, pk: int):
    period = selectors.period_get(user=request.user, pk=pk)
    scope = scope_of(request.user)
    context = {"period": period, "is_agency": scope.is_agency, "started": period.has_started()}
    if can(request.user, "completeness.read"):
        context["completeness"] = selectors.completeness(period=period)
        reports = selectors.period_report_rows(user=request.user, period=period)
        context["reports"] = page_of(request, reports, 50)
    if scope.is_agency:
        [own] = selectors.own_report_rows(user=request.user, periods=[period])
        context["own_report"], context["overdue"] = own["report"], own["overdue"]
        context["can_draft"] = can(request.user, "agency_report.draft")
    context["consolidated"] = list(selectors.consolidated_report_list(user=request.user, period=period.pk)[:10])
    context["withdrawn"] = _withdrawn(context["consolidated"])
    context["can_request"] = bool(selectors.report_kinds_requestable(user=request.user)) and not scope.is_agency
    return render(request, "reports/period_detail.html", context)


@login_required
@require_POST
def agency_report_start(request, pk: int):
    period = selectors.period_get(user=request.user, pk=pk)
    scope = scope_of(request.user)
    require(request.user, "agency_report.draft")
    if not scope.agency_id:
        raise PermissionDenied(_("Only agency staff start their agency's report."))
    existing = selectors.agency_report_list(user=request.user, period=period.pk).first()
    if existing:
        return redirect("reports:agency-report", pk=existing.pk)
    agency = get_object_or_404(agencies_in_scope(user=request.user), pk=scope.agency_id)
    try:
        report = services.agency_report_create(actor=request.user, period=period, agency=agency)
    except ValidationError as error:
        _messages_from(request, error)
        return redirect("reports:period", pk=period.pk)
    messages.success(request, _("The report was started and prefilled from your QMS file."))
    return redirect("reports:agency-report", pk=report.pk)


def _issued_agency_report(request, pk: int):
    return selectors.issued_agency_report_get(user=request.user, pk=pk)


@login_required
def agency_report_docx(request, pk: int):
    from .agency_printing import render_docx

    content, name = render_docx(_issued_agency_report(request, pk))
    return generated_file_response(content=content, name=name, kind="docx")


@login_required
def agency_report_pdf(request, pk: int):
    from django.http import JsonResponse

    from qms_portal.generated import PdfStatus

    from .agency_printing import pdf_status

    report = _issued_agency_report(request, pk)
    status = pdf_status(report)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if status["status"] == PdfStatus.DONE and not wants_json:
        return stored_file_response(report.pdf_file)
    if wants_json:
        return JsonResponse(status, status=200 if status["status"] == PdfStatus.DONE else 202)
    title = _("Report %(number)s · %(agency)s") % {"number": report.number, "agency": report.agency.name}
    return render(request, "pdf_progress.html", {
        **status, "title": title, "back_url": reverse("reports:agency-report", args=[pk]),
        "download_url": request.path, "downloads": [(request.path, _("Download the PDF"))]}, status=202)


@login_required
def agency_report_detail(request, pk: int):
    report = selectors.agency_report_get(user=request.user, pk=pk)
    actions = selectors.agency_report_actions(request.user, report)
    can_draft = "draft" in actions
    form = AgencyReportForm(request.POST or None, funding=report.funding, initial={
        "difficulties": report.difficulties, "proposals": report.proposals, "other_notes": report.other_notes})
    if request.method == "POST":
        if not can_draft:
            raise PermissionDenied(_("Your role does not allow this action."))
        if form.is_valid():
            try:
                services.agency_report_update(actor=request.user, report=report, data=form.service_data(),
                                              version=int_param(request.POST, "version"))  # absent: no check
            except ValidationError as error:
                add_service_errors(form, error)
            except ConflictError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The report was saved."))
                return redirect("reports:agency-report", pk=report.pk)
    if not can_draft:
        for field in form.fields.values():
            field.disabled = True
    state = selectors.register_states([report])[report.pk]  # its number withdrawn in the agency's register
    return render(request, "reports/agency_report.html", {
        "report": report, "facts": report.data or {}, "form": form, "actions": actions,
        "withdrawn_entry": state.entry if state.withdrawn else None, "register": state,
        # as the completeness: overdue only where the agency is expected to report (not once merged, say)
        "overdue": (report.period_id in selectors.own_expected(agency_id=report.agency_id, periods=[report.period])
                    and selectors.report_overdue(period=report.period, report=report)),
        "can_review": can(request.user, "agency_report.review"),
        # two reason fields on one page: ids of their own, so that each label names its own field
        "return_form": ReasonForm(auto_id="id_return_%s"), "reopen_form": ReasonForm(auto_id="id_reopen_%s"),
        "history": selectors.agency_report_history(report=report)[:20],
        "budget_lines": [(line.label, report.funding.get(line.value)) for line in BudgetLine
                         if report.funding.get(line.value) is not None],
    })


ACTS = {
    "submit": ("agency_report.submit", services.agency_report_submit, False, _("The report was submitted.")),
    "accept": ("agency_report.review", services.agency_report_accept, False, _("The report was accepted.")),
    "return": ("agency_report.review", services.agency_report_return, True,
               _("The report was returned to the agency.")),
    "reopen": ("agency_report.review", services.agency_report_reopen, True, _("The report was reopened.")),
}


@login_required
@require_POST
def agency_report_act(request, pk: int, act: str):
    report = selectors.agency_report_get(user=request.user, pk=pk)
    if act not in ACTS:
        raise Http404
    capability, service, needs_reason, done = ACTS[act]
    require(request.user, capability)
    kwargs = {"actor": request.user, "report": report}
    if needs_reason:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason."))
            return redirect("reports:agency-report", pk=report.pk)
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(**kwargs)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(request, str(done))
    return redirect("reports:agency-report", pk=report.pk)


@login_required
def consolidated_new(request):
    kinds = selectors.report_kinds_requestable(user=request.user)
    if not kinds:
        raise PermissionDenied(_("Your role does not allow this action."))
    periods = list(selectors.period_list(user=request.user).filter(window_start__lte=timezone.localdate())[:40])
    source = request.POST if request.method == "POST" else request.GET
    kind = choice_param(source, "kind", kinds) or kinds[0]
    spec = kind_spec(kind)
    period = None
    if (period_id := int_param(source, "period")) is not None:
        period = selectors.period_get(user=request.user, pk=period_id)
    elif periods and not spec.national:
        period = next((p for p in periods if p.kind == PeriodKind.ANNUAL), periods[0])
    year = int_param(source, "year", minimum=FIRST_DAY.year, maximum=LAST_DAY.year) or timezone.localdate().year
    draft = ConsolidatedReport(kind=kind, period=period, province=period.province if period else None,
                               year=period.year if period and not spec.national else year,
                               period_kind=period.kind if period and not spec.national else PeriodKind.ANNUAL)
    initial = {"kind": kind, "period": period.pk if period else None, "year": year, **default_narrative(draft),
               "signer_name": person_name(request.user) if spec.signed_by_requester else ""}
    try:
        issuer = services.printed_issuer(services.issuer_of(kind=kind, province_id=draft.province_id))
    except ValidationError:
        issuer = None
    form = ConsolidatedRequestForm(request.POST if request.method == "POST" else None, initial=initial,
                                   periods=periods, kinds=kinds, issuer=issuer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, created = services.consolidated_report_request(
                actor=request.user, kind=data["kind"], period=None if kind_spec(data["kind"]).national else period,
                year=data.get("year"), period_kind=PeriodKind.ANNUAL, narrative=form.narrative())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(request, _("The report was requested; it is being compiled."))
            else:
                messages.warning(request, _("A report of this kind for this period is already being compiled: "
                                            "here it is."))
            return redirect("reports:consolidated", pk=report.pk)
    return render(request, "reports/consolidated_new.html", {"form": form, "period": period, "kind": kind})


@login_required
def consolidated_detail(request, pk: int):
    report = selectors.consolidated_report_get(user=request.user, pk=pk)
    formats = [("pdf", _("Download the PDF")), ("xlsx", _("Download the XLSX"))]
    if report.docx_id or not report.is_done:  # reports compiled before the worker made the DOCX have none
        formats.append(("docx", DOCX_LABEL))
    downloads = [(reverse("reports:consolidated-download", args=[report.pk, fmt]), label) for fmt, label in formats]
    state = selectors.register_states([report])[report.pk]
    return render(request, "reports/consolidated_detail.html", {
        "withdrawn_entry": state.entry if state.withdrawn else None, "register": state,
        "report": report, "status_url": reverse("consolidated-report-detail", kwargs={"pk": report.pk}),
        "downloads": downloads,
        "verify_url": reverse("reports:verify", kwargs={"code": report.verification_code}),
        "can_request": can(request.user, f"report.request.{report.kind}"),
    })


@login_required
def consolidated_download(request, pk: int, fmt: str):
    report = selectors.consolidated_report_get(user=request.user, pk=pk)
    try:
        stored = services.stored_file_for(report=report, fmt=fmt)
    except ValidationError:
        raise Http404 from None
    except ConflictError as error:
        messages.error(request, str(error))
        return redirect("reports:consolidated", pk=report.pk)
    return stored_file_response(stored)


@never_cache
def verify(request, code: str):
    """Public: the number, issuer, date, the date its figures are as of, and checksum of an issued report; the
    stored PDF for users who may read it."""
    report = selectors.verification_lookup(code=code)
    # the report's line in its issuer's register says what it is now: a draft (numbered, not signed yet), issued
    # (the signed PDF stored) or withdrawn (no longer valid: its PDF is not offered as the document)
    state = selectors.register_states([report])[report.pk]
    withdrawn = state.withdrawn
    pdf_url = ""
    signed_in = request.user.is_authenticated and not second_factor_owed(request.user)  # the page is open to both
    if not withdrawn and signed_in and selectors.consolidated_reports_in_scope(
            user=request.user).filter(pk=report.pk).exists():
        pdf_url = reverse("reports:consolidated-download", args=[report.pk, "pdf"])
    return render(request, "reports/verify.html", {
        "number": report.number, "issuer": report.issuer_name, "issued_on": report.issued_on,
        "as_of": report.figures_as_of,
        "sha256": report.pdf.sha256, "code": report.verification_code, "pdf_url": pdf_url,
        "signed": state.entry, "withdrawn": withdrawn, "withdrawn_on": state.withdrawn_on,
    })

