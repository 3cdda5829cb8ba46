"""Two requests creating the same agency report at once: the service checks first, so only a race reaches the
database's unique constraint; the loser gets 409 (API) or the 409 page, never a 500, and one report exists."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from reports import services
from reports.models import AgencyReport
from tests.conftest import require_services

CONCURRENT = ("Another request saved the same record at the same moment (by someone else, or a second click). "
              "Reload the page: it may already be saved.")


@pytest.fixture
def competitor_commits_first(monkeypatch):
    """Another request creates the same report right after this one checked that there was none."""
    original = services._refresh_facts

    def refresh(report):
        AgencyReport.objects.create(period=report.period, agency=report.agency, version=1)
        original(report)

    monkeypatch.setattr(services, "_refresh_facts", refresh)


@pytest.mark.django_db
def test_the_api_answers_a_lost_race_with_409(api, cast, reporting, competitor_commits_first):
    response = api.as_user(cast.users["ag_officer"]).post("/api/v1/agency-reports/",
                                                          {"period": reporting["ag"].pk}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": CONCURRENT}


@pytest.mark.django_db
def test_the_page_answers_a_lost_race_with_409(client, cast, reporting, competitor_commits_first):
    client.force_login(cast.users["ag_officer"])
    response = client.post(f"/reports/periods/{reporting['ag'].pk}/my-report/")
    assert response.status_code == 409
    assert response.templates[0].name == "409.html" and CONCURRENT in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_officers_starting_the_same_report_at_once(cast, reporting, monkeypatch):
    """Real concurrency on PostgreSQL: both requests pass the check before either writes."""
    if connection.vendor != "postgresql":
        require_services("concurrent transactions need PostgreSQL (set DATABASE_URL)")
    barrier, original = threading.Barrier(2, timeout=30), services._refresh_facts

    def refresh(report):
        barrier.wait()  # both have checked that there is no report yet
        original(report)

    monkeypatch.setattr(services, "_refresh_facts", refresh)
    statuses = []

    def start(username):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(cast.users[username])
        try:
            statuses.append(client.post("/api/v1/agency-reports/", {"period": reporting["ag"].pk},
                                        format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(name,)) for name in ("ag_officer", "ag_head")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 409]
    assert AgencyReport.objects.filter(period=reporting["ag"], agency=cast.agencies["ag_stp"]).count() == 1
