"""What each compliance rule says and when it is due, state by state, and the pure parts of judging: `holds`'
three-valued reading of a `Q`, the legal-update state, the facts kept as JSON, the summary by agency kind.
Exact texts (in Vietnamese) and dates: written from the survivors of `make mutate MODULES=rules`
(docs/mutation.md). The SQL side of the same rules is in test_rules.py."""

from datetime import date

import pytest
from django.db.models import F, Q
from django.utils.translation import gettext

from agencies.models import Agency, AgencyKind
from qms.models import Edition, Stage
from qms.rules import (
    FACTS,
    RULES,
    AgencyRules,
    evaluate_agencies,
    evaluate_facts,
    facts_from_json,
    facts_to_json,
    legal_status,
    rule_order,
    rules_not_met_filter,
    summary_by_kind,
    with_compliance_facts,
)
from qms.rules.predicate import holds

AS_OF = date(2026, 6, 14)
END_OF_YEAR = date(2026, 12, 31)


def facts(**given):
    """Every fact, as a fresh agency with an announced 2015 system and nothing else recorded would have it."""
    base = dict.fromkeys(FACTS)
    base.update(stage=Stage.ANNOUNCED, edition=Edition.ISO_2015, reannouncement_reason="", valid_announcement=True,
                last_announcement_on=date(2025, 3, 4), procedures_total=0, procedures_covered=0, legal_recorded=0,
                legal_on_time=0, legal_late=0, legal_overdue=0, legal_pending=0, legal_not_applicable=0,
                legal_register=False, actions_overdue=0)
    base.update(given)
    return base


def explain(code, **given):
    reason, due = RULES[code].explain(facts(**given), AS_OF)
    return str(reason), due


@pytest.mark.parametrize(("given", "msgid", "params"), [
    ({}, "Last announcement on %(date)s.", {"date": "04/03/2025"}),
    ({"stage": Stage.MAINTAINING}, "Last announcement on %(date)s.", {"date": "04/03/2025"}),
    ({"valid_announcement": False}, "The last announcement was made under another edition of the standard.", {}),
    ({"valid_announcement": True, "stage": Stage.APPLYING},
     "Announced, but the QMS stage is not announced or maintaining.", {}),
    ({"valid_announcement": False, "last_announcement_on": None}, "No announcement has been recorded.", {}),
    ({"valid_announcement": False, "edition": None}, "No announcement has been recorded.", {}),
])
def test_announced(given, msgid, params):
    assert explain("announced", **given) == (gettext(msgid) % params if params else gettext(msgid), None)


@pytest.mark.parametrize(("given", "msgid"), [
    ({"stage": Stage.NOT_STARTED}, "The QMS has not been set up yet."),
    ({"stage": Stage.INACTIVE, "edition": Edition.ISO_2015}, "The QMS has not been set up yet."),
    ({"stage": Stage.BUILDING, "edition": Edition.ISO_2008}, "Still on TCVN ISO 9001:2008; the move was due by "
                                                             "30/06/2021."),
    ({"stage": Stage.BUILDING, "edition": Edition.ISO_2015}, ""),
])
def test_edition(given, msgid):
    assert explain("edition_2015", **given) == (gettext(msgid) if msgid else "", None)


def test_coverage():
    assert explain("coverage_complete") == (gettext("No administrative procedure has been listed."), None)
    assert explain("coverage_complete", procedures_total=7, procedures_covered=5) == (
        gettext("%(covered)s of %(total)s procedures covered.") % {"covered": 5, "total": 7}, None)


@pytest.mark.parametrize("code,fact", [("internal_audit", "last_internal_audit_on"),
                                       ("management_review", "last_review_on")])
