"""Writes: reporting periods, the agency report workflow and requests for consolidated reports.

Every function is keyword-only, runs in one transaction, refuses illegal moves with a translated message and
leaves a trace (django-simple-history with a reason, or the audit log).
"""

import logging
import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import require, require_unit
from agencies.models import Agency, Province, ProvinceSettings
from qms_portal.audit import audit_record
from qms_portal.dates import short_date
from qms_portal.errors import ConflictError
from qms_portal.text import normalize_text

from .kinds import KINDS, kind_spec
from .models import (
    ACTIVE_STATUSES,
    AgencyReport,
    AgencyReportStatus,
    BudgetLine,
    ConsolidatedReport,
    PeriodKind,
    ReportingPeriod,
    ReportStatus,
)
from .prefill import agency_report_facts

logger = logging.getLogger(__name__)

NARRATIVE_KEYS = ("direction", "results", "difficulties", "proposals", "signing_capacity", "signer_name")
TEXT_FIELDS = ("difficulties", "proposals", "other_notes")
REQUIRED_TO_SUBMIT = ("difficulties", "proposals")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


# --- periods -------------------------------------------------------------------------------------------------


def period_defaults(*, year: int, kind: str) -> dict:
    """Data window and deadline of a regular period (Decree 09/2019 windows; deadlines are practice).

    6-month: 15/12 of the previous year to 14/06, due 20/06; annual: 15/12 to 14/12, due 20/12. A deployment
    may change the deadline days with REPORTS_SIX_MONTH_DEADLINE / REPORTS_ANNUAL_DEADLINE = (month, day);
    each period stays editable afterwards.
    """
    start = date(year - 1, 12, 15)
    if kind == PeriodKind.SIX_MONTH:
        month, day = getattr(settings, "REPORTS_SIX_MONTH_DEADLINE", (6, 20))
        return {"window_start": start, "window_end": date(year, 6, 14), "deadline": date(year, month, day)}
    if kind == PeriodKind.ANNUAL:
        month, day = getattr(settings, "REPORTS_ANNUAL_DEADLINE", (12, 20))
        return {"window_start": start, "window_end": date(year, 12, 14), "deadline": date(year, month, day)}
    raise ValidationError({"kind": _("An ad hoc period needs its own dates.")})


def _check_period(period: ReportingPeriod) -> None:
    errors = {}
    if period.window_end < period.window_start:
        errors["window_end"] = _("The data window ends before it starts.")
    if period.deadline < period.window_start:
        errors["deadline"] = _("The deadline is before the data window starts.")
    if period.kind == PeriodKind.AD_HOC and not period.title:
        errors["title"] = _("Give the ad hoc period a title.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reporting_period_create(*, actor, province: Province, year: int, kind: str, title: str = "",
                            window_start: date | None = None, window_end: date | None = None,
                            deadline: date | None = None) -> ReportingPeriod:
    if actor is not None:
        require(actor, "period.manage")
        require_unit(actor, province_id=province.pk)
    if kind != PeriodKind.AD_HOC:
        defaults = period_defaults(year=year, kind=kind)
        window_start, window_end = window_start or defaults["window_start"], window_end or defaults["window_end"]
        deadline = deadline or defaults["deadline"]
        if ReportingPeriod.objects.filter(province=province, year=year, kind=kind).exists():
            raise ValidationError({"kind": _("This province already has a %(kind)s period for %(year)s.")
                                   % {"kind": PeriodKind(kind).label, "year": year}})
    elif not (window_start and window_end and deadline):
        raise ValidationError({"window_start": _("An ad hoc period needs its data window and deadline.")})
    period = ReportingPeriod(province=province, year=year, kind=kind, title=normalize_text(title or ""),
                             window_start=window_start, window_end=window_end, deadline=deadline,
                             created_by=actor if getattr(actor, "pk", None) else None)
    _check_period(period)
    period._history_user = actor if getattr(actor, "pk", None) else None
    period.save()
    return period


@transaction.atomic
def reporting_period_update(*, actor, period: ReportingPeriod, data: dict[str, Any],
                            reason: str = "") -> ReportingPeriod:
    require(actor, "period.manage")
    require_unit(actor, province_id=period.province_id)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    for key in ("title", "window_start", "window_end", "deadline"):
        if key in data:
            setattr(period, key, normalize_text(data[key]) if key == "title" else data[key])
    _check_period(period)
    period._history_user = actor
    period._change_reason = reason
    period.save()
    return period


