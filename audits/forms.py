"""Forms of the inspection pages. They only parse input; the rules live in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms_portal.fields import WORK_YEAR_BOUNDS, BoundedFormDateField, CleanFormCharField

from .models import ChecklistResult, FindingClass, InspectionForm, TeamRole
from .services.common import edit_digest, short


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _text(label, max_length, *, required=True, multiline=False, rows=3, **kwargs):
    widget = forms.Textarea(attrs={"rows": rows}) if multiline else None
    return CleanFormCharField(label=label, max_length=max_length, required=required, multiline=multiline,
                              widget=widget, **kwargs)


def signing_choices(form, issuer) -> None:
    """The signing forms Decree 30 allows the issuing body, with its own titles ("KT. CHI CỤC TRƯỞNG / PHÓ CHI
    CỤC TRƯỞNG"); the first choice, empty, is the body's head."""
    field = form.fields["signing_capacity"]
    choices = issuer.form_choices() if issuer else []
    head = next((label for value, label in choices if value == "head"), None)
    field.choices = [("", head or "—")] + [(v, label) for v, label in choices if v != "head"]
    field.help_text = _("The forms Decree 30/2020 allows this issuing body, with its titles.")


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), **WORK_YEAR_BOUNDS,
                              initial=lambda: timezone.localdate().year + 1)


class PlanTextForm(forms.Form):
    purpose = _text(_("Purpose and requirements"), 5000, required=False, multiline=True, rows=5)
    organisation = _text(_("Organisation of the work"), 5000, required=False, multiline=True, rows=5)
    signing_capacity = forms.ChoiceField(label=_("Signing capacity"), required=False, choices=())
    signer_name = _text(_("Signed by"), 120, required=False)

    def __init__(self, *args, issuer=None, **kwargs):
        super().__init__(*args, **kwargs)
        signing_choices(self, issuer)


class PlanEntryForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    form = forms.ChoiceField(label=pgettext_lazy("inspection", "Form"), choices=InspectionForm.choices)
    expected_from = BoundedFormDateField(label=_("Expected from"))
    expected_to = BoundedFormDateField(label=_("Expected to"))
    cooperating_unit = _text(_("Cooperating unit"), 255, required=False)
    budget_vnd = forms.IntegerField(label=_("Budget (VND)"), min_value=0, max_value=10**12, initial=0)
    note = _text(_("Note"), 255, required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ApproveForm(forms.Form):
    approval_number = _text(_("Number of the approving document"), 50,
                            help_text=_("The document of UBND tỉnh, e.g. 215/QĐ-UBND."))
    approval_date = BoundedFormDateField(label=_("Date of the approving document"))


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), 5000, multiline=True)


class ReportRequestForm(forms.Form):
    deadline = BoundedFormDateField(label=_("Deadline for the agencies' answers"))
    message = _text(_("Message"), 5000, required=False, multiline=True)


class UnplannedForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    form = forms.ChoiceField(label=pgettext_lazy("inspection", "Form"), choices=InspectionForm.choices)
    scheduled_on = BoundedFormDateField(label=_("Scheduled on"), required=False)
    reason = _text(_("Reason for the unplanned inspection"), 2000, multiline=True)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ScheduleForm(forms.Form):
    scheduled_on = BoundedFormDateField(label=_("Scheduled on"), required=False)
    location = _text(_("Place"), 255, required=False)

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        if decision is not None:  # the date picker offers the decision's period only (the service checks it)
            field = self.fields["scheduled_on"]
            field.widget.attrs.update(min=decision.starts_on.isoformat(), max=decision.ends_on.isoformat())
            field.help_text = _("Within the period of decision %(number)s: %(start)s to %(end)s.") % {
                "number": decision.number, "start": short(decision.starts_on), "end": short(decision.ends_on)}