@pytest.mark.parametrize(("held_on", "due"), [
    (None, END_OF_YEAR),
    (date(2025, 12, 31), END_OF_YEAR),  # last year's does not count
    (date(2026, 1, 1), None),  # the first day of the year does
    (date(2026, 6, 1), None),
])
def test_held_this_year(code, fact, held_on, due):
    reason = gettext("Last held on %(date)s.") % {"date": held_on.strftime("%d/%m/%Y")} if held_on else gettext(
        "Never held.")
    assert explain(code, **{fact: held_on}) == (reason, due)
    other = "last_review_on" if fact == "last_internal_audit_on" else "last_internal_audit_on"
    assert explain(code, **{fact: None, other: date(2026, 6, 1)})[0] == gettext("Never held."), "its own fact only"


@pytest.mark.parametrize(("given", "msgid", "n"), [
    ({"legal_overdue": 2, "legal_late": 1, "legal_pending": 1}, "%(n)s legal change(s) not yet reflected past the "
                                                                "3-month deadline.", 2),
    ({"legal_late": 3, "legal_pending": 1}, "%(n)s legal change(s) reflected late this year.", 3),
    ({"legal_pending": 4, "legal_recorded": 1}, "%(n)s legal change(s) to reflect within their 3 months.", 4),
    ({"legal_register": True}, "No legal change of the register applied to this agency.", None),
    ({}, "No data: no legal change has been recorded.", None),
    ({"legal_recorded": 2}, "Every legal change was reflected in time.", None),
    ({"legal_recorded": 2, "legal_register": True}, "Every legal change was reflected in time.", None),
])
def test_legal(given, msgid, n):
    due = date(2026, 9, 1)
    reason = gettext(msgid) % {"n": n} if n else gettext(msgid)
    assert explain("legal_updates", legal_next_due=due, **given) == (reason, due)


def test_reannouncement():
    assert explain("no_reannouncement_due") == ("", None)
    assert explain("no_reannouncement_due", stage=Stage.REANNOUNCEMENT_DUE, reannouncement_reason="Sáp nhập") == (
        "Sáp nhập", None)
    assert explain("no_reannouncement_due", stage=Stage.REANNOUNCEMENT_DUE) == (
        gettext("The scope, the edition or the agency changed."), None)


def test_actions():
    due = date(2026, 7, 1)
    assert explain("corrective_actions", actions_next_due=due) == ("", due)
    assert explain("corrective_actions", actions_overdue=2, actions_next_due=due) == (
        gettext("%(n)s corrective action(s) past due.") % {"n": 2}, due)


def test_a_result_names_its_rule_and_the_next_step_only_when_not_met():
    results = {r.code: r for r in evaluate_facts(facts(last_internal_audit_on=date(2026, 2, 1)), as_of=AS_OF)}
    met, missed = results["internal_audit"], results["management_review"]
    assert (met.met, met.label, met.next_step, met.as_of) == (True, str(RULES["internal_audit"].label), "", AS_OF)
    assert (missed.met, missed.next_step, missed.due_date) == (
        False, str(RULES["management_review"].next_step), END_OF_YEAR)
    assert missed.reason == gettext("Never held.") and gettext("Never held.") != "Never held."


@pytest.mark.parametrize(("predicate", "given", "expected"), [
    (Q(a=1), {"a": 1}, True),
    (Q(a=1), {"a": 2}, False),
    (Q(a=1), {"a": None}, False),
    (Q(a=None), {"a": None}, True),
    (Q(a=None), {"a": 0}, False),
    (Q(a__isnull=True), {"a": 0}, False),
    (Q(a__isnull=False), {"a": 0}, True),
    (Q(a__isnull=False), {"a": None}, False),
    (Q(a__in=[1, 2]), {"a": 2}, True),
    (Q(a__in=[1, 2]), {"a": None}, False),
    (~Q(a__in=[1, 2]), {"a": None}, False),  # NOT unknown is unknown
    (~Q(a__in=[1, 2]), {"a": 3}, True),
    (Q(a__gt=1), {"a": 1}, False),
    (Q(a__gte=1), {"a": 1}, True),
    (Q(a__lt=1), {"a": 1}, False),
    (Q(a__lte=1), {"a": 1}, True),
    (Q(a__lt=2), {"a": 1}, True),
    (Q(a=F("b")), {"a": 1, "b": 1}, True),
    (Q(a=F("b")), {"a": 1, "b": None}, False),
    (~Q(a=F("b")), {"a": 1, "b": None}, False),
    (Q(a=1) & Q(b=1), {"a": 1, "b": None}, False),
    (~(Q(a=1) & Q(b=1)), {"a": 1, "b": None}, False),  # unknown, not false
    (~(Q(a=2) & Q(b=1)), {"a": 1, "b": None}, True),  # false AND unknown is false
    (Q(a=1) | Q(b=1), {"a": 2, "b": None}, False),
    (~(Q(a=1) | Q(b=1)), {"a": 2, "b": None}, False),  # unknown
    (~(Q(a=1) | Q(b=1)), {"a": 2, "b": 2}, True),
    (Q(a=1) | Q(b=1), {"a": None, "b": 1}, True),  # unknown OR true is true
])
def test_holds_is_sqls_three_valued_logic(predicate, given, expected):
    assert holds(predicate, given) is expected


