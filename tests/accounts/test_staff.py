"""Staff and roles (issue 15): the province's administrator invites a person by e-mail (a one-time, expiring link
to set a password) and gives, changes and removes one role within the province; an agency head does the same for
its ISO officer; nobody gives a role wider than their own; every change is in the audit log."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils.translation import gettext

from accounts.staff import invitation_tokens
from agencies.models import Membership, Role
from qms_portal.models import AuditEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def test_invite_set_password_once_and_see_only_the_agency(client, padmins, django_capture_on_commit_callbacks):
    stp = padmins.agencies["ag_stp"]
    client.force_login(padmins.users["ag_padmin"])
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves once the invitation is committed
        response = client.post("/staff/invite/", {"email": "Lan.Nguyen@STP.angiang.gov.vn",
                                                  "full_name": "Nguyễn Thị Lan", "role": "iso_officer",
                                                  "agency": stp.pk})
    assert response.status_code == 302
    user = User.objects.get(email="lan.nguyen@stp.angiang.gov.vn")
    assert (user.last_name, user.first_name, user.has_usable_password()) == ("Nguyễn Thị", "Lan", False)
    assert (user.membership.role, user.membership.agency) == (Role.ISO_OFFICER, stp)
    assert user.membership.history.get().history_user == padmins.users["ag_padmin"]
    events = AuditEvent.objects.filter(user=padmins.users["ag_padmin"])
    assert events.filter(action="invited", object_id=str(user.pk)).exists()
    assert events.filter(action="created", object_type="agencies.membership").exists()
    [message] = mail.outbox
    assert message.to == ["lan.nguyen@stp.angiang.gov.vn"] and "Cán bộ đầu mối ISO" in message.body
    link = _link(message)

    client.logout()
    assert "lan.nguyen@stp.angiang.gov.vn" in client.get(link).content.decode()
    weak = client.post(link, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and not User.objects.get(pk=user.pk).has_usable_password()
    response = client.post(link, {"new_password1": "mat-khau-rat-dai-2026", "new_password2": "mat-khau-rat-dai-2026"})
    assert response.status_code == 302
    assert client.get(link).status_code == 400  # once only
    assert client.post("/accounts/login/", {"username": user.username, "password": "mat-khau-rat-dai-2026"}
                       ).status_code == 302
    page = client.get("/agencies/").content.decode()
    assert "Sở Tư pháp" in page and "Sở Nội vụ" not in page


def test_the_link_expires(client, padmins, settings, monkeypatch, django_capture_on_commit_callbacks):
    client.force_login(padmins.users["ag_padmin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/staff/invite/", {"email": "new@example.invalid", "full_name": "Lê Văn Tám", "role": "inspector"})
    link = _link(mail.outbox[0])
    client.logout()
    assert client.get(link).status_code == 200
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    assert client.get(link).status_code == 400
    assert "đã hết hạn" in client.get(link).content.decode()


def test_an_agency_head_manages_its_iso_officer_only(api, padmins):
    head, stp, snv = padmins.users["ag_head"], padmins.agencies["ag_stp"], padmins.agencies["ag_snv"]
    client = api.as_user(head)
    ok = client.post("/api/v1/staff/", {"email": "officer2@example.invalid", "full_name": "Trần B",
                                        "role": "iso_officer", "agency": stp.pk}, format="json")
    assert ok.status_code == 201, ok.json()
    assert ok.json()["agency"]["id"] == stp.pk
    wider = client.post("/api/v1/staff/", {"email": "head2@example.invalid", "full_name": "Trần C",
                                           "role": "agency_head", "agency": stp.pk}, format="json")
    assert wider.status_code == 403 and "rộng hơn" in wider.json()["detail"]
    other = client.post("/api/v1/staff/", {"email": "x@example.invalid", "full_name": "Trần D",
                                           "role": "iso_officer", "agency": snv.pk}, format="json")
    assert other.status_code == 400 and "agency" in other.json()
    assert not User.objects.filter(email__in=["head2@example.invalid", "x@example.invalid"]).exists()
    listed = {row["username"] for row in client.get("/api/v1/staff/").json()["results"]}
    assert listed == {"ag_officer", "ag_head", "officer2@example.invalid"}
    # the head cannot change itself, nor make its officer an inspector
    assert client.patch(f"/api/v1/staff/{head.pk}/", {"role": "iso_officer", "agency": stp.pk},
                        format="json").status_code == 403
    officer = padmins.users["ag_officer"]
    assert client.patch(f"/api/v1/staff/{officer.pk}/", {"role": "inspector"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/staff/{officer.pk}/").status_code == 204
    assert not Membership.objects.filter(user=officer).exists()
    assert AuditEvent.objects.filter(user=head, action="deleted", object_type="agencies.membership").exists()


def test_nobody_gives_a_role_wider_than_their_own(api, padmins):
    client = api.as_user(padmins.users["ag_padmin"])
    for role in ("ministry", "administrator"):
        response = client.post("/api/v1/staff/", {"email": f"{role}@example.invalid", "full_name": "A B",
                                                  "role": role}, format="json")
        assert response.status_code == 403
    # another province's people and the nation's are out of reach
    for user in ("cb_inspector", "ministry", "admin"):
        pk = padmins.users[user].pk
        assert client.patch(f"/api/v1/staff/{pk}/", {"role": "inspector"}, format="json").status_code == 404
    # an e-mail of someone out of reach is not taken over
    response = client.post("/api/v1/staff/", {"email": padmins.users["cb_leader"].email, "full_name": "X Y",
                                              "role": "inspector"}, format="json")
    assert response.status_code == 400 and "email" in response.json()
    assert padmins.users["cb_leader"].membership.role == Role.DEPARTMENT_LEADER
    # nor a superuser's, even one without a membership (its role is then administrator)
    root = User.objects.create_superuser("root", "root@example.invalid", "x-long-password-1")
    response = client.post("/api/v1/staff/", {"email": "root@example.invalid", "full_name": "R", "role": "inspector"},
                           format="json")
    assert response.status_code == 400 and not Membership.objects.filter(user=root).exists()
    assert response.json() == {"email": [gettext("This person already has a role you cannot change.")]}


def test_change_and_remove_on_the_page(client, padmins):
    padmin, inspector = padmins.users["ag_padmin"], padmins.users["ag_inspector"]
    client.force_login(padmin)
    page = client.get("/staff/").content.decode()
    assert "ag_inspector" in page and "cb_inspector" not in page
    response = client.post(f"/staff/{inspector.pk}/save/", {"role": "department_leader"})
    assert response.status_code == 302
    inspector.membership.refresh_from_db()
    assert (inspector.membership.role, inspector.membership.province) == (Role.DEPARTMENT_LEADER,
                                                                          padmins.provinces["ag"])
    assert AuditEvent.objects.filter(user=padmin, action="changed", object_type="agencies.membership",
                                     summary__contains="Thay đổi vai trò").exists()
    page = client.post(f"/staff/{inspector.pk}/save/", {"role": "iso_officer"}).content.decode()
    assert "Vai trò này gắn với một cơ quan" in page
    assert client.post(f"/staff/{inspector.pk}/remove/", {}).status_code == 302
    assert not Membership.objects.filter(user=inspector).exists()
    assert client.get(f"/staff/{padmins.users['cb_inspector'].pk}/").status_code == 404
    assert client.get(f"/staff/{padmin.pk}/").status_code == 403  # not one's own role


USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "ag_padmin", "cb_padmin", "ministry",
         "admin", "nobody"]
# on the ISO officer of ag_stp: GET list page / GET edit page / API list / API detail / API PATCH / API DELETE
MATRIX = {
    "ag_officer": (403, 403, 403, 403, 403, 403), "ag_head": (200, 200, 200, 200, 200, 204),
    "ag_inspector": (403, 403, 403, 403, 403, 403), "ag_leader": (403, 403, 403, 403, 403, 403),
    "ag_ubnd": (403, 403, 403, 403, 403, 403), "ag_padmin": (200, 200, 200, 200, 200, 204),
    "cb_padmin": (200, 404, 200, 404, 404, 404), "ministry": (403, 403, 403, 403, 403, 403),
    "admin": (200, 200, 200, 200, 200, 204), "nobody": (403, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize(("user", "expected"), MATRIX.items())
def test_permission_matrix(client, api, padmins, user, expected):
    actor, officer = padmins.users[user], padmins.users["ag_officer"]
    client.force_login(actor)
    api.as_user(actor)
    got = (client.get("/staff/").status_code, client.get(f"/staff/{officer.pk}/").status_code,
           api.get("/api/v1/staff/").status_code, api.get(f"/api/v1/staff/{officer.pk}/").status_code,
           api.patch(f"/api/v1/staff/{officer.pk}/", {"role": "iso_officer", "agency": padmins.agencies["ag_stp"].pk},
                     format="json").status_code,
           api.delete(f"/api/v1/staff/{officer.pk}/").status_code)
    assert got == expected
    assert Membership.objects.filter(user=officer).exists() == (expected[5] != 204)
    assert ('href="/staff/"' in client.get("/").content.decode()) == (expected[0] == 200)


def test_invite_endpoint_matrix(api, padmins):
    for user, expected in {"ag_officer": 403, "ag_inspector": 403, "ag_leader": 403, "ministry": 403,
                           "ag_padmin": 201, "admin": 201}.items():
        response = api.as_user(padmins.users[user]).post("/api/v1/staff/", {
            "email": f"{user}-new@example.invalid", "full_name": "Người Mới", "role": "inspector",
            "province": 91}, format="json")
        assert response.status_code == expected, (user, response.json())


def test_staff_endpoints_are_in_the_openapi_schema(api, cast):
    schema = api.as_user(cast.users["admin"]).get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/staff/", "/api/v1/staff/{user_id}/"} <= set(schema["paths"])
    assert "email" in schema["components"]["schemas"]["InviteRequest"]["properties"]


def test_an_invitation_does_not_enable_an_account_the_administrators_disabled(client, padmins,
                                                                             django_capture_on_commit_callbacks):
    """Only an administrator disables an account (in the admin); a province's administrator inviting its e-mail
    again re-enabled it, with a role and a link to set a new password."""
    stp = padmins.agencies["ag_stp"]
    disabled = User.objects.create_user(username="lan", email="lan@stp.angiang.gov.vn", password="old-password-1",
                                        is_active=False)
    client.force_login(padmins.users["ag_padmin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/invite/", {"email": "LAN@stp.angiang.gov.vn", "full_name": "Nguyễn Thị Lan",
                                                  "role": "iso_officer", "agency": stp.pk})
    assert response.status_code == 200  # the form again, with the reason (as for every refused invitation)
    assert response.context["form"].errors == {"email": [
        "Tài khoản này đã bị quản trị viên cổng thông tin khóa; đề nghị quản trị viên mở khóa trước."]}
    disabled.refresh_from_db()
    assert not disabled.is_active and not Membership.objects.filter(user=disabled).exists()
    assert mail.outbox == [] and disabled.check_password("old-password-1")
