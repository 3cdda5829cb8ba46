"""The register of legal changes: whom a change concerns, the 3-month rule measured as of a date, the agency's
answer and the Sở's decision, mergers, bad input, and a change for every commune in constant queries."""

from datetime import UTC, date, datetime
from unittest.mock import patch

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils.translation import gettext

from agencies.models import AgencyKind
from qms.legal.models import DueLegalUpdate, DueStatus, LegalChange
from qms.legal.services import (
    due_update_decide,
    due_update_declare_not_applicable,
    due_update_record,
    legal_change_compute_targets,
    legal_change_register,
)
from qms.legal.verdicts import agency_fails_rule, verdict_counts, verdict_counts_by_agency
from qms.models import Procedure, QmsDocument
from qms.services import qms_for_agency
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

DECREE = {"number": "15/2026/NĐ-CP", "title": "Nghị định sửa đổi thủ tục hộ tịch", "issuer": "Chính phủ",
          "issued_on": date(2026, 1, 10), "effective_on": date(2026, 2, 1), "procedure_fields": ["Hộ tịch"]}


@pytest.fixture
def world(cast):
    """Sở Tư pháp handles civil-status procedures; two communes' people's committees; Cao Bằng has the same."""
    province = cast.provinces["ag"]
    for key in ("ag_stp", "cb_stp"):
        Procedure.objects.create(agency=cast.agencies[key], code="1.0001", name="Đăng ký khai sinh", field="Hộ tịch")
    communes = [AgencyFactory(province=province, kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
                              name=f"Ủy ban nhân dân xã {n}", short_code=f"UBX{n}") for n in (1, 2)]
    return {"province": province, "communes": communes}


def register(cast, actor="ag_inspector", province="ag", **changes):
    data = {**DECREE, **changes}
    province_id = cast.provinces[province].pk if province else None
    change = legal_change_register(actor=cast.users[actor], data=data, province_id=province_id)
    legal_change_compute_targets(change_id=change.pk)
    return change


def test_a_change_concerns_the_agencies_handling_its_procedures_and_its_kinds(cast, world):
    change = register(cast, agency_kinds=[AgencyKind.COMMUNE_PEOPLES_COMMITTEE])
    concerned = set(change.due_updates.values_list("agency_id", flat=True))
    assert concerned == {cast.agencies["ag_stp"].pk, *(c.pk for c in world["communes"])}  # not Cao Bằng's
    stp_due = change.due_updates.get(agency=cast.agencies["ag_stp"])
    assert stp_due.due_on == date(2026, 5, 1)
    assert list(stp_due.procedures.values_list("code", flat=True)) == ["1.0001"]
    change.refresh_from_db()
    assert change.target_count == 3 and change.targets_done_at is not None
    legal_change_compute_targets(change_id=change.pk)  # the worker's retry changes nothing
    assert change.due_updates.count() == 3


def test_a_national_change_concerns_every_province_and_only_the_nation_registers_it(cast, world):
    with pytest.raises(PermissionDenied):
        register(cast, province=None)
    change = register(cast, actor="ministry", province=None)
    assert set(change.due_updates.values_list("agency__province__code", flat=True)) == {91, 4}


def _due(change, agency):
    return DueLegalUpdate.objects.get(change=change, agency=agency)


def test_the_three_month_rule_measured(cast, world):
    change = register(cast, agency_kinds=[AgencyKind.COMMUNE_PEOPLES_COMMITTEE])
    stp, (first, second) = cast.agencies["ag_stp"], world["communes"]
    officer = cast.users["ag_officer"]
    document = QmsDocument.objects.create(qms=qms_for_agency(agency=stp), kind="procedure", code="QT-HT-01",
                                          title="Quy trình đăng ký khai sinh")
    due_update_record(actor=officer, due=_due(change, stp), updated_on=date(2026, 6, 20), documents=[document],
                      today=date(2026, 6, 20))  # 4.5 months after it took effect: late
    admin = cast.users["admin"]
    due_update_record(actor=admin, due=_due(change, first), updated_on=date(2026, 3, 1), documents=[],
                      note="Cập nhật quy trình hộ tịch của xã.", today=date(2026, 3, 1))
    due_update_declare_not_applicable(actor=admin, due=_due(change, second),
                                      reason="Xã không còn giải quyết thủ tục hộ tịch từ 2025.",
                                      today=date(2026, 2, 10))
    due_update_decide(actor=cast.users["ag_inspector"], due=_due(change, second), accept=True,
                      today=date(2026, 2, 15))
    everyone = DueLegalUpdate.objects.filter(change=change)
    everyone.update(created_at=datetime(2026, 1, 20, tzinfo=UTC))  # registered soon after it was issued
    assert verdict_counts(everyone, as_of=date(2026, 12, 31)) == {
        "on_time": 1, "late": 1, "overdue": 0, "pending": 0, "awaiting": 0, "not_applicable": 1}
    # As of 30/05 the agency had done nothing and the due date (01/05) had passed: overdue, whatever came later.
    by_agency = verdict_counts_by_agency(everyone, as_of=date(2026, 5, 30))
    assert by_agency[stp.pk]["overdue"] == 1 and by_agency[first.pk]["on_time"] == 1
    assert by_agency[second.pk]["not_applicable"] == 1
    # As of 12/02 the declaration awaited the Sở, and nothing was due yet.
    assert verdict_counts(everyone, as_of=date(2026, 2, 12)) == {
        "on_time": 0, "late": 0, "overdue": 0, "pending": 2, "awaiting": 1, "not_applicable": 0}
    assert agency_fails_rule(by_agency[stp.pk]) and not agency_fails_rule(by_agency[first.pk])
    assert not agency_fails_rule(by_agency.get(cast.agencies["ag_snv"].pk))  # no change applied to it


