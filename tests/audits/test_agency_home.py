"""The agency staff's home page (audits.dashboard.panels): an inspection of their agency waiting for their
self-assessment is a card of its own, not a line inside the card of the findings to answer, which it is not."""

import lxml.html
import pytest

from tests.audits.conftest import approved_plan

pytestmark = pytest.mark.django_db


def cards(page: str) -> dict[str, list[str]]:
    """{heading of each card of the page's main content: the links inside it}."""
    main = lxml.html.fromstring(page).xpath("//main")[0]
    return {section.xpath("string(.//h2)").strip(): section.xpath(".//a/@href") for section in main.xpath(".//section")}


@pytest.mark.parametrize("user", ["ag_officer", "ag_head"])
def test_the_inspection_waiting_for_the_self_assessment_is_its_own_card(client, units, user):
    cast = units
    plan = approved_plan(cast, "ag")
    inspection = plan.inspections.get(agency=cast.agencies["ag_stp"])  # the cast's agency staff are STP's
    client.force_login(cast.users[user])
    response = client.get("/")
    assert response.status_code == 200
    found = cards(response.content.decode())
    link = f"/inspections/{inspection.pk}/"
    holding = [heading for heading, links in found.items() if link in links]
    assert holding == ["Cuộc kiểm tra đang chờ cơ quan tự đánh giá"], found
    assert link not in found["Vấn đề tồn tại cần khắc phục"]  # the findings card is still there, without it


def test_no_card_when_nothing_waits(client, units):
    cast = units
    client.force_login(cast.users["ag_officer"])
    found = cards(client.get("/").content.decode())
    assert "Vấn đề tồn tại cần khắc phục" in found
    assert "Cuộc kiểm tra đang chờ cơ quan tự đánh giá" not in found
