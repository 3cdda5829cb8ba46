"""`{% obligation_badge level %}`: an agency's ISO 9001 obligation as a badge, labelled by `ObligationLevel`."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from agencies.models import ObligationLevel

register = template.Library()

BADGE_CLASSES = {ObligationLevel.MANDATORY: "badge badge-strong", ObligationLevel.ENCOURAGED: "badge",
                 ObligationLevel.NOT_APPLICABLE: "badge badge-muted"}


@register.simple_tag
def obligation_badge(level) -> str:
    """A tag, not an included template: the agency list shows 25 of them a page."""
    if level in BADGE_CLASSES:
        return format_html('<span class="{}">{}</span>', BADGE_CLASSES[level], ObligationLevel(level).label)
    return format_html('<span class="badge badge-muted">{}</span>', gettext("Not set"))
