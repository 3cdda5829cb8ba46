"""The findings board's table by agency is kept (`audits.selectors.BoardRows`, `qms_portal.table_versions`) and
never shown stale: whatever writes a finding, an agency or a province (a service, a bare `update()`, a
`bulk_create`), the next board computes the table again; a transaction rolled back leaves nothing behind that a
later one could be served."""

import re
from datetime import timedelta

import pytest
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


def table(client) -> tuple[list[tuple[str, str]], int]:
    """The board's table by agency as shown (agency id, name), and whether its query ran (1) or not (0)."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/findings/").content.decode()
    return ROW.findall(page), sum("WITH grouped" in q["sql"] for q in queries.captured_queries)


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