def test_holds_refuses_a_lookup_it_does_not_know():
    with pytest.raises(ValueError, match="'contains'"):
        holds(Q(a__contains="x"), {"a": "xyz"})


@pytest.mark.parametrize(("given", "state"), [
    ({"legal_overdue": 1, "legal_late": 1}, "overdue"),
    ({"legal_late": 1, "legal_pending": 1}, "late"),
    ({"legal_pending": 1, "legal_on_time": 1}, "pending"),
    ({"legal_on_time": 1, "legal_not_applicable": 1}, "on_time"),
    ({"legal_not_applicable": 1, "legal_recorded": 1}, "not_applicable"),
    ({"legal_recorded": 2}, "on_time"),
    ({"legal_register": True}, "none"),
    ({}, "no_data"),
])
def test_legal_status(given, state):
    assert legal_status(facts(**given)) == state


def test_facts_round_trip_through_json():
    kept = facts(last_internal_audit_on=date(2026, 2, 3), legal_next_due=date(2026, 9, 1), procedures_total=4)
    data = facts_to_json(kept)
    assert data["last_internal_audit_on"] == "2026-02-03" and data["procedures_total"] == 4
    assert data["stage"] == Stage.ANNOUNCED
    assert facts_from_json(data) == kept
    assert facts_from_json({"stage": "applying"}) == {**dict.fromkeys(FACTS), "stage": "applying"}


def test_summary_by_kind_counts_and_rounds_in_the_order_of_kinds():
    n = len(RULES)
    rows = [AgencyRules(1, "A", AgencyKind.DEPARTMENT, "", None, (True,) * n),
            AgencyRules(2, "B", AgencyKind.DEPARTMENT, "", None, (False,) + (True,) * (n - 1)),
            AgencyRules(3, "C", AgencyKind.DEPARTMENT, "", None, (False,) * n),
            AgencyRules(4, "D", AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, "", None, (True,) + (False,) * (n - 1))]
    summary = summary_by_kind(rows)
    kinds = [value for value, _label in AgencyKind.choices]
    assert [s["kind"] for s in summary] == sorted({r.kind for r in rows}, key=kinds.index)
    department = next(s for s in summary if s["kind"] == AgencyKind.DEPARTMENT)
    assert department["total"] == 3 and department["label"] == AgencyKind.DEPARTMENT.label
    assert department["rules"][0] == {"code": "announced", "met": 1, "percent": 33}
    assert department["rules"][1] == {"code": "edition_2015", "met": 2, "percent": 67}
    ubnd = next(s for s in summary if s["kind"] == AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE)
    assert [r["met"] for r in ubnd["rules"]] == [1] + [0] * (n - 1)
    assert summary_by_kind([]) == []


