"""The plan, inspection and finding pages and their actions: one POST route per action (qms_portal.actions).

Each page's table names the capability, the form and the one service of every action; the pages show a form only
when `audits.actions` says the user may take that action now.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import can, province_roles_that_may, scope_of
from agencies.issuers import issuer_of
from agencies.selectors import agencies_in_scope, obligations_page_url
from qms_portal.actions import Action, ActionPage

from . import forms, selectors, services
from .actions import can_respond, finding_actions, inspection_actions, plan_actions
from .models import InspectionStatus, PlanState


def _say_hidden_refusals(request, bound_forms: dict, shown: set[str]) -> None:
    """The errors of a refused form the page no longer shows (posted from a tab opened before someone else sent
    the request, signed the record, answered the finding...), said at the top of the page instead of nowhere."""
    for name, form in bound_forms.items():
        if name in shown or not getattr(form, "is_bound", False) or not form.errors:
            continue
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)


def _bind(bound: str | None, data):
    """`post(*names)`: the request's data for a form of the action being taken (`bound`), None for the others."""
    return lambda *names: data if bound in names else None


# --- the plan ------------------------------------------------------------------------------------------------


def _plan_load(request, pk: int):
    return SimpleNamespace(user=request.user, plan=selectors.plan_get(user=request.user, pk=pk))


def _plan_forms(ctx, bound=None, data=None, files=None):
    plan, post = ctx.plan, _bind(bound, data)
    candidates = agencies_in_scope(user=ctx.user).filter(province_id=plan.province_id, is_active=True).exclude(
        pk__in=plan.entries.values("agency_id")).order_by("name")
    return {
        "texts": forms.PlanTextForm(post("texts"), initial={
            k: getattr(plan, k) for k in ("purpose", "organisation", "signing_capacity", "signer_name")},
            prefix="texts", issuer=issuer_of(plan.issuer)),
        "entry": forms.PlanEntryForm(post("entry"), agencies=candidates, prefix="entry"),
        "approve": forms.ApproveForm(post("approve"), prefix="approve"),
        "return": forms.ReasonForm(post("return"), prefix="return"),
        "request": forms.ReportRequestForm(post("request"), prefix="request"),
        "submit": forms.forms.Form(post("submit")),
        "close": forms.forms.Form(post("close")),
    }


def _plan_render(request, ctx, bound_forms):
    user = ctx.user
    plan = selectors.plan_get(user=user, pk=ctx.plan.pk)  # afresh: a refused service may have touched it
    coverage = selectors.plan_coverage(plan=plan)
    inspections = list(selectors.inspection_list(user=user).filter(plan=plan))
    actions = plan_actions(user, plan)
    _say_hidden_refusals(request, bound_forms, actions)
    return render(request, "audits/plan_detail.html", {
        "plan": plan, "entries": selectors.plan_entries(plan=plan), "coverage": coverage,
        "coverage_errors": services.coverage_errors(coverage), "forms": bound_forms, "inspections": inspections,
        "unrequested": sum(1 for i in inspections if not i.report_request_id and i.status != InspectionStatus.SIGNED),
        "actions": actions, "states": PlanState, "returned": selectors.plan_return_note(plan=plan),
        # the coverage cannot be judged before the year's obligations are confirmed: lead to their page
        "obligations_url": None if coverage.determined else obligations_page_url(
            user=user, province_id=plan.province_id, year=plan.year),
        "may_confirm_obligations": can(user, "obligation.confirm"),
        "obligation_confirmers": get_text_list(province_roles_that_may("obligation.confirm")),
    })


def _plan_unrequested(plan):
    return list(plan.inspections.filter(report_request__isnull=True).exclude(status=InspectionStatus.SIGNED))


