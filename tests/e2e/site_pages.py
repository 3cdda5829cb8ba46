"""Every page of every role (issue 21), built from the URL conf and the demo data, not listed by hand.

`page_routes()` walks the URL conf. Each named route is either a page, with a sampler in SAMPLES that picks from
what the user may see (the scoped selectors over the demo data) the objects to open it with, or is in NOT_PAGES
with the reason it is not a page (an action taken by POST, a file, a redirect, JSON). A new route that is in
neither fails `tests/e2e/test_site_pages.py::test_every_route_is_a_page_or_says_why_not`.

`site_world()` loads the demo (`manage.py seed_demo`) and takes the few steps the demo leaves to the visitor, so
that the pages show their forms and states: Sở Tư pháp drafts its annual report, an unplanned inspection is
requested, the agency answers one finding, the department leader issues the consolidated report.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from devdata.demo.constants import DEMO_PASSWORD

# One demo account per role (agencies.demo): the An Giang cast, the ministry and the administrator.
ROLE_ACCOUNTS = ("ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "ag_padmin", "bo_khcn", "admin")
PASSWORD = DEMO_PASSWORD
NOT_FOUND = "/khong-co-trang-nay/"  # the 404 page, for every role and for a visitor

NOT_PAGES = {
    "qms:stage": "an action (POST)",
    "qms:procedure-import": "an action (POST)",
    "qms:part-upload": "an action (POST)",
    "imports:job-apply": "an action (POST)",
    "exports:file": "a file (XLSX), or a redirect to its job's page",
    "agencies:register-withdraw": "an action (POST)",
    "agencies:register-signed": "a file (the signed PDF); POST uploads it",
    "reports:agency-pdf": "a file (the agency's submitted report)",
    "audits:rejection-letter-pdf": "a file (the letter of non-acceptance)",
    "audits:rejection-letter-docx": "a file (the letter's editable DOCX)",
    "reports:agency-docx": "a file (the agency report's editable DOCX)",
    "agencies:register-file": "a file (the draft PDF the portal printed for a register line)",
    "audits:plan-docx": "a file (the plan's editable DOCX)",
    "audits:record-docx": "a file (the record's editable DOCX)",
    "audits:decision-docx": "a file (the decision's editable DOCX)",
    "qms:legal-changes-import": "an action (POST)",
    "qms:legal-due-record": "an action (POST)",
    "qms:legal-due-declare": "an action (POST)",
    "qms:legal-due-decide": "an action (POST)",
    "qms:compliance-export": "a file (XLSX)",
    "audits:index": "a redirect (to the calendar, or to the agency's findings)",
    "audits:plan-pdf": "a file; its progress page is opened by test_pdf_downloads_itself",
    "audits:plan-entry-remove": "an action (POST)",
    "audits:record-pdf": "a file (same progress page as the plan's)",
    "audits:decision-pdf": "a file (same progress page as the plan's)",
    "audits:self-assessment-file": "a file",
    "audits:evidence-file": "a file",
    "reports:agency-start": "an action (POST)",
    "reports:agency-act": "an action (POST)",
    "reports:consolidated-download": "a file (PDF, XLSX or DOCX)",
    "accounts:logout": "an action (POST)",
    "set_language": "an action (POST)",
    "healthz": "JSON for monitoring",
    "agencies:obligations": "a redirect (to this year's obligations)",
    "agencies:import-template": "a file (XLSX)",
    "accounts:invitation-accept": "a one-time link from an e-mail (tests/accounts/test_staff.py opens it)",
    "accounts:password-reset": "a one-time link from an e-mail (tests/accounts/test_passwords.py opens it)",
}
# The forms of the plan, inspection, finding, obligations and role pages: each its own route, POST only (issue 20).
NOT_PAGES.update({f"{page}-{action}": "an action (POST) of its page's form" for page, actions in {
    "audits:plan": ("texts", "entry", "submit", "approve", "return", "request", "close"),
    "audits:inspection": ("self", "self-submit", "checklist", "finding", "sign", "decision", "schedule", "request"),
    "audits:finding": ("respond", "accept", "reject", "evidence", "due", "withdraw"),
    "agencies:obligations": ("set", "bulk", "propose", "confirm"),
    "accounts:staff": ("save", "remove"),
}.items() for action in actions})
NOT_PORTAL = ("api/", "admin/")  # the JSON API and Django's admin: not pages of the portal
PUBLIC = {"accounts:login", "accounts:password-forgotten", "reports:verify"}  # pages a visitor sees without signing in


@dataclass(frozen=True)
class Page:
    route: str
    path: str


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)


def page_routes() -> dict[str, str]:
    """Every named route of the portal's URL conf outside the API and the admin: {name: pattern}."""
    return {name: path for name, path in _walk(get_resolver().url_patterns) if not path.startswith(NOT_PORTAL)}


