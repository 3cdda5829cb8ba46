"""REST API of the QMS file: /api/v1/agencies/{id}/qms/, its parts, compliance and the province view."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import selectors
from agencies.access import require
from agencies.models import AgencyKind
from agencies.serializers import HistoryEntrySerializer
from qms_portal.files import stored_file_response
from qms_portal.imports.api import ImportJobSerializer, job_response

from . import services
from .compliance_query import compliance_params
from .models import Stage
from .parts import PARTS
from .procedure_import import procedures_import
from .rules import RULES, edition_of, evaluate_agencies
from .selectors import agency_compliance, compliance_ids, part_items, qms_get, qms_history
from .serializers import (
    PART_SERIALIZERS,
    AgencyComplianceSerializer,
    QmsRecordSerializer,
    QmsUpdateSerializer,
    RuleResultSerializer,
)


def obj_qms(obj):
    """The QMS record a part's row belongs to (procedures belong to the agency, the others to its record)."""
    return getattr(obj, "qms", None) or services.qms_for_agency(agency=obj.agency)


FILE_FIELDS = {"announcements": "decision_file", "documents": "file"}


class AgencyScopedView(APIView):
    def agency(self):
        return selectors.agency_get(user=self.request.user, pk=self.kwargs["agency_pk"])

    def qms(self, agency):
        return qms_get(agency=agency)



class QmsView(AgencyScopedView):
    @extend_schema(responses=QmsRecordSerializer)
    def get(self, request, agency_pk):
        return Response(QmsRecordSerializer(self.qms(self.agency())).data)

    @extend_schema(request=QmsUpdateSerializer, responses=QmsRecordSerializer)
    def patch(self, request, agency_pk):
        qms = self.qms(self.agency())
        require(request.user, "qms.edit")
        serializer = QmsUpdateSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version, reason = data.pop("version", None), data.pop("reason", "")
        qms = services.qms_update(actor=request.user, qms=qms, data=data, version=version, reason=reason)
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


class PartView(AgencyScopedView):
    """Base of the per-part views below; `part_slug` is set by `part_views`."""

    part_slug = ""

    def part(self):
        return PARTS[self.part_slug]

    def serializer(self):
        return PART_SERIALIZERS[self.part_slug]

    def item(self):
        agency = self.agency()
        items = part_items(agency=agency, qms=self.qms(agency), slug=self.part_slug)
        return get_object_or_404(items, pk=self.kwargs["pk"])


class PartListView(PartView):
    """GET lists the records of one part of the QMS file; POST adds one."""

    def get(self, request, agency_pk):
        agency = self.agency()
        items = part_items(agency=agency, qms=self.qms(agency), slug=self.part_slug)
        return Response(self.serializer()(items, many=True).data)

    def post(self, request, agency_pk):
        agency = self.agency()
        require(request.user, "qms.edit")
        serializer = self.serializer()(data=request.data, context={"request": request, "qms": self.qms(agency)})
        serializer.is_valid(raise_exception=True)
        obj = services.qms_part_create(actor=request.user, agency=agency, part=self.part(),
                                           data=serializer.validated_data)
        return Response(self.serializer()(obj).data, status=status.HTTP_201_CREATED)


class PartDetailView(PartView):
    def get(self, request, agency_pk, pk):
        return Response(self.serializer()(self.item()).data)

    def patch(self, request, agency_pk, pk):
        obj = self.item()
        require(request.user, "qms.edit")
        serializer = self.serializer()(obj, data=request.data, partial=True,
                                       context={"request": request, "qms": obj_qms(obj)})
        serializer.is_valid(raise_exception=True)
        obj = services.qms_part_update(actor=request.user, obj=obj, part=self.part(),
                                           data=serializer.validated_data)
        return Response(self.serializer()(obj).data)


UPLOAD_SCHEMA = {"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string",
                                                                                  "format": "binary"}}}}


