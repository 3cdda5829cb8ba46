"""REST API of the QMS file: /api/v1/agencies/{id}/qms/, its parts, compliance and the province view."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qms_portal.files import stored_file_response

from . import qms_services, selectors
from .compliance import RULES, evaluate
from .models import AgencyKind
from .permissions import require
from .procedure_import import procedures_import
from .qms_parts import PARTS
from .qms_selectors import agency_compliance, compliance_list, part_items, qms_history
from .qms_serializers import (
    PART_SERIALIZERS,
    AgencyComplianceSerializer,
    QmsRecordSerializer,
    QmsUpdateSerializer,
    RuleResultSerializer,
)
from .serializers import HistoryEntrySerializer

FILE_FIELDS = {"announcements": "decision_file", "documents": "file"}


class AgencyScopedView(APIView):
    def agency(self):
        return selectors.agency_get(user=self.request.user, pk=self.kwargs["agency_pk"])

    def qms(self, agency):
        return qms_services.qms_for_agency(agency=agency)

    def part(self):
        part = PARTS.get(self.kwargs["part"])
        if part is None:
            raise Http404
        return part


class QmsView(AgencyScopedView):
    @extend_schema(responses=QmsRecordSerializer)
    def get(self, request, agency_pk):
        return Response(QmsRecordSerializer(self.qms(self.agency())).data)

    @extend_schema(request=QmsUpdateSerializer, responses=QmsRecordSerializer)
    def patch(self, request, agency_pk):
        qms = self.qms(self.agency())
        require(request.user, "qms.edit")
        serializer = QmsUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version, reason = data.pop("version", None), data.pop("reason", "")
        qms = qms_services.qms_update(actor=request.user, qms=qms, data=data, version=version, reason=reason)
        return Response(QmsRecordSerializer(qms).data)


class QmsHistoryView(AgencyScopedView):
    @extend_schema(responses=HistoryEntrySerializer(many=True))
    def get(self, request, agency_pk):
        return Response(HistoryEntrySerializer(qms_history(qms=self.qms(self.agency())), many=True).data)


class ComplianceView(AgencyScopedView):
    @extend_schema(responses=RuleResultSerializer(many=True))
    def get(self, request, agency_pk):
        results = agency_compliance(agency=self.agency())
        return Response(RuleResultSerializer(results, many=True).data)


class PartListView(AgencyScopedView):
    """GET lists the records of one part of the QMS file; POST adds one."""

    @extend_schema(operation_id="qms_part_list", responses=serializers.DictField())
    def get(self, request, agency_pk, part):
        part_def, agency = self.part(), self.agency()
        items = part_items(agency=agency, qms=self.qms(agency), slug=part_def.slug)
        return Response(PART_SERIALIZERS[part_def.slug](items, many=True).data)

    @extend_schema(operation_id="qms_part_create", request=serializers.DictField(), responses=serializers.DictField())
    def post(self, request, agency_pk, part):
        part_def, agency = self.part(), self.agency()
        require(request.user, "qms.edit")
        serializer = PART_SERIALIZERS[part_def.slug](data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = qms_services.qms_part_create(actor=request.user, agency=agency, part=part_def,
                                           data=serializer.validated_data)
        return Response(PART_SERIALIZERS[part_def.slug](obj).data, status=status.HTTP_201_CREATED)


class PartDetailView(AgencyScopedView):
    def item(self):
        agency, part_def = self.agency(), self.part()
        return part_def, get_object_or_404(part_items(agency=agency, qms=self.qms(agency), slug=part_def.slug),
                                           pk=self.kwargs["pk"])

    @extend_schema(operation_id="qms_part_retrieve", responses=serializers.DictField())
    def get(self, request, agency_pk, part, pk):
        part_def, obj = self.item()
        return Response(PART_SERIALIZERS[part_def.slug](obj).data)

    @extend_schema(operation_id="qms_part_update", request=serializers.DictField(), responses=serializers.DictField())
    def patch(self, request, agency_pk, part, pk):
        part_def, obj = self.item()
        require(request.user, "qms.edit")
        serializer = PART_SERIALIZERS[part_def.slug](obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = qms_services.qms_part_update(actor=request.user, obj=obj, part=part_def, data=serializer.validated_data)
        return Response(PART_SERIALIZERS[part_def.slug](obj).data)


class PartFileView(PartDetailView):
    """GET downloads the record's file (permission-checked); POST uploads it (multipart field `file`)."""

    parser_classes = [MultiPartParser]

    def item(self):
        if self.kwargs["part"] not in FILE_FIELDS:
            raise Http404
        return super().item()

    @extend_schema(operation_id="qms_part_file_download", responses={(200, "application/octet-stream"): bytes})
    def get(self, request, agency_pk, part, pk):
        part_def, obj = self.item()
        stored = getattr(obj, FILE_FIELDS[part_def.slug])
        if stored is None:
            raise Http404
        return stored_file_response(stored)

    @extend_schema(operation_id="qms_part_file_upload",
                   request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string",
                                                                                             "format": "binary"}}}},
                   responses=serializers.DictField())
    def post(self, request, agency_pk, part, pk):
        part_def, obj = self.item()
        require(request.user, "qms.edit")
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise serializers.ValidationError({"file": [serializers.Field.default_error_messages["required"]]})
        obj = qms_services.qms_part_attach_file(actor=request.user, obj=obj, field=FILE_FIELDS[part_def.slug],
                                                uploaded=uploaded)
        return Response(PART_SERIALIZERS[part_def.slug](obj).data, status=status.HTTP_201_CREATED)


