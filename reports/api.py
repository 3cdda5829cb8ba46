"""REST API: /api/v1/reporting-periods/, /agency-reports/ (+ submit, accept, return, reopen), /completeness/,
/reports/ (POST answers 202 with the report's id and status URL) and /reports/{id}/download/?format=pdf|xlsx|docx.

Thin views: parse, find the object through a scoped selector (404 outside scope), call one service (403 for a
too-low role), answer.
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.access import require, scope_of
from agencies.selectors import agencies_in_scope
from audits.api import FILE_RENDERERS, FILE_RESPONSES
from qms_portal.files import generated_file_response, stored_file_response
from qms_portal.generated import PdfStatus
from qms_portal.queries import int_param
from qms_portal.uploads import MIME_TYPES

from . import selectors, services
from .filters import AgencyReportFilter, ConsolidatedReportFilter, PeriodFilter
from .serializers import (
    AgencyReportCreateSerializer,
    AgencyReportReasonSerializer,
    AgencyReportSerializer,
    AgencyReportSubmitSerializer,
    AgencyReportUpdateSerializer,
    CompletenessSerializer,
    ConsolidatedReportAcceptedSerializer,
    ConsolidatedReportRequestSerializer,
    ConsolidatedReportSerializer,
    ReportingPeriodSerializer,
    ReportingPeriodUpdateSerializer,
    completeness_data,
)

NOT_IN_SCOPE = OpenApiResponse(description="The period (or agency) named is not one you may see.")
NOT_ISSUED = OpenApiResponse(description="Not a report you may see, or not an issued document (a draft, never "
                                         "submitted or returned or reopened).")


class ReportingPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reporting periods of your province (all of them for national roles)."""

    lookup_value_regex = "[0-9]+"
    serializer_class = ReportingPeriodSerializer
    filterset_class = PeriodFilter

    def get_queryset(self):
        return selectors.period_list(user=self.request.user)

    @extend_schema(request=ReportingPeriodSerializer, responses=ReportingPeriodSerializer)
    def create(self, request):
        require(request.user, "period.manage")
        serializer = ReportingPeriodSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        period = services.reporting_period_create(
            actor=request.user, province=data["province"], year=data["year"], kind=data["kind"],
            title=data.get("title", ""), window_start=data.get("window_start"), window_end=data.get("window_end"),
            deadline=data.get("deadline"))
        return Response(ReportingPeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportingPeriodUpdateSerializer, responses=ReportingPeriodSerializer)
    def partial_update(self, request, pk=None):
        period = self.get_object()
        require(request.user, "period.manage")
        serializer = ReportingPeriodUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        period = services.reporting_period_update(actor=request.user, period=period, data=data, reason=reason)
        return Response(ReportingPeriodSerializer(period).data)


class AgencyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Agency periodic reports: drafted by the ISO officer, submitted by the head, reviewed by the Sở."""

    lookup_value_regex = "[0-9]+"
    serializer_class = AgencyReportSerializer
    filterset_class = AgencyReportFilter

    def get_queryset(self):
        return selectors.agency_report_list(user=self.request.user)

    def _get(self, request, pk):
        return self.get_object()

    @extend_schema(request=AgencyReportCreateSerializer, responses={201: AgencyReportSerializer, 404: NOT_IN_SCOPE})
    def create(self, request):
        serializer = AgencyReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        period = selectors.period_get(user=request.user, pk=data["period"])
        agency_id = data.get("agency") or scope_of(request.user).agency_id
        if agency_id is None:
            raise serializers.ValidationError({"agency": [serializers.Field.default_error_messages["required"]]})
        agency = get_object_or_404(agencies_in_scope(user=request.user), pk=agency_id)
        report = services.agency_report_create(actor=request.user, period=period, agency=agency)
        return Response(AgencyReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgencyReportUpdateSerializer, responses=AgencyReportSerializer)
    def partial_update(self, request, pk=None):
        report = self._get(request, pk)
        require(request.user, "agency_report.draft")
        serializer = AgencyReportUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        report = services.agency_report_update(actor=request.user, report=report, data=data, version=version)
        return Response(AgencyReportSerializer(report).data)

    @extend_schema(request=AgencyReportSubmitSerializer, responses=AgencyReportSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        report = self._get(request, pk)
        require(request.user, "agency_report.submit")
        serializer = AgencyReportSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.agency_report_submit(actor=request.user, report=report,
                                               version=serializer.validated_data.get("version"))
        return Response(AgencyReportSerializer(report).data)

    @extend_schema(request=None, responses=AgencyReportSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        report = self._get(request, pk)
        require(request.user, "agency_report.review")
        return Response(AgencyReportSerializer(services.agency_report_accept(actor=request.user, report=report)).data)

    @extend_schema(request=AgencyReportReasonSerializer, responses=AgencyReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None)
    def return_(self, request, pk=None):
        return self._reviewed_with_reason(request, pk, services.agency_report_return)

    @extend_schema(request=AgencyReportReasonSerializer, responses=AgencyReportSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reopen(self, request, pk=None):
        return self._reviewed_with_reason(request, pk, services.agency_report_reopen)

    @extend_schema(request=None, responses={**FILE_RESPONSES, 404: NOT_ISSUED})
    @action(detail=True, methods=["get"], renderer_classes=FILE_RENDERERS, filterset_class=None)
    def pdf(self, request, pk=None):
        """The issued report's PDF, as the agency issued it (202 while the worker makes it); 404 while it is a draft
        (never submitted, or returned or reopened)."""
        from .agency_printing import pdf_status

        report = selectors.issued_agency_report_get(user=request.user, pk=pk)
        made = pdf_status(report)
        if made["status"] == PdfStatus.DONE:
            return stored_file_response(report.pdf_file)
        return JsonResponse({**made, "status_url": request.path}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={(200, MIME_TYPES["docx"]): OpenApiTypes.BINARY, 404: NOT_ISSUED})
    @action(detail=True, methods=["get"], renderer_classes=FILE_RENDERERS, filterset_class=None)
    def docx(self, request, pk=None):
        """The issued report as an editable Word file (the same text as its PDF); 404 while it is a draft."""
        from .agency_printing import render_docx

        content, name = render_docx(selectors.issued_agency_report_get(user=request.user, pk=pk))
        return generated_file_response(content=content, name=name, kind="docx")

    def _reviewed_with_reason(self, request, pk, service):
        """A reviewer's decision that needs a reason (return for correction, reopen)."""
        report = self._get(request, pk)
        require(request.user, "agency_report.review")
        serializer = AgencyReportReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = service(actor=request.user, report=report, reason=serializer.validated_data["reason"])
        return Response(AgencyReportSerializer(report).data)


class CompletenessView(APIView):
    """Expected, received, on time, late and missing agency reports of a period, by agency kind."""

    @extend_schema(parameters=[OpenApiParameter("period", int, required=True)],
                   responses={200: CompletenessSerializer, 404: NOT_IN_SCOPE})
    def get(self, request):
        period_id = int_param(request.query_params, "period")
        if period_id is None:
            raise serializers.ValidationError({"period": [serializers.Field.default_error_messages["required"]]})
        period = selectors.period_get(user=request.user, pk=period_id)
        require(request.user, "completeness.read")
        return Response(completeness_data(period=period, result=selectors.completeness(period=period)))


class ConsolidatedReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Consolidated reports compiled by Celery; POST answers 202 and the client polls `status_url`."""

    lookup_value_regex = "[0-9]+"
    serializer_class = ConsolidatedReportSerializer
    filterset_class = ConsolidatedReportFilter

    def get_queryset(self):
        return selectors.consolidated_report_list(user=self.request.user)

    @extend_schema(request=ConsolidatedReportRequestSerializer,
                   responses={202: ConsolidatedReportAcceptedSerializer, 404: NOT_IN_SCOPE})
    def create(self, request):
        serializer = ConsolidatedReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        period = None
        if data.get("period") is not None:
            period = selectors.period_get(user=request.user, pk=data["period"])
        report, created = services.consolidated_report_request(
            actor=request.user, kind=data["kind"], period=period, year=data.get("year"),
            period_kind=data.get("period_kind"), narrative=data.get("narrative"))
        report.refresh_from_db(fields=["status", "error"])
        body = {"id": report.pk, "status": report.status, "created": created,
                "status_url": services.report_status_url(report),
                "message": report.error if report.status == "queued" else ""}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]})


class ConsolidatedReportDownloadView(APIView):
    """The stored PDF, XLSX or DOCX (the editable draft), byte for byte as made (`?format=pdf|xlsx|docx`)."""

    def perform_content_negotiation(self, request, force=False):
        # `format` names the file here, not a renderer: errors are always JSON.
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=list(services.FILE_FORMATS))],
                   responses={(200, "application/octet-stream"): bytes,
                              409: OpenApiResponse(description="The report is not done, or failed: no file yet.")})
    def get(self, request, pk):
        report = selectors.consolidated_report_get(user=request.user, pk=pk)
        stored = services.stored_file_for(report=report, fmt=request.query_params.get("format", "pdf"))
        return stored_file_response(stored)