@pytest.mark.django_db
def test_filters_and_order_by_verdict(cast):
    from tests.factories import AgencyFactory

    announced = AgencyFactory(name="B announced")
    from qms.models import Announcement, QmsRecord

    qms = QmsRecord.objects.create(agency=announced, stage=Stage.ANNOUNCED, edition=Edition.ISO_2015)
    Announcement.objects.create(qms=qms, kind="first", decision_number="1", decision_date=date(2025, 1, 2),
                                signer="GĐ", edition=Edition.ISO_2015, scope="Toàn bộ")
    silent = AgencyFactory(name="A silent")
    both = with_compliance_facts(Agency.objects.filter(pk__in=[announced.pk, silent.pk]), today=AS_OF)
    assert list(both.filter(rules_not_met_filter("announced")).values_list("pk", flat=True)) == [silent.pk]
    assert list(both.order_by(*rule_order("announced")).values_list("pk", flat=True)) == [silent.pk, announced.pk]
    pairs = evaluate_agencies([announced.pk, silent.pk], today=AS_OF)
    assert [(agency.pk, results[0].met) for agency, results in pairs] == [(announced.pk, True), (silent.pk, False)]
    assert evaluate_agencies([], today=AS_OF) == []


def sql_facts(agency, as_of=AS_OF):
    from qms.rules import facts_of

    return facts_of(with_compliance_facts(Agency.objects.filter(pk=agency.pk), today=as_of).get())


@pytest.mark.django_db
def test_recorded_legal_updates_are_judged_on_the_day(cast):
    """An update made after the day judged is still pending that day; a late update of last year is not this
    year's late one."""
    from qms.models import LegalUpdate, QmsRecord
    from qms_portal.dates import add_months

    qms = QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage=Stage.ANNOUNCED, edition=Edition.ISO_2015)

    def update(effective_on, updated_on):
        LegalUpdate.objects.create(qms=qms, legal_document="Nghị định", effective_on=effective_on,
                                   due_on=add_months(effective_on, 3), updated_on=updated_on)

    update(date(2026, 5, 1), date(2026, 7, 1))  # on time, but only from 01/07
    update(date(2025, 1, 1), date(2025, 6, 1))  # late, last year
    got = sql_facts(cast.agencies["ag_stp"])
    assert (got["legal_recorded"], got["legal_on_time"], got["legal_late"], got["legal_pending"],
            got["legal_overdue"]) == (2, 0, 0, 1, 0)
    assert got["legal_next_due"] == date(2026, 8, 1)
    later = sql_facts(cast.agencies["ag_stp"], date(2026, 7, 2))
    assert (later["legal_on_time"], later["legal_pending"], later["legal_next_due"]) == (1, 0, None)
    assert sql_facts(cast.agencies["ag_stp"], date(2025, 7, 1))["legal_late"] == 1


@pytest.mark.django_db
def test_the_registers_due_updates_are_the_agencys_own_and_the_next_is_the_earliest_pending(cast):
    from datetime import UTC, datetime

    from qms.legal.models import DueLegalUpdate, LegalChange

    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    registered = datetime(2026, 1, 5, tzinfo=UTC)

    def due(agency, due_on, updated_on=None):
        n = LegalChange.objects.count() + 1
        change = LegalChange.objects.create(number=f"{n:02d}/2026/NĐ-CP", title="Nghị định", issuer="Chính phủ",
                                            issued_on=date(2025, 1, 2), effective_on=date(2025, 1, 2),
                                            created_by=cast.users["admin"])
        row = DueLegalUpdate.objects.create(change=change, agency=agency, due_on=due_on, updated_on=updated_on)
        LegalChange.objects.filter(pk=change.pk).update(created_at=registered)
        DueLegalUpdate.objects.filter(pk=row.pk).update(created_at=registered)

    due(stp, date(2026, 9, 1))
    due(stp, date(2026, 8, 1))
    due(stp, date(2026, 7, 1), updated_on=date(2026, 6, 1))  # done: not the next one
    due(snv, date(2026, 6, 20))  # another agency's
    due(stp, date(2025, 3, 1), updated_on=date(2025, 5, 2))  # late, last year
    got = sql_facts(stp)
    assert got["legal_next_due"] == date(2026, 8, 1)
    assert (got["legal_recorded"], got["legal_pending"], got["legal_on_time"], got["legal_late"]) == (4, 2, 1, 0)
    assert sql_facts(snv)["legal_next_due"] == date(2026, 6, 20)


