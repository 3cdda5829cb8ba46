"""The permission matrix of the HTML pages that write (every POST form, upload and import), as the API has one:
role x own/other agency or province x action. Outside your scope: 404; inside it with too low a role: 403;
otherwise the action goes through (or the form says what is wrong), never 404/403/500.

`test_every_html_write_view_is_in_the_matrix` finds the write views from the URL conf (a view whose code reads
POST) and fails when one has neither a case here nor a stated reason, so a new form cannot land unchecked.
"""

import inspect
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from agencies.access import CAPABILITIES, scope_of
from agencies.models import Agency, AgencyKind, RegisteredDocument
from qms.models import InternalAudit, QmsDocument, QmsRecord

pytestmark = pytest.mark.django_db

USERS = ("ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "cb_officer", "cb_inspector", "ministry",
         "admin")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# Write views that are not about an object in a scope, and why.
NOT_SCOPED = {
    "accounts:login": "signing in: public, rate-limited (tests/accounts)",
    "accounts:logout": "the user's own session",
    "set_language": "the user's own language preference",
    "accounts:two-factor-verify": "the user's own second factor (tests/accounts)",
    "accounts:two-factor-setup": "the user's own authenticator (tests/accounts)",
    "agencies:create": "creates in the actor's own province (tests/agencies/test_agency_pages_manage.py)",
    "agencies:obligations-year": "the actor's own province's year (tests/agencies/test_obligations.py)",
    "agencies:import": "imports into the actor's own province, kinds by capability (tests/agencies/test_imports.py, "
                     "tests/qms/test_state_import.py)",
    "qms:legal-changes": "registers in the actor's own register (tests/qms/test_legal_api_and_pages.py)",
    "qms:legal-changes-import": "imports into the actor's own register (tests/qms/test_legal_api_and_pages.py)",
    "audits:plan-list": "creates a plan of the actor's own province (tests/audits/test_pages.py)",
    "audits:unplanned-create": "agencies offered are those in scope (tests/audits/test_pages.py)",
    "reports:consolidated-new": "kinds and periods offered are those in scope (tests/reports/test_pages.py)",
    "imports:job-apply": "the actor's own import only: 404 for anyone else (tests/qms_portal/test_imports.py)",
    "reports:agency-start": "the actor's own agency's report (tests/reports/test_pages.py)",
}
# Sign-in, two-factor, staff and invitations (accounts): their own matrices live in tests/accounts.
NOT_SCOPED_PREFIXES = ("accounts:",)


@dataclass(frozen=True)
class Case:
    """`url(objects) -> str` of an object of An Giang's Sở Tư pháp (or of An Giang); `action`: the capability
    the write needs (or a tuple: any of them); `data(objects) -> dict`: a valid or invalid body (either is fine:
    only the gate is tested)."""

    url: object
    action: str
    data: object = None
    agency_level: bool = True  # the object belongs to an agency (agency staff of another agency get 404)
    agency_sees: bool = True  # agency staff see objects of this kind at all (a plan is the province's)
    world: bool = False  # needs the inspection world (tests/audits/conftest.py) and a reporting period


