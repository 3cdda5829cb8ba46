"""The findings board's tables are kept (`audits.views.findings_board`, `qms_portal.table_versions`) and never
shown stale: whatever writes a table they show (a service, a bare `update()`, a `bulk_create`), the next board
computes them again; a transaction rolled back leaves nothing behind that a later one could be served."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, Province
from audits.models import Finding, FindingStatus
from audits.selectors import findings_board
from qms_portal.table_versions import versions
from tests.audits.conftest import build_world
from tests.audits.test_pages import more_findings

pytestmark = pytest.mark.django_db

ROW = re.compile(r'agency=(\d+)#findings">([^<]+)</a>')


def table(client, path="/findings/") -> tuple[list[tuple[str, str]], int]:
    """The board's table by agency as shown (agency id, name), and whether its query ran (1) or not (0)."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    return ROW.findall(page), sum("WITH grouped" in q["sql"] for q in queries.captured_queries)


def listed(client, **params) -> str:
    return client.get("/findings/", params).content.decode().split('id="findings"')[1]


@pytest.fixture
def board(client, cast):
    world = build_world(cast)
    client.force_login(cast.users["ag_inspector"])
    return world


def test_the_table_is_computed_once_until_something_it_reads_is_written(client, cast, board):
    first, computed = table(client)
    assert computed == 1 and first
    assert table(client) == (first, 0)  # kept

    stp = board.findings["ag_stp"]
    closed = {"status": FindingStatus.ACCEPTED, "closed_on": timezone.localdate()}
    Finding.objects.filter(pk=stp.pk).update(**closed)  # no service, no signal
    after, computed = table(client)
    assert computed == 1 and str(stp.responsible_agency_id) not in dict(after)

    snv = cast.agencies["ag_snv"]
    Agency.objects.filter(pk=snv.pk).update(name="Sở Nội vụ (tên mới)")
    assert (str(snv.pk), "Sở Nội vụ (tên mới)") in table(client)[0]

    added = more_findings(board, 3, agencies=3)  # bulk_create
    assert {str(f.agency_id) for f in added} <= set(dict(table(client)[0]))

    province = cast.provinces["ag"]
    before = versions(Province)
    Province.objects.filter(pk=province.pk).update(name=province.name)
    assert versions(Province) > before


def test_another_scope_or_day_is_kept_apart(client, cast, board):
    inspector, ministry = cast.users["ag_inspector"], cast.users["ministry"]
    province = findings_board(user=inspector)[0:25]
    national = findings_board(user=ministry)[0:25]
    assert {row["province_id"] for row in national} > {row["province_id"] for row in province}
    long_ago = findings_board(user=inspector, today=timezone.localdate() - timedelta(days=3650))[0:25]
    assert sum(row["overdue"] for row in province) > 0 == sum(row["overdue"] for row in long_ago)


def test_a_rolled_back_write_leaves_nothing_to_be_served_later(client, cast, board):
    first, _ = table(client)
    stp = board.findings["ag_stp"]
    with pytest.raises(RuntimeError), transaction.atomic():
        Finding.objects.filter(pk=stp.pk).update(status=FindingStatus.ACCEPTED, closed_on=timezone.localdate())
        inside, computed = table(client)  # computed and kept inside the transaction, then rolled back
        assert computed == 1 and inside != first
        raise RuntimeError
    assert table(client) == (first, 0)  # the version before the transaction: what was kept then
    Finding.objects.filter(pk=board.findings["ag_snv"].pk).update(description="Mô tả sửa")  # a later write
    again, computed = table(client)
    assert computed == 1 and again == first  # not what the rolled-back transaction saw


def test_the_list_of_findings_shows_every_change_of_what_it_shows(client, cast, board):
    from audits.models import FindingClass, InspectionRecord

    stp = board.findings["ag_stp"]
    before = listed(client)
    assert stp.description[:20] in before and listed(client) == before
    Finding.objects.filter(pk=stp.pk).update(description="Chưa ban hành chính sách chất lượng mới")
    assert "Chưa ban hành chính sách chất lượng mới" in listed(client)
    InspectionRecord.objects.filter(inspection_id=stp.inspection_id).update(number="99/BB-ĐKT")
    assert "99/BB-ĐKT" in listed(client)
    FindingClass.objects.filter(pk=stp.classification_id).update(name="Không phù hợp nặng")
    assert "Không phù hợp nặng" in listed(client)
    # another filter, page or language is another table
    assert listed(client, show="responded") != listed(client)
    vietnamese = listed(client)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    english = listed(client)
    assert "Quá hạn" in vietnamese and "Overdue" in english and "Quá hạn" not in english
    assert client.get("/findings/", {"show": "nonsense"}).status_code == 400  # bad input: nothing kept, an error


def test_every_table_the_board_shows_is_watched():
    from audits.views import BOARD_TABLES

    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        triggers = {row[0] for row in cursor.fetchall()}
    assert {f"{model._meta.db_table}_version" for model in BOARD_TABLES} <= triggers


@pytest.mark.parametrize("query", ["?agency={snv}", "?page=9", "?show=overdue&utm=1", "?show=overdue&show=responded"])
def test_only_the_board_as_people_open_it_is_kept(client, cast, board, query):
    """Another query string (an agency chosen, a page further on, a parameter the board does not read) is computed
    for the request: no one fills the cache with a copy per number typed. It still shows the right tables."""
    path = "/findings/" + query.format(snv=cast.agencies["ag_snv"].pk)
    first, computed = table(client, path)
    again, computed_again = table(client, path)
    assert computed == computed_again == 1 and first == again and first
    assert table(client, "/findings/?show=overdue")[1] == 1 and table(client, "/findings/?show=overdue")[1] == 0
