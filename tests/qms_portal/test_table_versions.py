"""`qms_portal.table_versions`: every statement writing a watched table moves its version on, and writers never
wait for each other (no shared row is updated: two transactions writing the same tables, even in opposite orders,
neither wait nor deadlock), and the log keeps a row or two per table."""

import psycopg2
import pytest
from django.db import connection

from agencies.models import Agency
from audits.models import Finding
from qms_portal.models import TableWrite
from qms_portal.table_versions import versions

pytestmark = pytest.mark.django_db(transaction=True)


def second_connection():
    settings = connection.settings_dict
    return psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
                            host=settings["HOST"], port=settings["PORT"])


def test_every_statement_moves_the_version_on_and_the_log_stays_small():
    start = versions(Finding, Agency)
    Finding.objects.filter(pk=-1).update(description="x")  # a statement, even one that changes no row
    after_finding = versions(Finding, Agency)
    assert after_finding[0] > start[0] and after_finding[1] == start[1]
    for n in range(5):
        Agency.objects.filter(pk=-1).update(name=f"n{n}")
    assert versions(Finding, Agency)[1] > after_finding[1]
    assert TableWrite.objects.filter(table="agencies_agency").count() == 1


def test_writers_do_not_wait_for_each_other_even_in_opposite_orders():
    first, second = second_connection(), second_connection()
    try:
        a, b = first.cursor(), second.cursor()
        for cursor in (a, b):
            cursor.execute("SET lock_timeout = '2s'")
        a.execute("UPDATE audits_finding SET description = description WHERE id = -1")
        b.execute("UPDATE agencies_agency SET name = name WHERE id = -1")
        # each now writes the other's table: with a shared version row per table this waits, then deadlocks
        a.execute("UPDATE agencies_agency SET name = name WHERE id = -2")
        b.execute("UPDATE audits_finding SET description = description WHERE id = -2")
        before = versions(Finding, Agency)  # neither committed: this connection does not see their writes
        first.commit()
        second.commit()
        after = versions(Finding, Agency)
        assert after[0] > before[0] and after[1] > before[1]
    finally:
        first.close()
        second.close()
