from django import forms
from django.utils.translation import gettext_lazy as _

from qms_portal.fields import WORK_YEAR_BOUNDS

from .kinds import kind_spec
from .models import BudgetLine, ReportKind


class AgencyReportForm(forms.Form):
    difficulties = forms.CharField(label=_("Difficulties"), required=False, max_length=10000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    proposals = forms.CharField(label=_("Proposals"), required=False, max_length=10000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    other_notes = forms.CharField(label=_("Other results"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, funding=None, **kwargs):
        super().__init__(*args, **kwargs)
        for line in BudgetLine:
            self.fields[f"funding_{line.value}"] = forms.IntegerField(
                label=_("Funding: %(line)s (VND)") % {"line": line.label}, required=False, min_value=0,
                max_value=10**13, initial=(funding or {}).get(line.value))

    def service_data(self) -> dict:
        data = {key: self.cleaned_data[key] for key in ("difficulties", "proposals", "other_notes")}
        data["funding"] = {line.value: self.cleaned_data[f"funding_{line.value}"] for line in BudgetLine
                           if self.cleaned_data.get(f"funding_{line.value}") is not None}
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ConsolidatedRequestForm(forms.Form):
    CHOICE = ("kind", "period", "year")

    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    period = forms.TypedChoiceField(label=_("Reporting period"), coerce=int, required=False, choices=())
    year = forms.IntegerField(label=_("Year (national roll-up)"), required=False, **WORK_YEAR_BOUNDS)
    direction = forms.CharField(label=_("I. Direction and implementation"), required=False, max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 6}))
    results = forms.CharField(label=_("II. Results: remarks added after the tables"), required=False,
                              max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))
    difficulties = forms.CharField(label=_("III. Difficulties"), required=False, max_length=20000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    proposals = forms.CharField(label=_("IV. Proposals"), required=False, max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    signing_capacity = forms.ChoiceField(
        label=_("Signing capacity"), required=False, choices=(),
        help_text=_("The forms Decree 30/2020 allows the issuing body of this kind of report, with its titles."))
    signer_name = forms.CharField(label=_("Signed by"), required=False, max_length=120)

    def __init__(self, *args, periods=(), kinds=None, issuer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signing_capacity"].choices = issuer.form_choices() if issuer else [("", "—")]
        if issuer and not self.initial.get("signing_capacity"):
            self.initial["signing_capacity"] = issuer.default_form
        self.fields["period"].choices = [("", "—")] + [(p.pk, f"{p.label} · {p.province.name}") for p in periods]
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in ReportKind.choices if k in kinds]
            # the national roll-up's year and a province's reporting period: each only to those who may ask for
            # a report that reads it (a province's leader was asked for a "Năm (tổng hợp toàn quốc)")
            national = [kind_spec(k).national for k in kinds]
            if not any(national):
                del self.fields["year"]
            if all(national):
                del self.fields["period"]
        # the kind, period and year are chosen once, in the page's form that loads their suggested wording; this
        # form carries that choice (they were asked twice on the page)
        for name in self.CHOICE:
            if name in self.fields:
                self.fields[name].widget = forms.HiddenInput()

    def chosen(self) -> list[tuple[str, str]]:
        """(label, value) of the choice this form issues: the kind, and its period or year."""
        kind = self["kind"].value()
        labels = dict(self.fields["kind"].choices)
        if kind not in labels:
            return []
        rows = [(self.fields["kind"].label, labels[kind])]
        asked = "year" if kind_spec(kind).national else "period"
        if asked in self.fields and (value := self[asked].value()) not in (None, ""):
            if asked == "period":
                value = dict((str(k), v) for k, v in self.fields["period"].choices).get(str(value))
            if value:
                rows.append((self.fields[asked].label, str(value)))
        return rows

    def narrative(self) -> dict:
        keys = ("direction", "results", "difficulties", "proposals", "signing_capacity", "signer_name")
        return {key: self.cleaned_data.get(key) or "" for key in keys}
