"""Forms of the agency pages. They only parse input; the rules (tree, province, short code) live in the services,
which the API calls too."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms_portal.fields import BoundedFormDateField, CleanFormCharField

from .models import AgencyKind, Commune, ObligationLevel, Province

AGENCY_FORM_FIELDS = ("name", "short_code", "kind", "province", "commune", "parent", "address", "website", "email",
                      "phone")


class AgencyForm(forms.Form):
    """Add or edit an agency. `province` is asked only of national roles creating one (a province role works in
    its own province; an existing agency never changes province: that is a succession). The commune is entered by
    its official code, as in the API and in the import files."""

    name = CleanFormCharField(label=_("Name"), max_length=255)
    short_code = CleanFormCharField(label=_("Short code"), max_length=30,
                                    help_text=_("Used in document numbers, e.g. SKHCN."))
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.current().order_by("name"))
    commune = forms.ModelChoiceField(
        label=_("Commune code"), queryset=Commune.objects.current(), to_field_name="code", required=False,
        widget=forms.TextInput(attrs={"list": "communes", "inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("The official code of the commune, ward or special zone (e.g. 30280)."),
        error_messages={"invalid_choice": _("No commune with this code exists.")})
    parent = forms.ModelChoiceField(label=_("Parent agency"), queryset=None, required=False)
    address = CleanFormCharField(label=_("Address"), max_length=255, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = CleanFormCharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args, parents, ask_province: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        if not ask_province:
            del self.fields["province"]


class DeactivateForm(forms.Form):
    reason = CleanFormCharField(label=_("Reason"), max_length=255, required=False)


class MergeForm(forms.Form):
    successor = forms.ModelChoiceField(label=_("Merged into"), queryset=None)
    effective_date = BoundedFormDateField(label=_("Effective date"), initial=timezone.localdate)
    note = CleanFormCharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors


# --- yearly obligations ------------------------------------------------------------------------------------------

LEGAL_BASIS = _("Legal basis")
LEGAL_BASIS_HELP = _("E.g. Quyết định 19/2014/QĐ-TTg Điều 2, or the province's decision extending it.")


class ObligationForm(forms.Form):
    """One agency's obligation for the year."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_("Obligation"), choices=ObligationLevel.choices)
    note = CleanFormCharField(label=LEGAL_BASIS, max_length=255, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ObligationBulkForm(forms.Form):
    """The same obligation for every active agency of a kind, in a commune, or directly under a parent."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *AgencyKind.choices], required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, required=False)
    parent = forms.ModelChoiceField(label=_("Directly under"), queryset=None, required=False)
    level = forms.ChoiceField(label=_("Obligation"), choices=ObligationLevel.choices)
    note = CleanFormCharField(label=LEGAL_BASIS, max_length=255, required=False, help_text=LEGAL_BASIS_HELP)

    def __init__(self, *args, communes, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["parent"].queryset = parents

    def clean(self):
        data = super().clean()
        if not (data.get("kind") or data.get("commune") or data.get("parent")):
            raise forms.ValidationError(_("Choose a kind, a commune or a parent agency."))
        return data


class YearActionForm(forms.Form):
    """Propose or confirm a year's obligations: no field, the service's refusal shows on the form."""


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[])
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.current().order_by("name"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, ask_province: bool, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if not ask_province:
            del self.fields["province"]


class RegisterWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class SignedPdfForm(forms.Form):
    file = forms.FileField(label=_("Signed PDF"), help_text=_("The final PDF, digitally signed by the issuing body."))
