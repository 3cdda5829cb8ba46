"""A merged agency's findings (DOMAIN.md §3: the successor takes over what its predecessor owed; a merged agency's
history stays readable). When Sở Nội vụ (SNV) is merged into Sở Tư pháp (STP), SNV's open finding stays on the
findings board: before, nobody could answer it (SNV closed, STP's staff did not see it). Now STP's staff see and
answer it, shown as coming from SNV; the board, the reminders and the overdue digest count it under STP; the record
and the finding keep SNV as the inspected agency. A dissolved agency without a successor leaves its findings to the
Sở, which closes them with a reason.

`Finding.responsible_agency` is the one definition: the agency's scope, its right to answer, the reminders and the
board read it."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from agencies.models import AgencyKind, Role, SuccessionKind
from agencies.services import agency_deactivate, agency_succession_create
from audits import services
from audits.models import Finding, FindingEventKind, FindingStatus
from audits.selectors import findings_board
from tests.audits.conftest import DEFAULT_DUE, build_world, pdf_upload
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MERGED_ON = date(2026, 4, 1)


@pytest.fixture
def merged(cast):
    """The inspection world; SNV merged into STP on 01/04/2026 (taken effect at once: that day has come), and an
    ISO officer of a third agency of An Giang (SKHCN)."""
    world = build_world(cast)
    agency_succession_create(actor=cast.users["admin"], predecessor=cast.agencies["ag_snv"],
                             successor=cast.agencies["ag_stp"], kind=SuccessionKind.MERGER, effective_date=MERGED_ON)
    third = UserFactory(username="ag_skhcn_officer")
    MembershipFactory(user=third, role=Role.ISO_OFFICER, agency=cast.agencies["ag_skhcn"],
                      province=cast.provinces["ag"])
    world.users["ag_skhcn_officer"] = third
    world.findings["ag_snv"].refresh_from_db()
    return world


def _user(world, name):
    return world.users.get(name) or world.cast.users[name]


def _respond(api, user, finding):
    return api.as_user(user).post(f"/api/v1/findings/{finding.pk}/respond/",
                                  {"action_taken": "Đã tổ chức xem xét của lãnh đạo.", "files": [pdf_upload()]},
                                  format="multipart")


# role x (the merged agency's finding) x action: the successor's staff read and answer it; another agency of the
# province, the merged agency's former staff (their agency closed; its findings are the successor's) and another
# province do not see it (404); the Sở and the ministry read it but do not answer (403).
MATRIX = {  # user: (GET the finding, POST a response)
    "ag_officer": (200, 200), "ag_head": (200, 200),
    "ag_skhcn_officer": (404, 404), "ag_snv_officer": (404, 404), "cb_officer": (404, 404),
    "ag_inspector": (200, 403), "ag_leader": (200, 403), "ag_ubnd": (200, 403), "ministry": (200, 403),
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_successor_answers_a_merged_agencys_finding(api, merged, name):
    finding = merged.findings["ag_snv"]
    user = _user(merged, name)
    read = api.as_user(user).get(f"/api/v1/findings/{finding.pk}/")
    answer = _respond(api, user, finding)
    assert (read.status_code, answer.status_code) == MATRIX[name], answer.content[:300]
    finding.refresh_from_db()
    assert finding.status == (FindingStatus.RESPONDED if MATRIX[name][1] == 200 else FindingStatus.OPEN)
    if read.status_code == 200:
        body = read.json()
        assert body["agency"]["id"] == merged.cast.agencies["ag_snv"].pk  # inspected: as the record was signed
        assert body["responsible_agency"]["id"] == merged.cast.agencies["ag_stp"].pk


def test_the_finding_passes_on_the_mergers_day_with_its_history(cast, merged, client):
    finding = merged.findings["ag_snv"]
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    assert (finding.agency_id, finding.responsible_agency_id) == (snv.pk, stp.pk)
    event = finding.events.get(kind=FindingEventKind.HANDED_OVER)
    assert (event.data["from_name"], event.data["to_name"]) == ("Sở Nội vụ", "Sở Tư pháp")
    # STP's own page: both findings to act on, SNV's said to come from it
    client.force_login(cast.users["ag_officer"])
    page = client.get("/findings/mine/").content.decode()
    assert f"/findings/{finding.pk}/" in page and f"/findings/{merged.findings['ag_stp'].pk}/" in page
    assert "Từ Sở Nội vụ (đã sáp nhập)" in page
    detail = client.get(f"/findings/{finding.pk}/").content.decode()
    assert 'data-testid="answered-by"' in detail and f'action="/findings/{finding.pk}/respond/"' in detail
    # SNV's inspection and its record, which state what STP now answers for, are STP's to read (not to act on)
    assert f'href="/inspections/{finding.inspection_id}/"' in detail
    inspection = client.get(f"/inspections/{finding.inspection_id}/")
    assert inspection.status_code == 200 and "Sở Nội vụ" in inspection.content.decode()
    assert 'action="/inspections/' not in inspection.content.decode()
    assert client.get(f"/inspections/{finding.inspection_id}/record.pdf").status_code in (200, 202)
    # another agency of the province does not see it
    client.force_login(_user(merged, "ag_skhcn_officer"))
    assert client.get(f"/inspections/{finding.inspection_id}/").status_code == 404


def test_the_board_and_the_reminders_count_it_under_the_successor(cast, merged, client):
    stp = cast.agencies["ag_stp"]
    rows = findings_board(user=cast.users["ag_inspector"], today=DEFAULT_DUE)[0:25]
    assert [(r["agency_id"], r["open"], r["overdue"]) for r in rows] == [(stp.pk, 2, 0)]
    client.force_login(cast.users["ag_inspector"])
    page = client.get(f"/findings/?agency={stp.pk}").content.decode()
    assert f"/findings/{merged.findings['ag_snv'].pk}/" in page and "Từ Sở Nội vụ (đã sáp nhập)" in page

    mail.outbox.clear()
    services.due_reminders_send(today=date(2026, 5, 5), days_before=10)
    an_giang = [m for m in mail.outbox if m.to[0].startswith("ag_")]
    assert sorted(m.to[0] for m in an_giang) == [  # STP's people, SNV's finding in each; SNV's former staff none
        "ag_head@example.invalid", "ag_officer@example.invalid", "ag_stp_officer@example.invalid"]
    assert all("Từ Sở Nội vụ (đã sáp nhập)" in message.body for message in an_giang)
    mail.outbox.clear()
    services.overdue_digest_send(today=date(2026, 5, 12))
    heads = [m for m in mail.outbox if m.to == ["ag_head@example.invalid"]]
    assert len(heads) == 1 and "Từ Sở Nội vụ (đã sáp nhập)" in heads[0].body


def test_a_merger_recorded_ahead_hands_over_on_its_day(cast):
    """Until the merger takes effect the predecessor answers; a finding recorded on the merged agency's inspection
    afterwards is the successor's from the start."""
    from agencies.services import successions_take_effect

    world = build_world(cast)
    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    agency_succession_create(actor=cast.users["admin"], predecessor=snv, successor=stp, kind=SuccessionKind.MERGER,
                             effective_date=date(2027, 1, 1), today=date(2026, 6, 1))
    assert Finding.objects.get(pk=world.findings["ag_snv"].pk).responsible_agency_id == snv.pk
    successions_take_effect(today=date(2027, 1, 1))
    assert Finding.objects.get(pk=world.findings["ag_snv"].pk).responsible_agency_id == stp.pk


