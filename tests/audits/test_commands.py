import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audits.models import ChecklistVersion
from tests.audits.conftest import build_world

pytestmark = pytest.mark.django_db


def test_load_a_new_checklist_version(tmp_path, units):
    from audits import services

    path = tmp_path / "checklist.json"
    path.write_text(json.dumps({
        "code": "tt-moi-2027", "title": "Nội dung kiểm tra mới", "effective_from": "2027-01-01",
        "items": [{"number": 1, "code": "scope-covers-procedures", "group": "iso9001", "text": "Phạm vi áp dụng"},
                  {"number": 2, "code": "digital-records", "group": "decision19", "text": "Hồ sơ điện tử"}]}),
        encoding="utf-8")
    call_command("load_checklist", str(path), verbosity=0)
    assert ChecklistVersion.objects.current(date(2026, 12, 31)).code == "tt26-2014"
    assert ChecklistVersion.objects.current(date(2027, 1, 1)).items.count() == 2
    inspection = services.inspection_create_unplanned(
        actor=units.users["ag_inspector"], agency=units.agencies["ag_snv"], form="documents", reason="Đột xuất",
        scheduled_on=date(2027, 2, 1), today=date(2027, 1, 5))
    assert inspection.checklist_version.code == "tt-moi-2027"
    with pytest.raises(CommandError, match="already exists"):
        call_command("load_checklist", str(path), verbosity=0)


@pytest.mark.parametrize("content", ["not json", json.dumps({"code": "x", "effective_from": "2027-01-01",
                                                              "items": []}),
                                     json.dumps({"code": "x", "effective_from": "2027-01-01", "items": [
                                         {"number": 1, "code": "a", "group": "castle", "text": "t"}]})])
def test_bad_checklist_files(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_checklist", str(path), verbosity=0)
    assert not ChecklistVersion.objects.filter(code="x").exists()


def test_reminder_command(cast, mailoutbox, capsys):
    build_world(cast)
    call_command("send_finding_reminders", "--date", "2026-05-10")
    assert "due today 8" in capsys.readouterr().out  # e-mails: one per person of the four agencies
    call_command("send_finding_reminders", "--date", "2026-05-18", "--digest")
    assert "Digests sent: 4" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("send_finding_reminders", "--date", "18/05/2026")