def test_a_change_registered_after_the_as_of_date_does_not_count(cast, world):
    change = register(cast)  # registered today
    everyone = DueLegalUpdate.objects.filter(change=change)
    assert sum(verdict_counts(everyone, as_of=date(2026, 6, 30)).values()) == 0


def test_a_rejected_declaration_is_due_again_with_the_reason(cast, world):
    change = register(cast)
    due = _due(change, cast.agencies["ag_stp"])
    due_update_declare_not_applicable(actor=cast.users["ag_officer"], due=due, reason="Không áp dụng cho Sở.")
    with pytest.raises(ValidationError) as error:
        due_update_decide(actor=cast.users["ag_inspector"], due=due, accept=False)
    assert "note" in error.value.message_dict
    due_update_decide(actor=cast.users["ag_inspector"], due=due, accept=False, note="Sở vẫn giải quyết hộ tịch.")
    due.refresh_from_db()
    assert (due.status, due.decision_note) == (DueStatus.PENDING, "Sở vẫn giải quyết hộ tịch.")


def test_only_the_agency_answers_and_only_its_province_decides(cast, world):
    change = register(cast)
    due = _due(change, cast.agencies["ag_stp"])
    with pytest.raises(PermissionDenied):
        due_update_declare_not_applicable(actor=cast.users["cb_officer"], due=due, reason="Không áp dụng ở đây.")
    with pytest.raises(PermissionDenied):
        due_update_declare_not_applicable(actor=cast.users["ag_inspector"], due=due, reason="Không áp dụng ở đây.")
    due_update_declare_not_applicable(actor=cast.users["ag_head"], due=due, reason="Không áp dụng ở đây.")
    with pytest.raises(PermissionDenied):
        due_update_decide(actor=cast.users["cb_inspector"], due=due, accept=True)
    with pytest.raises(PermissionDenied):
        due_update_decide(actor=cast.users["ag_officer"], due=due, accept=True)


def test_an_update_names_its_own_documents_and_a_plausible_date(cast, world):
    change = register(cast)
    due = _due(change, cast.agencies["ag_stp"])
    other = QmsDocument.objects.create(qms=qms_for_agency(agency=cast.agencies["ag_snv"]), kind="procedure",
                                       code="QT-01", title="Khác")
    officer = cast.users["ag_officer"]
    for kwargs, field in [({"updated_on": date(2026, 1, 5), "documents": [other]}, "updated_on"),
                          ({"updated_on": date(2026, 3, 1), "documents": [other]}, "documents"),
                          ({"updated_on": date(2030, 1, 1), "documents": []}, "updated_on")]:
        with pytest.raises(ValidationError) as error:
            due_update_record(actor=officer, due=due, today=date(2026, 6, 1), **kwargs)
        assert field in error.value.message_dict
    due.refresh_from_db()
    assert due.status == DueStatus.PENDING and due.updated_on is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"effective_on": date(2026, 1, 1)}, "effective_on"),
    ({"procedure_codes": ["9.9999"], "procedure_fields": []}, "procedure_codes"),
    ({"procedure_fields": ["Không có lĩnh vực này"]}, "procedure_fields"),
    ({"agency_kinds": ["zzz"]}, "agency_kinds"),
    ({"procedure_fields": []}, "agencies"),
    ({"effective_on": date(9999, 1, 1)}, "effective_on"),
])
def test_bad_entries_are_refused_and_nothing_is_saved(cast, world, changes, field):
    with pytest.raises(ValidationError) as error:
        register(cast, **changes)
    assert field in error.value.message_dict
    assert not LegalChange.objects.exists()


def test_a_number_registered_twice_at_the_same_moment_is_refused_as_a_number_already_registered(cast, world):
    """A double click on "register": both requests passed the check before either saved, the second lost to the
    unique constraint and showed the 409 page; it is refused as the check refuses a number already in the register,
    and nothing of it is saved."""
    register(cast)
    checked_before_the_other_saved = lambda self, **kwargs: Model.full_clean(  # noqa: E731
        self, **{**kwargs, "validate_constraints": False})
    with patch.object(LegalChange, "full_clean", checked_before_the_other_saved), \
            pytest.raises(ValidationError) as error:
        register(cast)
    assert error.value.messages == [gettext("This number is already in the register.")]
    assert LegalChange.objects.count() == 1


