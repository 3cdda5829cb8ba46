"""The compliance rules registry (qms.rules): one definition per rule, judged as of a date, SQL = Python."""

from datetime import date

import pytest
from django.db.models import F, Q
from django.utils import timezone, translation

from agencies.models import Agency
from qms.models import (
    Announcement,
    Edition,
    InternalAudit,
    InternalCorrectiveAction,
    LegalUpdate,
    QmsRecord,
    Stage,
)
from qms.rules import RULES, evaluate, evaluate_facts, facts_of, legal_status, with_compliance_facts
from qms.rules.predicate import holds
from qms.selectors import agency_compliance
from qms_portal.dates import add_months
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 14)


def judged(agency, as_of=AS_OF):
    annotated = with_compliance_facts(Agency.objects.filter(pk=agency.pk), today=as_of).get()
    sql = {r.code: r for r in evaluate(annotated, today=as_of)}
    python = {r.code: r.met for r in evaluate_facts(facts_of(annotated), as_of=as_of)}
    assert {code: r.met for code, r in sql.items()} == python  # one definition, two readers, one answer
    return sql, facts_of(annotated)


def qms_of(stage=Stage.MAINTAINING, edition=Edition.ISO_2015, **fields):
    return QmsRecord.objects.create(agency=AgencyFactory(), stage=stage, edition=edition, **fields)


def legal(qms, effective_on, updated_on=None):
    return LegalUpdate.objects.create(qms=qms, legal_document="Nghị định", effective_on=effective_on,
                                      due_on=add_months(effective_on, 3), updated_on=updated_on)


def test_every_rule_is_one_object_with_its_parts():
    assert list(RULES) == ["announced", "edition_2015", "coverage_complete", "internal_audit",
                           "management_review", "legal_updates", "no_reannouncement_due", "corrective_actions"]
    for code, rule in RULES.items():
        assert rule.code == code and str(rule.label) and str(rule.next_step)
        assert isinstance(rule.predicate(AS_OF), Q)
        assert rule.verdict == f"met_{code}"


def test_holds_reads_q_with_sql_null_logic():
    facts = {"a": None, "b": 3, "c": 3}
    assert holds(Q(b=F("c")), facts) and not holds(Q(a__gte=1), facts)
    assert not holds(~Q(a__gte=1), facts)  # NOT unknown is unknown: not met, as in SQL's CASE
    assert holds(Q(a__gte=1) | Q(b=3), facts) and holds(Q(a__isnull=True), facts) and holds(Q(a=None), facts)
    assert holds(Q(b__in=[1, 3]), facts) and not holds(Q(b__in=[1]), facts)
    with pytest.raises(ValueError):
        holds(Q(b__icontains="x"), facts)


def test_a_not_started_agency_is_on_no_edition():
    not_started = qms_of(stage=Stage.NOT_STARTED)  # the model's default edition is 2015: not a fact
    no_record = AgencyFactory()
    building = qms_of(stage=Stage.BUILDING)
    old = qms_of(stage=Stage.APPLYING, edition=Edition.ISO_2008)
    assert not judged(not_started.agency)[0]["edition_2015"].met
    assert not judged(no_record)[0]["edition_2015"].met
    assert judged(building.agency)[0]["edition_2015"].met
    assert not judged(old.agency)[0]["edition_2015"].met


def test_the_2008_edition_was_in_force_until_30_june_2021():
    """A past period's report judges an agency on 2008 by the rule of its day: the move to 2015 was due by
    30/06/2021 (official letter 419/BKHCN-TĐC); before, 2008 was the edition in force too."""
    old = qms_of(stage=Stage.MAINTAINING, edition=Edition.ISO_2008)
    for as_of, met, explanation in ((date(2019, 12, 31), True, "On TCVN ISO 9001:2008, in force until 30/06/2021."),
                                    (date(2021, 6, 30), True, "On TCVN ISO 9001:2008, in force until 30/06/2021."),
                                    (date(2021, 7, 1), False, "Still on TCVN ISO 9001:2008; the move was due by "
                                                              "30/06/2021.")):
        with translation.override("en"):
            result = judged(old.agency, as_of)[0]["edition_2015"]
            assert (result.met, str(result.reason)) == (met, explanation), as_of
    assert not judged(qms_of(stage=Stage.NOT_STARTED, edition=Edition.ISO_2008).agency, date(2019, 1, 1))[0][
        "edition_2015"].met


