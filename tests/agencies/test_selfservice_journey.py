"""The journey of issue 15, through the pages (the browser journey's steps, with Django's test client): the Sở's
administrator imports the An Giang schools (a check, one bad row fixed, then the import), sets their 2025
obligations, confirms the proposed 2026 obligations and invites an ISO officer for one school; that officer sets a
password, signs in and sees only the school; the inspector's 2026 plan now needs the schools covered."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.divisions import load_divisions
from agencies.models import Agency, AgencyObligation, ObligationYear, ObligationYearState
from qms_portal.models import ImportJob
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "an-giang-truong-thcs.csv"


def test_the_province_runs_its_own_scope(client, padmins, django_capture_on_commit_callbacks):
    from audits import services as audits
    from tests.audits.conftest import setup_province

    load_divisions()
    ag = padmins.provinces["ag"]
    setup_province(padmins, "ag")  # the inspecting unit (Chi cục TĐC)
    AgencyFactory(name="Sở Giáo dục và Đào tạo", short_code="SGDDT", province=ag)
    # An Giang had not settled 2026 yet
    ObligationYear.objects.filter(province=ag).delete()
    AgencyObligation.objects.filter(agency__province=ag).delete()
    client.force_login(padmins.users["ag_padmin"])

    # 1. the schools: a check with one bad row, the row fixed, the import
    text = SAMPLE.read_text(encoding="utf-8-sig")
    bad = text.replace(",30313,", ",99930313,")
    client.post("/agencies/import/", {"kind": "agencies.agencies",
                                      "file": SimpleUploadedFile("thcs.csv", bad.encode(), content_type="text/csv")})
    check = ImportJob.objects.latest("pk")
    assert [(e["row"], e["column"], e["value"]) for e in check.report["errors"]] == [(5, "Mã xã", "99930313")]
    assert client.post(f"/imports/{check.pk}/apply/").status_code == 302
    assert not Agency.objects.filter(short_code__startswith="THCS-").exists()
    client.post("/agencies/import/", {"kind": "agencies.agencies",
                                      "file": SimpleUploadedFile("thcs.csv", text.encode(), content_type="text/csv")})
    client.post(f"/imports/{ImportJob.objects.latest('pk').pk}/apply/")
    schools = Agency.objects.filter(province=ag, short_code__startswith="THCS-")
    assert schools.count() == 102

    # 2. the 2025 obligations, in bulk
    for kind, level in (("so", "mandatory"), ("ubnd_tinh", "mandatory"), ("chi_cuc", "not_applicable")):
        client.post("/obligations/2025/bulk/", {"bulk-kind": kind, "bulk-level": level})
    sgd = Agency.objects.get(province=ag, short_code="SGDDT")
    client.post("/obligations/2025/bulk/", {"bulk-parent": sgd.pk, "bulk-level": "mandatory",
                                       "bulk-note": "UBND tỉnh mở rộng cho trường THCS từ năm 2025"})
    assert client.post("/obligations/2025/confirm/", {}).status_code == 302
    assert AgencyObligation.objects.filter(agency__in=schools, year=2025, level="mandatory").count() == 102

    # 3. 2026 proposed from 2025, reviewed, confirmed
    client.post("/obligations/2026/propose/", {})
    page = client.get("/obligations/2026/").content.decode()
    assert "Chưa quyết định" not in page  # every active agency carried over
    assert client.post("/obligations/2026/confirm/", {}).status_code == 302
    assert ObligationYear.objects.get(province=ag, year=2026).state == ObligationYearState.CONFIRMED

    # 4. an ISO officer for one school
    school = schools.get(short_code="THCS-30313")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/staff/invite/", {"email": "iso@thcs-myhoahung.edu.vn", "full_name": "Phan Thị Hoa",
                                       "role": "iso_officer", "agency": school.pk})
    from django.core import mail

    link = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    client.post(link, {"new_password1": "truong-thcs-2026!", "new_password2": "truong-thcs-2026!"})
    assert client.post("/accounts/login/", {"username": "iso@thcs-myhoahung.edu.vn",
                                            "password": "truong-thcs-2026!"}).status_code == 302
    page = client.get("/agencies/").content.decode()
    assert "Trường THCS Mỹ Hòa Hưng" in page and "Sở Tư pháp" not in page and "Trường THCS Bình Đức" not in page
    assert client.get(f"/agencies/{padmins.agencies['ag_stp'].pk}/").status_code == 404

    # 5. the inspector's 2026 plan must now cover the schools
    inspector = padmins.users["ag_inspector"]
    plan = audits.plan_create(actor=inspector, year=2026, province=ag)
    for key in ("ag_ubnd", "ag_skhcn", "ag_stp", "ag_snv"):
        audits.plan_entry_add(actor=inspector, plan=plan, agency=padmins.agencies[key], data={
            "form": "on_site", "expected_from": date(2026, 3, 9), "expected_to": date(2026, 3, 13), "budget_vnd": 0})
    with pytest.raises(ValidationError) as refused:
        audits.plan_submit(actor=inspector, plan=plan, today=date(2026, 1, 12))
    message = " ".join(refused.value.messages)
    assert "103 cơ quan bắt buộc" in message and "Trường THCS" in message, message
