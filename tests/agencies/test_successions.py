"""Successions (DOMAIN.md §3): what a merger may join, whoever records it (HTML form, API, service), and when it
takes effect (on its effective date: at once when that day has come, otherwise by the daily beat task)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from agencies import selectors
from agencies.models import Agency, AgencySuccession, SuccessionKind
from agencies.services import agency_deactivate, agency_succession_create, successions_take_effect
from agencies.tasks import successions_take_effect as successions_take_effect_task
from qms.models import QmsRecord, Stage

pytestmark = pytest.mark.django_db


def _merge_api(api, user, predecessor, successor, effective_date="2026-01-01"):
    return api.as_user(user).post(f"/api/v1/agencies/{predecessor.pk}/successions/",
                                  {"successor": successor.pk, "kind": "merger", "effective_date": effective_date},
                                  format="json")


def _merge(cast, predecessor, successor, effective_date, **kwargs):
    return agency_succession_create(actor=cast.users["admin"], predecessor=predecessor, successor=successor,
                                    kind=SuccessionKind.MERGER, effective_date=effective_date, **kwargs)


def _active(agency) -> bool:
    return Agency.objects.get(pk=agency.pk).is_active


# --- what a succession may join -------------------------------------------------------------------------------


def test_the_api_refuses_to_merge_into_a_closed_agency(cast, api):
    snv, skhcn = cast.agencies["ag_snv"], cast.agencies["ag_skhcn"]
    agency_deactivate(actor=cast.users["admin"], agency=skhcn)
    response = _merge_api(api, cast.users["admin"], snv, skhcn)
    assert response.status_code == 400
    assert response.json() == {"successor": [
        "Sở Khoa học và Công nghệ đã đóng hoặc đã sáp nhập vào cơ quan khác: hãy chọn cơ quan kế thừa cơ quan đó."]}
    assert _active(snv) and not AgencySuccession.objects.exists()


def test_the_api_refuses_a_successor_of_another_province(cast, api):
    """A national administrator sees both provinces; the merge form offers only the agency's own province."""
    snv = cast.agencies["ag_snv"]
    response = _merge_api(api, cast.users["admin"], snv, cast.agencies["cb_stp"])
    assert response.status_code == 400
    assert response.json() == {"successor": ["Cơ quan kế thừa thuộc tỉnh khác."]}
    assert _active(snv) and not AgencySuccession.objects.exists()


def test_the_api_refuses_to_merge_a_merged_agency_again(cast, api):
    snv = cast.agencies["ag_snv"]
    assert _merge_api(api, cast.users["admin"], snv, cast.agencies["ag_stp"]).status_code == 201
    response = _merge_api(api, cast.users["admin"], snv, cast.agencies["ag_skhcn"])
    assert response.status_code == 400
    assert "Sở Nội vụ đã đóng hoặc đã sáp nhập vào cơ quan khác" in str(response.json())
    assert list(AgencySuccession.objects.values_list("successor_id", flat=True)) == [cast.agencies["ag_stp"].pk]


