"""Two browser tabs (or two colleagues) editing the same checklist: each save writes what that page changed, never
the other tab's untouched answers over what was saved meanwhile; a real clash is refused with the items named and
nothing saved, and the page keeps what the person typed."""

from html.parser import HTMLParser

import pytest

from audits.models import AgencyChecklistAnswer, InspectionRecord, RecordItemResult
from tests.audits.conftest import build_world

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """What a browser sends for the form posting to `action`: its inputs, checked radios and textareas."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.textarea, self.data = action, False, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif self.inside and tag == "input" and attrs.get("name") and attrs.get("type") != "file":
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs.get("value", "")
                else:
                    self.data.setdefault(attrs["name"], None)
            else:
                self.data[attrs["name"]] = attrs.get("value", "")
        elif self.inside and tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            # the HTML parser keeps the newline browsers drop after <textarea>
            self.data[self.textarea] = self.data[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_of(client, url: str, action: str) -> dict:
    """Open `url` as a tab does and return the fields of the form posting to `action`, as it would send them."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields(action)
    parser.feed(response.content.decode())
    return {k: ("" if v is None else v) for k, v in parser.data.items()}


def results(inspection) -> dict[str, tuple[str, str]]:
    record = InspectionRecord.objects.get(inspection=inspection)
    return {r.item.code: (r.result, r.notes) for r in RecordItemResult.objects.filter(record=record)
            .select_related("item")}


def test_two_tabs_filling_different_items_of_the_checklist_keep_both(client, cast):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    client.force_login(cast.users["ag_inspector"])
    page, action = f"/inspections/{inspection.pk}/", f"/inspections/{inspection.pk}/checklist/"
    tab1, tab2 = form_of(client, page, action), form_of(client, page, action)
    assert tab1["check-result_complaints-handled"] == "met"

    tab1["check-result_complaints-handled"] = "not_met"
    tab1["record-conclusion"] = "Kết luận của đoàn."
    assert client.post(action, tab1).status_code == 302
    tab2["check-notes_improvement-activities"] = "Có sáng kiến cải tiến năm 2026."
    assert client.post(action, tab2).status_code == 302  # the tab opened before the first save

    saved = results(inspection)
    assert saved["complaints-handled"] == ("not_met", "")  # not put back to "met" by the second tab
    assert saved["improvement-activities"] == ("met", "Có sáng kiến cải tiến năm 2026.")
    assert InspectionRecord.objects.get(inspection=inspection).conclusion == "Kết luận của đoàn."


def test_the_same_item_changed_in_two_tabs_is_refused_and_nothing_is_saved(client, cast):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    client.force_login(cast.users["ag_inspector"])
    page, action = f"/inspections/{inspection.pk}/", f"/inspections/{inspection.pk}/checklist/"
    tab1, tab2 = form_of(client, page, action), form_of(client, page, action)
    tab1["check-result_complaints-handled"] = "not_met"
    assert client.post(action, tab1).status_code == 302

    tab2["check-result_complaints-handled"] = "na"
    tab2["check-notes_improvement-activities"] = "Ghi chú mới."
    response = client.post(action, tab2)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Trong lúc bạn nhập, người khác đã lưu" in text and "6" in text
    saved = results(inspection)
    assert saved["complaints-handled"] == ("not_met", "") and saved["improvement-activities"] == ("met", "")

    # the page shows what this person typed; saving it again is a deliberate choice, and it is saved
    parser = _FormFields(action)
    parser.feed(text)
    again = {k: ("" if v is None else v) for k, v in parser.data.items()}
    assert again["check-result_complaints-handled"] == "na"
    assert client.post(action, again).status_code == 302
    assert results(inspection)["complaints-handled"] == ("na", "")
    assert results(inspection)["improvement-activities"] == ("met", "Ghi chú mới.")


def test_the_conclusion_written_in_another_tab_is_not_erased(client, cast):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    client.force_login(cast.users["ag_inspector"])
    page, action = f"/inspections/{inspection.pk}/", f"/inspections/{inspection.pk}/checklist/"
    tab1, tab2 = form_of(client, page, action), form_of(client, page, action)
    tab1["record-conclusion"] = "Cơ quan đã áp dụng HTQLCL.\r\nCòn tồn tại như mục 2."
    assert client.post(action, tab1).status_code == 302
    tab2["check-result_complaints-handled"] = "partly"
    assert client.post(action, tab2).status_code == 302
    record = InspectionRecord.objects.get(inspection=inspection)
    assert record.conclusion.replace("\r\n", "\n") == "Cơ quan đã áp dụng HTQLCL.\nCòn tồn tại như mục 2."
    assert results(inspection)["complaints-handled"] == ("partly", "")


def test_two_tabs_of_the_self_assessment_keep_both(client, cast):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]  # asked to report, its self-assessment not submitted yet
    officer = world.users["ag_stp_officer"]
    client.force_login(officer)
    page, action = f"/inspections/{inspection.pk}/", f"/inspections/{inspection.pk}/self/"
    tab1, tab2 = form_of(client, page, action), form_of(client, page, action)
    tab1["self-result_complaints-handled"] = "not_met"
    tab1["self-explanation_complaints-handled"] = "Chưa có sổ theo dõi khiếu nại."
    assert client.post(action, tab1).status_code == 302
    tab2["self-result_improvement-activities"] = "partly"
    assert client.post(action, tab2).status_code == 302
    answers = {a.item.code: (a.result, a.explanation)
               for a in AgencyChecklistAnswer.objects.filter(inspection=inspection).select_related("item")}
    assert answers["complaints-handled"] == ("not_met", "Chưa có sổ theo dõi khiếu nại.")
    assert answers["improvement-activities"][0] == "partly"

    tab2["self-result_complaints-handled"] = "met"  # the same item, from the stale tab
    response = client.post(action, tab2)
    assert response.status_code == 200 and "Trong lúc bạn nhập, người khác đã lưu" in response.content.decode()
    assert AgencyChecklistAnswer.objects.get(inspection=inspection, item__code="complaints-handled").result == \
        "not_met"


def test_a_record_is_not_signed_over_a_conclusion_the_signer_has_not_read(client, cast):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    client.force_login(cast.users["ag_inspector"])
    page = f"/inspections/{inspection.pk}/"
    signing = form_of(client, page, f"/inspections/{inspection.pk}/sign/")
    colleague = form_of(client, page, f"/inspections/{inspection.pk}/checklist/")
    colleague["record-conclusion"] = "Kết luận do đồng nghiệp sửa."
    assert client.post(f"/inspections/{inspection.pk}/checklist/", colleague).status_code == 302

    signing["sign-signed_on"] = "2026-03-10"
    response = client.post(f"/inspections/{inspection.pk}/sign/", signing)
    assert response.status_code == 200
    assert "người khác đã lưu nội dung khác cho: kết luận chung" in response.content.decode()
    record = InspectionRecord.objects.get(inspection=inspection)
    assert record.signed_on is None and record.conclusion == "Kết luận do đồng nghiệp sửa."
