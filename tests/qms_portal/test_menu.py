"""No dead ends in the menu: every entry a role is shown opens (200), and the entries a role may not open are not
shown (issue 21). The menu and the permission checks read the same capability table."""

import re

import pytest

from qms_portal.menu import MENU

pytestmark = pytest.mark.django_db

MAIN_MENU = re.compile(r'<nav aria-label="[^"]*">\s*<ul class="nav">(.*?)</ul>', re.S)


def menu_links(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', MAIN_MENU.search(page).group(1))


@pytest.mark.parametrize("user", ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "ag_padmin",
                                  "ministry", "admin"])
def test_every_menu_entry_of_every_role_opens(client, padmins, user):
    client.force_login(padmins.users[user])
    links = menu_links(client.get("/", follow=True).content.decode())
    assert len(links) >= 4
    for link in links:
        assert client.get(link, follow=True).status_code == 200, (user, link)


def test_the_menu_hides_what_the_role_may_not_open(client, cast):
    from django.urls import reverse

    client.force_login(cast.users["ag_officer"])
    links = menu_links(client.get("/", follow=True).content.decode())
    hidden = [reverse(item.url_name) for item in MENU if item.action in ("compliance.read", "audit_log.read")]
    assert hidden and not set(hidden) & set(links)
    for url in hidden:
        assert client.get(url).status_code == 403
