"""The pages of the register of legal changes (qms.legal.views): registering from the page, the import form, the
progress asked as JSON, the verdict filter, and the agency's and the Sở's answers with their messages."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils.translation import gettext

from qms.legal.models import DueLegalUpdate, DueStatus, LegalChange
from qms_portal.models import ImportJob
from tests.qms.test_legal_api_and_pages import BODY, civil_status, post  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

HEADER = "Số ký hiệu;Trích yếu;Cơ quan ban hành;Ngày ban hành;Ngày hiệu lực;Lĩnh vực;Loại cơ quan;Thay thế\n"
FORM = {**BODY, "procedure_fields": "Hộ tịch"}


def _messages(response) -> list[str]:
    """The messages the response leaves for the next page, which then shows them (the cookie is spent)."""
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return shown


@pytest.fixture
def due(api, cast, civil_status):  # noqa: F811
    """The An Giang Sở Tư pháp's due update of a change registered by its inspector (the worker has run)."""
    post(api, cast, "ag_inspector", "/api/v1/legal-changes/", BODY)
    return DueLegalUpdate.objects.get(agency=cast.agencies["ag_stp"])


def test_a_change_registered_on_the_page_leads_to_its_page(client, cast, civil_status):  # noqa: F811
    client.force_login(cast.users["ag_inspector"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/legal-changes/", FORM)
    change = LegalChange.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/legal-changes/{change.pk}/"
    assert _messages(response) == [gettext("The legal change is registered; the agencies it concerns are being "
                                           "worked out.")]
    assert (change.number, change.province_id) == (BODY["number"], cast.provinces["ag"].pk)
    assert change.procedure_fields == ["Hộ tịch"]
    assert cast.agencies["ag_stp"].pk in set(change.due_updates.values_list("agency_id", flat=True))


def test_the_import_form_checks_the_file_and_shows_the_check(client, cast, civil_status):  # noqa: F811
    client.force_login(cast.users["ag_inspector"])
    good = HEADER + "15/2026/NĐ-CP;Sửa đổi hộ tịch;Chính phủ;10/01/2026;01/02/2026;Hộ tịch;;\n"
    response = client.post("/legal-changes/import/", {"file": SimpleUploadedFile("vb.csv", good.encode())})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert job.created_by == cast.users["ag_inspector"]
    assert not LegalChange.objects.exists()  # checked, not applied


def test_the_import_form_without_a_file_or_with_an_empty_one_says_why(client, cast):
    client.force_login(cast.users["ag_inspector"])
    missing = client.post("/legal-changes/import/", {})
    assert missing.status_code == 302 and missing["Location"] == "/legal-changes/"
    assert _messages(missing) == [gettext("Choose a file to import.")]
    empty = client.post("/legal-changes/import/", {"file": SimpleUploadedFile("vb.csv", b"")})
    assert _messages(empty) == [gettext("The submitted file is empty.")]
    header_only = client.post("/legal-changes/import/", {"file": SimpleUploadedFile("vb.csv", HEADER.encode())})
    assert header_only.status_code == 302 and header_only["Location"] == "/legal-changes/"
    assert _messages(header_only) == [gettext("The file is empty: it needs a header row and at least one row of "
                                              "data.")]
    assert not ImportJob.objects.exists() and not LegalChange.objects.exists()


def test_a_file_without_the_needed_columns_is_told_them_by_their_names(client, cast):
    """The columns a file lacks are named as the page lists them, not by the importer's field codes ("thiếu:
    number, title, issuer, issued_on, effective_on")."""
    client.force_login(cast.users["ag_inspector"])
    text = "Trích yếu;Cơ quan ban hành\nSửa đổi hộ tịch;Chính phủ\n"
    response = client.post("/legal-changes/import/", {"file": SimpleUploadedFile("vb.csv", text.encode())})
    assert _messages(response) == ["Dòng đầu tiên phải là tên các cột; còn thiếu: Số ký hiệu, Ngày ban hành, "
                                   "Ngày hiệu lực."]
    assert not ImportJob.objects.exists()


def test_only_who_registers_may_import(client, cast):
    client.force_login(cast.users["ag_officer"])
    response = client.post("/legal-changes/import/", {"file": SimpleUploadedFile("vb.csv", HEADER.encode())})
    assert response.status_code == 403
    assert client.get("/legal-changes/import/").status_code in (403, 405)
    assert not ImportJob.objects.exists()


def test_the_change_page_answers_its_progress_as_json(client, cast, due):
    client.force_login(cast.users["ag_inspector"])
    response = client.get(f"/legal-changes/{due.change_id}/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": "done", "progress": 100, "status_label": "done", "error": ""}
    LegalChange.objects.filter(pk=due.change_id).update(targets_done_at=None)  # still being worked out
    assert client.get(f"/legal-changes/{due.change_id}/", HTTP_ACCEPT="application/json").json()["status"] == "running"


def test_the_change_page_filters_the_agencies_by_verdict(client, cast, due):
    client.force_login(cast.users["ag_inspector"])
    overdue = client.get(f"/legal-changes/{due.change_id}/?verdict=overdue")
    assert overdue.context["verdict"] == "overdue"
    assert [d.pk for d in overdue.context["page"].object_list] == [due.pk]
    on_time = client.get(f"/legal-changes/{due.change_id}/?verdict=on_time")
    assert on_time.status_code == 200 and list(on_time.context["page"].object_list) == []
    assert client.get(f"/legal-changes/{due.change_id}/?verdict=zzz").status_code == 400


def _refused(response) -> dict:
    """A refused answer comes back on the form's own page: {field ("__all__": the form's): [messages]}."""
    assert response.status_code == 200 and response.templates[0].name == "qms/legal/due_form.html"
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_recording_without_a_date_names_the_field_and_changes_nothing(client, cast, due):
    client.force_login(cast.users["ag_officer"])
    response = client.post(f"/legal-changes/due/{due.pk}/record/", {"note": "Sửa quy trình."})
    assert _refused(response) == {"updated_on": ["Trường này là bắt buộc."]}
    page = response.content.decode()
    assert "Sửa quy trình.</textarea>" in page  # what was typed is kept (the inline form lost it)
    # the field's name starts with a capital on the page ("ngày cập nhật HTQLCL" is lower case in the catalogue)
    assert ">Ngày cập nhật HTQLCL" in page and f'href="/agencies/{due.agency_id}/qms/#legal-changes"' in page
    assert 'name="documents"' not in page and "Tài liệu đã sửa đổi" not in page  # the file has none in force
    due.refresh_from_db()
    assert (due.status, due.updated_on) == (DueStatus.PENDING, None)


def test_recording_a_settled_change_is_refused_with_the_reason(client, cast, due):
    client.force_login(cast.users["ag_officer"])
    first = client.post(f"/legal-changes/due/{due.pk}/record/", {"updated_on": "2026-04-20", "note": "Sửa quy trình."})
    assert _messages(first) == [gettext("The update is recorded.")]
    again = client.post(f"/legal-changes/due/{due.pk}/record/", {"updated_on": "2026-04-25", "note": "Lần nữa."})
    assert _refused(again) == {"__all__": [gettext("This legal change is already settled for the agency.")]}
    due.refresh_from_db()
    assert (due.status, due.updated_on) == (DueStatus.UPDATED, date(2026, 4, 20))


def test_the_agency_declares_and_the_so_decides_on_the_pages(client, cast, due):
    client.force_login(cast.users["ag_officer"])
    blank = client.post(f"/legal-changes/due/{due.pk}/declare/", {"reason": ""})
    assert _refused(blank) == {"reason": [gettext("This field is required.")]}
    due.refresh_from_db()
    assert due.status == DueStatus.PENDING
    declared = client.post(f"/legal-changes/due/{due.pk}/declare/", {"reason": "Sở không giải quyết hộ tịch."})
    assert declared["Location"] == f"/agencies/{due.agency_id}/qms/#legal-changes"
    assert _messages(declared) == [gettext("Your declaration is sent to the Sở.")]
    due.refresh_from_db()
    assert (due.status, due.reason) == (DueStatus.CLAIMED, "Sở không giải quyết hộ tịch.")

    client.force_login(cast.users["ag_inspector"])
    no_choice = client.post(f"/legal-changes/due/{due.pk}/decide/", {"note": "Xem lại."})
    assert _refused(no_choice) == {"accept": [gettext("This field is required.")]}
    assert f'href="/legal-changes/{due.change_id}/"' in no_choice.content.decode()
    assert "Xem lại." in no_choice.content.decode()
    unexplained = client.post(f"/legal-changes/due/{due.pk}/decide/", {"accept": "0", "note": ""})
    assert _refused(unexplained) == {"note": [gettext("Say why the declaration is rejected.")]}
    due.refresh_from_db()
    assert due.status == DueStatus.CLAIMED
    accepted = client.post(f"/legal-changes/due/{due.pk}/decide/", {"accept": "1", "note": "Đồng ý."})
    assert accepted["Location"] == f"/legal-changes/{due.change_id}/"
    assert _messages(accepted) == [gettext("The decision is recorded.")]
    due.refresh_from_db()
    assert due.status == DueStatus.NOT_APPLICABLE


def test_another_province_cannot_decide(client, cast, due):
    client.force_login(cast.users["ag_officer"])
    client.post(f"/legal-changes/due/{due.pk}/declare/", {"reason": "Không áp dụng."})
    client.force_login(cast.users["cb_inspector"])
    assert client.post(f"/legal-changes/due/{due.pk}/decide/", {"accept": "1"}).status_code == 404
    due.refresh_from_db()
    assert due.status == DueStatus.CLAIMED


def test_a_change_the_service_refuses_comes_back_on_the_form(client, cast, civil_status):  # noqa: F811
    client.force_login(cast.users["ag_inspector"])
    response = client.post("/legal-changes/", {**FORM, "procedure_codes": "9.9999"})
    assert response.status_code == 400
    assert "procedure_codes" in response.context["form"].errors
    assert not LegalChange.objects.exists()


@pytest.mark.parametrize("user, action", [("ministry", "record"), ("ministry", "declare"), ("ag_ubnd", "decide"),
                                          ("ag_officer", "decide"), ("ag_inspector", "declare")])
def test_a_role_that_may_not_answer_gets_a_403_not_the_forms_page(client, cast, due, user, action):
    """Even with a form that would be refused (empty), a role that may not take the step is told so first."""
    client.force_login(cast.users[user])
    assert client.post(f"/legal-changes/due/{due.pk}/{action}/", {}).status_code == 403
    due.refresh_from_db()
    assert due.status == DueStatus.PENDING


def test_a_refused_update_keeps_the_documents_ticked_and_offers_those_in_force(client, cast, due):
    from qms.models import DocumentStatus, QmsDocument
    from qms.services import qms_for_agency

    qms = qms_for_agency(agency=due.agency)
    in_force = QmsDocument.objects.create(qms=qms, kind="procedure", code="QT-HT-01", title="Quy trình khai sinh",
                                          status=DocumentStatus.IN_FORCE)
    old = QmsDocument.objects.create(qms=qms, kind="procedure", code="QT-HT-09", title="Quy trình cũ",
                                     status=DocumentStatus.SUPERSEDED)
    client.force_login(cast.users["ag_officer"])
    refused = client.post(f"/legal-changes/due/{due.pk}/record/", {"documents": [in_force.pk], "note": "Sửa."})
    assert _refused(refused) == {"updated_on": [gettext("This field is required.")]}
    page = refused.content.decode()
    assert f'value="{in_force.pk}"' in page and "checked" in page.split(f'value="{in_force.pk}"')[1][:40]
    assert f'value="{old.pk}"' not in page  # superseded: not offered on the file page either
    wrong = client.post(f"/legal-changes/due/{due.pk}/record/", {"updated_on": "2026-04-20", "documents": [old.pk]})
    assert "documents" in _refused(wrong)
    done = client.post(f"/legal-changes/due/{due.pk}/record/", {"updated_on": "2026-04-20",
                                                                "documents": [in_force.pk]})
    assert done.status_code == 302
    due.refresh_from_db()
    assert list(due.documents.all()) == [in_force]
