import io

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from qms.models import QmsRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, cast):
    client.force_login(cast.users["ag_officer"])
    return client


def test_qms_page_shows_checklist_and_next_steps(officer_client, cast):
    page = officer_client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/").content.decode()
    assert 'data-rule="announced" data-met="0"' in page
    assert "Hồ sơ HTQLCL" in page


def test_officer_adds_an_internal_audit_with_inline_errors(officer_client, cast):
    stp = cast.agencies["ag_stp"]
    page = officer_client.post(f"/agencies/{stp.pk}/qms/internal-audits/add/", {"held_on": "", "auditors": ""})
    assert page.status_code == 200
    assert "field-error" in page.content.decode()
    assert not QmsRecord.objects.filter(agency=stp, internal_audits__isnull=False).exists()
    today = timezone.localdate().isoformat()
    response = officer_client.post(f"/agencies/{stp.pk}/qms/internal-audits/add/",
                                   {"held_on": today, "auditors": "Tổ đánh giá", "nonconformities": 1})
    assert response.status_code == 302
    assert QmsRecord.objects.get(agency=stp).internal_audits.count() == 1


def test_stage_change_without_evidence_shows_message(officer_client, cast):
    stp = cast.agencies["ag_stp"]
    response = officer_client.post(f"/agencies/{stp.pk}/qms/stage/", {"stage": "building"}, follow=True)
    assert "message-error" in response.content.decode()
    assert not QmsRecord.objects.filter(agency=stp).exclude(stage="not_started").exists()


def test_head_form_forbidden_for_officer(officer_client, cast):
    assert officer_client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/edit/head/").status_code == 403


@pytest.mark.parametrize(("user", "own", "other_province"), [
    ("ag_officer", 200, 404), ("ag_inspector", 200, 404), ("ministry", 200, 200), ("cb_leader", 404, 200)])
def test_qms_page_scope(client, cast, user, own, other_province):
    client.force_login(cast.users[user])
    assert client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/").status_code == own
    assert client.get(f"/agencies/{cast.agencies['cb_stp'].pk}/qms/").status_code == other_province


@pytest.mark.parametrize(("user", "code"), [("ag_inspector", 403), ("ag_ubnd", 403), ("cb_officer", 404)])
def test_readers_cannot_post(client, cast, user, code):
    client.force_login(cast.users[user])
    response = client.post(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/trainings/add/",
                           {"held_on": "2025-01-01", "topic": "ISO", "attendees": 3})
    assert response.status_code == code


def test_province_view_and_export(client, cast):
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/compliance/", {"rule": "internal_audit"}).content.decode()
    assert "Sở Tư pháp" in page and "Cao Bằng" not in page
    response = client.get("/compliance/export.xlsx", {"rule": "internal_audit"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["Ủy ban nhân dân tỉnh An Giang", "Sở Khoa học và Công nghệ", "Sở Tư pháp",
                                    "Sở Nội vụ"])


def test_export_neutralises_formulas(client, cast):
    stp = cast.agencies["ag_stp"]
    stp.name = "=HYPERLINK(\"http://x\")"
    stp.save()
    client.force_login(cast.users["ag_inspector"])
    sheet = load_workbook(io.BytesIO(client.get("/compliance/export.xlsx").getvalue())).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")" in names


def test_agency_users_cannot_use_province_view(officer_client):
    assert officer_client.get("/compliance/").status_code == 403


def test_dashboard_panels_for_the_province(client, cast, django_assert_max_num_queries):
    from qms.models import QmsRecord

    QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage="maintaining")
    client.force_login(cast.users["ag_inspector"])
    client.get("/")
    page = client.get("/").content.decode()
    assert 'data-chart="chart-stage"' in page and "chart.umd.min.js" in page
    assert "/compliance/?kind=so&amp;stage=maintaining" in page


