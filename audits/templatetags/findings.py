"""`{% finding_status finding %}`: a finding's state as badges (overdue, then its status)."""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from audits.models import FindingStatus

register = template.Library()

STATUS_BADGES = {FindingStatus.ACCEPTED: "badge badge-ok", FindingStatus.RESPONDED: "badge",
                 FindingStatus.WITHDRAWN: "badge"}  # others: to do


@register.simple_tag
def finding_status(finding) -> str:
    """A tag, not an included template: the findings board shows 25 of them a page."""
    return _badges(finding.status, bool(getattr(finding, "is_overdue", False)), get_language())


@lru_cache(maxsize=64)
def _badges(status: str, overdue: bool, language: str | None) -> str:
    """The same few badges on every row: drawn once per status, overdue or not, and language."""
    late = format_html('<span class="badge badge-bad">{}</span>\n', gettext("Overdue")) if overdue else ""
    return format_html('{}<span class="{}">{}</span>', late, STATUS_BADGES.get(status, "badge badge-warn"),
                       FindingStatus(status).label)