def test_a_dissolved_agencys_finding_is_closed_by_the_so_with_a_reason(cast, api, client):
    world = build_world(cast)
    finding = world.findings["ag_snv"]
    agency_deactivate(actor=cast.users["admin"], agency=cast.agencies["ag_snv"], reason="Giải thể")
    # its former staff can no longer answer it
    assert _respond(api, world.users["ag_snv_officer"], finding).status_code == 400
    # the Sở's inspector is offered to close it; a reason is required; the leader may not
    client.force_login(cast.users["ag_inspector"])
    assert f'action="/findings/{finding.pk}/withdraw/"' in client.get(f"/findings/{finding.pk}/").content.decode()
    assert api.as_user(cast.users["ag_leader"]).post(f"/api/v1/findings/{finding.pk}/withdraw/", {
        "reason": "Giải thể"}, format="json").status_code == 403
    refused = client.post(f"/findings/{finding.pk}/withdraw/", {"withdraw-reason": ""})
    assert refused.status_code == 200 and Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN
    done = client.post(f"/findings/{finding.pk}/withdraw/", {
        "withdraw-reason": "Sở Nội vụ giải thể, không có cơ quan kế thừa."})
    assert done.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.WITHDRAWN and finding.closed_on is not None
    assert finding.events.get(kind=FindingEventKind.WITHDRAWN).reason.startswith("Sở Nội vụ giải thể")
    assert Finding.objects.overdue(finding.closed_on).filter(pk=finding.pk).exists() is False  # open before that
    rows = findings_board(user=cast.users["ag_inspector"], today=finding.closed_on)[0:25]
    assert cast.agencies["ag_snv"].pk not in [r["agency_id"] for r in rows]