@pytest.mark.django_db
def test_the_legal_facts_add_the_agencys_own_records_and_the_registers_verdicts(cast):
    """Each legal fact is the agency's own records plus the register's due updates of that verdict; the next due
    date is the earlier of the two sources; the register counts from the day it was registered."""
    from datetime import UTC, datetime

    from qms.legal.models import DueLegalUpdate, DueStatus, LegalChange
    from qms.models import LegalUpdate, QmsRecord
    from qms_portal.dates import add_months

    stp = cast.agencies["ag_stp"]
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.ANNOUNCED, edition=Edition.ISO_2015)
    for effective_on, updated_on in [(date(2026, 5, 20), None),  # own, pending: due 20/08
                                     (date(2026, 1, 10), None),  # own, overdue since 10/04
                                     (date(2026, 1, 5), date(2026, 3, 1)),  # own, on time
                                     (date(2026, 1, 5), date(2026, 5, 1))]:  # own, late this year
        LegalUpdate.objects.create(qms=qms, legal_document="Thông tư", effective_on=effective_on,
                                   due_on=add_months(effective_on, 3), updated_on=updated_on)
    registered = datetime(2026, 1, 5, tzinfo=UTC)

    def due(due_on, **fields):
        n = LegalChange.objects.count() + 1
        change = LegalChange.objects.create(number=f"{n:02d}/2026/NĐ-CP", title="Nghị định", issuer="Chính phủ",
                                            issued_on=date(2025, 1, 2), effective_on=date(2025, 1, 2),
                                            created_by=cast.users["admin"])
        row = DueLegalUpdate.objects.create(change=change, agency=stp, due_on=due_on, **fields)
        LegalChange.objects.filter(pk=change.pk).update(created_at=registered)
        DueLegalUpdate.objects.filter(pk=row.pk).update(created_at=registered)

    due(date(2026, 8, 10))  # pending, earlier than the own one
    due(date(2026, 9, 1), status=DueStatus.CLAIMED, claimed_on=date(2026, 6, 1))  # awaiting the Sở
    due(date(2026, 9, 1), status=DueStatus.NOT_APPLICABLE, claimed_on=date(2026, 5, 1), decided_on=date(2026, 6, 2))
    due(date(2026, 4, 1), updated_on=date(2026, 3, 30))  # on time
    due(date(2026, 2, 1), updated_on=date(2026, 3, 1))  # late this year
    due(date(2026, 3, 1))  # overdue
    got = sql_facts(stp)
    assert {name: got[name] for name in ("legal_recorded", "legal_on_time", "legal_late", "legal_overdue",
                                         "legal_pending", "legal_not_applicable", "legal_register")} == {
        "legal_recorded": 10, "legal_on_time": 2, "legal_late": 2, "legal_overdue": 2, "legal_pending": 3,
        "legal_not_applicable": 1, "legal_register": True}
    assert got["legal_next_due"] == date(2026, 4, 10), "the own overdue one comes first"
    LegalUpdate.objects.filter(due_on=date(2026, 4, 10)).update(updated_on=date(2026, 6, 1))
    assert sql_facts(stp)["legal_next_due"] == date(2026, 8, 10), "the register's, earlier than the own one"
    DueLegalUpdate.objects.filter(due_on=date(2026, 8, 10)).update(due_on=date(2026, 8, 25))
    assert sql_facts(stp)["legal_next_due"] == date(2026, 8, 20), "the own one, earlier than the register's"
    before = sql_facts(stp, date(2026, 1, 4))  # nothing was registered yet
    assert (before["legal_register"], before["legal_recorded"]) == (False, 0)


@pytest.mark.django_db
def test_rules_met_names_each_agency(cast):
    from qms.rules import rules_met

    stp = cast.agencies["ag_stp"]
    rows = rules_met(with_compliance_facts(Agency.objects.filter(pk=stp.pk), today=AS_OF))
    assert [(r.agency_id, r.name, r.kind, r.stage, r.edition) for r in rows] == [
        (stp.pk, stp.name, stp.kind, Stage.NOT_STARTED, None)]
    assert len(rows[0].met) == len(RULES)


