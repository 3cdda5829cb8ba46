"""Pages of the register: the list (with the form to register and the import), a change with the agencies it
concerns, and the agency's answers (from its QMS file) and the Sở's decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import can, require, scope_of
from qms_portal.forms import add_service_errors, message_form_errors
from qms_portal.queries import choice_param, page_of

from ..models import DocumentStatus, QmsDocument
from . import selectors, services
from .forms import DueDecideForm, DueDeclareForm, DueRecordForm, ImportForm, LegalChangeForm
from .importer import legal_changes_import
from .verdicts import LegalVerdict, with_verdicts


def _counts_by_change(user, changes, as_of):
    """change id -> verdict counts over the agencies the user may see: one grouped query for the page."""
    rows = (with_verdicts(selectors.due_updates_in_scope(user=user).filter(change__in=changes), as_of=as_of)
            .order_by().values("change_id", "verdict").annotate(n=Count("pk")))
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["change_id"], dict.fromkeys(LegalVerdict.values, 0))[row["verdict"]] = row["n"]
    return counts


@login_required
def change_list_view(request):
    require(request.user, "legal_change.read")
    may_register = can(request.user, "legal_change.register")
    visible = selectors.legal_changes_visible(user=request.user)
    form = LegalChangeForm(request.POST or None, replaceable=visible) if may_register else None
    if request.method == "POST" and form is not None and form.is_valid():
        scope = scope_of(request.user)
        try:
            change = services.legal_change_register(
                actor=request.user, data=form.service_data(),
                province_id=None if scope.is_national else scope.province_id)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The legal change is registered; the agencies it concerns are being "
                                        "worked out."))
            return redirect("qms:legal-change", pk=change.pk)
    page = page_of(request, visible, 25)
    today = timezone.localdate()
    counts = _counts_by_change(request.user, [c.pk for c in page.object_list], today)
    rows = [(change, counts.get(change.pk, dict.fromkeys(LegalVerdict.values, 0))) for change in page.object_list]
    return render(request, "qms/legal/change_list.html", {
        "page": page, "rows": rows, "form": form, "import_form": ImportForm() if may_register else None,
        "verdicts": LegalVerdict, "today": today}, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def change_import_view(request):
    require(request.user, "legal_change.register")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        message_form_errors(request, form, missing=_("Choose a file to import."))
        return redirect("qms:legal-changes")
    try:
        job = legal_changes_import(actor=request.user, uploaded=form.cleaned_data["file"], apply=False)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("qms:legal-changes")
    return redirect("imports:job", pk=job.pk)


@login_required
def change_view(request, pk: int):
    require(request.user, "legal_change.read")
    change = selectors.legal_change_get(user=request.user, pk=pk)
    progress = services.legal_change_progress(change)
    if request.headers.get("Accept", "").startswith("application/json"):
        state = "done" if change.targets_done_at else "running"
        return JsonResponse({"status": state, "progress": progress, "status_label": state, "error": ""})
    today = timezone.localdate()
    verdict = choice_param(request.GET, "verdict", LegalVerdict.values)
    dues = selectors.due_updates_visible(user=request.user, as_of=today).filter(change=change)
    if verdict:
        dues = dues.filter(verdict=verdict)
    page = page_of(request, dues.order_by("agency__name"), 50)
    return render(request, "qms/legal/change.html", {
        "change": change, "progress": progress, "page": page, "verdict": verdict, "verdicts": LegalVerdict,
        "summary": selectors.change_summary(user=request.user, change=change, as_of=today),
        "claims": selectors.claims_awaiting(user=request.user).filter(change=change).select_related("agency"),
        "may_decide": can(request.user, "legal_due.decide"), "decide_form": DueDecideForm(),
        "status": "done" if change.targets_done_at else "running", "status_label": "",
    })


def legal_context(user, agency) -> dict:
    """What the agency's QMS file shows of the legal changes that concern it, and the forms to answer them."""
    today = timezone.localdate()
    dues = selectors.due_updates_of_agency(user=user, agency_id=agency.pk, as_of=today)
    return {"legal_dues": dues, "legal_today": today, "legal_verdicts": LegalVerdict,
            "can_act_legal": can(user, "legal_due.act"),
            "legal_documents": list(_documents_in_force(agency.pk)) if dues else []}


def _documents_in_force(agency_id: int):
    """The documents an update may name: those of the agency's QMS file in force (offered and accepted alike)."""
    return QmsDocument.objects.filter(qms__agency_id=agency_id, status=DocumentStatus.IN_FORCE).order_by("code")


def _due(request, pk: int):
    return selectors.due_update_get(user=request.user, pk=pk, as_of=timezone.localdate())


def _answer(request, due, form, act, *, done: str, back: tuple[str, str], title: str):
    """Take one answer to a due update from its form: on success, say so and go `back`; on an error, the form's
    own page with the messages on their fields and what was typed kept (the forms of the QMS file and of the
    change's page are short and inline, and lost what was typed when they only redirected with a message).
    `back`: (url, label) of the page the form is on."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(back[0])
    return render(request, "qms/legal/due_form.html", {"due": due, "form": form, "title": title, "back": back[0],
                                                       "back_label": back[1]})


def _back_to_file(due) -> tuple[str, str]:
    return (reverse("qms:file", args=[due.agency_id]) + "#legal-changes",
            f"{_('QMS file')}: {due.agency.name}")


@login_required
@require_POST
def due_record_view(request, pk: int):
    due = _due(request, pk)
    require(request.user, "legal_due.act", agency_id=due.agency_id)
    form = DueRecordForm(request.POST, request.FILES, documents=_documents_in_force(due.agency_id))
    return _answer(request, due, form, lambda data: services.due_update_record(
        actor=request.user, due=due, updated_on=data["updated_on"], documents=list(data.get("documents", [])),
        note=data["note"], evidence=data.get("evidence")),
        done=_("The update is recorded."), back=_back_to_file(due), title=_("Record the update"))


@login_required
@require_POST
def due_declare_view(request, pk: int):
    due = _due(request, pk)
    require(request.user, "legal_due.act", agency_id=due.agency_id)  # before its form: 403, not the form's page
    form = DueDeclareForm(request.POST)
    return _answer(request, due, form, lambda data: services.due_update_declare_not_applicable(
        actor=request.user, due=due, reason=data["reason"]),
        done=_("Your declaration is sent to the Sở."), back=_back_to_file(due), title=_("It does not apply to us"))


@login_required
@require_POST
def due_decide_view(request, pk: int):
    due = _due(request, pk)
    require(request.user, "legal_due.decide")
    form = DueDecideForm(request.POST)
    return _answer(request, due, form, lambda data: services.due_update_decide(
        actor=request.user, due=due, accept=data["accept"], note=data["note"]),
        done=_("The decision is recorded."), title=_("Decision"),
        back=(reverse("qms:legal-change", args=[due.change_id]), due.change.number))
