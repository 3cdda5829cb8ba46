from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.issuers import SigningForm
from agencies.models import Province
from agencies.selectors import agencies_in_scope
from agencies.serializers import AgencyBriefSerializer
from qms_portal.fields import WORK_YEAR_BOUNDS, BoundedDateField, CleanCharField
from qms_portal.references import ScopedRelatedField, user_of
from qms_portal.serializers import ChoiceLabelField

from . import selectors
from .models import (
    ChecklistItem,
    ChecklistResult,
    Finding,
    FindingClass,
    FindingEvent,
    FindingEvidence,
    FindingResponse,
    Inspection,
    InspectionDecision,
    InspectionForm,
    InspectionPlan,
    PlanEntry,
    ReportRequest,
    TeamMember,
    TeamRole,
)

MAX_BUDGET_VND = 10**12


# --- scoped references in request bodies --------------------------------------------------------------


class ScopedAgencyField(ScopedRelatedField):
    """An agency id, looked up only among the agencies the user may see."""

    default_error_messages = {"does_not_exist": _("No agency with id {pk_value} in your scope.")}

    def __init__(self, **kwargs):
        super().__init__(scope=lambda context: agencies_in_scope(user=user_of(context)), **kwargs)


class ScopedInspectionField(ScopedRelatedField):
    default_error_messages = {"does_not_exist": _("No inspection with id {pk_value} in your scope.")}

    def __init__(self, **kwargs):
        super().__init__(scope=lambda context: selectors.inspections_in_scope(user=user_of(context))
                         .select_related("agency"), **kwargs)


# --- output ----------------------------------------------------------------------------------------------


class ProvinceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "name"]


@extend_schema_field({"type": "object", "properties": {"status": {"type": "string"}, "url": {"type": "string"}}})
class PdfStateField(serializers.Field):
    """{"status": "done" | "queued" | "running" | "failed" | "none", "url": the download URL}."""

    def __init__(self, url_name: str, **kwargs):
        self.url_name = url_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return {"status": value.pdf_state, "url": reverse(self.url_name, args=[value.pk])}


def code(help_text: str):
    """A read-only code; values listed in the help text (no OpenAPI enum, whose names collide across apps)."""
    return serializers.CharField(read_only=True, help_text=help_text)


class PlanEntrySerializer(serializers.ModelSerializer):
    form = code("documents | on_site")
    agency = AgencyBriefSerializer(read_only=True)
    inspecting_unit = AgencyBriefSerializer(read_only=True)
    form_display = ChoiceLabelField("form")

    class Meta:
        model = PlanEntry
        fields = ["id", "agency", "inspecting_unit", "cooperating_unit", "expected_from", "expected_to", "form",
                  "form_display", "budget_vnd", "note"]


class PlanSerializer(serializers.ModelSerializer):
    province = ProvinceBriefSerializer(read_only=True)
    issuer = AgencyBriefSerializer(read_only=True)
    status = serializers.CharField(source="state", read_only=True)
    status_display = ChoiceLabelField("state")
    entry_count = serializers.IntegerField(read_only=True)
    on_site_count = serializers.IntegerField(read_only=True)
    budget_total = serializers.IntegerField(read_only=True, allow_null=True)
    pdf = PdfStateField("inspection-plan-pdf")

    class Meta:
        model = InspectionPlan
        fields = ["id", "province", "year", "issuer", "status", "status_display", "number", "issued_on", "purpose",
                  "organisation", "signing_capacity", "signer_name", "submitted_at", "approval_number",
                  "approval_date", "approved_at", "closed_at", "entry_count", "on_site_count", "budget_total", "pdf"]


class CoverageSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    determined = serializers.BooleanField(
        help_text="Whether the province has confirmed the year's obligations; until then ok is false.")
    total = serializers.IntegerField(help_text="Mandatory agencies of the province for the plan's year.")
    covered = serializers.IntegerField()
    on_site = serializers.IntegerField()
    required_on_site = serializers.IntegerField()
    missing = AgencyBriefSerializer(many=True)
    errors = serializers.ListField(child=serializers.CharField())


class PlanDetailSerializer(PlanSerializer):
    entries = serializers.SerializerMethodField()
    coverage = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "entries", "coverage"]

    def get_entries(self, plan) -> list[dict]:
        return PlanEntrySerializer(selectors.plan_entries(plan=plan), many=True).data

    def get_coverage(self, plan) -> dict:
        from .services import coverage_errors

        coverage = selectors.plan_coverage(plan=plan)
        return CoverageSerializer({"ok": coverage.ok, "determined": coverage.determined, "total": coverage.total,
                                   "covered": coverage.covered,
                                   "on_site": coverage.on_site, "required_on_site": coverage.required_on_site,
                                   "missing": coverage.missing, "errors": coverage_errors(coverage)}).data