PLAN = ActionPage(
    name="plan", path="inspections/plans/<int:pk>/", load=_plan_load, forms=_plan_forms, render=_plan_render,
    url=lambda ctx: reverse("audits:plan-detail", args=[ctx.plan.pk]), can=can, actions=(
        Action("texts", ("plan.edit",), ("texts",),
               lambda ctx, d, f: services.plan_update(actor=ctx.user, plan=ctx.plan, data=d),
               gettext_lazy("The plan was saved.")),
        Action("entry", ("plan.edit",), ("entry",), lambda ctx, d, f: services.plan_entry_add(
            actor=ctx.user, plan=ctx.plan, agency=d["agency"], data={k: v for k, v in d.items() if k != "agency"}),
            gettext_lazy("The agency was added to the plan.")),
        Action("submit", ("plan.edit",), ("submit",),
               lambda ctx, d, f: services.plan_submit(actor=ctx.user, plan=ctx.plan),
               gettext_lazy("The plan was submitted for approval.")),
        Action("approve", ("plan.approve",), ("approve",),
               lambda ctx, d, f: services.plan_approve(actor=ctx.user, plan=ctx.plan, **d),
               gettext_lazy("The plan was approved; its inspections are open.")),
        Action("return", ("plan.approve",), ("return",),
               lambda ctx, d, f: services.plan_return(actor=ctx.user, plan=ctx.plan, reason=d["reason"]),
               gettext_lazy("The plan was returned to the inspecting unit.")),
        Action("request", ("inspection.manage",), ("request",), lambda ctx, d, f: services.report_request_send(
            actor=ctx.user, inspections=_plan_unrequested(ctx.plan), **d),
            gettext_lazy("The request to report was sent to the agencies.")),
        Action("close", ("plan.edit",), ("close",), lambda ctx, d, f: services.plan_close(actor=ctx.user,
                                                                                            plan=ctx.plan),
               gettext_lazy("The plan was closed.")),
    ))


# --- the inspection ------------------------------------------------------------------------------------------


def _inspecting_issuer(inspection):
    """The issuer printed on a new decision; none yet when the province has no inspecting unit configured."""
    from .services.common import inspecting_unit_of

    try:
        return issuer_of(inspecting_unit_of(inspection.province_id))
    except ValidationError:
        return None


def _inspection_load(request, pk: int):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    return SimpleNamespace(user=request.user, inspection=inspection,
                           answers=selectors.self_assessment_rows(inspection=inspection),
                           results=selectors.record_results(inspection=inspection))


def _inspection_forms(ctx, bound=None, data=None, files=None):
    inspection, record = ctx.inspection, getattr(ctx.inspection, "record", None)
    record_initial = {k: getattr(record, k) for k in ("place", "team_leader_name", "agency_representative",
                                                       "agency_representative_position", "conclusion")} \
        if record else {"place": inspection.location,
                        "team_leader_name": inspection.decision.team_leader if inspection.decision_id else ""}

    post = _bind(bound, data)
    return {
        "self": forms.ChecklistForm(post("self", "self-submit"), _bind(bound, files)("self", "self-submit"),
                                    rows=ctx.answers, note_label=_("Explanation"), note_key="explanation",
                                    with_files=True, prefix="self"),
        "checklist": forms.ChecklistForm(post("checklist"), rows=ctx.results, prefix="check"),
        "record": forms.RecordFieldsForm(post("checklist"), initial=record_initial, prefix="record"),
        "finding": forms.FindingForm(post("finding"), items=[row["item"] for row in ctx.results], prefix="finding"),
        "sign": forms.SignForm(post("sign"), prefix="sign", initial={**record_initial,
                                                                     "signed_on": timezone.localdate()}),
        "decision": forms.DecisionForm(post("decision"), prefix="decision", issuer=_inspecting_issuer(inspection),
                                       initial={"issued_on": timezone.localdate(),
                                                "starts_on": inspection.scheduled_on or inspection.expected_from,
                                                "ends_on": inspection.scheduled_on or inspection.expected_to}),
        "schedule": forms.ScheduleForm(post("schedule"), prefix="schedule", decision=inspection.decision, initial={
            "scheduled_on": inspection.scheduled_on, "location": inspection.location}),
        "request": forms.ReportRequestForm(post("request"), prefix="request"),
    }


