"""django-simple-history's page of a past version saves a posted form (a revert) for anyone who may view the
history, whatever the change permission. Every history admin of the portal is qms_portal.admin.HistoryAdmin, which
refuses the revert to whoever may not change the object: the read-only admins (workflow records, successions,
agency reports) refuse it always."""

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import AgencySuccession, SuccessionKind
from qms_portal.admin import HistoryAdmin, ReadOnlyAdminMixin

pytestmark = pytest.mark.django_db


def test_every_history_admin_guards_its_revert():
    history_admins = [type(a) for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert len(history_admins) >= 10
    assert [a.__name__ for a in history_admins if not issubclass(a, HistoryAdmin)] == []


@pytest.mark.parametrize("model_admin", [a for a in admin.site._registry.values()
                                         if isinstance(a, HistoryAdmin) and isinstance(a, ReadOnlyAdminMixin)],
                         ids=lambda a: type(a).__name__)
def test_a_read_only_record_is_not_reverted_from_its_history(admin_client, model_admin):
    opts = model_admin.model._meta
    response = admin_client.post(f"/admin/{opts.app_label}/{opts.model_name}/1/history/1/", {})
    assert response.status_code == 403


def test_a_succession_is_not_rewritten_from_its_history(admin_client, cast):
    """The hole itself, on a record with a history: the past version's form posted back with another date."""
    predecessor, successor = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    succession = AgencySuccession.objects.create(predecessor=predecessor, successor=successor,
                                                 kind=SuccessionKind.MERGER, effective_date="2030-01-01")
    version = succession.history.get()
    response = admin_client.post(
        f"/admin/agencies/agencysuccession/{succession.pk}/history/{version.history_id}/",
        {"predecessor": predecessor.pk, "successor": successor.pk, "kind": SuccessionKind.MERGER,
         "effective_date": "2020-01-01"})
    assert response.status_code == 403
    succession.refresh_from_db()
    assert str(succession.effective_date) == "2030-01-01"
