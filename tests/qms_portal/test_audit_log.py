import pytest

from qms_portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_changes_and_logins_are_logged_with_address(client, api, cast):
    stp = cast.agencies["ag_stp"]
    api.as_user(cast.users["ag_inspector"]).patch(f"/api/v1/agencies/{stp.pk}/", {"address": "1 Lê Lợi"},
                                                  format="json", REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="changed", object_type="agencies.agency")
    assert (event.username, event.ip_address, event.object_id) == ("ag_inspector", "10.1.2.3", str(stp.pk))
    client.post("/accounts/login/", {"username": "ag_officer", "password": "wrong"})
    client.post("/accounts/login/", {"username": "ag_officer", "password": "correct-horse-battery"})
    assert list(AuditEvent.objects.filter(action__startswith="login").values_list("action", "username")) == [
        ("login", "ag_officer"), ("login_failed", "")]


@pytest.mark.parametrize(("user", "expected"), [("admin", 200), ("ag_leader", 403), ("ministry", 403)])
def test_audit_log_page_is_for_administrators(client, cast, user, expected):
    client.force_login(cast.users[user])
    assert client.get("/audit-log/").status_code == expected


def test_audit_log_cannot_be_edited_in_admin(client, cast):
    client.force_login(cast.users["admin"])
    AuditEvent.objects.create(action="login", username="x")
    event = AuditEvent.objects.first()
    assert client.get(f"/admin/qms_portal/auditevent/{event.pk}/delete/").status_code == 403
    assert client.post(f"/admin/qms_portal/auditevent/{event.pk}/change/", {"summary": "x"}).status_code == 403


def test_the_audit_log_says_what_happened_in_words(client, cast):
    """The page showed the stored codes: "login_failed", "changed", "audits.inspection 127", in the filter too,
    which offered 8 of the codes the portal writes ("issued", "legal_updated"... could not be chosen)."""
    from qms_portal.audit import ACTION_LABELS, audit_record

    client.post("/accounts/login/", {"username": "ag_officer", "password": "wrong"})
    audit_record(action="issued", user=cast.users["ag_leader"], object_type="reports.consolidatedreport",
                 object_id=1, summary="01/BC-SKHCN")
    client.force_login(cast.users["admin"])
    page = client.get("/audit-log/").content.decode()
    rows = page[page.index("<tbody>"):]
    assert "Đăng nhập không thành công" in rows and "Ban hành báo cáo" in rows and "báo cáo tổng hợp 1" in rows
    assert "login_failed" not in rows and "reports.consolidatedreport" not in rows
    for code in ("issued", "legal_updated", "login_failed"):
        assert f'<option value="{code}"' in page
    assert set(ACTION_LABELS) >= {"created", "changed", "deleted", "login", "logout", "invited"}
    filtered = client.get("/audit-log/", {"action": "issued"}).content.decode()
    assert "01/BC-SKHCN" in filtered and "Đăng nhập không thành công" not in filtered[filtered.index("<tbody>"):]
