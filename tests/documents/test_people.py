"""Vietnamese names are shown family name first everywhere (issue 14), the admin included."""

import pytest

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_greets_the_person_family_name_first(client):
    from agencies.models import Role

    user = UserFactory(username="quantri", first_name="Thống", last_name="Quản Trị Hệ", is_staff=True,
                       is_superuser=True)
    MembershipFactory(user=user, role=Role.ADMINISTRATOR)
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Quản Trị Hệ Thống</strong>" in page and "<strong>Thống</strong>" not in page