def _inspection_render(request, ctx, bound_forms):
    user = ctx.user
    inspection = selectors.inspection_get(user=user, pk=ctx.inspection.pk)
    scope = scope_of(user)
    is_own_agency = can(user, "inspection.self_assess") and scope.agency_id == inspection.agency_id
    record_visible = selectors.record_visible(user=user, inspection=inspection)
    findings = list(selectors.finding_list(user=user).filter(inspection=inspection).order_by("number"))
    actions = inspection_actions(user, inspection)
    # the record's texts are in the checklist's form; the request to report is in the schedule's card
    shown = actions | ({"record"} if "checklist" in actions else set())
    if "schedule" not in actions:
        shown -= {"request"}
    _say_hidden_refusals(request, bound_forms, shown)
    return render(request, "audits/inspection_detail.html", {
        "inspection": inspection, "forms": bound_forms, "record": inspection.record if record_visible else None,
        "record_visible": record_visible, "answers": ctx.answers, "results": ctx.results, "findings": findings,
        "signed": inspection.status == InspectionStatus.SIGNED, "is_own_agency": is_own_agency,
        "actions": actions,
        "show_self_assessment": is_own_agency or not scope.is_agency,
    })


def _self_assessment_save(ctx, bound_forms, *, submit: bool):
    form = bound_forms["self"]
    services.self_assessment_record(actor=ctx.user, inspection=ctx.inspection, answers=form.answers(),
                                    uploads=list(form.uploads()), submit=submit)


def _finding_add(ctx, data):
    item = next(row["item"] for row in ctx.results if row["item"].code == data["checklist_item"])
    services.finding_create(actor=ctx.user, inspection=ctx.inspection, checklist_item=item,
                            classification=data["classification"], clause=data["clause"],
                            description=data["description"], due_on=data["due_on"])


def _sign(ctx, data):
    data = dict(data)
    services.record_sign(actor=ctx.user, inspection=ctx.inspection, signed_on=data.pop("signed_on"), data=data)


INSPECTION = ActionPage(
    name="inspection", path="inspections/<int:pk>/", load=_inspection_load, forms=_inspection_forms,
    render=_inspection_render, url=lambda ctx: reverse("audits:inspection-detail", args=[ctx.inspection.pk]),
    can=can, actions=(
        Action("self", ("inspection.self_assess",), ("self",),
               lambda ctx, d, f: _self_assessment_save(ctx, f, submit=False), gettext_lazy("Your answers were saved.")),
        Action("self-submit", ("inspection.self_assess",), ("self",),
               lambda ctx, d, f: _self_assessment_save(ctx, f, submit=True),
               gettext_lazy("Your self-assessment was submitted to the inspecting unit.")),
        Action("checklist", ("inspection.manage",), ("checklist", "record"),
               lambda ctx, d, f: services.record_save(actor=ctx.user, inspection=ctx.inspection,
                                                      results=f["checklist"].answers(),
                                                      data=f["record"].cleaned_data),
               gettext_lazy("The checklist results were saved.")),
        Action("finding", ("finding.record",), ("finding",), lambda ctx, d, f: _finding_add(ctx, d),
               gettext_lazy("The finding was recorded.")),
        Action("sign", ("inspection.manage",), ("sign",), lambda ctx, d, f: _sign(ctx, d),
               gettext_lazy("The inspection record was signed; the findings are due in 2 months.")),
        Action("decision", ("inspection.manage",), ("decision",), lambda ctx, d, f: services.decision_issue(
            actor=ctx.user, inspections=[ctx.inspection], **d), gettext_lazy("The inspection decision was issued.")),
        Action("schedule", ("inspection.manage",), ("schedule",), lambda ctx, d, f: services.inspection_update(
            actor=ctx.user, inspection=ctx.inspection, data=d), gettext_lazy("Saved.")),
        Action("request", ("inspection.manage",), ("request",), lambda ctx, d, f: services.report_request_send(
            actor=ctx.user, inspections=[ctx.inspection], **d),
            gettext_lazy("The request to report was sent to the agency.")),
    ))