def test_an_announcement_without_a_date_reads_a_dash():
    assert explain("announced", last_announcement_on=None) == (
        gettext("Last announcement on %(date)s.") % {"date": "—"}, None)


@pytest.mark.django_db
def test_the_facts_of_the_qms_file_count_what_they_say(cast):
    """Procedures: active ones, covered ones; an announcement counts for its own system and edition only; a
    corrective action counts while open or done after the day judged."""
    from qms.models import Announcement, InternalAudit, InternalCorrectiveAction, Procedure, QmsRecord

    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.ANNOUNCED, edition=Edition.ISO_2015)
    other = QmsRecord.objects.create(agency=snv, stage=Stage.ANNOUNCED, edition=Edition.ISO_2015)
    for code, covered, active in [("1", True, True), ("2", False, True), ("5", True, True), ("3", True, False)]:
        Procedure.objects.create(agency=stp, code=code, name=f"Thủ tục {code}", covered=covered, is_active=active)
    Announcement.objects.create(qms=qms, kind="first", decision_number="1", decision_date=date(2020, 1, 2),
                                signer="GĐ", edition=Edition.ISO_2008, scope="Toàn bộ")
    Announcement.objects.create(qms=other, kind="first", decision_number="2", decision_date=date(2025, 1, 2),
                                signer="GĐ", edition=Edition.ISO_2015, scope="Toàn bộ")
    audit = InternalAudit.objects.create(qms=qms, held_on=date(2026, 2, 1), auditors="A")
    action = {"qms": qms, "internal_audit": audit, "description": "Thiếu", "action": "Bổ sung", "owner": "HC"}
    InternalCorrectiveAction.objects.create(due_on=date(2026, 5, 1), **action)  # open, overdue
    InternalCorrectiveAction.objects.create(due_on=date(2026, 6, 1), status="done", done_on=date(2026, 7, 1),
                                            **action)  # done after the day: still open that day, overdue
    InternalCorrectiveAction.objects.create(due_on=date(2026, 3, 1), status="done", done_on=date(2026, 2, 1),
                                            **action)  # done in time
    got = sql_facts(stp)
    assert (got["procedures_total"], got["procedures_covered"]) == (3, 2)  # not the same counts among the inactive
    assert (got["valid_announcement"], got["last_announcement_on"]) == (False, date(2020, 1, 2))
    assert sql_facts(snv)["valid_announcement"] is True
    assert (got["actions_overdue"], got["actions_next_due"]) == (2, date(2026, 5, 1))


@pytest.mark.django_db
def test_a_page_of_agencies_is_judged_on_its_day_in_two_queries(cast, django_assert_num_queries):
    """The agencies as shown, then their judgement (compiled once a day): two queries whatever the page's size."""
    from qms.models import InternalAudit, QmsRecord

    stp = cast.agencies["ag_stp"]
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.ANNOUNCED, edition=Edition.ISO_2015)
    InternalAudit.objects.create(qms=qms, held_on=date(2026, 2, 1), auditors="A")
    day = date(2025, 6, 14)  # the audit had not happened yet
    with django_assert_num_queries(2):
        [(agency, results)] = evaluate_agencies([stp.pk], today=day)
        assert agency.province.name == cast.provinces["ag"].name
        assert agency.qms.stage == Stage.ANNOUNCED
    with django_assert_num_queries(2):
        pair = evaluate_agencies([cast.agencies["ag_snv"].pk, stp.pk], today=day)
    assert [agency.pk for agency, _ in pair] == [cast.agencies["ag_snv"].pk, stp.pk]
    audit = next(r for r in results if r.code == "internal_audit")
    assert (audit.met, audit.reason, audit.as_of, audit.due_date) == (False, gettext("Never held."), day,
                                                                       date(2025, 12, 31))
