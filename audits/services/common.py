"""Helpers shared by the audit services."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Province, ProvinceSettings
from qms_portal.dates import short_date as short  # noqa: F401  (the audit services' name for it)


def today_or(today: date | None) -> date:
    return today or timezone.localdate()


def inspecting_unit_of(province: Province | int) -> Agency:
    """The province's inspecting unit (configurable; the lead agency when none is set)."""
    province_id = getattr(province, "pk", province)
    settings_row = ProvinceSettings.objects.select_related("inspecting_agency", "lead_agency").filter(
        province_id=province_id).first()
    unit = settings_row and (settings_row.inspecting_agency or settings_row.lead_agency)
    if unit is None:
        raise ValidationError(_("The province has no inspecting unit yet: the administrator sets it in the "
                                "province settings."))
    return unit


def not_in_future(value: date | None, *, field: str, today: date) -> None:
    if value and value > today:
        raise ValidationError({field: _("The date cannot be in the future.")})


def bump_revision(obj) -> None:
    """Mark a printable document as changed: its PDF must be rendered again."""
    type(obj).objects.filter(pk=obj.pk).update(revision=F("revision") + 1)
    obj.refresh_from_db(fields=["revision"])


def agency_names(agencies) -> str:
    return ", ".join(a.name for a in agencies)


def signing_form_clean(value: str | None, *, issuer: Agency) -> str:
    """The signing form chosen for a document of `issuer`: one Decree 30 allows that body ("" is its head)."""
    from agencies.issuers import issuer_of

    value = (value or "").strip()
    printed = issuer_of(issuer)
    if value and value not in printed.forms:
        raise ValidationError({"signing_capacity": _("%(body)s signs in one of these forms: %(forms)s.") % {
            "body": issuer.name, "forms": "; ".join(label for _value, label in printed.form_choices())}})
    return value
