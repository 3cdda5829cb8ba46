"""The QMS file's models moved from `agencies` to `qms` (migrations agencies 0006, qms 0001-0002): a database made
before the move keeps every row, history entry, many-to-many link and content type."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("agencies", "0005_dashboard_warming_schedule"), ("qms_portal", "0002_audit_event")]


def _migrate(targets):
    """Migrate to `targets` and return the models as the applied migrations define them."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move():
    if connection.vendor != "postgresql":  # production's database; on SQLite the table rebuilds take minutes
        pytest.skip("run on PostgreSQL (CI)")
    old = _migrate(BEFORE)
    Province, Agency = old.get_model("agencies", "Province"), old.get_model("agencies", "Agency")
    QmsRecord, Procedure = old.get_model("agencies", "QmsRecord"), old.get_model("agencies", "Procedure")
    HistoricalQmsRecord = old.get_model("agencies", "HistoricalQmsRecord")
    ContentType = old.get_model("contenttypes", "ContentType")
    province = Province.objects.create(code=89, name="An Giang", division_type="tỉnh", codename="an_giang")
    agency = Agency.objects.create(name="Sở Tư pháp", short_code="STP", kind="so", province=province,
                                   search_text="so tu phap stp")
    office = Agency.objects.create(name="Văn phòng UBND tỉnh", short_code="VP", kind="vp_ubnd_tinh",
                                   province=province, search_text="van phong")
    qms = QmsRecord.objects.create(agency=agency, stage="applying", edition="2015", consultant="Tư vấn A")
    qms.also_covers.add(office)
    Procedure.objects.create(agency=agency, code="1.001", name="Chứng thực bản sao", field="Chứng thực",
                             covered=True)
    HistoricalQmsRecord.objects.create(id=qms.pk, agency_id=agency.pk, stage="applying", edition="2015",
                                       consultant="Tư vấn A", history_date="2026-01-02T03:04:05Z",
                                       history_type="+", version=1)
    ContentType.objects.get_or_create(app_label="agencies", model="qmsrecord")

    new = _migrate(_leaf_nodes())
    QmsRecord = new.get_model("qms", "QmsRecord")
    moved = QmsRecord.objects.get(agency_id=agency.pk)
    assert (moved.pk, moved.stage, moved.edition, moved.consultant) == (qms.pk, "applying", "2015", "Tư vấn A")
    assert list(moved.also_covers.values_list("pk", flat=True)) == [office.pk]
    procedure = new.get_model("qms", "Procedure").objects.get(agency_id=agency.pk)
    assert (procedure.code, procedure.covered) == ("1.001", True)
    history = new.get_model("qms", "HistoricalQmsRecord").objects.get(id=qms.pk)
    assert (history.consultant, history.history_date.date()) == ("Tư vấn A", date(2026, 1, 2))
    content_types = new.get_model("contenttypes", "ContentType").objects
    assert content_types.filter(app_label="qms", model="qmsrecord").exists()
    assert not content_types.filter(app_label="agencies", model="qmsrecord").exists()
    tables = connection.introspection.table_names()
    assert "qms_qmsrecord" in tables and "qms_qmsrecord_also_covers" in tables
    assert "agencies_qmsrecord" not in tables


def _leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
