"""The compliance filters of a query string: the compliance page, its XLSX export and the compliance API read the
same ones (`qms.selectors.compliance_list` takes them)."""

from django.utils import timezone

from agencies.models import AgencyKind
from qms_portal.queries import bool_param, choice_param, int_param

from .models import Stage
from .rules import RULES

# The query-string keys compliance_params reads (an export job keeps them to link back to the page it came from).
FILTER_KEYS = ("rule", "kind", "stage", "province", "mandatory", "sort")


def compliance_params(params) -> dict:
    """The compliance filters of a query string (the page, its XLSX and the API read the same ones), checked: a
    value that is not valid is a 400 naming it (`qms_portal.queries`)."""
    return {
        "rule": choice_param(params, "rule", RULES),
        "kind": choice_param(params, "kind", AgencyKind.values),
        "stage": choice_param(params, "stage", Stage.values),
        "province": int_param(params, "province", maximum=999),
        "mandatory_only": bool(bool_param(params, "mandatory")),
        "sort": choice_param(params, "sort", [*RULES, "stage"]) or "",
        "today": timezone.localdate(),
    }
