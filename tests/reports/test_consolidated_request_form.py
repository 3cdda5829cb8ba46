"""The consolidated report request page asks each question once, for every role: the kind of report, its period
(a province's report) or its year (the national roll-up) are chosen in one place, the "load the suggested wording"
form, and the issuing form carries that choice; they were asked again in the issuing form, in two places of the
page. Each role is still asked only what its kinds of report read."""

from collections import Counter

import lxml.html
import pytest

from reports.kinds import kind_spec
from reports.selectors import report_kinds_requestable

pytestmark = pytest.mark.django_db

USERS = ["ag_leader", "ag_inspector", "ag_ubnd", "ag_officer", "ag_head", "ag_padmin", "ministry", "admin", "nobody"]


def questions(page: str) -> Counter:
    """How many times each name is asked in the page's main content: selects, textareas, inputs not hidden."""
    main = lxml.html.fromstring(page).xpath("//main")[0]
    controls = main.xpath(".//select | .//textarea | .//input[not(@type='hidden')]")
    return Counter(control.get("name") for control in controls)


@pytest.mark.parametrize("user", USERS)
def test_each_question_is_asked_once_for_each_role(client, padmins, reporting, user):
    cast = padmins
    kinds = report_kinds_requestable(user=cast.users[user])
    client.force_login(cast.users[user])
    response = client.get("/reports/consolidated/new/")
    if not kinds:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    asked = questions(response.content.decode())
    assert asked, "no question on the page"
    assert max(asked.values()) == 1, asked
    national = {kind_spec(kind).national for kind in kinds}
    assert asked["kind"] == 1
    assert asked["period"] == (1 if False in national else 0), asked
    assert asked["year"] == (1 if True in national else 0), asked


@pytest.mark.parametrize("user, kind, chosen", [("ag_leader", "provincial", "period"),
                                                ("ministry", "national", "year")])
def test_the_issuing_form_carries_the_choice(client, cast, reporting, user, kind, chosen):
    client.force_login(cast.users[user])
    value = str(reporting["ag"].pk) if chosen == "period" else "2025"
    page = client.get(f"/reports/consolidated/new/?kind={kind}&{chosen}={value}").content.decode()
    issuing = lxml.html.fromstring(page).xpath("//main//form[@method='post']")[0]
    carried = {i.get("name"): i.get("value") for i in issuing.xpath(".//input[@type='hidden']")}
    assert carried["kind"] == kind and carried[chosen] == value
    assert not issuing.xpath(".//select[@name='kind'] | .//select[@name='period'] | .//input[@name='year'"
                             " and not(@type='hidden')]")