def test_a_province_entry_names_procedures_its_province_handles(cast, world):
    """A province's entry whose procedures only another province's agencies handle would concern no agency (and
    told the province what the others handle); the national register names any."""
    Procedure.objects.create(agency=cast.agencies["cb_stp"], code="2.0002", name="Chứng thực", field="Chứng thực")
    for changes, field in (({"procedure_codes": ["2.0002"], "procedure_fields": []}, "procedure_codes"),
                           ({"procedure_fields": ["Chứng thực"]}, "procedure_fields")):
        with pytest.raises(ValidationError) as error:
            register(cast, **changes)
        assert list(error.value.message_dict) == [field]
    assert not LegalChange.objects.exists()
    change = register(cast, actor="ministry", province=None, procedure_codes=["2.0002"], procedure_fields=[])
    assert list(change.due_updates.values_list("agency_id", flat=True)) == [cast.agencies["cb_stp"].pk]


def test_a_province_entry_cannot_target_another_provinces_agencies(cast, world):
    with pytest.raises(ValidationError) as error:
        register(cast, procedure_fields=[], agencies=[cast.agencies["cb_stp"]])
    assert "agencies" in error.value.message_dict


def test_replacements_never_form_a_cycle(cast, world):
    first = register(cast)
    second = register(cast, number="20/2026/NĐ-CP", replaces=[first])
    assert list(first.replaced_by.all()) == [second]
    from qms.legal.services import _check_targets

    with pytest.raises(ValidationError) as error:
        _check_targets(first, [], [second])
    assert "replaces" in error.value.message_dict
    with pytest.raises(ValidationError):
        _check_targets(first, [], [first])


def test_a_merger_hands_what_was_owed_to_the_successor(cast, world):
    from agencies.models import SuccessionKind
    from agencies.services import agency_succession_create

    change = register(cast)
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    agency_succession_create(actor=cast.users["admin"], predecessor=stp, successor=snv, kind=SuccessionKind.MERGER,
                      effective_date=date(2026, 3, 1))
    assert list(change.due_updates.values_list("agency_id", flat=True)) == [snv.pk]


def test_a_change_for_every_commune_is_worked_out_in_constant_queries(cast, django_assert_max_num_queries):
    from agencies.models import Agency

    province = cast.provinces["ag"]
    Agency.objects.bulk_create([Agency(province=province, kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
                                       name=f"UBND xã {n}", short_code=f"X{n}", search_text=f"ubnd xa {n}")
                                for n in range(2500)])
    change = legal_change_register(actor=cast.users["ministry"], province_id=None, data={
        **DECREE, "procedure_fields": [], "agency_kinds": [AgencyKind.COMMUNE_PEOPLES_COMMITTEE]})
    with django_assert_max_num_queries(12):  # 3 batches of 1,000 agencies
        assert legal_change_compute_targets(change_id=change.pk) == 2500


def test_the_agency_is_reminded_in_its_daily_digest_once_per_reason(cast, world, mailoutbox):
    from audits.services.reminders import due_reminders_send

    cast.users["ag_officer"].email, cast.users["ag_head"].email = "officer@stp.example", "head@stp.example"
    for user in (cast.users["ag_officer"], cast.users["ag_head"]):
        user.save()
    register(cast)  # effective 01/02/2026, due 01/05/2026
    due_reminders_send(today=date(2026, 1, 20))  # registered (today): the agency learns it applies
    assert sorted(m.to[0] for m in mailoutbox) == ["head@stp.example", "officer@stp.example"]
    assert "15/2026/NĐ-CP" in mailoutbox[0].body and "văn bản pháp luật mới" in mailoutbox[0].subject
    due_reminders_send(today=date(2026, 1, 21))
    assert len(mailoutbox) == 2  # nothing new
    due_reminders_send(today=date(2026, 4, 5))  # 26 days before the due date
    assert len(mailoutbox) == 4 and "01/05/2026" in mailoutbox[-1].body
    due_reminders_send(today=date(2026, 5, 11))  # overdue (a Monday)
    assert len(mailoutbox) == 6 and "10 ngày" in mailoutbox[-1].body
    due_reminders_send(today=date(2026, 5, 13))  # same week: not again
    assert len(mailoutbox) == 6
    due = DueLegalUpdate.objects.get(agency=cast.agencies["ag_stp"])
    due_update_record(actor=cast.users["ag_officer"], due=due, updated_on=date(2026, 5, 14), documents=[],
                      note="Đã cập nhật quy trình.", today=date(2026, 5, 14))
    due_reminders_send(today=date(2026, 5, 20))  # done: no more
    assert len(mailoutbox) == 6