def reporting_periods_ensure(*, year: int, provinces=None) -> int:
    """Create the default 6-month and annual periods of `year` for every province that has its settings."""
    if provinces is None:
        provinces = Province.objects.filter(pk__in=ProvinceSettings.objects.values("province_id"))
    created = 0
    for province in provinces:
        for kind in (PeriodKind.SIX_MONTH, PeriodKind.ANNUAL):
            if not ReportingPeriod.objects.filter(province=province, year=year, kind=kind).exists():
                reporting_period_create(actor=None, province=province, year=year, kind=kind)
                created += 1
    return created


# --- agency reports ------------------------------------------------------------------------------------------


def _save(report: AgencyReport, *, actor, reason: str = "") -> None:
    report.version += 1
    report._history_user = actor if getattr(actor, "pk", None) else None
    report._change_reason = reason[:100]
    report.save()


def _refresh_facts(report: AgencyReport) -> None:
    report.data = agency_report_facts(agency=report.agency, period=report.period)
    report.data_as_of = timezone.now()


def _lock(report: AgencyReport, version: int | None = None) -> AgencyReport:
    locked = AgencyReport.objects.select_for_update().select_related("period", "agency", "agency__province").get(
        pk=report.pk)
    if version is not None and version != locked.version:
        raise ConflictError(_("The report was changed by someone else. Reload it and try again."))
    return locked


@transaction.atomic
def agency_report_create(*, actor, period: ReportingPeriod, agency: Agency,
                         today: date | None = None) -> AgencyReport:
    require(actor, "agency_report.draft")
    require_unit(actor, agency_id=agency.pk)
    if agency.province_id != period.province_id:
        raise ValidationError({"agency": _("The agency does not belong to the period's province.")})
    if not period.has_started(today):
        raise ValidationError({"period": _("This reporting period has not started yet (it starts on %(date)s).")
                               % {"date": short_date(period.window_start)}})
    if AgencyReport.objects.filter(period=period, agency=agency).exists():
        raise ValidationError({"period": _("The agency already has a report for this period.")})
    report = AgencyReport(period=period, agency=agency, created_by=actor if getattr(actor, "pk", None) else None)
    _refresh_facts(report)
    report.version = 0
    _save(report, actor=actor, reason="created")
    return report


def _clean_funding(value) -> dict:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError({"funding": _("Give the amounts as budget line: amount in VND.")})
    cleaned = {}
    for key, amount in value.items():
        if key not in BudgetLine.values:
            raise ValidationError({"funding": _("Unknown budget line: %(line)s.") % {"line": str(key)[:40]}})
        if amount in (None, ""):
            continue
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0 or amount > 10**13:
            raise ValidationError({"funding": _("Amounts are whole, non-negative numbers of VND.")})
        cleaned[key] = amount
    return cleaned


@transaction.atomic
def agency_report_update(*, actor, report: AgencyReport, data: dict[str, Any],
                         version: int | None = None) -> AgencyReport:
    require(actor, "agency_report.draft")
    require_unit(actor, agency_id=report.agency_id)
    report = _lock(report, version)
    if not report.is_editable:
        raise ValidationError(_("A submitted report is frozen. Ask the Department of Science and Technology to "
                                "reopen it if it must change."))
    for key in TEXT_FIELDS:
        if key in data:
            setattr(report, key, normalize_text(data[key] or "", multiline=True))
    if "funding" in data:
        report.funding = _clean_funding(data["funding"])
    _refresh_facts(report)
    _save(report, actor=actor, reason="edited")
    return report


@transaction.atomic
def agency_report_submit(*, actor, report: AgencyReport, version: int | None = None) -> AgencyReport:
    """The head submits: the facts are taken from the QMS file one last time and frozen."""
    require(actor, "agency_report.submit")
    require_unit(actor, agency_id=report.agency_id)
    report = _lock(report, version)
    if not report.is_editable:
        raise ValidationError(_("This report has already been submitted."))
    missing = [str(AgencyReport._meta.get_field(f).verbose_name) for f in REQUIRED_TO_SUBMIT
               if not getattr(report, f).strip()]
    if missing:
        raise ValidationError({f: _("Fill this in before submitting (write “None” if there is nothing to say).")
                               for f in REQUIRED_TO_SUBMIT if not getattr(report, f).strip()})
    now = timezone.now()
    _refresh_facts(report)
    report.status = AgencyReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = now, actor if getattr(actor, "pk", None) else None
    report.first_submitted_at = report.first_submitted_at or now
    _save(report, actor=actor, reason="submitted")
    from .agency_printing import agency_report_issue

    agency_report_issue(report=report, issued_on=timezone.localdate(now))
    return report


