"""Writes to agencies, obligations and memberships: all business rules, one transaction, an audit trail."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from qms_portal.audit import audit_record
from qms_portal.text import normalize_text

from . import selectors
from .access import can, province_roles_that_may, require, require_unit
from .models import (
    AGENCY_ROLES,
    PROVINCE_ROLES,
    SHORT_CODE_TAKEN,
    Agency,
    AgencyObligation,
    AgencySuccession,
    Membership,
    ObligationYear,
    ObligationYearState,
    Province,
    SuccessionKind,
)
from .signals import succession_took_effect

TEXT_FIELDS = ("name", "address", "phone")
AGENCY_FIELDS = ("name", "short_code", "kind", "province", "commune", "parent", "address", "website", "email", "phone")


def _validate_tree(agency: Agency) -> None:
    """Parent in the same province; commune in the same province; no cycle in the tree."""
    errors: dict[str, str] = {}
    if agency.commune_id and agency.commune.province_id != agency.province_id:
        errors["commune"] = _("The commune does not belong to the agency's province.")
    parent = agency.parent
    if parent is not None:
        if parent.province_id != agency.province_id:
            errors["parent"] = _("The parent agency belongs to another province.")
        elif agency.pk:
            # One query for the province's tree, then walk it in memory.
            parents = dict(Agency.objects.filter(province_id=agency.province_id).values_list("pk", "parent_id"))
            parents[agency.pk] = parent.pk
            seen, node = set(), parent.pk
            while node is not None:
                if node == agency.pk or node in seen:
                    errors["parent"] = _("This parent would create a cycle in the agency tree.")
                    break
                seen.add(node)
                node = parents.get(node)
    if errors:
        raise ValidationError(errors)


def agency_text(field: str, value: str | None) -> str:
    """A text field of an agency as kept, whoever writes it (the services, the admin's form): normalised, the short
    code in capitals."""
    value = normalize_text(value or "")
    return value.upper() if field == "short_code" else value


def _normalise(agency: Agency) -> None:
    for field in (*TEXT_FIELDS, "short_code"):
        setattr(agency, field, agency_text(field, getattr(agency, field)))


def agency_check(agency: Agency) -> None:
    """The rules of an agency beyond its fields', whoever writes it (the services, the admin's form): its place in
    the province's tree, its short code unique in the province."""
    _validate_tree(agency)
    duplicate = Agency.objects.filter(province_id=agency.province_id, short_code=agency.short_code)
    if duplicate.exclude(pk=agency.pk).exists():
        raise ValidationError({"short_code": SHORT_CODE_TAKEN})


def _clean_and_save(agency: Agency, *, actor, reason: str = "") -> Agency:
    _normalise(agency)
    agency.full_clean(validate_unique=False, validate_constraints=False)
    agency_check(agency)
    agency._history_user = actor
    agency._change_reason = reason
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as exc:  # a concurrent writer took the short code first
        raise ValidationError({"short_code": SHORT_CODE_TAKEN}) from exc
    return agency


@transaction.atomic
def agency_create(*, actor, data: dict[str, Any]) -> Agency:
    require(actor, "agency.create")
    province: Province = data["province"]
    require_unit(actor, province_id=province.pk)
    agency = Agency(**{key: data[key] for key in AGENCY_FIELDS if key in data})
    return _clean_and_save(agency, actor=actor, reason=_("Created"))


@transaction.atomic
def agency_update(*, actor, agency: Agency, data: dict[str, Any], reason: str = "") -> Agency:
    require(actor, "agency.update", province_id=agency.province_id)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    for key in AGENCY_FIELDS:
        if key in data and key != "province":
            setattr(agency, key, data[key])
    return _clean_and_save(agency, actor=actor, reason=reason)


@transaction.atomic
def agency_deactivate(*, actor, agency: Agency, reason: str = "") -> Agency:
    """Agencies are never deleted: they become inactive and their history stays readable."""
    require(actor, "agency.deactivate", province_id=agency.province_id)
    return _close(agency, actor=actor, reason=reason)


