"""Issue 15 in Chromium: An Giang's portal administrator imports the lower-secondary schools (a check that finds a
bad commune code, the row fixed, the import), makes them mandatory for 2025, confirms the 2026 obligations proposed
from 2025, and invites an ISO officer for one school; the officer sets a password, signs in and sees only the
school; the inspector's 2026 plan must now cover the schools."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from agencies.divisions import load_divisions
from agencies.models import Agency, AgencyObligation, ObligationYear, ObligationYearState
from tests.e2e.conftest import login, shot
from tests.factories import AgencyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "an-giang-truong-thcs.csv"


def import_file(page, path: Path) -> None:
    page.goto("/agencies/import/")
    page.select_option("#id_kind", "agencies.agencies")
    page.set_input_files("#id_file", str(path))
    page.click("#main button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))


def test_the_province_runs_its_own_scope_in_a_browser(page_factory, padmins, tmp_path):
    from audits import services as audits
    from tests.audits.conftest import setup_province

    load_divisions()
    ag = padmins.provinces["ag"]
    setup_province(padmins, "ag")
    sgd = AgencyFactory(name="Sở Giáo dục và Đào tạo", short_code="SGDDT", province=ag)
    ObligationYear.objects.filter(province=ag).delete()
    AgencyObligation.objects.filter(agency__province=ag).delete()
    page = page_factory()
    login(page, "ag_padmin")

    # 1. The schools: the check finds the bad commune code and saves nothing; fixed, checked and imported.
    text = SAMPLE.read_text(encoding="utf-8-sig")
    bad = tmp_path / "thcs-sai.csv"
    bad.write_text(text.replace(",30313,", ",99930313,"), encoding="utf-8")
    import_file(page, bad)
    report = page.locator("#import-report").inner_text()
    assert "99930313" in report and "Mã xã" in report
    assert page.locator("text=Nhập các dòng này").count() == 0
    shot(page, "selfservice-import-refused")
    good = tmp_path / "thcs.csv"
    good.write_text(text, encoding="utf-8")
    import_file(page, good)
    page.click("text=Nhập các dòng này")
    page.wait_for_selector("#import-report")
    assert "Đã nhập" in page.locator("#import-report").inner_text()
    schools = Agency.objects.filter(province=ag, short_code__startswith="THCS-")
    assert schools.count() == 102

    # 2. 2025: departments and the People's Committee mandatory, the schools under the Sở GD&ĐT too; confirmed.
    page.goto("/obligations/2025/")
    for kind in ("so", "ubnd_tinh"):
        page.select_option("#id_bulk-kind", kind)
        page.select_option("#id_bulk-level", "mandatory")
        page.click("form[action^='/obligations/2025/bulk/'] button[type=submit]")
    page.select_option("#id_bulk-kind", "chi_cuc")
    page.select_option("#id_bulk-level", "not_applicable")
    page.click("form[action^='/obligations/2025/bulk/'] button[type=submit]")
    page.select_option("#id_bulk-parent", str(sgd.pk))
    page.select_option("#id_bulk-level", "mandatory")
    page.fill("#id_bulk-note", "UBND tỉnh mở rộng cho trường THCS từ năm 2025")
    page.click("form[action^='/obligations/2025/bulk/'] button[type=submit]")
    page.click("button[formaction*='/confirm/']")
    assert AgencyObligation.objects.filter(agency__in=schools, year=2025, level="mandatory").count() == 102

    # 3. 2026 proposed from 2025, reviewed and confirmed.
    page.goto("/obligations/2026/")
    page.click("form[action$='/propose/'] button:not([formaction])")
    shot(page, "selfservice-obligations-proposed")
    page.click("button[formaction*='/confirm/']")
    assert ObligationYear.objects.get(province=ag, year=2026).state == ObligationYearState.CONFIRMED

    # 4. An ISO officer for one school, by invitation.
    school = schools.get(short_code="THCS-30313")
    page.goto("/staff/invite/")
    page.fill("#id_email", "iso@thcs-myhoahung.edu.vn")
    page.fill("#id_full_name", "Phan Thị Hoa")
    page.select_option("#id_role", "iso_officer")
    page.select_option("#id_agency", str(school.pk))
    page.click("text=Gửi lời mời")
    link = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", mail.outbox[-1].body).group(1)
    officer = page_factory()
    officer.goto(link)
    officer.fill("#id_new_password1", "truong-thcs-2026!")
    officer.fill("#id_new_password2", "truong-thcs-2026!")
    officer.click("#main button[type=submit]")
    login(officer, "iso@thcs-myhoahung.edu.vn", "truong-thcs-2026!")
    officer.goto("/agencies/")
    listed = officer.locator("#main").inner_text()
    assert "Trường THCS Mỹ Hòa Hưng" in listed and "Sở Tư pháp" not in listed
    shot(officer, "selfservice-officer-sees-the-school")

    # 5. The inspector's 2026 plan must now cover the schools.
    inspector = padmins.users["ag_inspector"]
    plan = audits.plan_create(actor=inspector, year=2026, province=ag)
    for key in ("ag_ubnd", "ag_skhcn", "ag_stp", "ag_snv"):
        audits.plan_entry_add(actor=inspector, plan=plan, agency=padmins.agencies[key], data={
            "form": "on_site", "expected_from": date(2026, 3, 9), "expected_to": date(2026, 3, 13), "budget_vnd": 0})
    with pytest.raises(ValidationError) as refused:
        audits.plan_submit(actor=inspector, plan=plan, today=date(2026, 1, 12))
    assert "Trường THCS" in " ".join(refused.value.messages)
