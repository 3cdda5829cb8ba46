"""Helpers shared by the audit services."""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Province, ProvinceSettings
from qms_portal.dates import short_date as short  # noqa: F401  (the audit services' name for it)
from qms_portal.errors import ConflictError


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


# --- two tabs, one checklist: write what this page changed, never its untouched values over a newer save -------

KEEP, WRITE, CLASH = "keep", "write", "clash"


def edit_digest(*values) -> str:
    """A short fingerprint of the value(s) a page showed in one place of a form (a checklist item's result and
    note, a text of the record). The page posts it back with what the person entered, so that the service can
    tell what this person changed from what someone else saved meanwhile (`edit_verdict`). Line ends are those
    of the text, whatever the browser sends."""
    text = "\x1f".join(str(value or "").replace("\r\n", "\n") for value in values)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def edit_verdict(*, current: tuple, new: tuple, seen: str | None) -> str:
    """Three-way merge of one place of a form: KEEP when the person left what the page showed (whatever was
    saved since), WRITE when they changed it and nobody else did (or someone saved the same), CLASH when both
    changed it differently. Without `seen` (an API call, which sends what it means) the value is written."""
    if seen is None:
        return WRITE
    if edit_digest(*new) == seen:
        return KEEP
    if edit_digest(*current) in (seen, edit_digest(*new)):
        return WRITE
    return CLASH


def refuse_clashes(clashes: list[str]) -> None:
    """Refuse a save whose places `clashes` ("item 6", "General conclusion") were changed by someone else since
    the page was opened: nothing is saved, and the page shows again what the person entered."""
    if clashes:
        raise ConflictError(_("While you were editing, someone else saved a different entry for: %(what)s. What "
                              "you entered is shown below: check it and save again to keep it.") % {
            "what": ", ".join(clashes)})