def _close(agency: Agency, *, actor, reason: str, on=None) -> Agency:
    """Make `agency` inactive (once), closed on `on` (today by default): `selectors.active_on` reads that day."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.is_active:
        agency.is_active, agency.closed_on = False, on or timezone.localdate()
        agency._history_user = actor
        agency._change_reason = normalize_text(reason) or _("Deactivated")
        agency.save(update_fields=["is_active", "closed_on", "updated_at"])
    return agency


def _refuse_inactive(agencies) -> None:
    inactive = [a for a in agencies if not a.is_active]
    if inactive:
        raise ValidationError({"agency": ngettext(
            "An obligation cannot be set for an inactive agency: %(names)s.",
            "An obligation cannot be set for inactive agencies: %(names)s.",
            len(inactive)) % {"names": ", ".join(a.name for a in inactive[:10])}})


def _write_obligation(obligation: AgencyObligation, *, actor, level: str, note: str, reason: str = "") -> bool:
    """Set `level` and `note` on `obligation` and save it with its history; False when nothing changed."""
    note = normalize_text(note or "")
    if obligation.pk and (obligation.level, obligation.note) == (level, note):
        return False
    obligation.level, obligation.note = level, note
    obligation.full_clean(validate_unique=False)
    obligation._history_user = actor
    obligation._change_reason = reason
    obligation.save()
    return True


def obligations_locked(actor, *, province_id: int, year: int) -> str:
    """Why `actor` may no longer set `year`'s obligations, or "". Once the year is confirmed its list is what the
    inspection plans are checked against, so only those who confirm it change it then (an inspector could
    otherwise lift the obligation of an agency a plan leaves out); a merger or a new agency mid-year is theirs."""
    if can(actor, "obligation.confirm") or not selectors.obligations_confirmed(province_id=province_id, year=year):
        return ""
    return _("The obligations of %(year)d are confirmed: only the %(roles)s change them now.") % {
        "year": year, "roles": get_text_list(province_roles_that_may("obligation.confirm"))}


def _require_may_set(actor, *, province_id: int, year: int) -> None:
    require(actor, "obligation.set", province_id=province_id)
    if locked := obligations_locked(actor, province_id=province_id, year=year):
        raise PermissionDenied(locked)


@transaction.atomic
def obligation_set(*, actor, agency: Agency, year: int, level: str, note: str = "") -> AgencyObligation:
    _require_may_set(actor, province_id=agency.province_id, year=year)
    _refuse_inactive([Agency.objects.get(pk=agency.pk)])  # as it is now, not as the caller read it
    obligation = AgencyObligation.objects.select_for_update().filter(agency=agency, year=year).first()
    obligation = obligation or AgencyObligation(agency=agency, year=year)
    _write_obligation(obligation, actor=actor, level=level, note=note)
    return obligation


@transaction.atomic
def obligations_set_bulk(*, actor, province: Province, year: int, agencies, level: str, note: str = "") -> int:
    """Give every agency of `agencies` (all of `province`, all active) the same obligation for `year`, all or
    nothing; each change keeps its history. Returns how many obligations changed."""
    _require_may_set(actor, province_id=province.pk, year=year)
    agencies = list(agencies)
    if any(a.province_id != province.pk for a in agencies):
        raise ValidationError({"agency": _("You can only act inside your own province.")})
    _refuse_inactive(agencies)
    existing = {o.agency_id: o for o in AgencyObligation.objects.select_for_update().filter(
        agency__in=agencies, year=year)}
    reason = _("Set for several agencies at once")
    return sum(_write_obligation(existing.get(a.pk) or AgencyObligation(agency=a, year=year), actor=actor,
                                 level=level, note=note, reason=reason) for a in agencies)


def _obligation_year(province: Province, year: int) -> ObligationYear:
    row = ObligationYear.objects.select_for_update().filter(province=province, year=year).first()
    return row or ObligationYear(province=province, year=year)


@transaction.atomic
def obligations_propose(*, actor, province: Province, year: int) -> ObligationYear:
    """Propose `year`'s obligations from the previous year's: every agency of the province there that year
    (`selectors.there_in_year`) that had one and has none yet gets the same level and legal basis. Agencies without
    a previous obligation are left for the province to decide (never derived from the kind). The year stays
    "proposed" until confirmed.

    `actor` None is the beat task of 1 December (the system); a person needs `obligation.confirm`."""
    if actor is not None:
        require(actor, "obligation.confirm", province_id=province.pk)
    row = _obligation_year(province, year)
    if row.is_confirmed:
        raise ValidationError(_("The obligations of %(year)d are already confirmed.") % {"year": year})
    have = set(AgencyObligation.objects.filter(agency__province=province, year=year).values_list("agency_id",
                                                                                                  flat=True))
    previous = AgencyObligation.objects.filter(agency__in=Agency.objects.filter(selectors.there_in_year(year)),
                                               agency__province=province, year=year - 1)
    new = [AgencyObligation(agency_id=o.agency_id, year=year, level=o.level, note=o.note)
           for o in previous.exclude(agency_id__in=have)]
    reason = _("Proposed from %(year)d") % {"year": year - 1}
    bulk_create_with_history(new, AgencyObligation, batch_size=500, default_user=actor, default_change_reason=reason)
    row.state, row.proposed_at, row.proposed_by = ObligationYearState.PROPOSED, timezone.now(), actor
    row._history_user = actor
    row._change_reason = reason
    row.save()
    audit_record(action="changed", user=actor, object_type="agencies.obligationyear", object_id=row.pk,
                 summary=f"{row}: " + ngettext("%(count)d obligation proposed", "%(count)d obligations proposed",
                                               len(new)) % {"count": len(new)})
    return row


@transaction.atomic
def obligations_confirm(*, actor, province: Province, year: int) -> ObligationYear:
    """Confirm `year`'s obligations: every agency of the province there that year (`selectors.there_in_year`)
    must have one."""
    require(actor, "obligation.confirm", province_id=province.pk)
    row = _obligation_year(province, year)
    if row.is_confirmed:
        return row
    unset = list(Agency.objects.filter(selectors.there_in_year(year), province=province).exclude(
        obligations__year=year).order_by("name").values_list("name", flat=True))
    if unset:
        raise ValidationError(ngettext(
            "%(count)d agency has no obligation for %(year)d yet: %(names)s.",
            "%(count)d agencies have no obligation for %(year)d yet: %(names)s.",
            len(unset)) % {"count": len(unset), "year": year, "names": ", ".join(unset[:10])
                           + (" …" if len(unset) > 10 else "")}, code="unset")
    row.state, row.confirmed_at, row.confirmed_by = ObligationYearState.CONFIRMED, timezone.now(), actor
    row._history_user = actor
    row._change_reason = _("Confirmed")
    row.save()
    return row


def obligations_propose_next_year(*, today=None) -> dict[str, int]:
    """The beat task of 1 December: propose next year's obligations for every province that has none yet."""
    year = (today or timezone.localdate()).year + 1
    done = set(ObligationYear.objects.filter(year=year).values_list("province_id", flat=True))
    proposed = 0
    for province in Province.objects.current().exclude(pk__in=done):
        obligations_propose(actor=None, province=province, year=year)
        proposed += 1
    return {"year": year, "provinces": proposed}