def _back_with_the_agency(report: AgencyReport) -> None:
    """A returned or reopened report leaves the issue it was submitted as: a new revision, so that a PDF still
    being rendered for that issue stores nothing (`Printable`), and the report is no longer served as that
    document (`AgencyReport.is_issued`). The register keeps the number with the PDF issued under it."""
    report.revision += 1


def _reason(reason: str, field: str = "reason") -> str:
    reason = normalize_text(reason or "", multiline=True)
    if not reason:
        raise ValidationError({field: _("Give a reason.")})
    return reason


def _require_review_scope(actor, report: AgencyReport) -> None:
    require(actor, "agency_report.review")
    require_unit(actor, province_id=report.period.province_id)


@transaction.atomic
def agency_report_accept(*, actor, report: AgencyReport) -> AgencyReport:
    _require_review_scope(actor, report)
    report = _lock(report)
    if report.status != AgencyReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    report.status, report.reviewed_at, report.reviewed_by = AgencyReportStatus.ACCEPTED, timezone.now(), actor
    report.review_note = ""
    _save(report, actor=actor, reason="accepted")
    return report


@transaction.atomic
def agency_report_return(*, actor, report: AgencyReport, reason: str) -> AgencyReport:
    """Return a submitted report for correction; it stays received (and on time if it was)."""
    _require_review_scope(actor, report)
    reason = _reason(reason)
    report = _lock(report)
    if report.status != AgencyReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    report.status, report.reviewed_at, report.reviewed_by = AgencyReportStatus.RETURNED, timezone.now(), actor
    report.review_note = reason
    _back_with_the_agency(report)
    _save(report, actor=actor, reason=f"returned: {reason}")
    return report


@transaction.atomic
def agency_report_reopen(*, actor, report: AgencyReport, reason: str) -> AgencyReport:
    """Unfreeze a submitted or accepted report; the reason is recorded in its history."""
    _require_review_scope(actor, report)
    reason = _reason(reason)
    report = _lock(report)
    if report.status not in (AgencyReportStatus.SUBMITTED, AgencyReportStatus.ACCEPTED):
        raise ValidationError(_("Only a submitted or accepted report can be reopened."))
    report.status, report.reviewed_at, report.reviewed_by = AgencyReportStatus.DRAFT, timezone.now(), actor
    report.review_note = reason
    _back_with_the_agency(report)
    _save(report, actor=actor, reason=f"reopened: {reason}")
    return report


# --- consolidated reports ------------------------------------------------------------------------------------


def verification_code_new() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not ConsolidatedReport.objects.filter(verification_code=code).exists():
            return code


def scope_key_of(*, kind: str, period: ReportingPeriod | None, year: int, period_kind: str) -> str:
    if period is not None:
        return f"{kind}/p{period.pk}"
    return f"{kind}/{year}/{period_kind}"


def issuer_of(*, kind: str, province_id: int | None) -> Agency | None:
    """The agency that issues a kind of report for a province (None: the Ministry), as the kind says."""
    return kind_spec(kind).issuer(province_id=province_id)


def printed_issuer(issuer: Agency | None):
    """The issuing body as printed (agencies.issuers): the agency's, or the Ministry's for the roll-up."""
    from agencies.issuers import issuer_of as printed_of
    from agencies.issuers import ministry_issuer

    return printed_of(issuer) if issuer is not None else ministry_issuer()


def clean_narrative(narrative) -> dict:
    if narrative in (None, ""):
        return {}
    if not isinstance(narrative, dict):
        raise ValidationError({"narrative": _("Give the narrative as sections: %(keys)s.")
                                  % {"keys": ", ".join(NARRATIVE_KEYS)}})
    unknown = set(narrative) - set(NARRATIVE_KEYS)
    if unknown:
        raise ValidationError({"narrative": _("Unknown section: %(name)s.") % {"name": sorted(unknown)[0][:40]}})
    cleaned = {}
    for key in NARRATIVE_KEYS:
        value = narrative.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str) or len(value) > 20000:
            raise ValidationError({"narrative": _("Each section is text of at most 20,000 characters.")})
        text = normalize_text(value, multiline=True)
        if text:
            cleaned[key] = text
    return cleaned


