"""Suggest answers to the Art. 36 checklist from the agency's QMS file.

The compliance rules (`qms.rules`: announcement, edition, coverage,
internal audit, management review, legal updates, re-announcement, corrective actions) are reused as they
are; the few facts it does not cover (documents in force, complaints, improvements, the head's confirmation,
notification and posting, consultant) are read from the QMS file here. The agency sees each suggestion with
the facts behind it and decides: nothing here is binding.

A suggestion keeps the facts, not a sentence: codes, numbers and ISO dates (JSON), stored with the agency's
answer when the request to report is sent. `prefill_note` writes them as a sentence when the page is shown, in
the reader's language (issue 21: a suggestion stored as Vietnamese text stayed Vietnamese in English mode).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Agency
from qms.models import DocumentStatus, QmsRecord
from qms.rules import evaluate, evaluate_facts, facts_from_json, facts_of, facts_to_json, with_compliance_facts

from .models import ChecklistResult as R

# Dates of the non-rule facts below (the rule facts are read back by `qms.rules.facts_from_json`).
DATE_FACTS = {"as_of", "confirmed_on", "decision_date"}
MISSING_LABELS = {  # what an announcement may lack, in the order a note lists it
    "notification": lambda: _("notification to the Department"),
    "office": lambda: _("posting at the office"),
    "website": lambda: _("posting on the website"),
}


@dataclass(frozen=True)
class Suggestion:
    result: str
    facts: dict = field(default_factory=dict)  # JSON: what the QMS file said; see `prefill_note`

    @property
    def note(self) -> str:
        return prefill_note(self.facts)


def _json(value):
    return value.isoformat() if isinstance(value, date) else value


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _d(value) -> str:
    return date_format(_date(value), "SHORT_DATE_FORMAT") if value else "—"


def _qms_of(agency: Agency) -> QmsRecord | None:
    """The agency's own QMS, or the one that also covers it (UBND tỉnh and its Office share one)."""
    own = QmsRecord.objects.filter(agency=agency).first()
    return own or QmsRecord.objects.filter(also_covers=agency).order_by("pk").first()


def checklist_prefill(*, agency: Agency, year: int | None = None, today: date | None = None) -> dict[str, Suggestion]:
    """Suggestions by checklist item code; one explanatory note when the agency has no QMS file."""
    today = today or timezone.localdate()
    year = year or today.year
    qms = _qms_of(agency)
    if qms is None:
        return {"scope-covers-procedures": Suggestion("", {"kind": "no_qms"})}
    owner = with_compliance_facts(Agency.objects.filter(pk=qms.agency_id), today=today).get()
    met = {r.code: r.met for r in evaluate(owner, today=today)}
    facts = {"as_of": today.isoformat(), **facts_to_json(facts_of(owner))}
    out: dict[str, Suggestion] = {}

    def rules(*codes: str) -> dict:
        return {"kind": "rules", "rules": list(codes), **facts}

    covered = R.MET if met["coverage_complete"] else (R.PARTLY if owner.procedures_covered else R.NOT_MET)
    out["scope-covers-procedures"] = Suggestion(covered if owner.procedures_total else "", rules("coverage_complete"))

    in_force = qms.documents.filter(status=DocumentStatus.IN_FORCE).count()
    out["documents-rolled-out"] = Suggestion("", {"kind": "documents", "count": in_force})

    out["requirements-complied"] = Suggestion("" if met["edition_2015"] else R.NOT_MET, rules("edition_2015"))

    parts = ("internal_audit", "management_review", "corrective_actions")
    done = sum(met[code] for code in parts)
    out["review-audit-corrective-action"] = Suggestion(R.MET if done == 3 else (R.PARTLY if done else R.NOT_MET),
                                                       rules(*parts))

    complaints = list(qms.complaints.filter(received_on__year=year).values_list("resolved_on", flat=True))
    resolved = sum(1 for r in complaints if r)
    out["complaints-handled"] = Suggestion(
        (R.MET if resolved == len(complaints) else R.PARTLY) if complaints else "",
        {"kind": "complaints", "year": year, "total": len(complaints), "resolved": resolved})

    improvements = qms.improvements.filter(done_on__year=year).count()
    out["improvement-activities"] = Suggestion(R.MET if improvements else "",
                                               {"kind": "improvements", "year": year, "count": improvements})

    out["effectiveness-confirmed"] = Suggestion(
        R.MET if qms.effectiveness_confirmed_on else R.NOT_MET,
        {"kind": "effectiveness", "confirmed_on": _json(qms.effectiveness_confirmed_on),
         "by": qms.effectiveness_confirmed_by or ""})

    announcement = qms.announcements.order_by("-decision_date", "-pk").first()
    if not met["announced"] or announcement is None:
        out["announced-notified-posted"] = Suggestion(R.NOT_MET, rules("announced"))
    else:
        missing = [key for key, present in (("notification", announcement.notification_date),
                                            ("office", announcement.posted_at_office_on),
                                            ("website", announcement.website_url)) if not present]
        out["announced-notified-posted"] = Suggestion(R.PARTLY if missing else R.MET, {
            "kind": "announcement", "number": announcement.decision_number,
            "decision_date": _json(announcement.decision_date), "missing": missing})

    out["legal-changes-within-3-months"] = Suggestion(R.MET if met["legal_updates"] else R.NOT_MET,
                                                      rules("legal_updates"))
    out["reannounced-after-scope-change"] = Suggestion(R.MET if met["no_reannouncement_due"] else R.NOT_MET,
                                                       rules("no_reannouncement_due"))

    out["consultant-properly-selected"] = Suggestion(R.NOT_APPLICABLE if not qms.consultant else "",
                                                     {"kind": "consultant", "name": qms.consultant})
    return out


