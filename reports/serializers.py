from datetime import date, datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Province
from qms_portal.fields import WORK_YEAR_BOUNDS, BoundedDateField, CleanCharField
from qms_portal.serializers import ChoiceLabelField, CleanModelSerializer, NullWhenBlankField

from .models import (
    AgencyReport,
    AgencyReportStatus,
    ConsolidatedReport,
    PeriodKind,
    ReportingPeriod,
    ReportKind,
    ReportStatus,
)
from .selectors import RegisterState, register_states


def choice(enum, *, values=None, **kwargs) -> serializers.ChoiceField:
    """A choice field documented as an inline enum: "kind" and "status" name different choice sets across the
    apps, and drf-spectacular would hoist them into colliding named components (the enum sits under `allOf`,
    which its hoisting leaves alone)."""
    values = list(values or enum.values)
    field_class = extend_schema_field({"type": "string", "allOf": [{"enum": values}]})(
        type(f"{enum.__name__}Field", (serializers.ChoiceField,), {}))
    return field_class(choices=[(v, enum(v).label) for v in values], **kwargs)


class ReportingPeriodSerializer(CleanModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.current())
    kind = choice(PeriodKind)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "province", "year", "kind", "title", "label", "window_start", "window_end", "deadline",
                  "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"window_start": {"required": False}, "window_end": {"required": False},
                        "deadline": {"required": False}, "title": {"required": False}}
        validators = []  # the service checks uniqueness with a clear message


class ReportingPeriodUpdateSerializer(serializers.Serializer):
    title = CleanCharField(required=False, allow_blank=True, max_length=200)
    window_start = BoundedDateField(required=False)
    window_end = BoundedDateField(required=False)
    deadline = BoundedDateField(required=False)
    reason = CleanCharField(required=False, allow_blank=True, max_length=200)


class RegisterStateListSerializer(serializers.ListSerializer):
    """Reads the register lines of the whole page of reports at once (`selectors.register_states`)."""

    def to_representation(self, data):
        reports = list(data.all() if hasattr(data, "all") else data)
        self.child.register_states = register_states(reports)
        return super().to_representation(reports)


class WithdrawalFields(serializers.Serializer):
    """What the report's line in its issuer's register says now, as the report's page (and the verification page
    of a consolidated report) says it: withdrawn by the issuing body, no longer a valid document."""

    withdrawn = serializers.SerializerMethodField(
        help_text="Its number was withdrawn by the issuing body: the report is no longer a valid document.")
    withdrawn_on = serializers.SerializerMethodField()
    withdrawn_reason = serializers.SerializerMethodField()

    def _register_state(self, obj) -> RegisterState:
        states = getattr(self, "register_states", None)
        if states is None or obj.pk not in states:
            states = self.register_states = register_states([obj])
        return states[obj.pk]

    def get_withdrawn(self, obj) -> bool:
        return self._register_state(obj).withdrawn

    def get_withdrawn_on(self, obj) -> date | None:
        return self._register_state(obj).withdrawn_on

    def get_withdrawn_reason(self, obj) -> str:
        return self._register_state(obj).withdrawn_reason


class AgencyReportSerializer(WithdrawalFields, serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    on_time = serializers.SerializerMethodField()
    status = choice(AgencyReportStatus, read_only=True)
    status_label = ChoiceLabelField("status")
    # The number and date it was issued under while it is that document (`AgencyReport.issue`, as its page and
    # its PDF): null for a draft, and for a report returned or reopened until it is submitted again.
    number = serializers.CharField(source="issue.number", read_only=True, default=None, allow_null=True,
                                   help_text="The number it was issued under; null while it is not issued.")
    issued_on = serializers.DateField(source="issue.issued_on", read_only=True, default=None, allow_null=True,
                                      help_text="The date it was issued on; null while it is not issued.")
    signer_name = serializers.CharField(source="issue.signer_name", read_only=True, default=None, allow_null=True,
                                        help_text="The name printed under its signature; null while it is not issued.")
    submitted_by = serializers.CharField(source="submitted_by.get_username", read_only=True, default=None,
                                         allow_null=True)
    reviewed_by = serializers.CharField(source="reviewed_by.get_username", read_only=True, default=None,
                                        allow_null=True)

    class Meta:
        model = AgencyReport
        fields = ["id", "period", "period_label", "agency", "agency_name", "status", "status_label", "number",
                  "issued_on", "signer_name", "data", "data_as_of", "funding", "difficulties", "proposals",
                  "other_notes", "first_submitted_at", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by",
                  "review_note", "on_time", "version", "created_at", "withdrawn", "withdrawn_on", "withdrawn_reason"]
        read_only_fields = fields
        list_serializer_class = RegisterStateListSerializer

    def get_on_time(self, obj) -> bool | None:
        return obj.on_time()


class AgencyReportCreateSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    agency = serializers.IntegerField(required=False)


class AgencyReportUpdateSerializer(serializers.Serializer):
    difficulties = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    proposals = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    other_notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    funding = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=10**13), required=False)
    version = serializers.IntegerField(required=False, min_value=1)


class AgencyReportReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, error_messages={"blank": _("Give a reason."),
                                                                    "required": _("Give a reason.")})


class AgencyReportSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)


class CompletenessRowSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    returned = serializers.IntegerField()
    received_percent = serializers.IntegerField()


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    email = serializers.CharField()


class MissingAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    contacts = ContactSerializer(many=True)


class LateAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class CompletenessSerializer(serializers.Serializer):
    period = ReportingPeriodSerializer()
    total = CompletenessRowSerializer()
    by_kind = CompletenessRowSerializer(many=True)
    missing = MissingAgencySerializer(many=True)
    late = LateAgencySerializer(many=True)


def completeness_data(*, period: ReportingPeriod, result) -> dict:
    """The body of /completeness/ for a `selectors.Completeness`: what `CompletenessSerializer` gives (a test holds
    them equal), built directly. Every value is already a JSON type, and going through the serializer's fields
    for the missing agencies of a large province and their contacts costs more than the queries."""
    return {
        "period": ReportingPeriodSerializer(period).data,
        "total": result.total.as_dict(),
        "by_kind": [row.as_dict() for row in result.rows],
        "missing": [{"id": a.pk, "name": a.name, "kind": a.kind, "email": a.email, "phone": a.phone,
                     "contacts": a.contacts} for a in result.missing_agencies],
        "late": [{"id": a.pk, "name": a.name, "kind": a.kind} for a in result.late_agencies],
    }


class ConsolidatedReportSerializer(WithdrawalFields, serializers.ModelSerializer):
    kind = choice(ReportKind, read_only=True)
    period_kind = choice(PeriodKind, read_only=True)
    status = choice(ReportStatus, read_only=True)
    kind_label = ChoiceLabelField("kind")
    status_label = ChoiceLabelField("status")
    province = serializers.IntegerField(source="province.code", read_only=True, default=None, allow_null=True)
    pdf_sha256 = serializers.CharField(source="pdf.sha256", read_only=True, default=None, allow_null=True)
    xlsx_sha256 = serializers.CharField(source="xlsx.sha256", read_only=True, default=None, allow_null=True)
    docx_sha256 = serializers.CharField(source="docx.sha256", read_only=True, default=None, allow_null=True)
    status_url = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()
    progress = serializers.IntegerField(source="progress_estimate", read_only=True, min_value=0, max_value=100)
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True, default=None,
                                         allow_null=True)
    # the signed PDF stored on that line (pdf_sha256 is the unsigned one the portal printed), as the pages say it
    signed_pdf_sha256 = serializers.SerializerMethodField()
    number = NullWhenBlankField(help_text="The number it was issued under; null until it is (as an agency report's).")
    signed_by = serializers.SerializerMethodField(help_text="The signer named by the signature's certificate.")
    signed_at = serializers.SerializerMethodField()

    class Meta:
        list_serializer_class = RegisterStateListSerializer
        model = ConsolidatedReport
        fields = ["id", "kind", "kind_label", "province", "period", "year", "period_kind", "version", "status",
                  "status_label", "progress", "error", "attempts", "requested_by", "requested_at", "scheduled",
                  "started_at", "finished_at", "cutoff_at", "issuer_name", "number", "issued_on", "summary",
                  "verification_code", "pdf_sha256", "xlsx_sha256", "docx_sha256", "narrative", "status_url",
                  "downloads", "withdrawn", "withdrawn_on", "withdrawn_reason", "signed_pdf_sha256", "signed_by",
                  "signed_at"]
        read_only_fields = fields

    def get_signed_pdf_sha256(self, obj) -> str | None:
        signed = self._register_state(obj).signed_file
        return signed.sha256 if signed is not None else None

    def get_signed_by(self, obj) -> str:
        state = self._register_state(obj)
        return state.entry.signature_signer if state.signed_file is not None else ""

    def get_signed_at(self, obj) -> datetime | None:
        state = self._register_state(obj)
        if state.signed_file is None or state.entry.signature_signed_at is None:
            return None
        return serializers.DateTimeField().to_representation(state.entry.signature_signed_at)

    def get_status_url(self, obj) -> str:
        return reverse("consolidated-report-detail", kwargs={"pk": obj.pk})

    def get_downloads(self, obj) -> dict:
        if not obj.is_done:
            return {}
        base = reverse("consolidated-report-download", kwargs={"pk": obj.pk})
        formats = ("pdf", "xlsx", "docx") if obj.docx_id else ("pdf", "xlsx")
        return {fmt: f"{base}?format={fmt}" for fmt in formats}


class ConsolidatedReportRequestSerializer(serializers.Serializer):
    kind = choice(ReportKind)
    period = serializers.IntegerField(required=False)
    year = serializers.IntegerField(required=False, **WORK_YEAR_BOUNDS)
    period_kind = choice(PeriodKind, values=[PeriodKind.SIX_MONTH, PeriodKind.ANNUAL], required=False)
    narrative = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=20000),
                                      required=False)


class ConsolidatedReportAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_url = serializers.CharField()
    created = serializers.BooleanField()
    message = serializers.CharField(allow_blank=True, help_text="Set when generation is delayed.")