class ReportRequestSerializer(serializers.ModelSerializer):
    issuer = AgencyBriefSerializer(read_only=True)

    class Meta:
        model = ReportRequest
        fields = ["id", "number", "issued_on", "deadline", "message", "issuer"]


class TeamMemberSerializer(serializers.ModelSerializer):
    role = code("member | secretary")

    class Meta:
        model = TeamMember
        fields = ["name", "position", "role"]


class DecisionSerializer(serializers.ModelSerializer):
    issuer = AgencyBriefSerializer(read_only=True)
    members = TeamMemberSerializer(many=True, read_only=True)
    pdf = PdfStateField("inspection-decision-pdf")

    class Meta:
        model = InspectionDecision
        fields = ["id", "number", "issued_on", "starts_on", "ends_on", "team_leader", "team_leader_position",
                  "members", "signing_capacity", "signer_name", "issuer", "pdf"]


class DecisionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionDecision
        fields = ["id", "number", "issued_on", "starts_on", "ends_on", "team_leader"]


class InspectionSerializer(serializers.ModelSerializer):
    kind = code("planned | unplanned")
    form = code("documents | on_site")
    status = code("planned | requested | self_assessed | decided | signed")
    province = ProvinceBriefSerializer(read_only=True)
    agency = AgencyBriefSerializer(read_only=True)
    inspecting_unit = AgencyBriefSerializer(read_only=True)
    status_display = ChoiceLabelField("status")
    plan = serializers.SerializerMethodField()
    report_request = ReportRequestSerializer(read_only=True, allow_null=True)
    decision = DecisionBriefSerializer(read_only=True, allow_null=True)
    record = serializers.SerializerMethodField()
    finding_count = serializers.SerializerMethodField(help_text="null while the record is a draft, for the agency")

    class Meta:
        model = Inspection
        fields = ["id", "province", "agency", "year", "kind", "unplanned_reason", "form", "status", "status_display",
                  "inspecting_unit", "expected_from", "expected_to", "scheduled_on", "location", "plan",
                  "report_request", "decision", "record", "self_assessment_submitted_at", "finding_count"]

    def get_plan(self, inspection) -> dict | None:
        plan = inspection.plan
        return {"id": plan.pk, "number": plan.number, "year": plan.year} if plan else None

    def _record_visible(self, inspection) -> bool:
        request = self.context.get("request")
        return request is not None and selectors.record_visible(user=request.user, inspection=inspection)

    def get_finding_count(self, inspection) -> int | None:
        return inspection.finding_count if self._record_visible(inspection) else None

    def get_record(self, inspection) -> dict | None:
        if not self._record_visible(inspection):
            return None
        record = inspection.record
        return {"number": record.number, "signed_on": record.signed_on,
                "pdf": {"status": record.pdf_state,
                        "url": reverse("inspection-record-pdf", args=[inspection.pk])}}


class ChecklistItemSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="label")
    group = code("iso9001 | decision19")

    class Meta:
        model = ChecklistItem
        fields = ["code", "number", "group", "text"]


class StoredFileBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    kind = serializers.CharField()
    size = serializers.IntegerField()


class ChecklistRowSerializer(serializers.Serializer):
    item = ChecklistItemSerializer()
    result = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)


class SelfAssessmentRowSerializer(serializers.Serializer):
    item = ChecklistItemSerializer()
    result = serializers.CharField(allow_blank=True)
    explanation = serializers.CharField(allow_blank=True)
    prefill_note = serializers.CharField(allow_blank=True, help_text="What the agency's QMS file says.")
    evidence = StoredFileBriefSerializer(many=True)
    saved = serializers.BooleanField()


class FindingClassSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="label")

    class Meta:
        model = FindingClass
        fields = ["code", "name"]


class FindingSerializer(serializers.ModelSerializer):
    status = code("open | responded | accepted | rejected | withdrawn")
    province = ProvinceBriefSerializer(read_only=True)
    agency = AgencyBriefSerializer(read_only=True, help_text="The inspected agency (as the record was signed).")
    responsible_agency = AgencyBriefSerializer(
        read_only=True, help_text="The agency answering the finding: the inspected agency, or the agency it was "
                                  "merged into.")
    checklist_item = ChecklistItemSerializer(read_only=True)
    classification = FindingClassSerializer(read_only=True)
    status_display = ChoiceLabelField("status")
    is_overdue = serializers.BooleanField(read_only=True)
    record = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = ["id", "inspection", "province", "agency", "responsible_agency", "number", "checklist_item", "clause",
                  "classification",
                  "description", "due_on", "status", "status_display", "is_overdue", "closed_on", "record",
                  "created_at"]

    def get_record(self, finding) -> dict | None:
        record = getattr(finding.inspection, "record", None)
        return {"number": record.number, "signed_on": record.signed_on} if record else None