def test_an_agency_being_merged_is_neither_merged_again_nor_a_successor(cast):
    """A merger recorded ahead leaves the agency open until its date, but it is already promised to its
    successor: it cannot be merged elsewhere, nor receive another agency (that would follow it into the merger)."""
    snv, stp, skhcn = cast.agencies["ag_snv"], cast.agencies["ag_stp"], cast.agencies["ag_skhcn"]
    today = timezone.localdate()
    _merge(cast, snv, stp, today + timedelta(days=30))
    assert _active(snv)
    with pytest.raises(ValidationError, match="không thể ghi nhận thêm cơ quan kế thừa"):
        _merge(cast, snv, skhcn, today + timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        _merge(cast, skhcn, snv, today)
    assert "hãy chọn cơ quan kế thừa cơ quan đó" in str(refused.value.message_dict["successor"])
    assert _active(skhcn) and AgencySuccession.objects.count() == 1
    # the merge form offers what the service accepts: the province's continuing agencies, itself excepted
    choices = selectors.successor_choices(user=cast.users["admin"], agency=skhcn)
    assert set(choices) == {cast.agencies["ag_ubnd"], stp}


def test_the_merge_form_offers_no_agency_being_merged(client, cast):
    snv, stp, skhcn = cast.agencies["ag_snv"], cast.agencies["ag_stp"], cast.agencies["ag_skhcn"]
    _merge(cast, snv, stp, timezone.localdate() + timedelta(days=30))
    client.force_login(cast.users["admin"])
    page = client.get(f"/agencies/{skhcn.pk}/deactivate/").content.decode()
    assert f'value="{stp.pk}"' in page and f'value="{snv.pk}"' not in page
    response = client.post(f"/agencies/{skhcn.pk}/merge/", {"successor": snv.pk, "effective_date": "2026-07-01"})
    assert response.status_code == 200 and "lựa chọn hợp lệ" in response.content.decode()
    assert _active(skhcn)


# --- when it takes effect -------------------------------------------------------------------------------------


def _announced(agency) -> QmsRecord:
    return QmsRecord.objects.create(agency=agency, stage=Stage.ANNOUNCED)


def test_a_merger_recorded_ahead_closes_nothing_until_its_date(cast):
    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    theirs, ours = QmsRecord.objects.create(agency=snv, stage=Stage.MAINTAINING), _announced(stp)
    today = timezone.localdate()
    succession = _merge(cast, snv, stp, date(today.year + 1, 1, 1))
    assert succession.took_effect_at is None
    assert _active(snv)
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert (theirs.stage, ours.stage) == (Stage.MAINTAINING, Stage.ANNOUNCED)
    assert successions_take_effect(today=date(today.year, 12, 31)) == {"successions": 0}
    assert _active(snv)

    # on the day: the predecessor closes, its system with it, the successor's must be announced again
    assert successions_take_effect(today=date(today.year + 1, 1, 1)) == {"successions": 1}
    assert not _active(snv)
    assert Agency.objects.get(pk=snv.pk).history.first().history_change_reason == "Đã sáp nhập vào Sở Tư pháp"
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert (theirs.stage, ours.stage) == (Stage.INACTIVE, Stage.REANNOUNCEMENT_DUE)
    # a retried or repeated run does nothing more
    versions = (theirs.version, ours.version)
    assert successions_take_effect(today=date(today.year + 1, 1, 2)) == {"successions": 0}
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert (theirs.version, ours.version) == versions


def test_a_split_recorded_ahead_makes_the_successor_reannounce_on_its_date(cast):
    stp = cast.agencies["ag_stp"]
    ours = _announced(stp)
    today = timezone.localdate()
    agency_succession_create(actor=cast.users["admin"], predecessor=cast.agencies["ag_snv"], successor=stp,
                             kind=SuccessionKind.SPLIT, effective_date=today + timedelta(days=10))
    ours.refresh_from_db()
    assert ours.stage == Stage.ANNOUNCED
    successions_take_effect(today=today + timedelta(days=10))
    ours.refresh_from_db()
    assert ours.stage == Stage.REANNOUNCEMENT_DUE
    assert _active(cast.agencies["ag_snv"])  # a split closes nothing


def test_a_merger_dated_today_or_before_takes_effect_at_once(cast):
    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    succession = _merge(cast, snv, stp, timezone.localdate())
    assert succession.took_effect_at is not None and not _active(snv)
    assert successions_take_effect() == {"successions": 0}


def test_the_beat_task_runs_every_day_and_applies_what_has_come(cast):
    from importlib import import_module

    from django.apps import apps

    # The row is made by the migration; a transactional test elsewhere may have flushed it: make it again (once).
    import_module("agencies.migrations.0016_succession_took_effect").schedule_create(apps, None)
    task = PeriodicTask.objects.get(task="agencies.successions_take_effect")
    assert (task.crontab.hour, task.crontab.day_of_month, task.crontab.month_of_year) == ("0", "*", "*")
    assert str(task.crontab.timezone) == "Asia/Ho_Chi_Minh"

    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    today = timezone.localdate()
    # recorded yesterday for today (`today` says when it was recorded)
    _merge(cast, snv, stp, today, today=today - timedelta(days=1))
    assert _active(snv)
    assert successions_take_effect_task.apply().get() == {"successions": 1}
    assert not _active(snv)
    assert successions_take_effect_task.apply().get() == {"successions": 0}


# --- "active on a date" ---------------------------------------------------------------------------------------


def test_active_on_a_day_is_decided_by_the_merger_or_closing_date(cast):
    snv, stp, skhcn, ubnd = (cast.agencies[k] for k in ("ag_snv", "ag_stp", "ag_skhcn", "ag_ubnd"))
    today = timezone.localdate()
    merged_on = today - timedelta(days=60)
    _merge(cast, snv, stp, merged_on)  # recorded today, effective two months ago
    agency_deactivate(actor=cast.users["admin"], agency=skhcn)  # closed today
    born_closed = Agency.objects.create(province=snv.province, name="Ban đã giải thể", short_code="BGT",
                                        kind=snv.kind, is_active=False)

    def active(day):
        return set(Agency.objects.filter(selectors.active_on(day), province=snv.province))

    assert active(merged_on - timedelta(days=1)) == {snv, stp, skhcn, ubnd}  # the merger had not taken effect
    assert active(merged_on) == {stp, skhcn, ubnd}
    assert active(today) == {stp, ubnd}  # closed today: no longer active on the day it closed
    assert born_closed not in active(date(2020, 1, 1))  # never open: no history of being active


def test_the_migration_dates_the_agencies_closed_before_it(cast):
    """`closed_on` from what was known: a merger's effective date, else the day the history found the agency closed
    after it had been open; none for an agency never open. `active_on` then reads the column alone."""
    import importlib

    from django.db import connection

    closed_days = importlib.import_module("agencies.migrations.0017_agency_closed_on").closed_days
    snv, skhcn = cast.agencies["ag_snv"], cast.agencies["ag_skhcn"]
    merged_on = timezone.localdate() - timedelta(days=60)
    _merge(cast, snv, cast.agencies["ag_stp"], merged_on)
    agency_deactivate(actor=cast.users["admin"], agency=skhcn)
    born_closed = Agency.objects.create(province=snv.province, name="Ban đã giải thể", short_code="BGT",
                                        kind=snv.kind, is_active=False)
    Agency.objects.update(closed_on=None)  # as before the column
    with connection.schema_editor() as editor:
        closed_days(None, editor)
    assert dict(Agency.objects.filter(is_active=False).values_list("pk", "closed_on")) == {
        snv.pk: merged_on, skhcn.pk: timezone.localdate(), born_closed.pk: None}