# --- the finding ---------------------------------------------------------------------------------------------


def _finding_load(request, pk: int):
    today = timezone.localdate()
    return SimpleNamespace(user=request.user, today=today,
                           finding=selectors.finding_get(user=request.user, pk=pk, today=today))


def _finding_forms(ctx, bound=None, data=None, files=None):
    post, upload = _bind(bound, data), _bind(bound, files)

    # the files of a response not accepted, offered again (only to those who may answer: no query for others)
    reusable = (selectors.reusable_evidence(finding=ctx.finding)
                if bound in (None, "respond") and can_respond(ctx.user, ctx.finding) else ())
    return {
        "respond": forms.RespondForm(post("respond"), upload("respond"), prefix="respond", reusable=reusable),
        "accept": forms.AcceptForm(post("accept"), prefix="accept"),
        "reject": forms.RejectForm(post("reject"), prefix="reject"),
        "withdraw": forms.WithdrawForm(post("withdraw"), prefix="withdraw"),
        "evidence": forms.EvidenceForm(post("evidence"), upload("evidence"), prefix="evidence"),
        "due": forms.DueDateForm(post("due"), prefix="due", initial={"due_on": ctx.finding.due_on}),
    }


def _finding_render(request, ctx, bound_forms):
    finding = selectors.finding_detail(finding=ctx.finding)
    actions = finding_actions(ctx.user, finding)
    shown = actions - {"evidence"} if "respond" in actions else actions  # the response carries its own files
    _say_hidden_refusals(request, bound_forms, shown)
    return render(request, "audits/finding_detail.html", {
        "finding": finding, "forms": bound_forms, "today": ctx.today, "next": selectors.next_step(finding, ctx.today),
        "actions": actions, "is_agency": scope_of(ctx.user).is_agency,
        # a successor's staff answer a merged agency's finding but do not see that agency's inspection
        "inspection_visible": selectors.inspections_in_scope(user=ctx.user).filter(pk=finding.inspection_id).exists(),
    })


FINDING = ActionPage(
    name="finding", path="findings/<int:pk>/", load=_finding_load, forms=_finding_forms, render=_finding_render,
    url=lambda ctx: reverse("audits:finding-detail", args=[ctx.finding.pk]), can=can, conflict_redirect=True,
    actions=(
        Action("respond", ("finding.respond",), ("respond",), lambda ctx, d, f: services.finding_respond(
            actor=ctx.user, finding=ctx.finding, action_taken=d["action_taken"], cause=d["cause"], files=d["files"],
            # the files offered again are those ticked (and, as before, every file uploaded and not sent yet when
            # none is offered)
            evidence_ids=d["keep"] if "keep" in f["respond"].fields else None),
            gettext_lazy("Your response was sent to the inspecting unit.")),
        Action("withdraw", ("finding.review",), ("withdraw",), lambda ctx, d, f: services.finding_withdraw(
            actor=ctx.user, finding=ctx.finding, reason=d["reason"]),
            gettext_lazy("The finding was closed without corrective action.")),
        Action("accept", ("finding.review",), ("accept",),
               lambda ctx, d, f: services.finding_accept(actor=ctx.user, finding=ctx.finding, note=d["note"]),
               gettext_lazy("The corrective action was accepted; the finding is closed.")),
        Action("reject", ("finding.review",), ("reject",),
               lambda ctx, d, f: services.finding_reject(actor=ctx.user, finding=ctx.finding, **d),
               gettext_lazy("The response was not accepted; the agency has been told why.")),
        Action("evidence", ("finding.respond", "finding.record"), ("evidence",),
               lambda ctx, d, f: services.finding_evidence_add(actor=ctx.user, finding=ctx.finding,
                                                               uploaded=d["file"], note=d["note"]),
               gettext_lazy("The file was added.")),
        Action("due", ("finding.record",), ("due",), lambda ctx, d, f: services.finding_update(
            actor=ctx.user, finding=ctx.finding, data={"due_on": d["due_on"]}, reason=d["reason"]),
            gettext_lazy("The due date was changed.")),
    ))
