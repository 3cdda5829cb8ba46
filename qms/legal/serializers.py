from rest_framework import serializers

from agencies.models import AgencyKind
from agencies.selectors import agencies_in_scope
from qms_portal.fields import BoundedDateField, CleanCharField
from qms_portal.references import ScopedRelatedField, user_of
from qms_portal.serializers import CleanModelSerializer

from ..models import QmsDocument
from .models import DueLegalUpdate, DueStatus, LegalChange
from .selectors import legal_changes_visible
from .services import legal_change_progress
from .verdicts import LegalVerdict


class LegalChangeSerializer(CleanModelSerializer):
    province = serializers.IntegerField(source="province.code", allow_null=True, read_only=True)
    due_on = serializers.DateField(read_only=True)
    progress = serializers.SerializerMethodField(help_text="Percent of the concerned agencies worked out.")

    class Meta:
        model = LegalChange
        fields = ["id", "province", "number", "title", "issuer", "issued_on", "effective_on", "due_on", "replaces",
                  "procedure_fields", "procedure_codes", "agency_kinds", "agencies", "target_count", "progress",
                  "targets_done_at", "created_at"]
        read_only_fields = fields

    def get_progress(self, obj) -> int:
        return legal_change_progress(obj)


class LegalChangeWriteSerializer(serializers.Serializer):
    number = CleanCharField(max_length=60)
    title = CleanCharField(max_length=500)
    issuer = CleanCharField(max_length=200)
    issued_on = BoundedDateField()
    effective_on = BoundedDateField()
    procedure_fields = serializers.ListField(child=CleanCharField(max_length=200), required=False, max_length=200)
    procedure_codes = serializers.ListField(child=CleanCharField(max_length=40), required=False, max_length=2000)
    agency_kinds = serializers.ListField(child=serializers.ChoiceField(choices=AgencyKind.choices), required=False)
    agencies = ScopedRelatedField(many=True, required=False,
                                  scope=lambda context: agencies_in_scope(user=user_of(context)))
    replaces = ScopedRelatedField(many=True, required=False,
                                  scope=lambda context: legal_changes_visible(user=user_of(context)))


class DueLegalUpdateSerializer(CleanModelSerializer):
    change = serializers.PrimaryKeyRelatedField(read_only=True)
    number = serializers.CharField(source="change.number", read_only=True)
    title = serializers.CharField(source="change.title", read_only=True)
    effective_on = serializers.DateField(source="change.effective_on", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    verdict = serializers.ChoiceField(choices=LegalVerdict.choices, read_only=True,
                                      help_text="The 3-month rule measured today.")
    status = serializers.ChoiceField(choices=DueStatus.choices, read_only=True)

    class Meta:
        model = DueLegalUpdate
        fields = ["id", "change", "number", "title", "effective_on", "agency", "agency_name", "due_on", "status",
                  "verdict", "updated_on", "documents", "procedures", "reason", "claimed_on", "decided_on",
                  "decision_note"]
        read_only_fields = fields


class DueRecordSerializer(serializers.Serializer):
    updated_on = BoundedDateField()
    documents = ScopedRelatedField(
        many=True, required=False,
        scope=lambda context: QmsDocument.objects.filter(qms__agency_id=context["due"].agency_id))
    note = CleanCharField(max_length=1000, required=False, allow_blank=True, multiline=True)


class DueDeclareSerializer(serializers.Serializer):
    reason = CleanCharField(max_length=1000, multiline=True)


class DueDecideSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = CleanCharField(max_length=1000, required=False, allow_blank=True, multiline=True)

