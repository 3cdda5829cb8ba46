"""`{% finding_status finding %}`: a finding's state as badges (overdue, then its status)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from audits.models import FindingStatus

register = template.Library()

STATUS_BADGES = {FindingStatus.ACCEPTED: "badge badge-ok", FindingStatus.RESPONDED: "badge"}  # others: to do


@register.simple_tag
def finding_status(finding) -> str:
    """A tag, not an included template: the findings board shows 25 of them a page."""
    overdue = (format_html('<span class="badge badge-bad">{}</span>\n', gettext("Overdue"))
               if getattr(finding, "is_overdue", False) else "")
    return format_html('{}<span class="{}">{}</span>', overdue, STATUS_BADGES.get(finding.status, "badge badge-warn"),
                       finding.get_status_display())