def membership_unit(role: str, agency: Agency | None, province: Province | None):
    """(agency, province) a role applies to: agency roles take the agency and its province; province roles a
    province (the agency's when only an agency is given) and keep an agency of that province; national roles
    neither."""
    if role in AGENCY_ROLES:
        if agency is None:
            raise ValidationError({"agency": _("This role belongs to an agency: choose one.")})
        return agency, agency.province
    if role in PROVINCE_ROLES:
        province = province or (agency.province if agency is not None else None)
        if province is None:
            raise ValidationError({"province": _("This role belongs to a province: choose one.")})
        return (agency if agency is not None and agency.province_id == province.pk else None), province
    return None, None


@transaction.atomic
def membership_set(*, actor, user, role: str, agency: Agency | None = None,
                   province: Province | None = None) -> Membership:
    """Give `user` a role, without asking who may (seeds and commands; people use accounts.staff)."""
    agency, province = membership_unit(role, agency, province)
    membership = Membership.objects.filter(user=user).first() or Membership(user=user)
    membership.role, membership.agency, membership.province = role, agency, province
    membership._history_user = actor
    membership.save()
    return membership


def _check_succession(predecessor: Agency, successor: Agency) -> None:
    """The agencies a succession may join, whoever records it (form, API, import): the predecessor still continues
    (active, not merged nor being merged); the successor too, and in the same province. One query."""
    if predecessor.pk == successor.pk:
        raise ValidationError({"successor": _("An agency cannot succeed itself.")})
    continuing = set(Agency.objects.filter(selectors.continuing(), pk__in=[predecessor.pk, successor.pk])
                     .values_list("pk", flat=True))
    if predecessor.pk not in continuing:
        raise ValidationError(_("%(name)s is closed, or merged into another agency: no further succession can be "
                                "recorded for it.") % {"name": predecessor.name}, code="predecessor_closed")
    if successor.province_id != predecessor.province_id:
        raise ValidationError({"successor": _("The successor belongs to another province.")})
    if successor.pk not in continuing:
        raise ValidationError({"successor": _(
            "%(name)s is closed, or merged into another agency: choose the agency that continues it.")
            % {"name": successor.name}})