# --- samplers: the objects each user may open a route with -------------------------------------------------


def _agency_ids(user) -> list[int]:
    """The agency's own file for agency staff; otherwise the richest file in scope (a maintained system)."""
    from agencies.access import scope_of
    from agencies.selectors import agencies_in_scope

    scope = scope_of(user)
    if scope.is_agency:
        return [scope.agency_id]
    agencies = agencies_in_scope(user=user).filter(is_active=True).order_by("pk")
    first = agencies.filter(qms__stage="maintaining").values_list("pk", flat=True).first()
    return [first] if first else list(agencies.values_list("pk", flat=True)[:1])


def _one_per(queryset, *fields) -> list[int]:
    """The first object (by pk) of each combination of `fields`: one page per state, not one per row."""
    seen, picked = set(), []
    for pk, *key in queryset.order_by("pk").values_list("pk", *fields):
        if tuple(key) not in seen:
            seen.add(tuple(key))
            picked.append(pk)
    return picked


def _parts(user) -> list[dict]:
    from qms.parts import PARTS

    return [{"pk": pk, "part": slug} for pk in _agency_ids(user) for slug in PARTS]


def _part_items(user) -> list[dict]:
    from agencies.models import Agency
    from qms.parts import PARTS
    from qms.selectors import part_items
    from qms.services import qms_for_agency

    pages = []
    for pk in _agency_ids(user):
        agency = Agency.objects.get(pk=pk)
        qms = qms_for_agency(agency=agency)
        for slug in PARTS:
            item = part_items(agency=agency, qms=qms, slug=slug).order_by("pk").first()
            if item is not None:
                pages.append({"pk": pk, "part": slug, "item_pk": item.pk})
    return pages


def _inspections(user) -> list[dict]:
    from audits.selectors import inspections_in_scope

    return [{"pk": pk} for pk in _one_per(inspections_in_scope(user=user), "status", "form", "kind")]


def _findings(user) -> list[dict]:
    from audits.selectors import findings_in_scope

    return [{"pk": pk} for pk in _one_per(findings_in_scope(user=user), "status")]


def _plans(user) -> list[dict]:
    from audits.selectors import plans_in_scope

    return [{"pk": pk} for pk in _one_per(plans_in_scope(user=user), "state")]


def _periods(user) -> list[dict]:
    from reports.selectors import periods_in_scope

    return [{"pk": pk} for pk in _one_per(periods_in_scope(user=user), "kind", "year")]


def _agency_reports(user) -> list[dict]:
    from reports.selectors import agency_reports_in_scope

    return [{"pk": pk} for pk in _one_per(agency_reports_in_scope(user=user), "status")]


def _consolidated(user) -> list[dict]:
    from reports.selectors import consolidated_reports_in_scope

    return [{"pk": pk} for pk in _one_per(consolidated_reports_in_scope(user=user), "kind")]


def _verification_codes(user) -> list[dict]:
    from reports.models import ConsolidatedReport

    code = ConsolidatedReport.objects.filter(status="done").values_list("verification_code", flat=True).first()
    return [{"code": code}] if code else []


def _import_jobs(user) -> list[dict]:
    from qms_portal.models import ImportJob

    return [{"pk": pk} for pk in ImportJob.objects.filter(created_by=user).values_list("pk", flat=True)[:1]]


