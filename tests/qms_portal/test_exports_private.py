"""Every spreadsheet the portal makes for a request is served as a private download (qms_portal.files
.generated_file_response): never kept by a shared cache or a browser (the data is the caller's scope), never sniffed
as something else, named for the person who saves it."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("user, url, name", [
    ("ag_padmin", "/agencies/import/template/agencies.agencies/", "mau-nhap-agencies.xlsx"),
    ("ag_inspector", "/register/?format=xlsx", "so-van-ban-di-"),
    ("ag_inspector", "/compliance/export.xlsx", "tuan-thu-htqlcl-"),
])
def test_a_spreadsheet_is_a_private_attachment(client, padmins, user, url, name):
    client.force_login(padmins.users[user])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{name}')
    assert response.getvalue()[:2] == b"PK"  # a zip: an XLSX workbook