def test_dashboard_queries_do_not_grow(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AgencyFactory

    client.force_login(cast.users["ministry"])
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for _ in range(25):
        AgencyFactory(province=cast.provinces["cb"])
    with CaptureQueriesContext(connection) as large:
        client.get("/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_compliance_filters_by_stage(client, cast):
    from qms.models import QmsRecord

    QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage="maintaining")
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/compliance/", {"stage": "maintaining"}).content.decode()
    assert "Sở Tư pháp" in page and "Sở Nội vụ" not in page


def test_agency_users_get_no_dashboard(client, cast):
    client.force_login(cast.users["ag_officer"])
    assert "data-chart" not in client.get("/").content.decode()


def compliance_cases(cast) -> dict:
    """An Giang agencies whose files meet and miss each rule in turn (STP and the others of the cast have none)."""
    from datetime import date, timedelta

    from qms.models import (
        Announcement,
        Edition,
        InternalAudit,
        InternalCorrectiveAction,
        LegalUpdate,
        ManagementReview,
        Procedure,
        Stage,
    )
    from tests.factories import AgencyFactory

    today = timezone.localdate()
    year_start = date(today.year, 1, 1)
    province = cast.provinces["ag"]

    def agency_with(name, *, stage, edition=Edition.ISO_2015, announced_under=None, procedures=(), audit_on=None,
                    review_on=None, legal=(), actions=()):
        agency = AgencyFactory(name=name, province=province)
        qms = QmsRecord.objects.create(agency=agency, stage=stage, edition=edition)
        if announced_under:
            Announcement.objects.create(qms=qms, kind="first", decision_number=f"1/QĐ-{agency.pk}",
                                        decision_date=today - timedelta(days=200), signer="Giám đốc",
                                        edition=announced_under, scope="Toàn bộ TTHC")
        for n, (covered, active) in enumerate(procedures):
            Procedure.objects.create(agency=agency, code=f"{agency.pk}.{n}", name=f"Thủ tục {n}", covered=covered,
                                     is_active=active)
        if audit_on:
            InternalAudit.objects.create(qms=qms, held_on=audit_on, auditors="Tổ ĐGNB")
        if review_on:
            ManagementReview.objects.create(qms=qms, held_on=review_on, chair="Giám đốc")
        for due_on, updated_on in legal:
            LegalUpdate.objects.create(qms=qms, legal_document="Nghị định", effective_on=due_on - timedelta(days=90),
                                       due_on=due_on, updated_on=updated_on)
        for due_on, done_on in actions:
            InternalCorrectiveAction.objects.create(qms=qms, description="Sai", action="Sửa", owner="Phòng",
                                                    due_on=due_on, status="done" if done_on else "open",
                                                    done_on=done_on)
        return agency

    last_year = date(today.year - 1, 6, 1)
    return {
        "all_met": agency_with("Sở Mọi tiêu chí", stage=Stage.MAINTAINING, announced_under=Edition.ISO_2015,
                               procedures=[(True, True), (True, True), (False, False)], audit_on=today,
                               review_on=today, legal=[(today - timedelta(days=5), today - timedelta(days=6))],
                               actions=[(today - timedelta(days=1), today)]),
        "all_missed": agency_with("Sở Thiếu hết", stage=Stage.ANNOUNCED, announced_under=Edition.ISO_2008,
                                  procedures=[(True, True), (False, True)], audit_on=last_year,
                                  legal=[(today - timedelta(days=1), None)],
                                  actions=[(today - timedelta(days=1), None)]),
        "reannounce": agency_with("Sở Công bố lại", stage=Stage.REANNOUNCEMENT_DUE, edition=Edition.ISO_2008,
                                  announced_under=Edition.ISO_2008, review_on=last_year,
                                  legal=[(year_start - timedelta(days=1), today)]),
        "building": agency_with("Sở Đang xây dựng", stage=Stage.BUILDING, announced_under=Edition.ISO_2015,
                                procedures=[(True, True)], actions=[(today + timedelta(days=30), None)]),
    }


def test_compliance_verdicts_agree_with_evaluate(cast):
    """The page counts, filters and sorts with the SQL verdicts (`rules_met`) and shows `evaluate`; facts kept as
    data are judged by the same predicates in Python (`evaluate_facts`): all agree on every rule."""
    from agencies.models import Agency
    from qms.rules import RULES, evaluate, evaluate_facts, facts_of, rules_met, with_compliance_facts
    from qms.selectors import compliance_list

    compliance_cases(cast)
    today = timezone.localdate()
    agencies = compliance_list(user=cast.users["ministry"], today=today)
    fast = rules_met(agencies)
    slow, python = {}, {}
    for agency in with_compliance_facts(Agency.objects.filter(is_active=True), today=today):
        slow[agency.pk] = {r.code: r.met for r in evaluate(agency, today=today)}
        python[agency.pk] = {r.code: r.met for r in evaluate_facts(facts_of(agency), as_of=today)}
    assert [row.agency_id for row in fast] == list(agencies.values_list("pk", flat=True))
    assert {row.agency_id: dict(zip(RULES, row.met, strict=True)) for row in fast} == slow == python
    for index, code in enumerate(RULES):  # every rule is met by some agency and missed by another
        assert {row.met[index] for row in fast} == {True, False}, code
    by_name = {row.name: row for row in fast}
    assert all(by_name["Sở Mọi tiêu chí"].met)
    # announced under the other edition, one procedure uncovered, last audit last year, no review, legal and
    # corrective actions overdue; still on 2015 and not due for re-announcement
    assert by_name["Sở Thiếu hết"].met == (False, True, False, False, False, False, True, False)


def test_compliance_filter_and_sort_in_sql(cast):
    """The page's filter and sort are the SQL verdicts: not met first, then by name; stage, then by name."""
    from qms.rules import RULES, rules_met
    from qms.selectors import compliance_list

    compliance_cases(cast)
    user = cast.users["ministry"]
    failing = rules_met(compliance_list(user=user, rule="edition_2015"))
    edition = list(RULES).index("edition_2015")
    assert failing and not any(row.met[edition] for row in failing)
    everyone = rules_met(compliance_list(user=user))
    assert len(failing) == sum(not row.met[edition] for row in everyone)
    by_rule = rules_met(compliance_list(user=user, sort="edition_2015"))
    assert [(row.met[edition], row.name) for row in by_rule] == sorted((row.met[edition], row.name)
                                                                      for row in everyone)
    by_stage = rules_met(compliance_list(user=user, sort="stage"))
    assert [row.stage for row in by_stage] == sorted(row.stage for row in everyone)


def test_compliance_page_is_paged_and_counts_every_agency_in_constant_queries(client, cast):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AgencyFactory

    cases = compliance_cases(cast)
    client.force_login(cast.users["ag_inspector"])
    client.get("/compliance/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/compliance/").status_code == 200
    for n in range(60):
        AgencyFactory(name=f"Ủy ban nhân dân xã Thử {n:02d}", province=cast.provinces["ag"])
    with CaptureQueriesContext(connection) as large:
        first = client.get("/compliance/").content.decode()
    assert len(large.captured_queries) == len(small.captured_queries) <= 20
    total = 4 + len(cases) + 60
    link = re.compile(r'href="/agencies/(\d+)/qms/"')
    second = client.get("/compliance/", {"page": 2}).content.decode()
    assert len(link.findall(first)) == 50 and len(link.findall(second)) == total - 50
    # the summary by kind counts every agency, not the page: the people's committee, and all the departments
    assert '<td class="num">1</td>' in first and f'<td class="num">{total - 1}</td>' in first

    # sorted by a rule: the agencies that miss it first, then by name
    page = client.get("/compliance/", {"sort": "internal_audit"}).content.decode()
    shown = [int(pk) for pk in link.findall(page)]
    assert cases["all_met"].pk not in shown  # it meets the rule: after the 50 that do not
    assert cases["all_met"].pk in [int(pk) for pk in link.findall(
        client.get("/compliance/", {"sort": "internal_audit", "page": 2}).content.decode())]
    page = client.get("/compliance/", {"rule": "internal_audit", "kind": "so"}).content.decode()
    assert cases["all_missed"].name in page and cases["all_met"].name not in page


@pytest.mark.parametrize("reader", ["ministry", "ag_inspector"])
def test_compliance_page_shows_what_judging_every_agency_shows(client, cast, reader):
    """The page and the API judge only their own agencies by every rule (they come unjudged in their order, or by
    the one rule that filters or sorts them: `compliance_ids`) and the page adds its summary up from the scope's
    compliance figures (`qms.compliance_figures`): the same agencies, total and summary as the list of every agency
    judged by every rule (`compliance_list`), for each filter, sort and page."""
    from qms.models import Stage
    from qms.rules import rules_met, summary_by_kind
    from qms.selectors import compliance_list
    from tests.factories import AgencyFactory

    compliance_cases(cast)
    for n in range(55):
        AgencyFactory(name=f"Ủy ban nhân dân xã Thử {n % 7}", province=cast.provinces["ag"], kind="ubnd_xa")
    user = cast.users[reader]
    client.force_login(user)
    cases = [({}, {}), ({"page": "2"}, {}), ({"kind": "so"}, {"kind": "so"}),
             ({"stage": "maintaining"}, {"stage": Stage.MAINTAINING}),
             ({"stage": "not_started", "page": "2"}, {"stage": Stage.NOT_STARTED}),
             ({"province": str(cast.provinces["ag"].code)}, {"province": cast.provinces["ag"].code}),
             ({"mandatory": "1"}, {"mandatory_only": True}), ({"sort": "stage"}, {"sort": "stage"}),
             ({"sort": "stage", "page": "2", "kind": "ubnd_xa"}, {"sort": "stage", "kind": "ubnd_xa"}),
             ({"rule": "internal_audit"}, {"rule": "internal_audit"}),
             ({"rule": "legal_updates", "kind": "so"}, {"rule": "legal_updates", "kind": "so"}),
             ({"rule": "announced", "page": "2"}, {"rule": "announced"}),
             ({"sort": "coverage_complete", "page": "2"}, {"sort": "coverage_complete"}),
             ({"sort": "corrective_actions", "stage": "maintaining"},
              {"sort": "corrective_actions", "stage": Stage.MAINTAINING})]
    for query, chosen in cases:
        response = client.get("/compliance/", query)
        assert response.status_code == 200, query
        rows = rules_met(compliance_list(user=user, **chosen))
        number = int(query.get("page", 1))
        expected = [row.agency_id for row in rows[(number - 1) * 50:number * 50]]
        assert expected or number > 1 and not rows[50:], query
        assert [agency.pk for agency, _results in response.context["page"].object_list] == expected, query
        assert response.context["total"] == len(rows), query
        assert response.context["summary"] == summary_by_kind(rows), query
        api = client.get("/api/v1/compliance/", {**query, "page_size": "50"})  # the API pages the same agencies
        assert api.status_code == 200, query
        assert [row["id"] for row in api.json()["results"]] == expected, query
        assert api.json()["count"] == len(rows), query


def test_compliance_page_reads_the_figures_the_dashboards_keep(client, cast, settings):
    """With dashboard figures kept, the page's summary comes from them whatever the filter, a rule's included:
    computed once for the scope, then read."""
    from unittest import mock

    from django.core.cache import cache

    from qms import compliance_figures

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    compliance_cases(cast)
    client.force_login(cast.users["ag_inspector"])
    with mock.patch.object(compliance_figures, "compliance_groups", wraps=compliance_figures.compliance_groups) as spy:
        first = client.get("/compliance/").context["summary"]
        second = client.get("/compliance/", {"kind": "so"}).context["summary"]
        failing = client.get("/compliance/", {"rule": "internal_audit"}).context["summary"]
        assert spy.call_count == 1  # the province's figures, then read from the cache
    assert second == [row for row in first if row["kind"] == "so"] and second[0]["total"] >= 4
    assert 0 < sum(row["total"] for row in failing) < sum(row["total"] for row in first)
    cache.clear()


def test_export_carries_every_verdict_of_the_page(client, cast):
    """The workbook and the page come from the same verdicts: each row's Met / Not met equals `evaluate`."""
    from agencies.models import Agency
    from qms.rules import RULES, evaluate, with_compliance_facts

    client.force_login(cast.users["ag_inspector"])
    sheet = load_workbook(io.BytesIO(client.get("/compliance/export.xlsx", {"sort": "stage"}).getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) > 4
    assert list(rows[0][7:]) == [str(rule.label) for rule in RULES.values()]
    today = timezone.localdate()
    for row in rows[1:]:
        agency = with_compliance_facts(Agency.objects.filter(short_code=row[2], province=cast.provinces["ag"]),
                                       today=today).get()
        assert row[3] == "An Giang"
        assert list(row[7:]) == ["Đạt" if result.met else "Chưa đạt" for result in evaluate(agency, today=today)]


def test_column_headers_are_capitalised_and_dates_stay_whole(client, cast):
    """Headers came from lowercase field names ("loại, số quyết định")."""
    from datetime import date

    from qms.models import Announcement, Edition, QmsRecord

    qms = QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage="announced", edition=Edition.ISO_2015)
    Announcement.objects.create(qms=qms, kind="first", decision_number="12/QĐ-STP", decision_date=date(2025, 9, 15),
                                signer="Giám đốc", edition=Edition.ISO_2015, scope="Toàn bộ TTHC")
    client.force_login(cast.users["ag_officer"])
    page = client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/").content.decode()
    assert '<th scope="col">Loại</th>' in page and '<th scope="col">Số quyết định</th>' in page
    assert '<td data-label="Ngày ban hành quyết định"><span class="nowrap">15/09/2025</span></td>' in page


def test_people_are_named_family_name_first(client, cast):
    user = cast.users["ag_officer"]
    user.last_name, user.first_name = "Nguyễn Thị", "Lan"
    user.save()
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Xin chào, Nguyễn Thị Lan" in page and "Lan Nguyễn Thị" not in page


# --- a part with more items than the file page shows -------------------------------------------------------------


@pytest.fixture
def procedures(cast):
    """Sở Tư pháp handles 23 procedures: more than the file page shows of a part (10)."""
    from qms.models import Procedure

    Procedure.objects.bulk_create(Procedure(agency=cast.agencies["ag_stp"], code=f"1.{n:04d}",
                                            name=f"Thủ tục số {n}", field="Hộ tịch") for n in range(1, 24))
    return [f"1.{n:04d}" for n in range(1, 24)]


def _procedure_codes(page: str) -> list[str]:
    import re

    return re.findall(r'<td data-label="Mã TTHC">([^<]+)</td>', page)


def test_the_file_page_shows_the_first_items_of_a_part_and_links_to_all(officer_client, cast, procedures):
    stp = cast.agencies["ag_stp"]
    page = officer_client.get(f"/agencies/{stp.pk}/qms/").content.decode()
    assert _procedure_codes(page) == procedures[:10]
    assert "10 mục đầu trong tổng số 23." in page
    assert f'<a href="/agencies/{stp.pk}/qms/procedures/">Xem cả 23 mục: Thủ tục hành chính</a>' in page
    assert f"/agencies/{stp.pk}/qms/documents/\"" not in page  # a part with nothing more: no link


def test_the_part_page_shows_every_item_paged_in_the_part_order(officer_client, cast, procedures, monkeypatch):
    monkeypatch.setattr("qms.views.PART_PAGE_ITEMS", 10)
    url = f"/agencies/{cast.agencies['ag_stp'].pk}/qms/procedures/"
    pages = [officer_client.get(url, {"page": n}) for n in (1, 2, 3)]
    assert [response.status_code for response in pages] == [200, 200, 200]
    shown = [_procedure_codes(response.content.decode()) for response in pages]
    assert shown == [procedures[:10], procedures[10:20], procedures[20:]]
    first = pages[0].content.decode()
    assert "23 mục" in first and "Trang 1/3" in first
    assert f'href="/agencies/{cast.agencies["ag_stp"].pk}/qms/procedures/add/?list=1"' in first  # the officer adds
    assert officer_client.get(url, {"page": "x"}).status_code == 400


def test_the_part_page_queries_do_not_grow_with_the_items(officer_client, cast, procedures):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qms.models import Procedure

    url = f"/agencies/{cast.agencies['ag_stp'].pk}/qms/procedures/"
    with CaptureQueriesContext(connection) as few:
        officer_client.get(url)
    Procedure.objects.bulk_create(Procedure(agency=cast.agencies["ag_stp"], code=f"2.{n:04d}", name=f"Thủ tục {n}")
                                  for n in range(60))
    with CaptureQueriesContext(connection) as many:
        officer_client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(("user", "own", "other_province", "can_add"), [
    ("ag_officer", 200, 404, True), ("ag_inspector", 200, 404, False), ("ministry", 200, 200, False),
    ("cb_leader", 404, 200, False)])
def test_the_part_page_scope(client, cast, procedures, user, own, other_province, can_add):
    client.force_login(cast.users[user])
    stp = cast.agencies["ag_stp"]
    response = client.get(f"/agencies/{stp.pk}/qms/procedures/")
    assert response.status_code == own
    if own == 200:
        assert (f"/agencies/{stp.pk}/qms/procedures/add/" in response.content.decode()) is can_add
    assert client.get(f"/agencies/{cast.agencies['cb_stp'].pk}/qms/procedures/").status_code == other_province


def test_an_unknown_part_page_is_404(officer_client, cast):
    assert officer_client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/no-such-part/").status_code == 404


def test_an_item_opened_from_the_part_page_goes_back_to_that_page(officer_client, cast, procedures, monkeypatch):
    from qms.models import Procedure

    monkeypatch.setattr("qms.views.PART_PAGE_ITEMS", 10)
    stp = cast.agencies["ag_stp"]
    listed = officer_client.get(f"/agencies/{stp.pk}/qms/procedures/", {"page": 2}).content.decode()
    item = Procedure.objects.get(agency=stp, code=procedures[12])
    edit = f"/agencies/{stp.pk}/qms/procedures/{item.pk}/?list=2"
    assert f'href="{edit}"' in listed and f'href="/agencies/{stp.pk}/qms/procedures/add/?list=2"' in listed
    form = officer_client.get(edit).content.decode()
    assert f'href="/agencies/{stp.pk}/qms/procedures/?page=2#procedures">Quay lại</a>' in form
    response = officer_client.post(edit, {"code": item.code, "name": "Tên mới", "field": "Hộ tịch"})
    assert response.status_code == 302
    assert response["Location"] == f"/agencies/{stp.pk}/qms/procedures/?page=2#procedures"
    assert Procedure.objects.get(pk=item.pk).name == "Tên mới"
    # opened from the file page, it goes back there; a page that is not a number is refused, nothing saved
    from_file = officer_client.post(f"/agencies/{stp.pk}/qms/procedures/{item.pk}/",
                                    {"code": item.code, "name": "Tên khác", "field": "Hộ tịch"})
    assert from_file["Location"] == f"/agencies/{stp.pk}/qms/#procedures"
    refused = officer_client.post(f"/agencies/{stp.pk}/qms/procedures/{item.pk}/?list=x",
                                  {"code": item.code, "name": "Tên nữa", "field": "Hộ tịch"})
    assert refused.status_code == 400 and Procedure.objects.get(pk=item.pk).name == "Tên khác"


def test_a_file_uploaded_from_a_list_page_keeps_the_way_back_and_a_bad_page_attaches_nothing(officer_client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qms.models import QmsDocument
    from qms.services import qms_for_agency

    stp = cast.agencies["ag_stp"]
    document = QmsDocument.objects.create(qms=qms_for_agency(agency=stp), kind="work_process", code="QT-01",
                                          title="Quy trình tiếp nhận hồ sơ")
    url = f"/agencies/{stp.pk}/qms/documents/{document.pk}/upload/"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    refused = officer_client.post(f"{url}?list=x", {"file": SimpleUploadedFile("qt.pdf", pdf)})
    assert refused.status_code == 400
    document.refresh_from_db()
    assert document.file_id is None
    response = officer_client.post(f"{url}?list=2", {"file": SimpleUploadedFile("qt.pdf", pdf)})
    assert response["Location"] == f"/agencies/{stp.pk}/qms/documents/{document.pk}/?list=2"
    document.refresh_from_db()
    assert document.file_id is not None


@pytest.mark.parametrize("part, data, field, message", [
    ("announcements", {"kind": "re", "reason": "", "decision_number": "45/QĐ-STP", "signer": "Trần Văn Bình",
                       "edition": "2015", "scope": "Toàn bộ thủ tục hành chính"},
     "reason", "Vui lòng nêu lý do công bố lại hệ thống."),
    ("corrective-actions", {"description": "Thiếu hồ sơ", "action": "Bổ sung hồ sơ", "owner": "Nguyễn Thị Lan",
                            "status": "done", "done_on": ""},
     "done_on", "Vui lòng nhập ngày hoàn thành."),
])
def test_a_rule_between_two_fields_is_said_on_its_field_in_vietnamese(officer_client, cast, part, data, field,
                                                                        message):
    """The database constraint behind the rule spoke first, by its internal name, in English ("Constraint
    “reannouncement_has_reason” is violated."), at the top of the form; the rule is the service's, with its
    message on the field concerned, and what was typed stays in the form."""
    stp = cast.agencies["ag_stp"]
    QmsRecord.objects.create(agency=stp)
    today = timezone.localdate().isoformat()
    data = {**data, "decision_date": today, "due_on": today}
    response = officer_client.post(f"/agencies/{stp.pk}/qms/{part}/add/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Constraint" not in page
    assert response.context["form"].errors == {field: [message]}
    assert data["description" if part == "corrective-actions" else "decision_number"] in page


def test_a_corrective_action_can_be_added_to_a_file_not_yet_written(officer_client, cast):
    """An agency's QMS record is written by its first change (reading never writes): the form of a corrective
    action listed the internal audits of the unsaved record and answered 500 for an agency just added by the
    province, until something else had been saved in its file."""
    stp = cast.agencies["ag_stp"]
    assert not QmsRecord.objects.filter(agency=stp).exists()
    response = officer_client.get(f"/agencies/{stp.pk}/qms/corrective-actions/add/")
    assert response.status_code == 200
    assert list(response.context["form"].fields["internal_audit"].queryset) == []
    response = officer_client.post(f"/agencies/{stp.pk}/qms/corrective-actions/add/", {
        "description": "Thiếu hồ sơ", "action": "Bổ sung hồ sơ", "owner": "Nguyễn Thị Lan",
        "due_on": timezone.localdate().isoformat(), "status": "open"})
    assert response.status_code == 302
    assert QmsRecord.objects.get(agency=stp).corrective_actions.count() == 1


@pytest.mark.parametrize("user, linked", [("ag_padmin", False), ("ag_inspector", True)])
def test_the_dashboard_links_its_figures_to_the_compliance_page_only_for_its_readers(client, padmins, user, linked):
    """The province's administrator has the dashboard but not the compliance page: each figure of the QMS panels
    was a link to it, answering 403."""
    from tests.support.html import linked_urls

    client.force_login(padmins.users[user])
    page = client.get("/").content.decode()
    assert "Giai đoạn HTQLCL theo loại hình cơ quan" in page
    compliance = [url for url in linked_urls(page) if url.startswith("/compliance/")]
    assert bool(compliance) is linked
    assert ('"/compliance/?' in page) is linked  # the charts' links (JSON) too
    if linked:
        assert client.get(compliance[0]).status_code == 200


@pytest.mark.parametrize("target", ["upload", "import"])
def test_an_empty_file_is_told_it_is_empty_and_no_file_to_choose_one(officer_client, cast, target):
    """Every refusal of the upload and import buttons said "choose a file", also to someone who had chosen one that
    happened to be empty: the field's own reason is said, "choose a file" only when none was sent."""
    from django.contrib.messages import get_messages
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.forms import FileField

    from qms.models import QmsDocument
    from qms.services import qms_for_agency

    stp = cast.agencies["ag_stp"]
    if target == "upload":
        document = QmsDocument.objects.create(qms=qms_for_agency(agency=stp), kind="work_process", code="QT-01",
                                              title="Quy trình tiếp nhận hồ sơ")
        url, name, missing = (f"/agencies/{stp.pk}/qms/documents/{document.pk}/upload/", "qt.pdf",
                              gettext("Choose a file to upload."))
    else:
        url, name, missing = (f"/agencies/{stp.pk}/qms/procedures/import/", "tthc.csv",
                              gettext("Choose a file to import."))

    def said(data):
        response = officer_client.post(url, data, follow=True)
        assert response.redirect_chain[0][1] == 302
        return [str(m) for m in get_messages(response.wsgi_request)]

    assert said({}) == [missing]
    assert said({"file": SimpleUploadedFile(name, b"")}) == [str(FileField.default_error_messages["empty"])]
    assert not stp.procedures.exists() and not QmsDocument.objects.filter(file__isnull=False).exists()
