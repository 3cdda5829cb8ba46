"""The findings board filtered to one agency: choosing the agency in the table by agency kept no other filter
("overdue only" was lost), and the list then said nothing of being narrowed to one agency (with hundreds of agencies,
the inspector took it for the whole province). The agency link keeps the filters, and the list names its agency
with a link that removes that filter alone."""

import re
from html import unescape

import pytest

from tests.audits.conftest import build_world

pytestmark = pytest.mark.django_db


def test_the_agency_filter_keeps_the_others_and_says_so(client, cast):
    world = build_world(cast)
    stp = cast.agencies["ag_stp"]
    client.force_login(cast.users["ag_inspector"])
    page = unescape(client.get("/findings/", {"show": "overdue"}).content.decode())
    links = re.findall(r'href="\?([^"#]*agency=\d+[^"#]*)#findings"', page)
    assert links and all("show=overdue" in link for link in links), links

    page = unescape(client.get("/findings/", {"show": "overdue", "agency": stp.pk}).content.decode())
    assert re.search(r'id="agency-filter"[^>]*>[^<]*Cơ quan: <strong>Sở Tư pháp</strong>', page), page
    removal = re.search(r'id="agency-filter".*?<a [^>]*href="\?([^"]*)"', page, re.S).group(1)
    assert "show=overdue" in removal and "agency=" not in removal
    assert str(world.findings["ag_stp"].pk) in page

    # an agency out of scope is not named (the list is empty, as for any id that does not exist)
    other = cast.agencies["cb_stp"]
    response = client.get("/findings/", {"agency": other.pk})
    assert response.status_code == 200 and 'id="agency-filter"' in response.content.decode()
    assert "Cao Bằng" not in response.content.decode()