class PartFileView(PartView):
    """GET downloads the record's file (permission-checked); POST uploads it (multipart field `file`)."""

    parser_classes = [MultiPartParser]

    def get(self, request, agency_pk, pk):
        stored = getattr(self.item(), FILE_FIELDS[self.part_slug])
        if stored is None:
            raise Http404
        return stored_file_response(stored)

    def post(self, request, agency_pk, pk):
        obj = self.item()
        require(request.user, "qms.edit")
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise serializers.ValidationError({"file": [serializers.Field.default_error_messages["required"]]})
        obj = services.qms_part_attach_file(actor=request.user, obj=obj, field=FILE_FIELDS[self.part_slug],
                                                uploaded=uploaded)
        return Response(self.serializer()(obj).data, status=status.HTTP_201_CREATED)


def part_views(slug: str) -> dict[str, type]:
    """Concrete views for one part, so that the OpenAPI schema names its real serializer."""
    serializer, name = PART_SERIALIZERS[slug], slug.replace("-", "_")
    tag = {"tags": ["qms-file"]}
    views = {
        "list": extend_schema_view(
            get=extend_schema(operation_id=f"{name}_list", responses=serializer(many=True), **tag),
            post=extend_schema(operation_id=f"{name}_create", request=serializer, responses={201: serializer}, **tag),
        )(type(f"{serializer.__name__}List", (PartListView,), {"part_slug": slug})),
        "detail": extend_schema_view(
            get=extend_schema(operation_id=f"{name}_retrieve", responses=serializer, **tag),
            patch=extend_schema(operation_id=f"{name}_update", request=serializer, responses=serializer, **tag),
        )(type(f"{serializer.__name__}Detail", (PartDetailView,), {"part_slug": slug})),
    }
    if slug in FILE_FIELDS:
        views["file"] = extend_schema_view(
            get=extend_schema(operation_id=f"{name}_file_download",
                              responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, **tag),
            post=extend_schema(operation_id=f"{name}_file_upload", request=UPLOAD_SCHEMA,
                               responses={201: serializer}, **tag),
        )(type(f"{serializer.__name__}File", (PartFileView,), {"part_slug": slug}))
    return views


class ProcedureImportView(AgencyScopedView):
    """Import the agency's procedures from .xlsx or .csv; answers a per-row report."""

    parser_classes = [MultiPartParser]

    @extend_schema(request=UPLOAD_SCHEMA, responses={200: ImportJobSerializer, 202: ImportJobSerializer})
    def post(self, request, agency_pk):
        agency = self.agency()
        require(request.user, "qms.edit")
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise serializers.ValidationError({"file": [serializers.Field.default_error_messages["required"]]})
        return job_response(procedures_import(actor=request.user, agency=agency, uploaded=uploaded))


class ProvinceComplianceView(APIView):
    """Agencies in your scope with each rule met or not; `rule` keeps only those that fail it."""

    @extend_schema(parameters=[
        OpenApiParameter("rule", str, enum=list(RULES)), OpenApiParameter("kind", str, enum=AgencyKind.values),
        OpenApiParameter("stage", str, enum=Stage.values), OpenApiParameter("province", int),
        OpenApiParameter("mandatory", bool), OpenApiParameter("sort", str, enum=[*RULES, "stage"])],
        responses=AgencyComplianceSerializer(many=True))
    def get(self, request):
        filters = compliance_params(request.query_params)  # those of the page
        today = filters["today"]
        agencies, judged = compliance_ids(user=request.user, **filters)
        paginator = self.pagination_class()
        # the page's ids (a filter's rule alone judged for every agency), then those agencies by every rule
        ids = paginator.paginate_ids(agencies, request, view=self, one_pass=judged)
        rows = []
        for agency, results in evaluate_agencies(list(ids), today=today):
            qms = getattr(agency, "qms", None)  # no QMS record yet: not started, as on the page and in the XLSX
            stage = qms.stage if qms else Stage.NOT_STARTED
            rows.append({"id": agency.pk, "name": agency.name, "kind": agency.kind, "province": agency.province,
                         "stage": stage, "edition": edition_of(stage, qms and qms.edition) or None,
                         "rules": results})
        return paginator.get_paginated_response(AgencyComplianceSerializer(rows, many=True).data)

    @property
    def pagination_class(self):
        from qms_portal.api import Pagination

        return Pagination
