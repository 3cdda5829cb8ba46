"""A plan of a year whose obligations the province has not confirmed cannot be submitted: the refusal leads to the
obligations page of that year (where they are confirmed), only for those who may open it (agencies.selectors
.obligations_page_url, the page's own checks), and says who confirms them to those who may not."""

import html
import re
from datetime import date

import pytest

from agencies.selectors import obligations_page_url
from audits import services
from audits.models import InspectionForm, PlanState

pytestmark = pytest.mark.django_db

YEAR = 2027  # the cast confirms 2026 only


def unconfirmed_plan(cast):
    inspector = cast.users["ag_inspector"]
    plan = services.plan_create(actor=inspector, year=YEAR, province=cast.provinces["ag"])
    services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies["ag_stp"], data={
        "form": InspectionForm.ON_SITE, "expected_from": date(YEAR, 3, 9), "expected_to": date(YEAR, 3, 13)})
    return plan


def links(page: str) -> list[str]:
    return re.findall(r'<a href="(/obligations/\d+/[^"]*)"', page)


def test_the_refused_submission_leads_the_inspector_to_the_obligations(client, units):
    cast = units
    plan = unconfirmed_plan(cast)
    client.force_login(cast.users["ag_inspector"])
    response = client.post(f"/inspections/plans/{plan.pk}/submit/", {})
    assert response.status_code == 200
    page = response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    assert "Chưa xác định cơ quan bắt buộc năm 2027" in page
    # in the refusal of the submit form, and beside the coverage check
    alert = page.split(f'action="/inspections/plans/{plan.pk}/submit/"', 1)[1].split("</form>", 1)[0]
    assert links(alert) == ["/obligations/2027/"]
    assert links(page) == ["/obligations/2027/", "/obligations/2027/"]
    assert client.get("/obligations/2027/").status_code == 200
    # the inspector sets obligations but does not confirm them: told who does
    assert "Xem nghĩa vụ năm 2027" in page and ("Lãnh đạo Sở KH&CN hoặc Quản trị viên cấp tỉnh xác nhận nghĩa vụ."
                                                  in html.unescape(page))


def test_the_leader_who_confirms_is_offered_to_confirm(client, units):
    cast = units
    plan = unconfirmed_plan(cast)
    client.force_login(cast.users["ag_leader"])
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert links(page) == ["/obligations/2027/"]
    assert "Xác nhận nghĩa vụ năm 2027" in page and "Quản trị viên cấp tỉnh xác nhận" not in page


def test_a_national_reader_is_led_to_the_plan_s_province(client, units):
    cast = units
    plan = unconfirmed_plan(cast)
    client.force_login(cast.users["ministry"])
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    url = f"/obligations/2027/?province={cast.provinces['ag'].pk}"
    assert links(page) == [url.replace("&", "&amp;")]
    assert client.get(url).status_code == 200


def test_no_link_once_the_obligations_are_confirmed(client, units):
    cast = units
    inspector = cast.users["ag_inspector"]
    plan = services.plan_create(actor=inspector, year=2026, province=cast.provinces["ag"])
    client.force_login(inspector)
    assert links(client.get(f"/inspections/plans/{plan.pk}/").content.decode()) == []


@pytest.mark.parametrize("user, province, year, expected", [
    ("ag_inspector", "ag", 2027, "/obligations/2027/"),
    ("ag_leader", "ag", 2027, "/obligations/2027/"),
    ("ag_inspector", "cb", 2027, None),  # the page would show An Giang's: no link to Cao Bằng's
    ("ag_officer", "ag", 2027, None),  # agency staff may not read the page (403)
    ("ag_head", "ag", 2027, None),
    ("nobody", "ag", 2027, None),
    ("ag_inspector", "ag", 2013, None),  # outside the page's years (404)
    ("ministry", "ag", 2027, "/obligations/2027/?province={ag}"),
    ("admin", "cb", 2027, "/obligations/2027/?province={cb}"),
])
def test_obligations_page_url_only_where_the_page_opens(client, units, user, province, year, expected):
    cast = units
    ids = {key: p.pk for key, p in cast.provinces.items()}
    url = obligations_page_url(user=cast.users[user], province_id=ids[province], year=year)
    assert url == (expected.format(**ids) if expected else None)
    if url:  # the link opens
        client.force_login(cast.users[user])
        assert client.get(url).status_code == 200
