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


def test_the_register_of_outgoing_documents_is_read_only_in_the_admin(client, cast):
    from datetime import date

    from agencies.models import DocumentType
    from agencies.numbering import document_number_next

    document_number_next(issuer=cast.agencies["ag_skhcn"], doc_type=DocumentType.REPORT, issued_on=date(2026, 3, 2))
    client.force_login(cast.users["admin"])
    page = client.get("/admin/agencies/registereddocument/")
    assert page.status_code == 200 and "01/BC-SKHCN" in page.content.decode()
    assert client.get("/admin/agencies/registereddocument/add/").status_code == 403
