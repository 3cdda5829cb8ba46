from django.utils import timezone
from rest_framework import serializers

from agencies.selectors import agencies_in_scope
from qms_portal.fields import CleanCharField
from qms_portal.references import ScopedRelatedField, user_of
from qms_portal.serializers import ChoiceLabelField, CleanModelSerializer

from .models import InternalAudit, QmsRecord, Stage
from .parts import PARTS, Part
from .rules import RuleResult


class StoredFileSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    kind = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


def _legal_update_status(obj) -> str:
    """open (not yet reflected), on_time, or late: computed, never typed in."""
    if obj.updated_on is None:
        return "overdue" if obj.due_on and obj.due_on < timezone.localdate() else "open"
    return "on_time" if obj.updated_on <= obj.due_on else "late"


class LegalUpdateStatusMixin(serializers.Serializer):
    status = serializers.SerializerMethodField(help_text="open, overdue, on_time or late")

    def get_status(self, obj) -> str:
        return _legal_update_status(obj)


def _part_serializer(part: Part) -> type[serializers.ModelSerializer]:
    file_field = {"announcements": "decision_file", "documents": "file"}.get(part.slug)
    computed = ("status",) if part.slug == "legal-updates" else ()
    extra = ("id",) + part.read_only_fields + ((file_field,) if file_field else ()) + computed
    attrs = {"Meta": type("Meta", (), {"model": part.model, "fields": extra + part.fields,
                                        "read_only_fields": extra})}
    if file_field:
        attrs[file_field] = StoredFileSerializer(read_only=True, allow_null=True)
    if "internal_audit" in part.fields:  # only an audit of the same system (the view puts its record in the context)
        attrs["internal_audit"] = ScopedRelatedField(
            required=False, allow_null=True,
            scope=lambda context: InternalAudit.objects.filter(qms_id=context["qms"].pk))
    bases = (LegalUpdateStatusMixin, CleanModelSerializer) if computed else (CleanModelSerializer,)
    return type(f"{part.model.__name__}Serializer", bases, attrs)


PART_SERIALIZERS = {slug: _part_serializer(part) for slug, part in PARTS.items()}


class QmsRecordSerializer(CleanModelSerializer):
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    also_covers = serializers.PrimaryKeyRelatedField(many=True, read_only=True,
                                                     help_text="Other agencies this system covers.")
    stage_display = ChoiceLabelField("stage")

    class Meta:
        model = QmsRecord
        fields = ["agency", "also_covers", "edition", "stage", "stage_display", "build_started_on",
                  "steering_decision_number", "steering_decision_date", "consultant", "documents_approved_on",
                  "documents_approved_by",
                  "effectiveness_confirmed_on", "effectiveness_confirmed_by", "reannouncement_reason", "version",
                  "updated_at"]
        read_only_fields = ["stage", "reannouncement_reason", "version", "updated_at"]


class QmsUpdateSerializer(QmsRecordSerializer):
    also_covers = ScopedRelatedField(many=True, required=False,
                                     scope=lambda context: agencies_in_scope(user=user_of(context)))
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    version = serializers.IntegerField(required=False, help_text="The version you read; 409 if it changed since.")
    reason = CleanCharField(required=False, allow_blank=True, max_length=255,
                            help_text="Why (required to move a stage backwards).")

    class Meta(QmsRecordSerializer.Meta):
        fields = [f for f in QmsRecordSerializer.Meta.fields if f not in ("agency", "stage_display", "updated_at",
                                                                           "reannouncement_reason")] + ["reason"]
        read_only_fields = []


class RuleResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    met = serializers.BooleanField()
    due_date = serializers.DateField(allow_null=True)
    reason = serializers.CharField()
    next_step = serializers.CharField()
    as_of = serializers.DateField(help_text="The date the rule was judged at: records dated later do not count.")

    def to_representation(self, instance: RuleResult):
        return super().to_representation(instance)


class AgencyComplianceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    province = serializers.IntegerField(source="province.code")
    stage = serializers.CharField(allow_null=True)
    edition = serializers.CharField(allow_null=True)
    rules = RuleResultSerializer(many=True)
