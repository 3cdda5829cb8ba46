"""The scope and capability functions called directly (agencies.access): whose scope a user has (membership,
superuser without one, anonymous, cached for the request), the one scope filter over each kind of path (a
lookup, a function, none), and `require`'s two refusals with their messages. The permission matrices test the
same through every endpoint. Written from the survivors of `make mutate MODULES=access` (docs/mutation.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext

from agencies.access import (
    NO_SCOPE,
    Scope,
    can,
    in_scope,
    province_roles_that_may,
    province_roles_with,
    require,
    require_unit,
    scope_of,
)
from agencies.models import Agency, ObligationYear, Province, Role
from qms_portal.scoping import ScopePaths
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_scope_of_each_kind_of_user(cast):
    stp = cast.agencies["ag_stp"]
    assert scope_of(cast.users["ag_officer"]) == Scope(Role.ISO_OFFICER, stp.pk, cast.provinces["ag"].pk)
    assert scope_of(cast.users["ag_inspector"]) == Scope(Role.INSPECTOR, None, cast.provinces["ag"].pk)
    assert scope_of(cast.users["ministry"]) == Scope(Role.MINISTRY, None, None)
    assert scope_of(AnonymousUser()) is NO_SCOPE
    assert scope_of(cast.users["nobody"]) is NO_SCOPE
    root = UserFactory(username="root-without-role", is_superuser=True)
    assert scope_of(root) == Scope(Role.ADMINISTRATOR)


def test_a_disabled_account_has_no_scope_whatever_its_membership(cast):
    """Sign-in and tokens refuse a disabled account; so does every reader of its scope (the worker running an import
    it asked for before it was disabled)."""
    inspector = cast.users["ag_inspector"]
    inspector.is_active = False
    assert scope_of(inspector) is NO_SCOPE
    assert not can(inspector, "finding.record")


def test_a_reader_without_an_account_keeps_the_scope_it_is_given():
    """The dashboards' warming task reads a whole scope with no account behind it (no `is_active`)."""
    from agencies.dashboard_figures import national_reader, province_reader

    assert scope_of(national_reader()) == Scope(Role.MINISTRY)
    assert scope_of(province_reader(7)) == Scope(Role.DEPARTMENT_LEADER, province_id=7)


def test_the_province_roles_that_may_take_an_action_in_the_roles_order():
    """Who is reminded to confirm a year's obligations, and the line that names them on the pages."""
    assert province_roles_with("obligation.confirm") == [Role.DEPARTMENT_LEADER, Role.PROVINCE_ADMINISTRATOR]
    assert province_roles_with("agency_report.review") == [Role.INSPECTOR, Role.DEPARTMENT_LEADER]
    assert province_roles_that_may("obligation.confirm") == ["Lãnh đạo Sở KH&CN", "Quản trị viên cấp tỉnh"]


def test_the_scope_is_read_once_a_request(cast, django_assert_num_queries):
    user = cast.users["ag_officer"]
    with django_assert_num_queries(1):
        first = scope_of(user)
        assert scope_of(user) is first
    nobody = cast.users["nobody"]
    scope_of(nobody)
    with django_assert_num_queries(0):
        assert scope_of(nobody) is NO_SCOPE


@pytest.mark.parametrize(("scope", "flags"), [
    (Scope(Role.ADMINISTRATOR), (True, False, False)),
    (Scope(Role.MINISTRY), (True, False, False)),
    (Scope(Role.INSPECTOR, province_id=1), (False, True, False)),
    (Scope(Role.AGENCY_HEAD, agency_id=1, province_id=1), (False, False, True)),
    (NO_SCOPE, (False, False, False)),
])
def test_a_scope_is_one_of_three_levels(scope, flags):
    assert (scope.is_national, scope.is_provincial, scope.is_agency) == flags


def test_the_one_scope_filter_over_each_kind_of_path(cast):
    ag, cb = cast.provinces["ag"], cast.provinces["cb"]
    stp = cast.agencies["ag_stp"]
    agencies = Agency.objects.all()
    assert set(in_scope(agencies, user=cast.users["ag_officer"])) == {stp}  # lookup "pk"
    assert set(in_scope(agencies, user=cast.users["ag_inspector"])) == set(Agency.objects.filter(province=ag))
    assert in_scope(agencies, user=cast.users["ministry"]).count() == Agency.objects.count()
    assert not in_scope(agencies, user=cast.users["nobody"]).exists()
    # a function of the agency's id (provinces: the agency's own)
    assert list(in_scope(Province.objects.all(), user=cast.users["ag_officer"])) == [ag]
    assert list(in_scope(Province.objects.all(), user=cast.users["cb_inspector"])) == [cb]
    # a function of the province's id, and an explicit path given by the caller
    others = ScopePaths(province=lambda province_id: ~Q(pk=province_id), agency=None)
    assert list(in_scope(Province.objects.all(), user=cast.users["ag_inspector"], paths=others)) == [cb]
    # no path for agency roles: they see none of the province's obligation years, which the province sees
    assert ObligationYear.scope_paths.agency is None
    assert not in_scope(ObligationYear.objects.all(), user=cast.users["ag_head"]).exists()
    assert [y.province for y in in_scope(ObligationYear.objects.all(), user=cast.users["ag_inspector"])] == [ag]


def test_require_refuses_the_role_then_the_unit(cast):
    officer, inspector = cast.users["ag_officer"], cast.users["ag_inspector"]
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    assert can(officer, "qms.edit") and not can(officer, "qms.approve") and not can(cast.users["nobody"], "qms.edit")
    with pytest.raises(PermissionDenied) as denied:
        require(officer, "qms.approve", agency_id=stp.pk)
    assert str(denied.value) == gettext("Your role does not allow this action.")
    require(officer, "qms.edit", agency_id=stp.pk)
    with pytest.raises(PermissionDenied) as other:
        require(officer, "qms.edit", agency_id=snv.pk)
    assert str(other.value) == gettext("You can only act for your own agency.")
    require_unit(inspector, agency_id=snv.pk)  # a province role is bounded by its province, not an agency
    require_unit(inspector, province_id=cast.provinces["ag"].pk)
    with pytest.raises(PermissionDenied) as elsewhere:
        require_unit(inspector, province_id=cast.provinces["cb"].pk)
    assert str(elsewhere.value) == gettext("You can only act inside your own province.")
    with pytest.raises(PermissionDenied):
        require_unit(officer, province_id=cast.provinces["cb"].pk)
    require_unit(cast.users["ministry"], agency_id=snv.pk, province_id=cast.provinces["cb"].pk)
    assert gettext("You can only act for your own agency.") != "You can only act for your own agency."


def test_no_user_has_no_scope_and_require_bounds_the_province(cast):
    assert scope_of(None) is NO_SCOPE  # a background task acting for nobody
    inspector = cast.users["ag_inspector"]
    require(inspector, "plan.edit", province_id=cast.provinces["ag"].pk)
    with pytest.raises(PermissionDenied) as elsewhere:
        require(inspector, "plan.edit", province_id=cast.provinces["cb"].pk)
    assert str(elsewhere.value) == gettext("You can only act inside your own province.")