CASES = {
    # the province's own body's register (UBND tỉnh): agency staff do not see it, the Sở's keepers withdraw
    "agencies:register-withdraw": Case(
        lambda o: reverse("agencies:register-withdraw", args=[o["register_entry"].pk]), "register.keep",
        lambda o: {"reason": "Ban hành nhầm"}, agency_level=False, agency_sees=False),
    "agencies:register-signed": Case(
        lambda o: reverse("agencies:register-signed", args=[o["register_entry"].pk]), "register.keep",
        lambda o: {"file": SimpleUploadedFile("ky-so.pdf", PDF)}, agency_level=False, agency_sees=False),
    "qms:stage": Case(lambda o: reverse("qms:stage", args=[o["stp"].pk]), "qms.edit",
                      lambda o: {"stage": "building"}),
    "qms:record-edit": Case(lambda o: reverse("qms:record-edit", args=[o["stp"].pk, "head"]), "qms.approve",
                            lambda o: {"documents_approved_on": "2026-01-05"}),
    "qms:procedure-import": Case(lambda o: reverse("qms:procedure-import", args=[o["stp"].pk]), "qms.edit",
                                 lambda o: {"file": SimpleUploadedFile("t.csv", "Mã TTHC;Tên\n1.1;A\n".encode())}),
    "qms:part-add": Case(lambda o: reverse("qms:part-add", args=[o["stp"].pk, "trainings"]), "qms.edit",
                         lambda o: {}),
    "qms:part-edit": Case(lambda o: reverse("qms:part-edit", args=[o["stp"].pk, "internal-audits", o["audit"].pk]),
                          "qms.edit", lambda o: {}),
    "qms:part-upload": Case(lambda o: reverse("qms:part-upload", args=[o["stp"].pk, "documents",
                                                                        o["document"].pk]),
                            "qms.edit", lambda o: {"file": SimpleUploadedFile("a.pdf", PDF)}),
    "agencies:edit": Case(lambda o: reverse("agencies:edit", args=[o["stp"].pk]), "agency.update", lambda o: {}),
    "agencies:deactivate": Case(lambda o: reverse("agencies:deactivate", args=[o["stp"].pk]), "agency.deactivate",
                              lambda o: {}),
    "agencies:merge": Case(lambda o: reverse("agencies:merge", args=[o["stp"].pk]), "agency.deactivate", lambda o: {}),
    "qms:legal-due-record": Case(lambda o: reverse("qms:legal-due-record", args=[o["due"].pk]), "legal_due.act",
                             lambda o: {"updated_on": "2026-03-01", "note": "Đã cập nhật."}),
    "qms:legal-due-declare": Case(lambda o: reverse("qms:legal-due-declare", args=[o["due"].pk]), "legal_due.act",
                              lambda o: {"reason": "Không áp dụng cho cơ quan."}),
    "qms:legal-due-decide": Case(lambda o: reverse("qms:legal-due-decide", args=[o["due"].pk]), "legal_due.decide",
                             lambda o: {"accept": "1"}),
    "audits:plan-entry-remove": Case(lambda o: reverse("audits:plan-entry-remove", args=[o["entry"].pk]),
                                     "plan.edit", agency_level=False, agency_sees=False, world=True),
    "reports:agency-act": Case(lambda o: reverse("reports:agency-act", args=[o["report"].pk, "submit"]),
                               "agency_report.submit", world=True),
    "reports:agency-report": Case(lambda o: reverse("reports:agency-report", args=[o["report"].pk]),
                                  "agency_report.draft", world=True),
}


def _action(route: str, key: str, capability, data: dict | None = None, **where) -> tuple[str, Case]:
    """The case of one action route of a plan, inspection or finding page (issue 20): its own URL, POST only."""
    return f"audits:{route}", Case(lambda o: reverse(f"audits:{route}", args=[o[key].pk]), capability,
                                   (lambda o: data) if data else None, world=True, **where)


PLAN_ONLY = {"agency_level": False, "agency_sees": False}  # a plan is the province's: agency staff never see it
CASES.update(dict([
    _action("plan-texts", "plan", "plan.edit", {"texts-purpose": "Mục đích"}, **PLAN_ONLY),
    _action("plan-entry", "plan", "plan.edit", {"entry-form": "on_site"}, **PLAN_ONLY),
    _action("plan-submit", "plan", "plan.edit", **PLAN_ONLY),
    _action("plan-approve", "plan", "plan.approve", {"approve-approval_number": "1/QĐ-UBND"}, **PLAN_ONLY),
    _action("plan-return", "plan", "plan.approve", {"return-reason": "Thiếu"}, **PLAN_ONLY),
    _action("plan-request", "plan", "inspection.manage", **PLAN_ONLY),
    _action("plan-close", "plan", "plan.edit", **PLAN_ONLY),
    _action("inspection-self", "inspection", "inspection.self_assess"),
    _action("inspection-self-submit", "inspection", "inspection.self_assess"),
    _action("inspection-checklist", "inspection", "inspection.manage"),
    _action("inspection-finding", "inspection", "finding.record", {"finding-classification": "nonconformity"}),
    _action("inspection-sign", "inspection", "inspection.manage"),
    _action("inspection-decision", "inspection", "inspection.manage"),
    _action("inspection-schedule", "inspection", "inspection.manage", {"schedule-location": "Hội trường"}),
    _action("inspection-request", "inspection", "inspection.manage"),
    _action("finding-respond", "finding", "finding.respond", {"respond-action_taken": "Đã khắc phục"}),
    _action("finding-accept", "finding", "finding.review"),
    _action("finding-reject", "finding", "finding.review", {"reject-reason": ""}),
    _action("finding-withdraw", "finding", "finding.review", {"withdraw-reason": ""}),
    _action("finding-evidence", "finding", ("finding.respond", "finding.record")),
    _action("finding-due", "finding", "finding.record", {"due-reason": "Gia hạn"}),
]))
for _name in ("set", "bulk", "propose", "confirm"):
    NOT_SCOPED[f"agencies:obligations-{_name}"] = "an action of the actor's own province's year " \
                                                  "(tests/agencies/test_obligations.py)"


def _write_views() -> list[str]:
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            else:
                yield prefix + str(pattern.pattern), (f"{namespace}:{pattern.name}" if namespace else pattern.name), \
                    pattern.callback

    names = []
    for path, name, callback in walk(get_resolver().url_patterns):
        if path.startswith(("api/", "admin/")) or name is None:
            continue
        try:
            source = inspect.getsource(inspect.unwrap(callback))
        except (OSError, TypeError):
            continue
        if "POST" in source:
            names.append(name)
    return names




