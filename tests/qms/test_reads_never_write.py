"""Reading a QMS file never writes: the pages and the API of an agency with no record show an empty, not-started
file and create nothing; the first change creates the record."""

import pytest

from qms.models import QmsRecord

pytestmark = pytest.mark.django_db


def test_reading_an_empty_file_creates_nothing(api, client, cast):
    snv = cast.agencies["ag_snv"]
    QmsRecord.objects.filter(agency=snv).delete()
    client.force_login(cast.users["ag_inspector"])
    assert client.get(f"/agencies/{snv.pk}/qms/").status_code == 200
    assert client.get(f"/agencies/{snv.pk}/qms/history/").status_code == 200
    reader = api.as_user(cast.users["ag_inspector"])
    for path in ("qms/", "qms/history/", "compliance/", "internal-audits/", "procedures/", "legal-updates/"):
        assert reader.get(f"/api/v1/agencies/{snv.pk}/{path}").status_code == 200, path
    assert reader.get(f"/api/v1/agencies/{snv.pk}/qms/").json()["stage"] == "not_started"
    assert not QmsRecord.objects.filter(agency=snv).exists()


def test_the_first_change_creates_the_record(api, cast):
    stp = cast.agencies["ag_stp"]
    QmsRecord.objects.filter(agency=stp).delete()
    officer = api.as_user(cast.users["ag_officer"])
    response = officer.patch(f"/api/v1/agencies/{stp.pk}/qms/", {"consultant": "Công ty Tư vấn A"}, format="json")
    assert response.status_code == 200, response.content
    assert QmsRecord.objects.get(agency=stp).consultant == "Công ty Tư vấn A"