class ProcedureImportView(AgencyScopedView):
    """Import the agency's procedures from .xlsx or .csv; answers a per-row report."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string",
                                                                                          "format": "binary"}}}},
                   responses=serializers.DictField())
    def post(self, request, agency_pk):
        agency = self.agency()
        require(request.user, "qms.edit")
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise serializers.ValidationError({"file": [serializers.Field.default_error_messages["required"]]})
        report = procedures_import(actor=request.user, agency=agency, uploaded=uploaded)
        return Response(report.as_dict(), status=status.HTTP_200_OK)


class ProvinceComplianceView(APIView):
    """Agencies in your scope with each rule met or not; `rule` keeps only those that fail it."""

    @extend_schema(parameters=[
        OpenApiParameter("rule", str, enum=list(RULES)), OpenApiParameter("kind", str, enum=AgencyKind.values),
        OpenApiParameter("province", int), OpenApiParameter("mandatory", bool)],
        responses=AgencyComplianceSerializer(many=True))
    def get(self, request):
        params = request.query_params
        rule = params.get("rule")
        if rule and rule not in RULES:
            raise serializers.ValidationError({"rule": [serializers.ChoiceField.default_error_messages[
                "invalid_choice"].format(input=rule)]})
        province = params.get("province")
        if province and not province.isdigit():
            message = serializers.IntegerField.default_error_messages["invalid"]
            raise serializers.ValidationError({"province": [message]})
        queryset = compliance_list(user=request.user, rule=rule, kind=params.get("kind"),
                                   province=int(province) if province else None,
                                   mandatory_only=params.get("mandatory") in ("1", "true"))
        paginator = self.pagination_class() if self.pagination_class else None
        page = paginator.paginate_queryset(queryset, request, view=self)
        rows = [{"id": a.pk, "name": a.name, "kind": a.kind, "province": a.province,
                 "stage": a.qms.stage if hasattr(a, "qms") else None,
                 "edition": a.qms.edition if hasattr(a, "qms") else None, "rules": evaluate(a)} for a in page]
        return paginator.get_paginated_response(AgencyComplianceSerializer(rows, many=True).data)

    @property
    def pagination_class(self):
        from qms_portal.api import Pagination

        return Pagination