def consolidated_report_request(*, actor, kind: str, period: ReportingPeriod | None = None,
                                year: int | None = None, period_kind: str | None = None, narrative=None,
                                scheduled: bool = False, today: date | None = None) -> tuple[ConsolidatedReport, bool]:
    """Queue a consolidated report; return (report, created). While one for the same kind and scope is queued
    or running, that one is returned and nothing new is queued."""
    today = today or timezone.localdate()
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind of report.")})
    spec = kind_spec(kind)
    if actor is not None:
        require(actor, f"report.request.{kind}")
    if spec.national:
        period = None
        period_kind = period_kind or PeriodKind.ANNUAL
        if not year or period_kind not in spec.period_kinds:
            raise ValidationError({"year": str(spec.period_refusal)})
        window_start = period_defaults(year=year, kind=period_kind)["window_start"]
        province_id = None
    else:
        if period is None:
            raise ValidationError({"period": _("Choose the reporting period.")})
        if actor is not None:
            require_unit(actor, province_id=period.province_id)
        spec.period_check(period)
        year, period_kind, window_start, province_id = period.year, period.kind, period.window_start, period.province_id
    if today < window_start:
        raise ValidationError({"period": _("This reporting period has not started yet (it starts on %(date)s).")
                               % {"date": short_date(window_start)}})
    issuer = issuer_of(kind=kind, province_id=province_id)
    narrative = clean_narrative(narrative)
    if form := narrative.get("signing_capacity"):
        printed = printed_issuer(issuer)
        if form not in printed.forms:
            raise ValidationError({"signing_capacity": _("%(body)s signs in one of these forms: %(forms)s.") % {
                "body": printed.name, "forms": "; ".join(label for _value, label in printed.form_choices())}})
    key = scope_key_of(kind=kind, period=period, year=year, period_kind=period_kind)
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        running = ConsolidatedReport.objects.select_for_update().filter(scope_key=key, status__in=ACTIVE_STATUSES)
        existing = running.first()
        if existing is not None:
            return existing, False
        version = (ConsolidatedReport.objects.filter(scope_key=key).aggregate(v=Max("version"))["v"] or 0) + 1
        report = ConsolidatedReport(kind=kind, province_id=province_id, period=period, year=year,
                                    period_kind=period_kind, scope_key=key, version=version, narrative=narrative,
                                    requested_by=user, scheduled=scheduled, issuer=issuer,
                                    issuer_name=issuer.name if issuer else "",
                                    verification_code=verification_code_new())
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # a concurrent request won the race: return its report
            existing = ConsolidatedReport.objects.filter(scope_key=key, status__in=ACTIVE_STATUSES).first()
            if existing is None:
                raise
            return existing, False
        audit_record(action="requested", user=user, object_type="reports.consolidatedreport", object_id=report.pk,
                     summary=f"{report.get_kind_display()} · {report.scope_label} v{version}")
        report_enqueue(report_id=report.pk)
    return report, True


DELAYED_MESSAGE = gettext_lazy("Generation is delayed: the background queue is not reachable. The report stays "
                               "queued and starts by itself as soon as the queue is back; nothing is lost.")


def report_enqueue(*, report_id: int) -> None:
    """Send the task once the row is committed. If the broker is down, the report stays queued with a note
    saying so, and `reports.requeue_stale` (beat) sends it again once the broker is back."""
    transaction.on_commit(lambda: _send(report_id))


def _send(report_id: int) -> None:
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import generate_report

    try:
        generate_report.apply_async((report_id,), retry=False)
    except (BrokerError, ConnectionError, OSError) as exc:
        logger.warning("consolidated report %s: broker unreachable, left queued: %s", report_id, exc)
        ConsolidatedReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
            error=str(DELAYED_MESSAGE))


def report_status_url(report: ConsolidatedReport) -> str:
    from django.urls import reverse

    return reverse("consolidated-report-detail", kwargs={"pk": report.pk})


FILE_FORMATS = ("pdf", "xlsx", "docx")


def stored_file_for(*, report: ConsolidatedReport, fmt: str):
    """The stored PDF, XLSX or DOCX of a finished report; a clear error while it is not (or never will be) there."""
    if fmt not in FILE_FORMATS:
        raise ValidationError({"format": _("Choose pdf, xlsx or docx.")})
    if report.status == ReportStatus.FAILED:
        raise ConflictError(_("This report failed and has no file: %(error)s Request it again.")
                            % {"error": report.error or "—"})
    if report.status != ReportStatus.DONE:
        raise ConflictError(_("This report is not ready yet; wait until it is done."))
    stored = {"pdf": report.pdf, "xlsx": report.xlsx, "docx": report.docx}[fmt]
    if stored is None:  # compiled before the worker made the DOCX: an issued report is never changed
        raise ConflictError(_("This report was compiled before Word drafts were made; request a new issue of it "
                              "to get its DOCX."))
    return stored
