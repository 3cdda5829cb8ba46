"""Suggest answers to the Art. 36 checklist from the agency's QMS file.

The rules the agencies app already computes (`agencies.compliance`: announcement, edition, coverage,
internal audit, management review, legal updates, re-announcement, corrective actions) are reused as they
are; the few facts it does not cover (documents in force, complaints, improvements, the head's confirmation,
notification and posting, consultant) are read from the QMS file here. The agency sees each suggestion with
the facts behind it and decides: nothing here is binding.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Agency
from qms.compliance import evaluate, with_compliance_facts
from qms.models import DocumentStatus, QmsRecord

from .models import ChecklistResult as R


@dataclass(frozen=True)
class Suggestion:
    result: str
    note: str


def _d(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


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
        return {"scope-covers-procedures": Suggestion("", _("The agency has no QMS file in the portal."))}
    owner = with_compliance_facts(Agency.objects.filter(pk=qms.agency_id), today=today).get()
    rules = {r.code: r for r in evaluate(owner, today=today)}
    out: dict[str, Suggestion] = {}

    def from_rule(code: str, *, unmet: str = R.NOT_MET) -> Suggestion:
        rule = rules[code]
        return Suggestion(R.MET if rule.met else unmet, f"{rule.label}: {rule.reason}".rstrip(": "))

    out["scope-covers-procedures"] = from_rule("coverage_complete",
                                              unmet=R.PARTLY if owner.procedures_covered else R.NOT_MET)
    if not owner.procedures_total:
        out["scope-covers-procedures"] = Suggestion("", rules["coverage_complete"].reason)

    in_force = qms.documents.filter(status=DocumentStatus.IN_FORCE).count()
    out["documents-rolled-out"] = Suggestion("", _("%(count)d documents in force.") % {"count": in_force})

    edition = rules["edition_2015"]
    out["requirements-complied"] = Suggestion("" if edition.met else R.NOT_MET,
                                              f"{edition.label}." if edition.met else edition.reason)

    parts = [rules[c] for c in ("internal_audit", "management_review", "corrective_actions")]
    met = sum(r.met for r in parts)
    out["review-audit-corrective-action"] = Suggestion(
        R.MET if met == 3 else (R.PARTLY if met else R.NOT_MET),
        " ".join(f"{r.label}: {r.reason or _('yes')}." if r.met else f"{r.label}: {r.reason or _('no')}."
                 for r in parts))

    complaints = list(qms.complaints.filter(received_on__year=year).values_list("resolved_on", flat=True))
    if complaints:
        resolved = sum(1 for r in complaints if r)
        out["complaints-handled"] = Suggestion(R.MET if resolved == len(complaints) else R.PARTLY, _(
            "%(resolved)d of %(total)d complaints resolved.") % {"resolved": resolved, "total": len(complaints)})
    else:
        out["complaints-handled"] = Suggestion("", _("No complaint recorded in %(year)s.") % {"year": year})

    improvements = qms.improvements.filter(done_on__year=year).count()
    out["improvement-activities"] = Suggestion(R.MET if improvements else "", _(
        "%(count)d improvements recorded in %(year)s.") % {"count": improvements, "year": year})

    if qms.effectiveness_confirmed_on:
        out["effectiveness-confirmed"] = Suggestion(R.MET, _("Confirmed on %(date)s by %(who)s.") % {
            "date": _d(qms.effectiveness_confirmed_on), "who": qms.effectiveness_confirmed_by or "—"})
    else:
        out["effectiveness-confirmed"] = Suggestion(R.NOT_MET, _("The head has not confirmed effectiveness."))

    announced = rules["announced"]
    announcement = qms.announcements.order_by("-decision_date", "-pk").first()
    if not announced.met or announcement is None:
        out["announced-notified-posted"] = Suggestion(R.NOT_MET, announced.reason)
    else:
        missing = [str(label) for label, present in (
            (_("notification to the Department"), announcement.notification_date),
            (_("posting at the office"), announcement.posted_at_office_on),
            (_("posting on the website"), announcement.website_url)) if not present]
        note = _("Announcement %(number)s of %(date)s.") % {"number": announcement.decision_number,
                                                            "date": _d(announcement.decision_date)}
        if missing:
            note += " " + _("Missing: %(what)s.") % {"what": ", ".join(missing)}
        out["announced-notified-posted"] = Suggestion(R.PARTLY if missing else R.MET, note)

    out["legal-changes-within-3-months"] = from_rule("legal_updates")
    out["reannounced-after-scope-change"] = from_rule("no_reannouncement_due")

    if not qms.consultant:
        out["consultant-properly-selected"] = Suggestion(R.NOT_APPLICABLE, _("No consultant recorded."))
    else:
        out["consultant-properly-selected"] = Suggestion("", _("Consultant: %(name)s.") % {"name": qms.consultant})
    return out
