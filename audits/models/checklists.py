"""The inspection checklist of Circular 26/2014/TT-BKHCN Art. 36, as versioned reference data.

A change of the law is a new `ChecklistVersion` (loaded by a migration or `manage.py load_checklist`), never
a code change. Items keep stable codes across versions so results can be compared year to year.
"""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ChecklistGroup(models.TextChoices):
    ISO_9001 = "iso9001", _("Against TCVN ISO 9001")
    DECISION_19 = "decision19", _("Against Decision 19/2014/QĐ-TTg")


class ChecklistVersionQuerySet(models.QuerySet):
    def current(self, on=None):
        """The version in force on `on` (default: the newest one in force today)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(effective_from__lte=on).order_by("-effective_from", "-pk").first()


class ChecklistVersion(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    effective_from = models.DateField(_("effective from"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChecklistVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="items",
                                verbose_name=_("checklist version"))
    code = models.SlugField(_("code"), max_length=60, help_text=_("Stable across versions of the checklist."))
    number = models.PositiveSmallIntegerField(_("number"))
    group = models.CharField(_("group"), max_length=20, choices=ChecklistGroup.choices)
    text = models.TextField(_("text (Vietnamese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="checklist_item_unique_code"),
            models.UniqueConstraint(fields=["version", "number"], name="checklist_item_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        """The item's text in the active language (Vietnamese is the reference text)."""
        if self.text_en and (translation.get_language() or "vi").startswith("en"):
            return self.text_en
        return self.text


class FindingClass(models.Model):
    """Classification of findings: the law has none, so the list is configurable (DOMAIN.md §5)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("finding classification")
        verbose_name_plural = _("finding classifications")
        ordering = ["order", "code"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="finding_class_has_name")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (translation.get_language() or "vi").startswith("en"):
            return self.name_en
        return self.name