def test_only_a_finding_nobody_can_answer_is_closed_without_corrective_action(cast):
    world = build_world(cast)
    with pytest.raises(ValidationError) as refused:
        services.finding_withdraw(actor=cast.users["ag_inspector"], finding=world.findings["ag_stp"],
                                  reason="Không còn cần thiết")
    assert "Sở Tư pháp" in str(refused.value)
    assert Finding.objects.get(pk=world.findings["ag_stp"].pk).status == FindingStatus.OPEN


def test_a_chain_of_mergers_ends_with_the_agency_that_continues(cast):
    world = build_world(cast)
    snv, stp = cast.agencies["ag_snv"], cast.agencies["ag_stp"]
    new = AgencyFactory(name="Sở Tư pháp và Nội vụ", short_code="STPNV", province=stp.province,
                        kind=AgencyKind.DEPARTMENT)
    for predecessor, successor in ((snv, stp), (stp, new)):
        agency_succession_create(actor=cast.users["admin"], predecessor=predecessor, successor=successor,
                                 kind=SuccessionKind.MERGER, effective_date=MERGED_ON)
    assert set(Finding.objects.filter(pk__in=[world.findings["ag_snv"].pk, world.findings["ag_stp"].pk])
               .values_list("responsible_agency_id", flat=True)) == {new.pk}


WITHDRAW = {  # POST /api/v1/findings/{id}/withdraw/ on the finding of a dissolved An Giang agency (SNV)
    "ag_officer": 404, "ag_snv_officer": 403, "ag_inspector": 200, "ag_leader": 403, "ag_ubnd": 403,
    "cb_inspector": 404, "ministry": 403, "admin": 403,
}


@pytest.mark.parametrize("name", sorted(WITHDRAW))
def test_withdraw_matrix(cast, api, name):
    world = build_world(cast)
    finding = world.findings["ag_snv"]
    agency_deactivate(actor=cast.users["admin"], agency=cast.agencies["ag_snv"], reason="Giải thể")
    response = api.as_user(_user(world, name)).post(f"/api/v1/findings/{finding.pk}/withdraw/",
                                                    {"reason": "Giải thể, không có cơ quan kế thừa."}, format="json")
    assert response.status_code == WITHDRAW[name], response.content[:200]
    assert (Finding.objects.get(pk=finding.pk).status == FindingStatus.WITHDRAWN) is (response.status_code == 200)


def test_the_migration_gives_existing_findings_to_the_agency_that_continues(cast):
    """Migration 0016 fills the new field for the findings already there: the inspected agency, or the end of the
    chain of mergers already in effect (SNV -> STP -> a new agency)."""
    import importlib

    from django.apps import apps
    from django.db.models import F

    fill = importlib.import_module("audits.migrations.0016_finding_responsible_agency").fill_responsible_agency
    build_world(cast)
    snv, stp, ubnd = cast.agencies["ag_snv"], cast.agencies["ag_stp"], cast.agencies["ag_ubnd"]
    new = AgencyFactory(name="Sở Tư pháp và Nội vụ", short_code="STPNV", province=stp.province)
    for predecessor, successor in ((snv, stp), (stp, new)):
        agency_succession_create(actor=cast.users["admin"], predecessor=predecessor, successor=successor,
                                 kind=SuccessionKind.MERGER, effective_date=MERGED_ON)
    agency_succession_create(actor=cast.users["admin"], predecessor=ubnd, successor=new,  # not in effect yet
                             kind=SuccessionKind.MERGER, effective_date=date(2099, 1, 1))
    Finding.objects.update(responsible_agency_id=F("agency_id"))  # as the findings were before the migration
    fill(apps, None)
    answering = dict(Finding.objects.values_list("agency_id", "responsible_agency_id"))
    assert answering[snv.pk] == new.pk and answering[stp.pk] == new.pk
    assert answering[cast.agencies["cb_stp"].pk] == cast.agencies["cb_stp"].pk