def _rules_note(facts: dict) -> str:
    """Each rule as "<rule>: met." or "<rule>: not met. <why>", judged as of the date the facts were read, by the
    rules' own predicates read in Python (`qms.rules.evaluate_facts`, held equal to SQL by a test)."""
    results = {r.code: r for r in evaluate_facts(facts_from_json(facts), as_of=_date(facts["as_of"]))}
    sentences = []
    for code in facts["rules"]:
        rule = results[code]
        verdict = _("%(rule)s: met.") if rule.met else _("%(rule)s: not met.")
        sentences += [verdict % {"rule": rule.label}, rule.reason]
    return " ".join(filter(None, sentences))


def prefill_note(facts: dict) -> str:
    """The facts behind a suggestion as sentences in the active language; "" when there are none."""
    kind = facts.get("kind") if facts else None
    if kind == "rules":
        return _rules_note(facts)
    if kind == "no_qms":
        return _("The agency has no QMS file in the portal.")
    if kind == "documents":
        return _("%(count)d documents in force.") % {"count": facts["count"]}
    if kind == "complaints":
        if not facts["total"]:
            return _("No complaint recorded in %(year)s.") % {"year": facts["year"]}
        return _("%(resolved)d of %(total)d complaints resolved.") % facts
    if kind == "improvements":
        return _("%(count)d improvements recorded in %(year)s.") % facts
    if kind == "effectiveness":
        if not facts["confirmed_on"]:
            return _("The head has not confirmed effectiveness.")
        return _("Confirmed on %(date)s by %(who)s.") % {"date": _d(facts["confirmed_on"]), "who": facts["by"] or "—"}
    if kind == "announcement":
        note = _("Announcement %(number)s of %(date)s.") % {"number": facts["number"],
                                                            "date": _d(facts["decision_date"])}
        if facts["missing"]:
            what = ", ".join(str(MISSING_LABELS[key]()) for key in facts["missing"])
            note += " " + _("Missing: %(what)s.") % {"what": what}
        return note
    if kind == "consultant":
        return _("Consultant: %(name)s.") % facts if facts["name"] else _("No consultant recorded.")
    return ""