def _export_jobs(user) -> list[dict]:
    from qms_portal.models import ExportJob

    return [{"pk": pk} for pk in ExportJob.objects.filter(created_by=user).values_list("pk", flat=True)[:1]]


def _legal_changes(user) -> list[dict]:
    from qms.legal.selectors import legal_changes_visible

    return [{"pk": pk} for pk in legal_changes_visible(user=user).values_list("pk", flat=True)[:1]]


def _register_entries(user) -> list[dict]:
    from agencies.register import register_list

    return [{"pk": pk} for pk in register_list(user=user).values_list("pk", flat=True)[:1]]


def _no_arguments(user) -> list[dict]:
    return [{}]


def _staff(user) -> list[dict]:
    """A person whose role the user may change (the people of their reach but themselves); none: nothing."""
    from accounts.staff import staff_in_reach

    return [{"user_id": pk} for pk in staff_in_reach(user=user).exclude(user=user).values_list(
        "user_id", flat=True)[:1]]


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


SAMPLES = {
    "agencies:home": _no_arguments,
    "agencies:index": _no_arguments,
    "agencies:detail": lambda user: [{"pk": pk} for pk in _agency_ids(user)],
    "agencies:create": _no_arguments,
    "agencies:import": _no_arguments,
    "agencies:edit": lambda user: [{"pk": pk} for pk in _agency_ids(user)],
    "agencies:deactivate": lambda user: [{"pk": pk} for pk in _agency_ids(user)],
    "agencies:merge": lambda user: [{"pk": pk} for pk in _agency_ids(user)],
    "agencies:obligations-year": lambda user: [{"year": _this_year()}],
    "accounts:staff": _no_arguments,
    "accounts:staff-invite": _no_arguments,
    "accounts:staff-edit": _staff,
    "accounts:audit-log": _no_arguments,
    "qms:file": lambda user: [{"pk": pk} for pk in _agency_ids(user)],
    "qms:history": lambda user: [{"pk": pk} for pk in _agency_ids(user)],
    "qms:record-edit": lambda user: [{"pk": pk, "who": who} for pk in _agency_ids(user) for who in ("officer", "head")],
    "qms:part-add": _parts,
    "qms:part-list": _parts,
    "qms:part-edit": _part_items,
    "qms:compliance": _no_arguments,
    "audits:calendar": _no_arguments,
    "audits:plan-list": _no_arguments,
    "audits:plan-detail": _plans,
    "audits:unplanned-create": _no_arguments,
    "audits:inspection-detail": _inspections,
    "audits:findings-board": _no_arguments,
    "audits:my-findings": _no_arguments,
    "audits:finding-detail": _findings,
    "reports:index": _no_arguments,
    "reports:period": _periods,
    "reports:agency-report": _agency_reports,
    "reports:consolidated-new": _no_arguments,
    "reports:consolidated": _consolidated,
    "reports:verify": _verification_codes,
    "accounts:login": _no_arguments,
    "accounts:password-forgotten": _no_arguments,
    "accounts:account": _no_arguments,
    "accounts:two-factor-verify": _no_arguments,
    "accounts:two-factor-setup": _no_arguments,
    "imports:job": _import_jobs,
    "exports:job": _export_jobs,
    "qms:legal-changes": _no_arguments,
    "qms:legal-change": _legal_changes,
    "agencies:register": _no_arguments,
    "agencies:register-entry": _register_entries,
}


def pages_of(user) -> list[Page]:
    """The pages `user` is shown when opening every route (None: a visitor who has not signed in)."""
    pages = []
    for route in page_routes():
        signed_in_on_login = user is not None and route == "accounts:login"
        if route in NOT_PAGES or (user is None and route not in PUBLIC) or signed_in_on_login:
            continue
        for kwargs in SAMPLES[route](user):
            pages.append(Page(route, reverse(route, kwargs=kwargs)))
    return [*pages, Page("404", NOT_FOUND)]


