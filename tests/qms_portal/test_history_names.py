"""Who made a change is shown by name, as everywhere else in the portal ("Nguyễn Thị Lan"), not by the login
name ("ag_officer"): the QMS file's latest changes and its full history, the agency's history, the agency
report's history and who proposed a year's obligations. The API keeps the username in "user"."""

import pytest
from django.utils import timezone

from reports.models import AgencyReport
from tests.reports.conftest import reporting, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def named(user, last_name: str, first_name: str):
    user.last_name, user.first_name = last_name, first_name
    user.save(update_fields=["last_name", "first_name"])
    return user


def timeline(page: str) -> str:
    return page[page.index('class="timeline"'):]


def test_the_qms_file_history_names_the_person(client, cast):
    officer = named(cast.users["ag_officer"], "Nguyễn Thị", "Lan")
    stp = cast.agencies["ag_stp"]
    client.force_login(officer)
    response = client.post(f"/agencies/{stp.pk}/qms/trainings/add/", {
        "held_on": timezone.localdate().isoformat(), "topic": "Tập huấn ISO", "attendees": 20})
    assert response.status_code == 302
    for path in (f"/agencies/{stp.pk}/qms/", f"/agencies/{stp.pk}/qms/history/"):
        page = timeline(client.get(path).content.decode())
        assert "Nguyễn Thị Lan" in page and "ag_officer" not in page, path
    api = client.get(f"/api/v1/agencies/{stp.pk}/qms/history/")
    if api.status_code == 200:
        assert {entry["user"] for entry in api.json() if entry["user"]} == {"ag_officer"}


def test_the_agency_report_history_names_the_person(client, cast, reporting):  # noqa: F811
    officer = named(cast.users["ag_officer"], "Nguyễn Thị", "Lan")
    client.force_login(officer)
    client.post(f"/reports/periods/{reporting['ag'].pk}/my-report/")
    report = AgencyReport.objects.get(agency=cast.agencies["ag_stp"])
    page = timeline(client.get(f"/reports/agency/{report.pk}/").content.decode())
    assert "Nguyễn Thị Lan" in page and "ag_officer" not in page


def test_the_agency_history_and_the_obligations_name_the_person(client, padmins):
    cast = padmins
    padmin = named(cast.users["ag_padmin"], "Đinh Thị", "Thu")
    client.force_login(padmin)
    assert client.post("/obligations/2027/propose/").status_code == 302  # from 2026, the cast's year
    page = client.get("/obligations/2027/").content.decode()
    assert "Đinh Thị Thu" in page and "ag_padmin" not in page
    page = timeline(client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/").content.decode())
    assert "Đinh Thị Thu" in page and "ag_padmin" not in page