def test_every_html_write_view_is_in_the_matrix():
    found = _write_views()
    assert len(found) > 20
    unchecked = [name for name in found if name not in CASES and name not in NOT_SCOPED
                 and not name.startswith(NOT_SCOPED_PREFIXES)]
    assert not unchecked, f"add a case or a reason for these HTML write views: {unchecked}"
    assert set(CASES) <= set(found)  # each action route is seen as a write view (its view reads POST)
    assert not {"audits:plan-detail", "audits:inspection-detail", "audits:finding-detail",
                "agencies:obligations-year", "accounts:staff-edit"} & set(found)  # the pages only read


@pytest.fixture
def objects(cast):
    from qms.legal.models import DueLegalUpdate, DueStatus, LegalChange

    stp = cast.agencies["ag_stp"]
    qms = QmsRecord.objects.create(agency=stp)
    audit = InternalAudit.objects.create(qms=qms, held_on=date(2026, 2, 1), auditors="Tổ đánh giá")
    document = QmsDocument.objects.create(qms=qms, kind="procedure", code="QT-01", title="Quy trình")
    change = LegalChange.objects.create(province=cast.provinces["ag"], number="1/2026/QĐ-UBND", title="Quy định",
                                        issuer="UBND tỉnh", issued_on=date(2026, 1, 2),
                                        effective_on=date(2026, 1, 10), created_by=cast.users["admin"],
                                        agency_kinds=["so"])
    due = DueLegalUpdate.objects.create(change=change, agency=stp, due_on=date(2026, 4, 10))
    # The Sở's decision needs a declaration awaiting it; the agency's answers accept either state's refusal.
    due.status, due.reason, due.claimed_on = DueStatus.CLAIMED, "Không áp dụng.", date(2026, 2, 1)
    due.save()
    register_entry = RegisteredDocument.objects.create(  # a line of UBND tỉnh An Giang's register
        issuer=Agency.objects.get(province=stp.province, kind=AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE), year=2026,
        number=1, symbol="BC-UBND", doc_type="BC", issued_on=date(2026, 3, 2))
    return {"stp": stp, "audit": audit, "document": document, "due": due, "register_entry": register_entry}


@pytest.fixture
def world_objects(cast, objects):
    """The inspection world of tests/audits/conftest.py (both provinces' approved 2026 plans, STP inspected and
    signed with one finding) and An Giang's annual report of STP."""
    from audits.checklist_data import load_reference_data
    from audits.models import ChecklistItem, ChecklistVersion, FindingClass
    from reports.models import PeriodKind, ReportingPeriod
    from reports.services import agency_report_create
    from tests.audits.conftest import build_world

    load_reference_data(ChecklistVersion=ChecklistVersion, ChecklistItem=ChecklistItem, FindingClass=FindingClass)
    world = build_world(cast, responded=True)
    period = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=2026, kind=PeriodKind.ANNUAL,
                                            window_start=date(2026, 1, 1), window_end=date(2026, 12, 31),
                                            deadline=date(2027, 1, 15))
    report = agency_report_create(actor=cast.users["ag_officer"], period=period, agency=objects["stp"])
    plan = world.plans["ag"]
    return {**objects, "plan": plan, "entry": plan.entries.get(agency=objects["stp"]),
            "inspection": world.inspections["ag_stp"], "finding": world.findings["ag_stp"], "report": report}


def expected(cast, user: str, case: Case) -> str:
    """"404", "403" or "allowed" for `user` acting on An Giang's Sở Tư pháp."""
    scope = scope_of(cast.users[user])
    stp = cast.agencies["ag_stp"]
    if scope.is_agency:
        visible = case.agency_sees and (scope.agency_id == stp.pk if case.agency_level
                                        else scope.province_id == stp.province_id)
    else:
        visible = scope.is_national or scope.province_id == stp.province_id
    if not visible:
        return "404"
    capabilities = case.action if isinstance(case.action, tuple) else (case.action,)
    return "allowed" if any(scope.role in CAPABILITIES[c] for c in capabilities) else "403"


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("user", USERS)
def test_html_write_matrix(client, cast, request, name, user):
    case = CASES[name]
    objects = request.getfixturevalue("world_objects" if case.world else "objects")
    client.force_login(cast.users[user])
    response = client.post(case.url(objects), case.data(objects) if case.data else {})
    want = expected(cast, user, case)
    if want == "allowed":
        assert response.status_code not in (403, 404, 500), (name, user, response.status_code)
    else:
        assert response.status_code == int(want), (name, user, want, response.status_code)
