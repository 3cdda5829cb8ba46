"""E-mail reminders about agency reports (daily beat run).

- Before the deadline (`REPORTS_REMINDER_DAYS_BEFORE`, default 7 days): the ISO officers and heads of every
  expected agency that has not submitted, once per period.
- After the deadline: the missing agencies once a week, and a weekly digest of the missing agencies to the
  province's inspectors and department leaders.

Each e-mail is logged under a unique key before it is sent, so a beat task that runs twice sends nothing twice.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import AGENCY_ROLES, Role
from qms_portal.links import portal_url
from qms_portal.mail import send_templated

from .models import ReminderKind, ReportingPeriod, ReportReminder
from .selectors import completeness_from_rows, period_agencies

logger = logging.getLogger(__name__)
AFTER_DEADLINE_FOR = timedelta(days=60)


def _claim(*, kind: str, key: str, period, agency=None, recipients: list[str]) -> bool:
    try:
        with transaction.atomic():
            ReportReminder.objects.create(kind=kind, key=key[:160], period=period, agency=agency,
                                          recipients=", ".join(recipients))
    except IntegrityError:
        return False
    return True


def _send(template: str, context: dict, to: list[str]) -> None:
    send_templated(f"reports/email/{template}", context, to)


def _emails(**filters) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, **filters).exclude(email="").order_by("username")
    return [u.email for u in users]


def reminders_send(*, today: date | None = None, days_before: int | None = None) -> dict:
    today = today or timezone.localdate()
    days_before = days_before if days_before is not None else int(getattr(settings, "REPORTS_REMINDER_DAYS_BEFORE", 7))
    year, week_number = today.isocalendar()[:2]
    week = f"{year}-W{week_number:02d}"
    sent = {"due_soon": 0, "missing": 0, "digest": 0}
    periods = ReportingPeriod.objects.filter(window_start__lte=today, deadline__gte=today - AFTER_DEADLINE_FOR)
    for period in periods.select_related("province"):
        before = 0 <= (period.deadline - today).days <= days_before
        after = today > period.deadline
        if not (before or after):
            continue
        missing = completeness_from_rows(period_agencies(period=period)).missing_agencies
        link = portal_url(reverse("reports:period", kwargs={"pk": period.pk}))
        for agency in missing:
            to = _emails(membership__agency=agency, membership__role__in=list(AGENCY_ROLES))
            if agency.email and agency.email not in to:
                to.append(agency.email)
            if not to:
                continue
            kind = ReminderKind.DUE_SOON if before else ReminderKind.MISSING
            key = f"{kind}:{period.pk}:{agency.pk}" + ("" if before else f":{week}")
            if _claim(kind=kind, key=key, period=period, agency=agency, recipients=to):
                _send(kind, {"period": period, "agency": agency, "link": link, "deadline": period.deadline}, to)
                sent[kind] += 1
        if after and missing:
            for email in _emails(membership__province=period.province,
                                 membership__role__in=[Role.INSPECTOR, Role.DEPARTMENT_LEADER]):
                key = f"digest:{period.pk}:{email}:{week}"
                if _claim(kind=ReminderKind.DIGEST, key=key, period=period, recipients=[email]):
                    _send("digest", {"period": period, "agencies": missing, "link": link,
                                     "deadline": period.deadline}, [email])
                    sent["digest"] += 1
    return sent