# --- the world the pages show ------------------------------------------------------------------------------


def site_world() -> None:
    """The demo data, plus what the demo leaves for a visitor to do (see the module's docstring)."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.http import QueryDict
    from django.utils import timezone

    from agencies.models import Agency
    from audits import services as audits
    from audits.models import Finding, InspectionForm
    from qms.legal.services import legal_change_compute_targets, legal_change_register
    from qms.procedure_import import procedures_import
    from qms_portal.exports.services import export_request, exporter_for
    from reports import services as reports
    from reports.models import PeriodKind, ReportingPeriod
    from tests.audits.conftest import pdf_upload
    from tests.e2e.test_journeys import reference_data

    reference_data()  # the checklist comes from a data migration, which an earlier transactional test flushed
    call_command("seed_demo", verbosity=0)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLE_ACCOUNTS)}
    today = timezone.localdate()
    stp = Agency.objects.get(province__code=91, short_code="STP")
    snv = Agency.objects.get(province__code=91, short_code="SNV")
    period = ReportingPeriod.objects.get(province__code=91, year=today.year, kind=PeriodKind.ANNUAL)
    reports.agency_report_create(actor=users["ag_officer"], period=period, agency=stp)
    unplanned = audits.inspection_create_unplanned(
        actor=users["ag_inspector"], agency=snv, form=InspectionForm.DOCUMENTS,
        reason="Phản ánh của người dân về thời hạn giải quyết thủ tục hành chính.",
        scheduled_on=today + timedelta(days=20))
    audits.report_request_send(actor=users["ag_inspector"], inspections=[unplanned],
                               deadline=today + timedelta(days=10))
    finding = Finding.objects.filter(agency=stp, status="open").order_by("-due_on").first()
    audits.finding_respond(actor=users["ag_officer"], finding=finding, cause="Chưa phân công người theo dõi.",
                           action_taken="Đã xây dựng quy trình cho 03 thủ tục hộ tịch và bổ sung vào phạm vi.",
                           files=[pdf_upload("quy-trinh-ho-tich.pdf")])
    reports.consolidated_report_request(actor=users["ag_leader"], kind="provincial", period=period)
    change = legal_change_register(actor=users["ag_inspector"], province_id=stp.province_id, data={
        "number": "20/2026/NĐ-CP", "title": "Nghị định sửa đổi thủ tục hộ tịch", "issuer": "Chính phủ",
        "issued_on": today - timedelta(days=40), "effective_on": today - timedelta(days=20),
        "agency_kinds": ["so"]})
    legal_change_compute_targets(change_id=change.pk)
    procedures_import(actor=users["ag_officer"], agency=stp, uploaded=SimpleUploadedFile(
        "tthc.csv", "Mã TTHC;Tên TTHC\n1.0001;Đăng ký khai sinh\n;Thiếu mã\n".encode()))
    compliance = exporter_for("qms.compliance")
    params = compliance.clean(QueryDict("sort=stage"))
    export_request(actor=users["bo_khcn"], kind="qms.compliance", params=params,
                   rows=compliance.rows_at_most(actor=users["bo_khcn"], params=params))


# --- visiting them -----------------------------------------------------------------------------------------

# Dates, editions and grouped numbers in the text of the page cut over two lines: each occurrence is a range whose
# height is compared with the line height of its element.
BROKEN_TOKENS = r"""() => {
    const tokens = /\d{2}\/\d{2}\/\d{4}|\b\d{4}:\d{4}\b|\b\d{1,3}(?:[.,]\d{3})+\b|\b\d+\/\d+\b|\b\d+(?:[.,]\d+)?\s?%/g;
    const found = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, element = node.parentElement;
        if (!element.getClientRects().length || element.closest('script, style, dialog:not([open])')) { continue; }
        const style = getComputedStyle(element);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
        for (const match of node.data.matchAll(tokens)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
            if (tops.size > 1 || range.getBoundingClientRect().height > line * 1.5) {
                found.push(match[0] + ' in <' + element.tagName.toLowerCase()
                           + (element.className ? '.' + element.className.split(' ').join('.') : '') + '>');
            }
        }
    }
    return [...new Set(found)].slice(0, 5);
}"""
# The elements that make a page wider than the screen (to say which in the message).
TOO_WIDE = """(width) => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('dialog:not([open])'))
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '')
                     + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""
