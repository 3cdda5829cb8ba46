from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qms_portal.fields import WORK_YEAR_BOUNDS, BoundedDateField, CleanCharField
from qms_portal.references import ScopedRelatedField, user_of
from qms_portal.serializers import ChoiceLabelField

from .models import Agency, AgencyKind, Commune, ObligationLevel, Province, RegisteredDocument, SuccessionKind


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "name", "division_type", "codename"]


class CommuneBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["code", "name", "division_type"]


class AgencyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_code"]


class AgencySerializer(serializers.ModelSerializer):
    province = ProvinceSerializer(read_only=True)
    commune = CommuneBriefSerializer(read_only=True, allow_null=True)
    parent = AgencyBriefSerializer(read_only=True, allow_null=True)
    kind_display = ChoiceLabelField("kind")
    obligation = serializers.CharField(source="obligation_level", read_only=True, allow_null=True,
                                       help_text="Obligation level for the current year.")

    class Meta:
        model = Agency
        fields = ["id", "name", "short_code", "kind", "kind_display", "province", "commune", "parent",
                  "address", "website", "email", "phone", "is_active", "obligation", "updated_at"]


def _agencies(context):
    from .selectors import agencies_in_scope

    return agencies_in_scope(user=user_of(context))


class CodeRelatedField(serializers.SlugRelatedField):
    """Look up a current administrative unit by its official code, with a translated error."""

    default_error_messages = {
        "does_not_exist": _("No unit with code {value} exists."),
        "invalid": _("Enter a valid code."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)


class AgencyWriteSerializer(serializers.Serializer):
    name = CleanCharField(max_length=255)
    short_code = CleanCharField(max_length=30)
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    province = CodeRelatedField(queryset=Province.objects.current())
    commune = CodeRelatedField(queryset=Commune.objects.current(), required=False, allow_null=True)
    parent = ScopedRelatedField(scope=_agencies, required=False, allow_null=True)
    address = CleanCharField(max_length=255, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = CleanCharField(max_length=30, required=False, allow_blank=True)


class AgencyUpdateSerializer(AgencyWriteSerializer):
    """The province of an existing agency does not change: a move is a succession."""

    province = None


class ObligationSerializer(serializers.Serializer):
    year = serializers.IntegerField(**WORK_YEAR_BOUNDS)
    level = serializers.ChoiceField(choices=ObligationLevel.choices)
    note = CleanCharField(max_length=255, required=False, allow_blank=True, default="")


class SuccessionSerializer(serializers.Serializer):
    successor = ScopedRelatedField(scope=_agencies)
    kind = serializers.ChoiceField(choices=SuccessionKind.choices)
    effective_date = BoundedDateField()
    note = CleanCharField(max_length=255, required=False, allow_blank=True, default="")


class HistoryEntrySerializer(serializers.Serializer):
    object = serializers.CharField()
    object_id = serializers.IntegerField()
    type = serializers.CharField()
    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    changes = serializers.ListField(child=serializers.DictField())


class AgencyImportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["agencies.agencies", "agencies.obligations", "qms.state"],
                                   help_text="agencies.agencies: agencies; agencies.obligations: obligations by "
                                             "year; qms.state: the QMS state of each agency.")
    province = CodeRelatedField(queryset=Province.objects.current(), required=False, allow_null=True,
                                help_text="The province's code; only national roles give it (others import into "
                                          "their own province).")
    file = serializers.FileField(help_text=".xlsx or .csv with the columns of the template.")
    apply = serializers.BooleanField(default=False, help_text="false: a check (nothing saved); true: import, all rows "
                                                             "or none.")


class RegisteredDocumentSerializer(serializers.ModelSerializer):
    """One line of a register of outgoing documents."""

    reference = serializers.CharField(source="__str__", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    signed_sha256 = serializers.SerializerMethodField()
    current_sha256 = serializers.SerializerMethodField()

    class Meta:
        model = RegisteredDocument
        fields = ["id", "reference", "issuer", "issuer_name", "year", "number", "symbol", "doc_type", "issued_on",
                  "title", "recipients", "signer_name", "signer_capacity", "status", "withdrawn_reason",
                  "withdrawn_at", "current_sha256", "signed_sha256", "signature_signer", "signature_organisation",
                  "signature_signed_at", "signature_verdict"]
        read_only_fields = fields

    def get_current_sha256(self, entry) -> str | None:
        """The SHA-256 of the PDF the portal printed last (the draft)."""
        return entry.current_file.sha256 if entry.current_file_id else None

    def get_signed_sha256(self, entry) -> str | None:
        return entry.signed_file.sha256 if entry.signed_file_id else None


class RegisterWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class SignedPdfUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class SignedPdfResultSerializer(serializers.Serializer):
    entry = RegisteredDocumentSerializer()
    warnings = serializers.ListField(child=serializers.CharField())
