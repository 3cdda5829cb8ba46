"""Import of the existing QMS states of a province (issue 15): edition, stage with its evidence, announcement,
last internal audit and management review; all or nothing; idempotent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qms.models import QmsRecord, Stage
from qms_portal.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = ("Ký hiệu,Phiên bản tiêu chuẩn,Giai đoạn,Số quyết định công bố,Ngày công bố,"
          "Ngày đánh giá nội bộ gần nhất,Ngày xem xét của lãnh đạo gần nhất\n")
GOOD = ("STP,2015,Đã công bố,12/QĐ-STP,15/03/2024,,\n"
        "SNV,2015,\"Duy trì, cải tiến\",7/QĐ-SNV,10/01/2023,05/11/2024,20/12/2024\n"
        "SKHCN,2008,Đang xây dựng,,,,\n")


def _post(client, text):
    client.post("/agencies/import/", {"kind": "qms.state", "file": SimpleUploadedFile(
        "htqlcl.csv", text.encode(), content_type="text/csv")})
    return ImportJob.objects.latest("pk")


def test_states_are_carried_in_with_their_evidence(client, padmins):
    client.force_login(padmins.users["ag_padmin"])
    check = _post(client, HEADER + GOOD)
    assert check.report["errors"] == [] and check.report["updated"] == 3
    assert not QmsRecord.objects.filter(stage=Stage.MAINTAINING).exists()  # a check saves nothing
    client.post(f"/imports/{check.pk}/apply/")
    assert ImportJob.objects.latest("pk").report["applied"]
    snv = QmsRecord.objects.get(agency=padmins.agencies["ag_snv"])
    assert (snv.stage, snv.edition) == (Stage.MAINTAINING, "2015")
    assert snv.announcements.get().decision_number == "7/QĐ-SNV"
    assert snv.internal_audits.count() == 1 and snv.management_reviews.count() == 1
    assert snv.history.first().history_user == padmins.users["ag_padmin"]
    skhcn = QmsRecord.objects.get(agency=padmins.agencies["ag_skhcn"])
    assert (skhcn.stage, skhcn.edition) == (Stage.BUILDING, "2008")
    # again: nothing changes
    again = _post(client, HEADER + GOOD)
    assert (again.report["updated"], again.report["errors"]) == (0, [])


def test_a_stage_without_its_evidence_is_refused_and_nothing_saved(client, padmins):
    text = HEADER + GOOD + ("UBND,2015,Đã công bố,,,,\n"                        # 5: announced, no decision
                            "STP,2015,Lâu đài,,,,\n"                             # 6: unknown stage
                            "STP,2015,Đã công bố,99/QĐ,01/01/2099,,\n")          # 7: a date in the future
    client.force_login(padmins.users["ag_padmin"])
    check = _post(client, text)
    rows = {(e["row"], e["column"]) for e in check.report["errors"]}
    assert {(5, "Giai đoạn"), (6, "Giai đoạn"), (7, "Ngày công bố")} <= rows
    assert not QmsRecord.objects.filter(stage__in=[Stage.ANNOUNCED, Stage.MAINTAINING]).exists()


def test_who_may_import_states(client, padmins):
    # admin: must choose the province; inspector: not one of its kinds (a form error); officer: no import at all
    for user, expected in {"ag_padmin": 302, "ag_leader": 302, "admin": 200, "ag_inspector": 200,
                           "ag_officer": 403}.items():
        client.force_login(padmins.users[user])
        response = client.post("/agencies/import/", {"kind": "qms.state", "file": SimpleUploadedFile(
            "htqlcl.csv", (HEADER + GOOD).encode(), content_type="text/csv")})
        assert response.status_code == expected, user
        if user in ("ag_padmin", "ag_leader", "admin"):
            assert 'value="qms.state"' in client.get("/agencies/import/").content.decode()
    client.force_login(padmins.users["ag_inspector"])
    assert 'value="agencies.agencies"' in client.get("/agencies/import/").content.decode()
    assert 'value="qms.state"' not in client.get("/agencies/import/").content.decode()
    assert ImportJob.objects.count() == 2


def test_announced_needs_the_decision_of_the_edition_it_is_on(client, padmins):
    """The rule of the QMS file (qms.services): an announced or maintaining system has an announcement decision
    for the edition it is on. A file moving an agency announced under 2008 to 2015 without a 2015 decision was
    taken, because the import checked for any announcement."""
    client.force_login(padmins.users["ag_padmin"])
    first = _post(client, HEADER + "STP,2008,Đã công bố,12/QĐ-STP,15/03/2019,,\n")
    client.post(f"/imports/{first.pk}/apply/")
    stp = QmsRecord.objects.get(agency=padmins.agencies["ag_stp"])
    assert (stp.stage, stp.edition) == (Stage.ANNOUNCED, "2008")
    check = _post(client, HEADER + "STP,2015,Đã công bố,,,,\n")
    assert [(e["row"], e["column"], e["message"]) for e in check.report["errors"]] == [
        (2, "Giai đoạn", "Để chuyển sang giai đoạn đã công bố, cần có quyết định công bố theo phiên bản tiêu chuẩn "
         "hiện hành.")]
    # a re-announcement due needs only the earlier decision; with the 2015 decision, announced is taken
    assert _post(client, HEADER + "STP,2015,Cần công bố lại,,,,\n").report["errors"] == []
    with_decision = _post(client, HEADER + "STP,2015,Đã công bố,30/QĐ-STP,10/03/2022,,\n")
    assert (with_decision.status, with_decision.report["errors"]) == ("done", [])


def test_a_later_announcement_decision_is_carried_in_as_a_re_announcement(client, padmins):
    """An agency whose first announcement is in the portal: the file's decision is a re-announcement, which needs
    a reason (a constraint of the database): the new edition, or else the scope adjusted. It was written without
    one: the database refused it, the job stayed "running" for ever and nothing told the person why."""
    client.force_login(padmins.users["ag_padmin"])
    first = _post(client, HEADER + "STP,2008,Đã công bố,12/QĐ-STP,15/03/2019,,\n")
    client.post(f"/imports/{first.pk}/apply/")
    check = _post(client, HEADER + "STP,2015,Đã công bố,30/QĐ-STP,10/03/2022,,\n")
    assert (check.status, check.report["errors"]) == ("done", [])
    client.post(f"/imports/{check.pk}/apply/")
    assert ImportJob.objects.latest("pk").report["applied"]
    stp = QmsRecord.objects.get(agency=padmins.agencies["ag_stp"])
    assert (stp.stage, stp.edition) == (Stage.ANNOUNCED, "2015")
    again = stp.announcements.get(decision_number="30/QĐ-STP")
    assert (again.kind, again.edition, again.reason) == ("re", "2015", "new_edition")
    later = _post(client, HEADER + "STP,2015,Đã công bố,41/QĐ-STP,02/04/2024,,\n")
    client.post(f"/imports/{later.pk}/apply/")
    assert stp.announcements.get(decision_number="41/QĐ-STP").reason == "scope_adjusted"