class EvidenceSerializer(serializers.ModelSerializer):
    side = code("agency | inspector")
    name = serializers.CharField(source="file.original_name")
    kind = serializers.CharField(source="file.kind")
    size = serializers.IntegerField(source="file.size")
    uploaded_by = serializers.CharField(source="uploaded_by.get_username")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = FindingEvidence
        fields = ["id", "name", "kind", "size", "side", "note", "response", "carried_from", "uploaded_by",
                  "uploaded_at", "download_url"]

    def get_download_url(self, evidence) -> str:
        return reverse("finding-evidence-file", args=[evidence.finding_id, evidence.pk])


class FindingEventSerializer(serializers.ModelSerializer):
    kind = code("created | updated | due_date_set | due_date_changed | evidence_added | responded | accepted | "
                "rejected | handed_over | withdrawn")
    who = serializers.SerializerMethodField()
    what = ChoiceLabelField("kind")

    class Meta:
        model = FindingEvent
        fields = ["kind", "what", "who", "at", "reason", "data"]

    def get_who(self, event) -> str | None:
        return event.actor.get_username() if event.actor else None


class FindingResponseSerializer(serializers.ModelSerializer):
    outcome = code("pending | accepted | rejected")
    submitted_by = serializers.CharField(source="submitted_by.get_username")
    decided_by = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = FindingResponse
        fields = ["id", "cause", "action_taken", "submitted_by", "submitted_at", "outcome", "decided_by",
                  "decided_at", "decision_reason", "evidence"]

    def get_decided_by(self, response) -> str | None:
        return response.decided_by.get_username() if response.decided_by else None


class FindingDetailSerializer(FindingSerializer):
    events = FindingEventSerializer(many=True, read_only=True)
    responses = FindingResponseSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(FindingSerializer.Meta):
        fields = [*FindingSerializer.Meta.fields, "events", "responses", "evidence"]


class PdfStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_url = serializers.CharField()
    error = serializers.CharField(allow_blank=True)


# --- input -----------------------------------------------------------------------------------------------


class PlanWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(**WORK_YEAR_BOUNDS)
    purpose = CleanCharField(max_length=5000, required=False, allow_blank=True, multiline=True)
    organisation = CleanCharField(max_length=5000, required=False, allow_blank=True, multiline=True)
    signing_capacity = serializers.ChoiceField(choices=SigningForm.choices, required=False, allow_blank=True,
                                               help_text="How the issuing body signs (Decree 30/2020): head, kt "
                                                         "(KT.), tl (TL.), tuq (TUQ.), q (Q.); empty: the head.")
    signer_name = CleanCharField(max_length=120, required=False, allow_blank=True)


class PlanUpdateSerializer(PlanWriteSerializer):
    year = None


class PlanEntryWriteSerializer(serializers.Serializer):
    agency = ScopedAgencyField()
    inspecting_unit = ScopedAgencyField(required=False, allow_null=True)
    cooperating_unit = CleanCharField(max_length=255, required=False, allow_blank=True)
    expected_from = BoundedDateField()
    expected_to = BoundedDateField()
    form = serializers.ChoiceField(choices=InspectionForm.choices)
    budget_vnd = serializers.IntegerField(min_value=0, max_value=MAX_BUDGET_VND, required=False, default=0)
    note = CleanCharField(max_length=255, required=False, allow_blank=True)


class PlanEntryUpdateSerializer(PlanEntryWriteSerializer):
    agency = None


class ApproveSerializer(serializers.Serializer):
    approval_number = CleanCharField(max_length=50)
    approval_date = BoundedDateField()


class ReasonSerializer(serializers.Serializer):
    reason = CleanCharField(max_length=5000, multiline=True)


class ReportRequestWriteSerializer(serializers.Serializer):
    inspections = serializers.ListField(child=ScopedInspectionField(), min_length=1, max_length=2000)
    deadline = BoundedDateField()
    message = CleanCharField(max_length=5000, required=False, allow_blank=True, multiline=True)


class UnplannedInspectionSerializer(serializers.Serializer):
    agency = ScopedAgencyField()
    form = serializers.ChoiceField(choices=InspectionForm.choices)
    reason = CleanCharField(max_length=2000, multiline=True)
    scheduled_on = BoundedDateField(required=False, allow_null=True)


class InspectionUpdateSerializer(serializers.Serializer):
    scheduled_on = BoundedDateField(required=False, allow_null=True)
    location = CleanCharField(max_length=255, required=False, allow_blank=True)


