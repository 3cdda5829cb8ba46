"""Forms of the agency pages. They only parse input; the rules (tree, province, short code) live in the services,
which the API calls too."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms_portal.fields import BoundedFormDateField, CleanFormCharField

from .models import AgencyKind, Commune, Province

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
