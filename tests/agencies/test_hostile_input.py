"""Hostile and broken input against forms and API alike: every case a 4xx with a message, nothing half-saved,
and whatever is stored comes back escaped."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from agencies.models import Agency
from qms.models import QmsRecord, Training

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQLISH = "'; DROP TABLE agencies_agency; --"


def _count():
    return Agency.objects.count(), Training.objects.count()


@pytest.mark.parametrize("payload", [
    {"topic": "x" * 100_000, "held_on": "2025-01-01", "attendees": 3},
    {"topic": "ISO\x00", "held_on": "2025-01-01", "attendees": 3},
    {"topic": "ISO", "held_on": "2025-02-31", "attendees": 3},
    {"topic": "ISO", "held_on": "31/02/2025", "attendees": 3},
    {"topic": "ISO", "held_on": "2025-01-01", "attendees": -5},
    {"topic": "ISO", "held_on": "2025-01-01", "attendees": 10**30},
    {"topic": "ISO", "held_on": "2025-01-01", "attendees": "many"},
    {"topic": ["list"], "held_on": "2025-01-01", "attendees": 3},
    {"topic": {"$ne": 1}, "held_on": 20250101, "attendees": 3},
    {"topic": None, "held_on": None, "attendees": None},
])
def test_bad_training_is_a_4xx_and_saves_nothing(api, cast, payload):
    before = _count()
    response = api.as_user(cast.users["ag_officer"]).post(
        f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/trainings/", payload, format="json")
    assert 400 <= response.status_code < 500
    assert response.json()  # a message, not an empty body
    assert _count() == before


def test_malformed_json_is_a_clear_400(api, cast):
    response = api.as_user(cast.users["ag_officer"]).generic(
        "POST", f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/trainings/", '{"topic": "ISO",',
        content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_script_and_sql_are_stored_as_text_and_escaped(api, client, cast):
    officer = api.as_user(cast.users["ag_officer"])
    stp = cast.agencies["ag_stp"]
    response = officer.post(f"/api/v1/agencies/{stp.pk}/trainings/",
                            {"topic": SCRIPT + SQLISH, "held_on": "2025-01-01", "attendees": 3}, format="json")
    assert response.status_code == 201
    assert Training.objects.get().topic == SCRIPT + SQLISH
    client.force_login(cast.users["ag_officer"])
    page = client.get(f"/agencies/{stp.pk}/qms/").content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
    assert Agency.objects.exists()


def test_search_with_sql_and_wildcards(api, cast):
    client = api.as_user(cast.users["ministry"])
    for query in (SQLISH, "%", "_", "\\", "' OR 1=1 --", "x" * 5000):
        response = client.get("/api/v1/agencies/", {"q": query})
        assert response.status_code == 200
        assert response.json()["count"] == 0


def test_huge_page_and_negative_page(api, cast):
    client = api.as_user(cast.users["ministry"])
    assert client.get("/api/v1/agencies/", {"page": 10**9}).status_code == 404  # a page past the end
    for params in ({"page": -1}, {"page": "abc"}, {"page_size": "abc"}, {"page_size": 0}):
        response = client.get("/api/v1/agencies/", params)
        assert response.status_code == 400 and list(response.json()) == list(params), params
    assert client.get("/api/v1/agencies/", {"page_size": 10**9}).status_code == 200  # capped at 200


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>" + " " * 50_000_000)
    return buffer.getvalue()


def _content(content) -> bytes:
    if content is None:
        return _zip_bomb()
    if content == "zip-version":
        from tests.qms_portal.test_uploads import _broken_central_directory, ooxml

        return _broken_central_directory(ooxml("word/document.xml"), version=70)
    return content


@pytest.mark.parametrize(("name", "content"), [
    ("bomb.docx", None),
    ("../../../etc/passwd.pdf", b"not a pdf at all"),
    ("evil.pdf.exe", b"MZ\x90\x00\x03"),
    ("photo.png", b"\xff\xd8\xff\xe0 jpeg pretending to be png"),
    ("archive.docx", b"PK\x03\x04 broken zip"),
    ("damaged.docx", "zip-version"),  # a ZIP version Python cannot read: a 500 before
])
def test_hostile_uploads_are_refused(api, cast, name, content):
    stp = cast.agencies["ag_stp"]
    qms = QmsRecord.objects.create(agency=stp)
    announcement = qms.announcements.create(kind="first", decision_number="1", decision_date="2025-01-01",
                                            signer="A", edition="2015", scope="x")
    response = api.as_user(cast.users["ag_officer"]).post(
        f"/api/v1/agencies/{stp.pk}/announcements/{announcement.pk}/file/",
        {"file": SimpleUploadedFile(name, _content(content))}, format="multipart")
    assert response.status_code == 400 and response.json()["file"]
    announcement.refresh_from_db()
    assert announcement.decision_file is None


def test_traversal_in_a_good_file_name_is_neutralised(api, cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    stp = cast.agencies["ag_stp"]
    qms = QmsRecord.objects.create(agency=stp)
    announcement = qms.announcements.create(kind="first", decision_number="1", decision_date="2025-01-01",
                                            signer="A", edition="2015", scope="x")
    response = api.as_user(cast.users["ag_officer"]).post(
        f"/api/v1/agencies/{stp.pk}/announcements/{announcement.pk}/file/",
        {"file": SimpleUploadedFile("..\\..\\secret/../qd.pdf", b"%PDF-1.4\n%%EOF\n")}, format="multipart")
    assert response.status_code == 201
    announcement.refresh_from_db()
    stored = announcement.decision_file
    assert stored.original_name == "qd.pdf" and ".." not in stored.file.name
    assert (tmp_path / stored.file.name).resolve().is_relative_to(tmp_path)
    download = api.get(f"/api/v1/agencies/{stp.pk}/announcements/{announcement.pk}/file/")
    assert 'filename="qd.pdf"' in download["Content-Disposition"]


def test_html_form_rejects_overlong_text(client, cast):
    client.force_login(cast.users["ag_officer"])
    stp = cast.agencies["ag_stp"]
    response = client.post(f"/agencies/{stp.pk}/qms/trainings/add/",
                           {"topic": "x" * 100_000, "held_on": "2025-01-01", "attendees": 3})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not Training.objects.exists()


WHOLE_NUMBER = ("Enter a whole number.", {})  # Django's form field: the filters are a filterset


@pytest.mark.parametrize(("params", "message"), [
    ({"parent": "-2.7e+74"}, WHOLE_NUMBER),
    ({"parent": str(10**30)}, ("Ensure this value is less than or equal to %(limit_value)s.",
                               {"limit_value": 2**31 - 1})),
    ({"province": "99999999999"}, ("Ensure this value is less than or equal to %(limit_value)s.",
                                   {"limit_value": 999})),
    ({"parent": "abc"}, WHOLE_NUMBER),
])
def test_out_of_range_filters_are_a_400(api, cast, params, message):
    response = api.as_user(cast.users["ministry"]).get("/api/v1/agencies/", params)
    assert response.status_code == 400
    msgid, values = message
    assert response.json() == {name: [gettext(msgid) % values] for name in params}


def test_compliance_with_a_huge_province_is_a_400(api, cast):
    response = api.as_user(cast.users["ministry"]).get("/api/v1/compliance/", {"province": "9" * 30})
    assert response.status_code == 400
    assert response.json() == {"province": [gettext("Ensure this value is less than or equal to {max_value}.").format(
        max_value=999)]}
