from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyKind
from qms_portal.fields import CleanFormCharField
from qms_portal.forms import DateInput


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace("\n", ";").split(";") if part.strip()]


class LegalChangeForm(forms.Form):
    number = CleanFormCharField(label=_("Number and symbol"), max_length=60,
                                help_text=_("For example 118/2025/NĐ-CP."))
    title = CleanFormCharField(label=_("Title"), max_length=500)
    issuer = CleanFormCharField(label=_("Issuing body"), max_length=200)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput())
    procedure_fields = CleanFormCharField(label=_("Fields of procedures"), required=False, max_length=2000,
                                          help_text=_("Separated by ';', as in the agencies' procedure lists "
                                                      "(for example: Hộ tịch; Chứng thực)."))
    procedure_codes = CleanFormCharField(label=_("Procedure codes"), required=False, max_length=5000,
                                         help_text=_("Codes of the national catalogue, separated by ';'."))
    agency_kinds = forms.MultipleChoiceField(label=_("Kinds of agency"), required=False,
                                             choices=AgencyKind.choices, widget=forms.CheckboxSelectMultiple)
    replaces = forms.ModelMultipleChoiceField(label=_("Replaces or amends"), required=False, queryset=None)

    def __init__(self, *args, replaceable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = replaceable

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["procedure_fields"] = _split(data["procedure_fields"])
        data["procedure_codes"] = _split(data["procedure_codes"])
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Legal changes (.xlsx or .csv)"))


class DueRecordForm(forms.Form):
    updated_on = forms.DateField(label=capfirst(_("QMS updated on")), widget=DateInput())
    documents = forms.ModelMultipleChoiceField(label=_("Documents changed"), required=False, queryset=None,
                                               widget=forms.CheckboxSelectMultiple)
    note = CleanFormCharField(label=_("Note"), required=False, max_length=1000, multiline=True,
                              widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        if documents.exists():
            self.fields["documents"].queryset = documents
        else:  # nothing to choose from (the QMS file's inline form leaves the question out too)
            del self.fields["documents"]


class DueDeclareForm(forms.Form):
    reason = CleanFormCharField(label=_("Why the change does not apply"), max_length=1000, multiline=True,
                                widget=forms.Textarea(attrs={"rows": 2}))


class DueDecideForm(forms.Form):
    accept = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                    choices=[("1", _("Accept: the change does not apply")),
                                             ("0", _("Reject: the agency must update"))])
    note = CleanFormCharField(label=_("Note (required to reject)"), required=False, max_length=1000)
