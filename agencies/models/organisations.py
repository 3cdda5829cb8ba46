"""Administrative units, agencies, obligations and the people who work for them."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms_portal.scoping import ScopePaths
from qms_portal.text import validate_no_control_characters


class DivisionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)


SHORT_CODE_TAKEN = _("Another agency of this province already uses this short code.")


class Province(models.Model):
    """A provincial unit (tỉnh / thành phố trung ương). Pre-2025 units are kept with `valid_to` set."""

    scope_paths = ScopePaths(province="pk", agency=lambda agency_id: Q(agencies=agency_id))

    code = models.PositiveSmallIntegerField(_("code"))
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    codename = models.SlugField(_("code name"), max_length=100)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(valid_to__isnull=True), name="province_current_code"),
            models.UniqueConstraint(fields=["code", "valid_from"], name="province_code_valid_from"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """"Tỉnh An Giang", "Thành phố Hồ Chí Minh" (agencies.divisions composes every such name)."""
        from ..divisions import division_title

        return division_title(self)


class Commune(models.Model):
    """A commune-level unit (xã / phường / đặc khu)."""

    code = models.PositiveIntegerField(_("code"))
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    codename = models.SlugField(_("code name"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes",
                                 verbose_name=_("province"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(valid_to__isnull=True), name="commune_current_code"),
            models.UniqueConstraint(fields=["code", "valid_from"], name="commune_code_valid_from"),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    PROVINCIAL_PEOPLES_COMMITTEE = "ubnd_tinh", _("Provincial People's Committee")
    PROVINCIAL_OFFICE = "vp_ubnd_tinh", _("Office of the Provincial People's Committee")
    DEPARTMENT = "so", _("Provincial department or equivalent")
    SUB_DEPARTMENT = "chi_cuc", _("Sub-department")
    COMMUNE_PEOPLES_COMMITTEE = "ubnd_xa", _("Commune People's Committee")
    COMMUNE_OFFICE = "co_quan_xa", _("Commune-level office")
    PUBLIC_ADMIN_SERVICE_CENTRE = "tt_hcc", _("Public administrative service centre")
    PUBLIC_SERVICE_UNIT = "don_vi_su_nghiep", _("Public service unit")
    VERTICAL_AGENCY = "nganh_doc", _("Vertical agency")
    DISTRICT_PEOPLES_COMMITTEE = "ubnd_huyen", _("District People's Committee (before 2025)")
    DISTRICT_OFFICE = "co_quan_huyen", _("District-level office (before 2025)")


short_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9\-&.]*$",
    _("Use capital letters, digits and the characters - & . only (for example SKHCN)."),
)


class SearchText(models.Func):
    """`qms_fold(name || ' ' || short_code)`, cut to 300 characters: what `qms_portal.text.fold` gives, computed by
    the database (the function is created by migration agencies 0007 from `qms_portal.text.fold_sql_function`)."""

    template = "left(qms_fold(%(expressions)s), 300)"
    arg_joiner = " || ' ' || "
    output_field = models.CharField(max_length=300)


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Agency(models.Model):
    """A state administrative agency (or public service unit) that keeps a QMS."""

    scope_paths = ScopePaths(province="province_id", agency="pk")

    name = models.CharField(_("name"), max_length=255, validators=[validate_no_control_characters])
    short_code = models.CharField(_("short code"), max_length=30, validators=[short_code_validator],
                                  help_text=_("Used in document numbers, e.g. SKHCN."))
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="agencies",
                                 verbose_name=_("province"))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="agencies", null=True,
                                blank=True, verbose_name=_("commune"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, related_name="children", null=True,
                               blank=True, verbose_name=_("parent agency"))
    printed_name = models.TextField(
        _("name as printed in document headers"), blank=True, max_length=300,
        validators=[validate_no_control_characters],
        help_text=_("One printed line per line, broken where a clerk breaks it, e.g. \"CHI CỤC TIÊU CHUẨN ĐO "
                    "LƯỜNG\" then \"CHẤT LƯỢNG\". Empty: composed from the name."))
    address = models.CharField(_("address"), max_length=255, blank=True,
                               validators=[validate_no_control_characters])
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_no_control_characters])
    is_active = models.BooleanField(_("active"), default=True)
    # The day it closed (a merger's effective date, or the day it was closed): it counts in the periods before
    # (`agencies.selectors.active_on`). None for an agency open, or closed on a day nobody recorded.
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    # Lower-cased name and code without diacritics, for searches that ignore them. Computed by the database on
    # every write, whatever makes it (service, admin, import, bulk_create, bulk_update, update()). Searched with
    # LIKE '%word%' through the trigram index below only: a B-tree cannot serve a leading wildcard.
    search_text = models.GeneratedField(expression=SearchText("name", "short_code"),
                                        output_field=models.CharField(max_length=300), db_persist=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "short_code"], name="agency_unique_short_code",
                                    violation_error_message=SHORT_CODE_TAKEN),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="agency_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["province", "kind"]),
            # Searches are `search_text LIKE '%word%'` (every word); trigrams let a national search read the
            # agencies that contain its words instead of every agency (pg_trgm, migration 0013). Without a pending
            # list (fastupdate off): agencies are seldom written, and rows waiting in that list are read one by one
            # by every search and make the planner prefer reading the whole table (twice the time of a national
            # search until a vacuum empties it: docs/bench.md).
            GinIndex(fields=["search_text"], name="agency_search_trgm_idx", opclasses=["gin_trgm_ops"],
                     fastupdate=False),
        ]

    def __str__(self) -> str:
        return self.name


class SuccessionKind(models.TextChoices):
    MERGER = "merger", _("Merger")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Renaming or reorganisation")


class AgencySuccession(models.Model):
    """`predecessor` was (partly) continued by `successor` from `effective_date`.

    Recorded at once, it takes effect on `effective_date` (`agencies.services.succession_take_effect`: at once
    when that day has come, else by the daily beat task): a merger then closes the predecessor, and the QMS file
    acts on it. `took_effect_at` says it did (once)."""

    predecessor = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="successions_out",
                                    verbose_name=_("predecessor"))
    successor = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="successions_in",
                                  verbose_name=_("successor"))
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    effective_date = models.DateField(_("effective date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    took_effect_at = models.DateTimeField(_("took effect at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency succession")
        verbose_name_plural = _("agency successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_distinct"),
        ]


class ObligationLevel(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    ENCOURAGED = "encouraged", _("Encouraged")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class AgencyObligation(models.Model):
    """Whether an agency must apply ISO 9001 in a given year: set by the province, never derived."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="obligations",
                               verbose_name=_("agency"), db_index=False)  # obligation_unique_year leads with it
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2014), MaxValueValidator(2100)])
    level = models.CharField(_("obligation"), max_length=20, choices=ObligationLevel.choices)
    note = models.CharField(_("note"), max_length=255, blank=True, validators=[validate_no_control_characters])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="obligation_unique_year"),
            models.CheckConstraint(condition=Q(year__gte=2014) & Q(year__lte=2100), name="obligation_year_range"),
        ]


