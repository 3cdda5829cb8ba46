from functools import partial

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from qms_portal.forms import DateInput, formfield_callback

from .models import QmsRecord, Stage
from .parts import PARTS, Part
from .services import HEAD_FIELDS, OFFICER_FIELDS


class PartForm(forms.ModelForm):
    """A record of a part of the QMS file. The rules between its fields (a re-announcement's reason, a done
    action's date) are the service's (`qms.services._part_rules`), said on the field concerned when the record is
    saved; the database constraints that back them are not judged here, where they spoke first, at the top of the
    form, by their internal name and in English ("Constraint “reannouncement_has_reason” is violated.")."""

    def _post_clean(self):
        self.instance.full_clean = partial(self.instance.full_clean, validate_constraints=False)
        try:
            super()._post_clean()
        finally:
            del self.instance.full_clean


def part_form_class(part: Part) -> type[forms.ModelForm]:
    return modelform_factory(part.model, form=PartForm, fields=part.fields, formfield_callback=formfield_callback)


PART_FORMS = {slug: part_form_class(part) for slug, part in PARTS.items()}

QmsOfficerForm = modelform_factory(QmsRecord, fields=OFFICER_FIELDS, formfield_callback=formfield_callback)
QmsHeadForm = modelform_factory(QmsRecord, fields=HEAD_FIELDS, formfield_callback=formfield_callback)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(label=_("Reason (required to go back)"), required=False, max_length=255)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, DOCX, XLSX, JPEG or PNG)"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Procedure list (.xlsx or .csv)"))


__all__ = ["DateInput", "ImportForm", "PART_FORMS", "QmsHeadForm", "QmsOfficerForm", "StageForm", "UploadForm"]