class TeamMemberWriteSerializer(serializers.Serializer):
    name = CleanCharField(max_length=120)
    position = CleanCharField(max_length=255, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=TeamRole.choices, required=False, default=TeamRole.MEMBER)


class DecisionWriteSerializer(serializers.Serializer):
    inspections = serializers.ListField(child=ScopedInspectionField(), min_length=1, max_length=200)
    issued_on = BoundedDateField()
    starts_on = BoundedDateField()
    ends_on = BoundedDateField()
    team_leader = CleanCharField(max_length=120)
    team_leader_position = CleanCharField(max_length=255, required=False, allow_blank=True)
    members = TeamMemberWriteSerializer(many=True, required=False)
    signing_capacity = serializers.ChoiceField(choices=SigningForm.choices, required=False, allow_blank=True,
                                               help_text="How the issuing body signs (Decree 30/2020): head, kt "
                                                         "(KT.), tl (TL.), tuq (TUQ.), q (Q.); empty: the head.")
    signer_name = CleanCharField(max_length=120, required=False, allow_blank=True)


class ResultRowSerializer(serializers.Serializer):
    item = serializers.SlugField(max_length=60, help_text="Checklist item code, e.g. scope-covers-procedures.")
    result = serializers.ChoiceField(choices=ChecklistResult.choices, allow_blank=True, required=False)
    notes = CleanCharField(max_length=5000, required=False, allow_blank=True, multiline=True)


class RecordFieldsSerializer(serializers.Serializer):
    place = CleanCharField(max_length=255, required=False, allow_blank=True)
    team_leader_name = CleanCharField(max_length=120, required=False, allow_blank=True)
    agency_representative = CleanCharField(max_length=255, required=False, allow_blank=True)
    agency_representative_position = CleanCharField(max_length=255, required=False, allow_blank=True)
    conclusion = CleanCharField(max_length=10000, required=False, allow_blank=True, multiline=True)


class ChecklistWriteSerializer(RecordFieldsSerializer):
    results = ResultRowSerializer(many=True, required=False, max_length=200)


class SignSerializer(RecordFieldsSerializer):
    signed_on = BoundedDateField()


class AnswerRowSerializer(serializers.Serializer):
    item = serializers.SlugField(max_length=60)
    result = serializers.ChoiceField(choices=ChecklistResult.choices, allow_blank=True, required=False)
    explanation = CleanCharField(max_length=5000, required=False, allow_blank=True, multiline=True)


class SelfAssessmentWriteSerializer(serializers.Serializer):
    answers = AnswerRowSerializer(many=True, max_length=200)


class SelfAssessmentEvidenceSerializer(serializers.Serializer):
    item = serializers.SlugField(max_length=60)
    file = serializers.FileField()


class FindingWriteSerializer(serializers.Serializer):
    inspection = ScopedInspectionField()
    checklist_item = serializers.SlugField(max_length=60)
    classification = serializers.SlugRelatedField(slug_field="code", queryset=FindingClass.objects.filter(
        is_active=True))
    clause = CleanCharField(max_length=40, required=False, allow_blank=True)
    description = CleanCharField(max_length=5000, multiline=True)
    due_on = BoundedDateField(required=False, allow_null=True)


class FindingUpdateSerializer(serializers.Serializer):
    checklist_item = serializers.SlugField(max_length=60, required=False)
    classification = serializers.SlugRelatedField(slug_field="code", required=False,
                                                  queryset=FindingClass.objects.filter(is_active=True))
    clause = CleanCharField(max_length=40, required=False, allow_blank=True)
    description = CleanCharField(max_length=5000, multiline=True, required=False)
    due_on = BoundedDateField(required=False, allow_null=True)
    reason = CleanCharField(max_length=5000, required=False, allow_blank=True, multiline=True)


class RespondSerializer(serializers.Serializer):
    action_taken = CleanCharField(max_length=5000, multiline=True)
    cause = CleanCharField(max_length=5000, required=False, allow_blank=True, multiline=True)
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=50,
        help_text="Ids of this finding's evidence to send with the response: uploaded and not sent yet, or sent "
                  "with a response that was not accepted (sent again, the same stored file). Left out: every file "
                  "uploaded and not sent yet.")
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=20)


class WithdrawSerializer(serializers.Serializer):
    reason = CleanCharField(max_length=5000, multiline=True)


class AcceptSerializer(serializers.Serializer):
    note = CleanCharField(max_length=5000, required=False, allow_blank=True, multiline=True)


class RejectSerializer(serializers.Serializer):
    reason = CleanCharField(max_length=5000, multiline=True)
    new_due_on = BoundedDateField(required=False, allow_null=True)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    note = CleanCharField(max_length=255, required=False, allow_blank=True)