class ObligationYearState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")


class ObligationYear(models.Model):
    """Whether a province's obligations of a year are settled. Proposed (from the previous year, by the beat task
    of 1 December or on demand) until the province confirms them; a plan's coverage check needs them confirmed."""

    scope_paths = ScopePaths(province="province_id", agency=None)

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="obligation_years",
                                 verbose_name=_("province"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2014), MaxValueValidator(2100)])
    state = models.CharField(_("state"), max_length=10, choices=ObligationYearState.choices,
                             default=ObligationYearState.PROPOSED)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True, verbose_name=_("proposed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True, verbose_name=_("confirmed by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obligations of a year")
        verbose_name_plural = _("obligations of the years")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="obligation_year_unique"),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False), name="obligation_year_confirmed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.year}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == ObligationYearState.CONFIRMED


class ProvinceSettings(models.Model):
    """Per-province configuration: which agency leads the work and which unit inspects."""

    province = models.OneToOneField(Province, on_delete=models.PROTECT, related_name="portal_settings",
                                    verbose_name=_("province"))
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                    verbose_name=_("lead agency (Department of Science and Technology)"))
    inspecting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True,
                                          blank=True, verbose_name=_("inspecting unit"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("province settings")
        verbose_name_plural = _("province settings")

    def clean(self) -> None:
        """The lead and the inspecting unit are active agencies of the province: the letters the portal prints name
        them as the issuer."""
        errors = {}
        for field in ("lead_agency", "inspecting_agency"):
            agency = getattr(self, field)
            if agency is None:
                continue
            if agency.province_id != self.province_id:
                errors[field] = _("This agency belongs to another province.")
            elif not agency.is_active:
                errors[field] = _("This agency is closed.")
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    ISO_OFFICER = "iso_officer", _("Agency ISO officer")
    AGENCY_HEAD = "agency_head", _("Agency head")
    INSPECTOR = "inspector", _("Inspector")
    DEPARTMENT_LEADER = "department_leader", _("Department leader")
    PROVINCIAL_LEADERSHIP = "provincial_leadership", _("Provincial leadership")
    # The Sở KH&CN's portal administrator: runs the province's agencies, obligations and staff.
    PROVINCE_ADMINISTRATOR = "province_admin", _("Provincial administrator")
    MINISTRY = "ministry", _("Ministry")
    ADMINISTRATOR = "administrator", _("Administrator")


AGENCY_ROLES = (Role.ISO_OFFICER, Role.AGENCY_HEAD)
PROVINCE_ROLES = (Role.INSPECTOR, Role.DEPARTMENT_LEADER, Role.PROVINCIAL_LEADERSHIP, Role.PROVINCE_ADMINISTRATOR)
NATIONAL_ROLES = (Role.MINISTRY, Role.ADMINISTRATOR)


class Membership(models.Model):
    """The one role a user holds, and where: an agency, a province, or the whole nation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
                                verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships", null=True,
                               blank=True, verbose_name=_("agency"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="memberships", null=True,
                                 blank=True, verbose_name=_("province"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=AGENCY_ROLES, agency__isnull=False, province__isnull=False)
                    | Q(role__in=PROVINCE_ROLES, province__isnull=False)
                    | Q(role__in=NATIONAL_ROLES, agency__isnull=True, province__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