def test_legal_updates_on_time_late_overdue_and_no_data():
    """Effective 01/02, reflected 20/06: 4.5 months, late (it passed before). Nothing recorded: no data."""
    nothing = qms_of()
    on_time = qms_of()
    legal(on_time, date(2026, 1, 10), date(2026, 3, 1))
    late = qms_of()
    legal(late, date(2026, 1, 2), date(2026, 4, 20))
    overdue = qms_of()
    legal(overdue, date(2026, 2, 1))
    pending = qms_of()
    legal(pending, date(2026, 5, 1))  # due 01/08: not yet reflected, not yet overdue: nothing is late
    expected = {nothing: ("no_data", False), on_time: ("on_time", True), late: ("late", False),
                overdue: ("overdue", False), pending: ("pending", True)}  # within its 3 months: kept, pending
    for qms, (status, met) in expected.items():
        results, facts = judged(qms.agency)
        assert results["legal_updates"].met is met, status
        assert legal_status(facts) == status
    assert judged(pending.agency)[0]["legal_updates"].due_date == date(2026, 8, 1)
    # the letter's case: effective 01/02, reflected 20/06, judged after: late
    letter = qms_of()
    legal(letter, date(2026, 2, 1), date(2026, 6, 20))
    assert legal_status(judged(letter.agency, date(2026, 7, 1))[1]) == "late"
    assert not judged(letter.agency, date(2026, 7, 1))[0]["legal_updates"].met


def test_records_dated_after_the_as_of_date_do_not_count():
    qms = qms_of(stage=Stage.ANNOUNCED)
    Announcement.objects.create(qms=qms, kind="first", decision_number="1/QĐ", decision_date=date(2026, 7, 1),
                                signer="GĐ", edition=Edition.ISO_2015, scope="TTHC")
    InternalAudit.objects.create(qms=qms, held_on=date(2026, 7, 2), auditors="Tổ")
    legal(qms, date(2026, 1, 5), date(2026, 9, 1))  # reflected in September: on 14/06 it was overdue
    InternalCorrectiveAction.objects.create(qms=qms, description="x", action="y", owner="z", due_on=date(2026, 5, 1),
                                            status="done", done_on=date(2026, 8, 1))
    before, facts = judged(qms.agency)
    assert not before["announced"].met and not before["internal_audit"].met
    assert legal_status(facts) == "overdue" and facts["actions_overdue"] == 1
    after, facts = judged(qms.agency, date(2026, 12, 1))
    assert after["announced"].met and after["internal_audit"].met and after["corrective_actions"].met
    assert legal_status(facts) == "late"


def test_results_state_their_as_of_date_and_the_api_too(api, cast):
    agency = cast.agencies["ag_stp"]
    results, _facts = judged(agency)
    assert {r.as_of for r in results.values()} == {AS_OF}
    body = api.as_user(cast.users["ag_officer"]).get(f"/api/v1/agencies/{agency.pk}/compliance/").json()
    assert {row["as_of"] for row in body} == {timezone.localdate().isoformat()}


def test_sql_and_python_agree_for_every_agency_and_many_dates(cast):
    """Every combination the rules look at, judged on several dates: SQL and Python give the same verdicts."""
    for stage in Stage.values:
        for edition in Edition.values:
            qms = qms_of(stage=stage, edition=edition)
            Announcement.objects.create(qms=qms, kind="first", decision_number="1", decision_date=date(2025, 3, 1),
                                        signer="GĐ", edition=Edition.ISO_2015, scope="TTHC")
            legal(qms, date(2025, 12, 1), date(2026, 2, 1) if stage == Stage.BUILDING else None)
    for as_of in (date(2025, 1, 1), AS_OF, date(2026, 12, 31)):
        for agency in with_compliance_facts(Agency.objects.all(), today=as_of):
            sql = [r.met for r in evaluate(agency, today=as_of)]
            python = [r.met for r in evaluate_facts(facts_of(agency), as_of=as_of)]
            assert sql == python, (agency.name, as_of)
            # the QMS file page's reader (its SQL compiled once a day) gives the same results, explanations too
            assert agency_compliance(agency=agency, today=as_of) == evaluate(agency, today=as_of), agency.name


@pytest.mark.parametrize(("procedures", "met"), [
    ([(True, True), (True, True)], True),
    ([(True, True), (True, False)], False),  # one procedure still handled without a work process
    ([(True, True), (False, False)], True),  # the uncovered one is no longer handled
    ([(False, True), (False, False)], False),  # none handled: nothing to cover is not coverage
    ([], False),
])
def test_coverage_counts_the_procedures_still_handled(procedures, met):
    """(is_active, covered) of each procedure: SQL (`procedures_uncovered`, its own count) and Python (the two
    counts) give the same verdict, and the facts count only the procedures still handled."""
    from qms.models import Procedure

    qms = qms_of()
    for n, (is_active, covered) in enumerate(procedures):
        Procedure.objects.create(agency=qms.agency, code=f"1.{n}", name=f"Thủ tục {n}", is_active=is_active,
                                 covered=covered)
    results, facts = judged(qms.agency)
    assert results["coverage_complete"].met is met
    active = [covered for is_active, covered in procedures if is_active]
    assert (facts["procedures_total"], facts["procedures_uncovered"]) == (len(active), active.count(False))


