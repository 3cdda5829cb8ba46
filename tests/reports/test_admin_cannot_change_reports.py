"""The admin shows the agency reports read only, their history included: the history page of a past version
(django-simple-history's form, a POST saved the whole row whatever the change permission) must not put a
submitted, numbered report back to the draft it was, nor change anything of it."""

from html.parser import HTMLParser

import pytest

from reports import services
from reports.models import AgencyReport, AgencyReportStatus

from .conftest import give_qms

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The values a browser would post from the page's form (inputs, selected options, text areas)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
            self.data[name] = attrs.get("value", "")
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.data[name] = "on"
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def test_a_submitted_report_cannot_be_reverted_from_its_history(client, cast, agency_reports, today,
                                                                django_capture_on_commit_callbacks):
    give_qms(cast.agencies["ag_stp"], today=today)
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_report_submit(actor=cast.users["ag_head"], report=agency_reports["ag_stp"])
    report = AgencyReport.objects.get(pk=agency_reports["ag_stp"].pk)
    draft_version = report.history.filter(status=AgencyReportStatus.DRAFT).order_by("history_id").first()
    client.force_login(cast.users["admin"])
    url = f"/admin/reports/agencyreport/{report.pk}/history/{draft_version.history_id}/"
    page = client.get(url)
    form = _Form()
    form.feed(page.content.decode() if page.status_code == 200 else "")
    form.data.update({"status": AgencyReportStatus.DRAFT, "difficulties": "Sửa trong trang quản trị",
                      "number": ""})
    response = client.post(url, form.data)
    assert response.status_code in (403, 405)
    after = AgencyReport.objects.get(pk=report.pk)
    assert (after.status, after.number, after.difficulties, after.version) == (
        report.status, report.number, report.difficulties, report.version)