class DecisionForm(forms.Form):
    issued_on = BoundedFormDateField(label=_("Date of the decision"))
    starts_on = BoundedFormDateField(label=_("Inspection from"))
    ends_on = BoundedFormDateField(label=_("Inspection to"))
    team_leader = _text(_("Team leader"), 120)
    team_leader_position = _text(_("Team leader's position and unit"), 255, required=False)
    members = _text(_("Team members"), 3000, required=False, multiline=True, rows=4,
                    help_text=_("One per line: name; position and unit. Add “(thư ký)” after the secretary's name."))
    signing_capacity = forms.ChoiceField(label=_("Signing capacity"), required=False, choices=())
    signer_name = _text(_("Signed by"), 120, required=False)

    def __init__(self, *args, issuer=None, **kwargs):
        super().__init__(*args, **kwargs)
        signing_choices(self, issuer)

    def clean_members(self):
        members = []
        for line in (self.cleaned_data.get("members") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, position = line.partition(";")
            role = TeamRole.MEMBER
            if "(thư ký)" in name.lower() or "(secretary)" in name.lower():
                role = TeamRole.SECRETARY
                name = name.replace("(thư ký)", "").replace("(Thư ký)", "").replace("(secretary)", "")
            members.append({"name": name.strip(), "position": position.strip(), "role": role})
        return members


class SeenMixin:
    """The fingerprints of what the page showed (`services.common.edit_digest`), posted back as hidden inputs
    `<prefix>-seen_<key>`, so that the service writes only what this person changed: another tab's (or a
    colleague's) save in the meantime is kept, and the same place changed by both is refused, not overwritten.
    The inputs are drawn from the values as they are now: after a refusal, saving again is a deliberate choice."""

    def seen_input(self, key: str, *shown) -> tuple[str, str]:
        return self.add_prefix(f"seen_{key}"), edit_digest(*shown)

    def seen_posted(self, key: str) -> str | None:
        return self.data.get(self.add_prefix(f"seen_{key}")) if self.is_bound else None


class RecordFieldsForm(SeenMixin, forms.Form):
    place = _text(_("Place"), 255, required=False)
    team_leader_name = _text(_("Team leader"), 120, required=False)
    agency_representative = _text(_("Agency representative"), 255, required=False)
    agency_representative_position = _text(_("Representative's position"), 255, required=False)
    conclusion = _text(_("General conclusion"), 10000, required=False, multiline=True, rows=5)

    TEXTS = ("place", "team_leader_name", "agency_representative", "agency_representative_position", "conclusion")

    def seen_inputs(self) -> list[tuple[str, str]]:
        return [self.seen_input(key, self.initial.get(key) or "") for key in self.TEXTS]

    def clean(self):
        data = super().clean()
        data["seen"] = {key: seen for key in self.TEXTS if (seen := self.seen_posted(key)) is not None}
        return data


class SignForm(RecordFieldsForm):
    signed_on = BoundedFormDateField(label=_("Signed on"))


RESULT_CHOICES = [("", _("Not answered"))] + list(ChecklistResult.choices)


class ChecklistForm(SeenMixin, forms.Form):
    """One result and one note per checklist item (field names result_<code>, notes_<code>), and the fingerprint
    of what the page showed for each (seen_<code>, see SeenMixin)."""

    def __init__(self, *args, rows=(), note_label=None, note_key="notes", with_files=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.note_key = list(rows), note_key
        for row in self.rows:
            code = row["item"].code
            self.fields[f"result_{code}"] = forms.ChoiceField(
                label=row["item"].label, choices=RESULT_CHOICES, required=False, widget=forms.RadioSelect,
                initial=row.get("result", ""))
            self.fields[f"{note_key}_{code}"] = CleanFormCharField(
                label=note_label or _("Notes"), required=False, max_length=5000, multiline=True,
                widget=forms.Textarea(attrs={"rows": 2}), initial=row.get(note_key, ""))
            if with_files:
                self.fields[f"file_{code}"] = forms.FileField(label=_("Evidence file"), required=False)

    def items(self):
        """[(row, result bound field, note bound field, file bound field or None, (seen input's name, value))] for
        the template."""
        return [(row, self[f"result_{row['item'].code}"], self[f"{self.note_key}_{row['item'].code}"],
                 self[f"file_{row['item'].code}"] if f"file_{row['item'].code}" in self.fields else None,
                 self.seen_input(row["item"].code, row.get("result", ""), row.get(self.note_key, "")))
                for row in self.rows]

    def answers(self) -> list[dict]:
        answers = []
        for row in self.rows:
            code = row["item"].code
            answer = {"item": code, "result": self.cleaned_data[f"result_{code}"],
                      self.note_key: self.cleaned_data[f"{self.note_key}_{code}"]}
            if (seen := self.seen_posted(code)) is not None:
                answer["seen"] = seen
            answers.append(answer)
        return answers

    def uploads(self) -> list[tuple[str, object]]:
        return [(row["item"].code, self.cleaned_data.get(f"file_{row['item'].code}")) for row in self.rows
                if self.cleaned_data.get(f"file_{row['item'].code}")]


class FindingForm(forms.Form):
    checklist_item = forms.ChoiceField(label=_("Checklist item"))
    classification = forms.ModelChoiceField(label=_("Classification"), to_field_name="code",
                                            queryset=FindingClass.objects.filter(is_active=True))
    clause = _text(_("Clause of the standard (optional)"), 40, required=False)
    description = _text(_("Description"), 5000, multiline=True)
    due_on = BoundedFormDateField(label=_("Due on (default: 2 months after signing)"), required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist_item"].choices = [(i.code, f"{i.number}. {i.label}") for i in items]


class RespondForm(forms.Form):
    action_taken = _text(_("Corrective action taken"), 5000, multiline=True, rows=4)
    cause = _text(_("Cause (optional)"), 5000, required=False, multiline=True, rows=2)
    keep = forms.TypedMultipleChoiceField(
        label=_("Files already sent or uploaded"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticked files go with this response without being uploaded again; the response that was not "
                    "accepted keeps its own files."))
    files = MultipleFileField(label=_("Evidence files"), required=False,
                              help_text=_("PDF, Word, Excel, JPEG or PNG; you can choose several files."))

    def __init__(self, *args, reusable=(), **kwargs):
        """`reusable`: the finding's files the response may send again (`selectors.reusable_evidence`), all ticked
        at first; without any, the form has no such field."""
        super().__init__(*args, **kwargs)
        if not reusable:
            del self.fields["keep"]
            return
        self.fields["keep"].choices = [(e.pk, _evidence_choice(e)) for e in reusable]
        self.fields["keep"].initial = [e.pk for e in reusable]


def _evidence_choice(evidence) -> str:
    from django.template.defaultfilters import filesizeformat

    if evidence.response_id is None:
        where = _("uploaded, not sent yet")
    else:
        where = _("sent with the response of %(date)s, not accepted") % {
            "date": timezone.localtime(evidence.response.submitted_at).strftime("%d/%m/%Y")}
    return f"{evidence.file.original_name} ({filesizeformat(evidence.file.size)}; {where})"


class AcceptForm(forms.Form):
    note = _text(_("Note (optional)"), 5000, required=False, multiline=True, rows=2)


class RejectForm(forms.Form):
    reason = _text(_("Why the response is not accepted"), 5000, multiline=True, rows=3)
    new_due_on = BoundedFormDateField(label=_("New due date (optional)"), required=False)


class WithdrawForm(forms.Form):
    reason = _text(_("Why the finding is closed without corrective action"), 5000, multiline=True, rows=3)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = _text(_("Note"), 255, required=False)


class DueDateForm(forms.Form):
    due_on = BoundedFormDateField(label=_("New due date"))
    reason = _text(_("Reason"), 5000, multiline=True, rows=2)