@pytest.mark.parametrize(("stage", "edition", "shown"), [
    (Stage.MAINTAINING, Edition.ISO_2015, Edition.ISO_2015), (Stage.MAINTAINING, "", ""),
    (Stage.MAINTAINING, None, ""), (Stage.NOT_STARTED, Edition.ISO_2015, ""), (None, Edition.ISO_2008, ""),
])
def test_the_edition_shown_is_none_until_the_system_is_started_or_recorded(stage, edition, shown):
    from qms.rules import edition_of

    assert edition_of(stage, edition) == shown


def test_the_legal_rule_reads_the_legal_change_register(cast):
    """Issue 16's register feeds the rule through its one source (facts.legal_facts): the letter's case (effective
    01/02, reflected 20/06) is late; an agency the register owed nothing keeps the rule; an agency of a
    province without a register that recorded nothing is "no data"."""
    from datetime import UTC, datetime

    from qms.legal.models import DueLegalUpdate
    from qms.legal.services import due_update_record
    from qms.models import Procedure
    from tests.qms.test_legal_changes import register

    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    Procedure.objects.create(agency=stp, code="1.0001", name="Đăng ký khai sinh", field="Hộ tịch")
    change = register(cast)
    DueLegalUpdate.objects.filter(change=change).update(created_at=datetime(2026, 1, 20, tzinfo=UTC))
    on_30_may = judged(stp, date(2026, 5, 30))
    assert not on_30_may[0]["legal_updates"].met and legal_status(on_30_may[1]) == "overdue"
    due = DueLegalUpdate.objects.get(change=change, agency=stp)
    due_update_record(actor=cast.users["ag_officer"], due=due, updated_on=date(2026, 6, 20), documents=[],
                      note="Cập nhật quy trình", today=date(2026, 6, 20))
    later = judged(stp, date(2026, 7, 1))
    assert not later[0]["legal_updates"].met and legal_status(later[1]) == "late"
    assert judged(stp, date(2026, 5, 30))[1]["legal_overdue"] == 1  # judged again as of 30/05: unchanged
    # owed nothing by the register of its province: kept; in a province without a register: no data
    type(change).objects.filter(pk=change.pk).update(created_at=datetime(2026, 1, 20, tzinfo=UTC))
    kept = judged(snv, date(2026, 7, 1))
    assert kept[0]["legal_updates"].met and legal_status(kept[1]) == "none"  # the register owed it nothing
    nothing = judged(cast.agencies["cb_snv"], date(2026, 7, 1))
    assert not nothing[0]["legal_updates"].met and legal_status(nothing[1]) == "no_data"


@pytest.mark.parametrize(("facts", "state"), [
    ({"legal_overdue": 1, "legal_late": 0, "legal_recorded": 2, "legal_register": True}, "overdue"),
    ({"legal_overdue": 0, "legal_late": 1, "legal_recorded": 2, "legal_register": True}, "late"),
    ({"legal_overdue": 0, "legal_late": 0, "legal_pending": 1, "legal_recorded": 0, "legal_register": True},
     "pending"),
    ({"legal_overdue": 0, "legal_late": 0, "legal_on_time": 1, "legal_recorded": 1, "legal_register": True},
     "on_time"),
    ({"legal_overdue": 0, "legal_late": 0, "legal_not_applicable": 1, "legal_recorded": 0, "legal_register": True},
     "not_applicable"),
    ({"legal_overdue": 0, "legal_late": 0, "legal_recorded": 0, "legal_register": True}, "none"),
    ({"legal_overdue": 0, "legal_late": 0, "legal_recorded": 0, "legal_register": False}, "no_data"),
])
def test_the_legal_rule_is_met_in_every_state_but_past_three_months_and_no_data(facts, state):
    """What the report prints by state adds up to the rule's count (tests/reports/test_consistency.py): met unless
    a change was left past its 3 months or nothing is known. The rule was labelled like the report's on-time line
    ("within 3 months") while it counts pending, not applicable and none as met too."""
    assert legal_status(facts) == state
    met = holds(RULES["legal_updates"].predicate(date(2026, 6, 1)), facts)
    assert met == (state not in ("overdue", "late", "no_data"))
    assert str(RULES["legal_updates"].label) == "Không để văn bản pháp luật quá 3 tháng chưa cập nhật"