# Chart labels that do not fit their axis (cut at the canvas edge: "BND xã, phường..."), line by line.
CUT_CHART_LABELS = """() => [...document.querySelectorAll('canvas[data-chart]')].flatMap(canvas => {
    const chart = window.Chart && window.Chart.getChart(canvas);
    if (!chart) { return []; }
    const axis = chart.options.indexAxis === 'y' ? chart.scales.y : chart.scales.x;
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = window.Chart.helpers.toFont(axis.options.ticks.font).string;
    const room = chart.options.indexAxis === 'y' ? axis.width : chart.width;
    const cut = axis.ticks.flatMap(tick => [].concat(tick.label))
        .filter(line => ctx.measureText(line).width > room).map(line => canvas.dataset.chart + ': ' + line);
    ctx.restore();
    return cut;
})"""
# What axe-core's verdict depends on: the elements, their classes, roles and ARIA, whether they hold text. Two
# pages with the same shape (the same page seen by two read-only roles) are checked once per width.
SHAPE = """() => [...document.body.querySelectorAll('*')].map(e => [
    e.tagName, e.id, e.className, e.getAttribute('role'), e.getAttribute('type'), e.hidden,
    [...e.attributes].filter(a => a.name.startsWith('aria-')).map(a => a.name).join(),
    [...e.childNodes].some(n => n.nodeType === 3 && n.data.trim())].join(':')).join('|')"""


def layout_problems(page) -> list[tuple]:
    """The page scrolls sideways, a date, an edition or a number wraps, or a chart's labels are cut."""
    problems = []
    width = page.evaluate("window.innerWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(("scrolls sideways", f"{scroll}px > {width}px", page.evaluate(TOO_WIDE, width)))
    broken = page.evaluate(BROKEN_TOKENS)
    if broken:
        problems.append(("a date or number wraps", broken))
    cut = page.evaluate(CUT_CHART_LABELS)
    if cut:
        problems.append(("chart labels cut", cut[:4]))
    return problems


@dataclass
class Visits:
    """What one visit of every page of every role at one width found."""

    pages: int = 0
    checked_by_axe: int = 0
    layout: list = field(default_factory=list)
    axe: list = field(default_factory=list)


def visit_every_page(browser, base_url: str, *, width: int, height: int = 800) -> Visits:
    """Open every page of every role (and the visitor's) at `width` px, under the portal's CSP, and check its
    layout and (once per page shape) its accessibility. Problems are collected, not raised, so that one does not
    hide the next."""
    from django.contrib.auth import get_user_model

    from tests.e2e.axe import serious_violations, serve_axe

    visits, shapes = Visits(), set()
    for username in (None, *ROLE_ACCOUNTS):
        who = username or "visitor"
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN", base_url=base_url)
        serve_axe(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        user = None
        if username:
            user = get_user_model().objects.get(username=username)
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("#main button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for target in pages_of(user):
            response = page.goto(target.path)
            status = response.status if response else None
            visits.pages += 1
            if status not in (200, 403, 404) or (status == 404) != (target.route == "404"):
                visits.layout.append((who, target.path, f"HTTP {status}"))
                continue
            # a function, not an expression: under the portal's CSP Playwright may not eval a string
            page.wait_for_function("() => !window.Chart || [...document.querySelectorAll('canvas[data-chart]')]"
                                   ".every(c => window.Chart.getChart(c))")
            visits.layout += [(who, target.path, *problem) for problem in layout_problems(page)]
            shape = hash(page.evaluate(SHAPE))
            if shape not in shapes:
                shapes.add(shape)
                visits.checked_by_axe += 1
                visits.axe += [(who, target.path, v) for v in serious_violations(page, served=True)]
        context.close()
    return visits
