"""The QMS file page shows the latest changes in one query; the history page shows them field by field, bounded
whatever the age of the file."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms import services as qms_services
from qms.models import QmsRecord
from qms.parts import PARTS
from qms.selectors import qms_history, qms_recent_changes

pytestmark = pytest.mark.django_db


def _training(actor, agency, n):
    return qms_services.qms_part_create(actor=actor, agency=agency, part=PARTS["trainings"],
                                        data={"held_on": date(2025, 1, n % 9 + 1), "topic": f"ISO {n}",
                                              "attendees": n + 1})


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_file_page_queries_do_not_grow_with_history(client, cast):
    stp, officer = cast.agencies["ag_stp"], cast.users["ag_officer"]
    client.force_login(officer)
    url = f"/agencies/{stp.pk}/qms/"
    qms = qms_services.qms_for_agency(agency=stp)
    client.get(url)
    before = _queries(client, url)
    for n in range(12):
        _training(officer, stp, n)
        qms_services.qms_update(actor=officer, qms=qms, data={"consultant": f"Tư vấn {n}"})
        qms.refresh_from_db()
    qms.also_covers.add(cast.agencies["ag_skhcn"])
    assert _queries(client, url) == before <= 20
    page = client.get(url).content.decode()
    assert f"/agencies/{stp.pk}/qms/history/" in page
    assert page.count('<li><time datetime=') == 10  # the ten newest changes, not the whole file


def test_recent_changes_are_newest_first_across_parts(cast):
    stp, officer = cast.agencies["ag_stp"], cast.users["ag_officer"]
    qms = qms_services.qms_for_agency(agency=stp)
    _training(officer, stp, 1)
    qms_services.qms_update(actor=officer, qms=qms, data={"consultant": "Công ty A"})
    qms = QmsRecord.objects.get(pk=qms.pk)
    with CaptureQueriesContext(connection) as captured:
        recent = qms_recent_changes(qms=qms, limit=2)
    assert len(captured.captured_queries) == 1
    assert [(e["object"], e["type"], e["user"]) for e in recent] == [
        ("qmsrecord", "changed", "ag_officer"), ("training", "created", "ag_officer")]


def test_history_shows_field_changes_including_many_to_many(cast):
    stp, officer = cast.agencies["ag_stp"], cast.users["ag_officer"]
    qms = qms_services.qms_for_agency(agency=stp)
    qms_services.qms_update(actor=officer, qms=qms, data={"consultant": "Công ty A"})
    qms.refresh_from_db()
    qms_services.qms_update(actor=officer, qms=qms, data={"consultant": "Công ty B"})
    qms.refresh_from_db()
    qms.also_covers.add(cast.agencies["ag_skhcn"])
    qms.save()
    entries = qms_history(qms=qms)
    changes = [c for e in entries if e["object"] == "qmsrecord" for c in e["changes"]]
    assert {"field": "consultant", "old": "Công ty A", "new": "Công ty B"}.items() <= next(
        c for c in changes if c["new"] == "Công ty B").items()
    covers = next(c for c in changes if c["field"] == "also_covers")
    assert covers["old"] == "" and covers["new"] == str(cast.agencies["ag_skhcn"].pk)


def test_history_is_bounded_and_compares_with_older_versions(cast):
    from qms_portal.history import history_entries

    stp, officer = cast.agencies["ag_stp"], cast.users["ag_officer"]
    qms = qms_services.qms_for_agency(agency=stp)
    for n in range(6):
        qms_services.qms_update(actor=officer, qms=qms, data={"consultant": f"Tư vấn {n}"})
        qms.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        entries = history_entries(qms.history.all(), limit=3)
    assert len(entries) == 3
    assert len(captured.captured_queries) <= 4  # newest rows, their predecessors, the many-to-many members
    # The oldest shown version is still compared with the one before it, outside the window.
    assert [c["old"] for c in entries[-1]["changes"] if c["field"] == "consultant"] == ["Tư vấn 2"]


@pytest.mark.parametrize(("user", "own", "other_province"), [
    ("ag_officer", 200, 404), ("ag_inspector", 200, 404), ("ministry", 200, 200), ("cb_leader", 404, 200)])
def test_history_page_scope(client, cast, user, own, other_province):
    client.force_login(cast.users[user])
    assert client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/history/").status_code == own
    assert client.get(f"/agencies/{cast.agencies['cb_stp'].pk}/qms/history/").status_code == other_province


def test_history_shows_a_choice_by_its_label(cast):
    qms = qms_services.qms_for_agency(agency=cast.agencies["ag_stp"])
    qms_services.qms_update(actor=cast.users["ag_officer"], qms=qms, data={"edition": "2008"})
    changes = [c for e in qms_history(qms=qms) if e["object"] == "qmsrecord" for c in e["changes"]]
    edition = next(c for c in changes if c["field"] == "edition")
    assert (edition["old"], edition["new"]) == ("2015", "2008")
    assert (edition["old_display"], edition["new_display"]) == ("TCVN ISO 9001:2015", "TCVN ISO 9001:2008")


def test_each_part_history_is_indexed_by_its_owner_newest_first():
    """The file page's latest changes read each part's history by its owner, newest first (`recent_changes`): with
    an index on the date alone PostgreSQL may walk the whole table's dates backwards to find an agency's rows."""
    from qms.selectors import _history_sources

    record = QmsRecord(pk=1, agency_id=2)
    for historical, owner, _owner_id in _history_sources(record)[1:]:  # the record's own history: by its id
        column = historical._meta.get_field(owner.removesuffix("_id")).column
        indexed = [[historical._meta.get_field(name.lstrip("-")).column for name in index.fields]
                   for index in historical._meta.indexes if index.fields[1:] == ["-history_date"]]
        assert [column] in [columns[:1] for columns in indexed], historical.__name__
    assert len(_history_sources(record)) == len(PARTS) + 1
