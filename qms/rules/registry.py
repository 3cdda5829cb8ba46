"""The compliance rules, each defined once: code, label, next step, predicate (a `Q` over the facts of
`facts.py`), explanation, and the date it is judged at (`as_of`, given to the predicate and the explanation).

Adding a rule is one `Rule(...)` below, its translations and its tests: the compliance page, its filter and
sort, the API, the XLSX export, the dashboard panels, the report indicators and the checklist suggestions all
iterate over `RULES`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qms_portal.dates import short_date

from ..models import Edition, Stage
from .facts import year_start

# Stages of an agency that has a QMS (built, applied or announced): it is on an edition; one not started is not.
STARTED_STAGES = (Stage.BUILDING, Stage.APPLYING, Stage.ANNOUNCED, Stage.MAINTAINING, Stage.REANNOUNCEMENT_DUE)
ANNOUNCED_STAGES = (Stage.ANNOUNCED, Stage.MAINTAINING)
# Agencies on TCVN ISO 9001:2008 had to move to 2015 by this day (official letter 419/BKHCN-TĐC, 2018).
ISO_2008_UNTIL = date(2021, 6, 30)


def edition_of(stage: str | None, edition: str | None) -> str:
    """The edition an agency is on: "" until its QMS is started (a record not started keeps a default edition)."""
    return (edition or "") if stage in STARTED_STAGES else ""


@dataclass(frozen=True)
class Rule:
    code: str
    label: str  # lazy translation
    next_step: str  # lazy translation
    predicate: Callable[[date], Q]  # as_of -> Q over the facts: the rule is met
    explain: Callable[[Mapping, date], tuple[str, date | None]]  # (facts, as_of) -> (reason, due date)

    @property
    def verdict(self) -> str:
        """Name of the SQL annotation holding the verdict (see `evaluation.with_compliance_facts`)."""
        return f"met_{self.code}"


def _announced(facts, as_of):
    if facts["valid_announcement"] and facts["stage"] in ANNOUNCED_STAGES:
        return _("Last announcement on %(date)s.") % {"date": short_date(facts["last_announcement_on"])}, None
    if facts["last_announcement_on"] and facts["edition"] and not facts["valid_announcement"]:
        return _("The last announcement was made under another edition of the standard."), None
    if facts["valid_announcement"]:
        return _("Announced, but the QMS stage is not announced or maintaining."), None
    return _("No announcement has been recorded."), None


def _edition(facts, as_of):
    if facts["stage"] not in STARTED_STAGES:
        return _("The QMS has not been set up yet."), None
    if facts["edition"] == Edition.ISO_2015:
        return "", None
    if as_of <= ISO_2008_UNTIL:
        return _("On TCVN ISO 9001:2008, in force until 30/06/2021."), None
    return _("Still on TCVN ISO 9001:2008; the move was due by 30/06/2021."), None


def _on_edition_in_force(as_of: date) -> Q:
    """On 2015, or on 2008 while it was still allowed (judged as of a date up to 30/06/2021)."""
    editions = [Edition.ISO_2015] + ([Edition.ISO_2008] if as_of <= ISO_2008_UNTIL else [])
    return Q(edition__in=editions, stage__in=STARTED_STAGES)


def _coverage(facts, as_of):
    total, covered = facts["procedures_total"], facts["procedures_covered"]
    if not total:
        return _("No administrative procedure has been listed."), None
    return _("%(covered)s of %(total)s procedures covered.") % {"covered": covered, "total": total}, None


def _held(fact, facts, as_of):
    """The explanation of a rule met by `fact` (a date) falling in the calendar year of `as_of`; bound to its fact
    with `partial` below (a top-level function, so that mutation testing reaches it)."""
    held_on = facts[fact]
    met = bool(held_on) and held_on >= year_start(as_of)
    reason = _("Last held on %(date)s.") % {"date": short_date(held_on)} if held_on else _("Never held.")
    return reason, None if met else date(as_of.year, 12, 31)


def _legal(facts, as_of):
    overdue, late = facts["legal_overdue"], facts["legal_late"]
    if overdue:
        reason = _("%(n)s legal change(s) not yet reflected past the 3-month deadline.") % {"n": overdue}
    elif late:
        reason = _("%(n)s legal change(s) reflected late this year.") % {"n": late}
    elif facts.get("legal_pending"):
        reason = _("%(n)s legal change(s) to reflect within their 3 months.") % {"n": facts["legal_pending"]}
    elif not facts["legal_recorded"] and facts["legal_register"]:
        reason = _("No legal change of the register applied to this agency.")
    elif not facts["legal_recorded"]:
        reason = _("No data: no legal change has been recorded.")
    else:
        reason = _("Every legal change was reflected in time.")
    return reason, facts["legal_next_due"]


def _reannouncement(facts, as_of):
    if facts["stage"] == Stage.REANNOUNCEMENT_DUE:
        return facts["reannouncement_reason"] or _("The scope, the edition or the agency changed."), None
    return "", None


def _actions(facts, as_of):
    n = facts["actions_overdue"]
    return (_("%(n)s corrective action(s) past due.") % {"n": n} if n else ""), facts["actions_next_due"]


RULES: dict[str, Rule] = {rule.code: rule for rule in (
    Rule("announced", _("Announced, and the announcement is valid"),
         _("Record the announcement decision (and notify the Department of Science and Technology)."),
         lambda as_of: Q(valid_announcement=True, stage__in=ANNOUNCED_STAGES), _announced),
    Rule("edition_2015", _("On the TCVN ISO 9001:2015 edition"),
         _("Move the system to TCVN ISO 9001:2015 and re-announce it."),
         _on_edition_in_force, _edition),
    Rule("coverage_complete", _("Every administrative procedure is covered by a work process"),
         _("Write work processes for the procedures that have none, or import the procedure list."),
         lambda as_of: Q(procedures_uncovered=0) & Q(procedures_total__gt=0), _coverage),
    Rule("internal_audit", _("Internal audit held this calendar year"),
         _("Hold this year's internal audit and record it."),
         lambda as_of: Q(last_internal_audit_on__gte=year_start(as_of)), partial(_held, "last_internal_audit_on")),
    Rule("management_review", _("Management review held this calendar year"),
         _("Hold this year's management review and record it."),
         lambda as_of: Q(last_review_on__gte=year_start(as_of)), partial(_held, "last_review_on")),
    # Met unless a change was left past its 3 months (late or still owed), once anything is known: the on-time
    # agencies of the report are only part of them (`legal_status`: pending, not applicable and none meet it too).
    Rule("legal_updates", _("No legal change left past its 3 months"),
         _("Update the system for the legal documents listed and record the date."),
         lambda as_of: Q(legal_overdue=0, legal_late=0) & (Q(legal_recorded__gt=0) | Q(legal_register=True)),
         _legal),
    Rule("no_reannouncement_due", _("No re-announcement due"),
         _("Issue a re-announcement decision and record it."),
         lambda as_of: ~Q(stage=Stage.REANNOUNCEMENT_DUE), _reannouncement),
    Rule("corrective_actions", _("No corrective action past its due date"),
         _("Close the overdue corrective actions or record their completion."),
         lambda as_of: Q(actions_overdue=0), _actions),
)}