@transaction.atomic
def agency_succession_create(*, actor, predecessor: Agency, successor: Agency, kind: str, effective_date,
                             note: str = "", today=None) -> AgencySuccession:
    """Record that `successor` continues `predecessor` from `effective_date`. It takes effect that day
    (`succession_take_effect`): at once when the day has come, otherwise by the daily beat task. A merger recorded
    ahead leaves the predecessor open, and its QMS file as it is, until then."""
    require(actor, "agency.deactivate" if kind == SuccessionKind.MERGER else "agency.update",
            province_id=predecessor.province_id)
    # Locked in a fixed order: two mergers recorded at once cannot both pass the checks.
    list(Agency.objects.select_for_update().filter(pk__in=[predecessor.pk, successor.pk]).order_by("pk"))
    if AgencySuccession.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise ValidationError({"successor": _("This succession is already recorded.")})
    _check_succession(predecessor, successor)
    succession = AgencySuccession(predecessor=predecessor, successor=successor, kind=kind,
                                  effective_date=effective_date, note=normalize_text(note))
    succession.full_clean(validate_constraints=False)
    succession._history_user = actor
    succession.save()
    if succession.effective_date <= (today or timezone.localdate()):
        succession_take_effect(succession=succession, actor=actor)
    return succession


@transaction.atomic
def succession_take_effect(*, succession: AgencySuccession, actor=None) -> bool:
    """The succession takes effect (once; False when it already had): a merger closes the predecessor (kept as
    history), and the QMS file (a higher app) closes the predecessor's system, hands over what it owed and marks
    the successor's announced system due for re-announcement (Decision 19 Art. 4). `actor` None is the beat task;
    whoever recorded the succession was allowed to."""
    now = timezone.now()
    if not AgencySuccession.objects.filter(pk=succession.pk, took_effect_at__isnull=True).update(took_effect_at=now):
        return False
    succession.took_effect_at = now
    if succession.kind == SuccessionKind.MERGER:
        _close(succession.predecessor, actor=actor, on=succession.effective_date,
               reason=_("Merged into %(name)s") % {"name": succession.successor.name})
    succession_took_effect.send(sender=AgencySuccession, succession=succession, actor=actor)
    return True


def successions_take_effect(*, today=None) -> dict[str, int]:
    """The daily beat task: the successions whose effective date has come and that have not taken effect yet take
    effect, each in its own transaction. Idempotent: run twice, the second run finds nothing."""
    today = today or timezone.localdate()
    due = (AgencySuccession.objects.filter(took_effect_at__isnull=True, effective_date__lte=today)
           .select_related("predecessor", "successor").order_by("effective_date", "pk"))
    done = sum(succession_take_effect(succession=succession) for succession in due)
    return {"successions": done}
