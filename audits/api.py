"""REST API for inspection plans, inspections, decisions, requests to report and findings.

Thin: resolve the object through a scoped selector (404 outside scope), check the role (403), validate the
input (400), call one service, answer. PDFs are made by Celery: a download answers 202 while generating.
"""

import json

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from agencies.access import can, require, scope_of
from qms_portal.files import stored_file_response

from . import selectors, services
from .filters import FindingFilter, InspectionFilter, PlanFilter
from .models import AgencyChecklistAnswer, ChecklistItem, ChecklistVersion, FindingClass, PdfStatus, PlanEntry
from .serializers import (
    AcceptSerializer,
    ApproveSerializer,
    ChecklistItemSerializer,
    ChecklistRowSerializer,
    ChecklistWriteSerializer,
    CoverageSerializer,
    DecisionSerializer,
    DecisionWriteSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    FindingClassSerializer,
    FindingDetailSerializer,
    FindingSerializer,
    FindingUpdateSerializer,
    FindingWriteSerializer,
    InspectionSerializer,
    InspectionUpdateSerializer,
    PdfStatusSerializer,
    PlanDetailSerializer,
    PlanEntrySerializer,
    PlanEntryUpdateSerializer,
    PlanEntryWriteSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
    PlanWriteSerializer,
    ReasonSerializer,
    RejectSerializer,
    ReportRequestSerializer,
    ReportRequestWriteSerializer,
    RespondSerializer,
    SelfAssessmentEvidenceSerializer,
    SelfAssessmentRowSerializer,
    SelfAssessmentWriteSerializer,
    SignSerializer,
    UnplannedInspectionSerializer,
    WithdrawSerializer,
)


class FileRenderer(BaseRenderer):
    """Lets clients ask for a file (Accept: application/pdf, */*); errors are still written as JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


FILE_RENDERERS = [JSONRenderer, FileRenderer]
FILE_RESPONSES = {(200, "application/pdf"): OpenApiTypes.BINARY,
                  202: OpenApiResponse(PdfStatusSerializer, description="Being generated; ask again later.")}


def pdf_answer(request, document, *, regenerate_capability: str):
    """The PDF when it is ready; otherwise queue it (if needed) and answer 202 with its state."""
    if request.method == "POST":
        require(request.user, regenerate_capability)
    state = services.pdf_request(document=document, force=request.method == "POST")
    if state == PdfStatus.DONE:
        return stored_file_response(document.pdf_file)
    document.refresh_from_db(fields=["pdf_error"])
    return JsonResponse({"status": state, "status_url": request.path, "error": document.pdf_error}, status=202)


# --- plans ----------------------------------------------------------------------------------------------


class InspectionPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Yearly inspection plans (Mẫu 19) of the provinces in your scope."""

    filterset_class = PlanFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def _answer(self, plan, code=status.HTTP_200_OK):
        return Response(PlanDetailSerializer(selectors.plan_get(user=self.request.user, pk=plan.pk)).data,
                        status=code)

    @extend_schema(request=PlanWriteSerializer, responses={201: PlanDetailSerializer})
    def create(self, request):
        require(request.user, "plan.edit")
        serializer = PlanWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = services.plan_create(actor=request.user, year=data.pop("year"), data=data)
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer, responses=PlanDetailSerializer)
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        require(request.user, "plan.edit")
        serializer = PlanUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.plan_update(actor=request.user, plan=plan, data=serializer.validated_data))

    @extend_schema(methods=["GET"], responses=PlanEntrySerializer(many=True))
    @extend_schema(methods=["POST"], request=PlanEntryWriteSerializer, responses={201: PlanEntrySerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def entries(self, request, pk=None):
        plan = self.get_object()
        if request.method == "GET":
            return Response(PlanEntrySerializer(selectors.plan_entries(plan=plan), many=True).data)
        require(request.user, "plan.edit")
        serializer = PlanEntryWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        entry = services.plan_entry_add(actor=request.user, plan=plan, agency=data.pop("agency"), data=data)
        return Response(PlanEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CoverageSerializer)
    @action(detail=True, methods=["get"], filterset_class=None)
    def coverage(self, request, pk=None):
        return Response(PlanDetailSerializer(self.get_object()).data["coverage"])

    @extend_schema(request=None, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        plan = self.get_object()
        require(request.user, "plan.edit")
        return self._answer(services.plan_submit(actor=request.user, plan=plan))

    @extend_schema(request=ApproveSerializer, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        plan = self.get_object()
        require(request.user, "plan.approve")
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.plan_approve(actor=request.user, plan=plan, **serializer.validated_data))

    @extend_schema(request=ReasonSerializer, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None)
    def return_to_draft(self, request, pk=None):
        plan = self.get_object()
        require(request.user, "plan.approve")
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.plan_return(actor=request.user, plan=plan, **serializer.validated_data))

    @extend_schema(request=None, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        plan = self.get_object()
        require(request.user, "plan.edit")
        return self._answer(services.plan_close(actor=request.user, plan=plan))

    @extend_schema(methods=["GET", "POST"], request=None, responses=FILE_RESPONSES)
    @action(detail=True, methods=["get", "post"], renderer_classes=FILE_RENDERERS, filterset_class=None)
    def pdf(self, request, pk=None):
        """The plan as an official PDF (Mẫu 19); POST regenerates it (inspectors)."""
        return pdf_answer(request, self.get_object(), regenerate_capability="plan.edit")


class PlanEntryViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One agency of a plan: change or remove it while the plan is a draft."""

    serializer_class = PlanEntrySerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return PlanEntry.objects.filter(plan__in=selectors.plans_in_scope(user=self.request.user)).select_related(
            "agency", "inspecting_unit", "plan")

    @extend_schema(request=PlanEntryUpdateSerializer, responses=PlanEntrySerializer)
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        require(request.user, "plan.edit")
        serializer = PlanEntryUpdateSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        entry = services.plan_entry_update(actor=request.user, entry=entry, data=serializer.validated_data)
        return Response(PlanEntrySerializer(entry).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        entry = self.get_object()
        require(request.user, "plan.edit")
        services.plan_entry_remove(actor=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- inspections ------------------------------------------------------------------------------------------


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Inspections in your scope; agencies see their own."""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.inspection_list(user=self.request.user)

    def _answer(self, inspection, code=status.HTTP_200_OK):
        inspection = selectors.inspection_get(user=self.request.user, pk=inspection.pk)
        return Response(InspectionSerializer(inspection, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=UnplannedInspectionSerializer, responses={201: InspectionSerializer})
    def create(self, request):
        """Add an unplanned (đột xuất) inspection."""
        require(request.user, "inspection.manage")
        serializer = UnplannedInspectionSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        inspection = services.inspection_create_unplanned(actor=request.user, **serializer.validated_data)
        return self._answer(inspection, status.HTTP_201_CREATED)

    @extend_schema(request=InspectionUpdateSerializer, responses=InspectionSerializer)
    def partial_update(self, request, pk=None):
        inspection = self.get_object()
        require(request.user, "inspection.manage")
        serializer = InspectionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        inspection = services.inspection_update(actor=request.user, inspection=inspection,
                                                data=serializer.validated_data)
        return self._answer(inspection)

    @extend_schema(methods=["GET"], responses=ChecklistRowSerializer(many=True))
    @extend_schema(methods=["PUT"], request=ChecklistWriteSerializer, responses=ChecklistRowSerializer(many=True))
    @action(detail=True, methods=["get", "put"], pagination_class=None, filterset_class=None)
    def checklist(self, request, pk=None):
        """The team's result per checklist item (the inspection record, BBKT); for the agency once it is signed."""
        inspection = self.get_object()
        if request.method == "GET" and scope_of(request.user).is_agency:
            selectors.record_get(user=request.user, inspection=inspection)
        if request.method == "PUT":
            require(request.user, "inspection.manage")
            serializer = ChecklistWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            services.record_save(actor=request.user, inspection=inspection, results=data.pop("results", []),
                                 data=data)
        return Response(ChecklistRowSerializer(selectors.record_results(inspection=inspection), many=True).data)

    @extend_schema(request=SignSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def sign(self, request, pk=None):
        inspection = self.get_object()
        require(request.user, "inspection.manage")
        serializer = SignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.record_sign(actor=request.user, inspection=inspection, signed_on=data.pop("signed_on"), data=data)
        return self._answer(inspection)

    @extend_schema(methods=["GET"], responses=SelfAssessmentRowSerializer(many=True))
    @extend_schema(methods=["PUT"], request=SelfAssessmentWriteSerializer,
                   responses=SelfAssessmentRowSerializer(many=True))
    @action(detail=True, methods=["get", "put"], url_path="self-assessment", url_name="self-assessment",
            pagination_class=None, filterset_class=None)
    def self_assessment(self, request, pk=None):
        """The agency's answers to the checklist, prefilled from its QMS file."""
        inspection = self.get_object()
        if request.method == "PUT":
            require(request.user, "inspection.self_assess")
            serializer = SelfAssessmentWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.self_assessment_save(actor=request.user, inspection=inspection,
                                          answers=serializer.validated_data["answers"])
        rows = selectors.self_assessment_rows(inspection=inspection)
        return Response(SelfAssessmentRowSerializer(rows, many=True).data)

    @extend_schema(request=None, responses=InspectionSerializer)
    @action(detail=True, methods=["post"], url_path="self-assessment/submit", url_name="self-assessment-submit",
            filterset_class=None)
    def self_assessment_submit(self, request, pk=None):
        inspection = self.get_object()
        require(request.user, "inspection.self_assess")
        services.self_assessment_submit(actor=request.user, inspection=inspection)
        return self._answer(inspection)

    @extend_schema(request={"multipart/form-data": SelfAssessmentEvidenceSerializer},
                   responses={201: SelfAssessmentRowSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="self-assessment/evidence", url_name="self-assessment-evidence",
            parser_classes=[MultiPartParser, FormParser], filterset_class=None)
    def self_assessment_evidence(self, request, pk=None):
        inspection = self.get_object()
        require(request.user, "inspection.self_assess")
        serializer = SelfAssessmentEvidenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.self_assessment_evidence_add(actor=request.user, inspection=inspection,
                                              item_code=serializer.validated_data["item"],
                                              uploaded=serializer.validated_data["file"])
        rows = selectors.self_assessment_rows(inspection=inspection)
        return Response(SelfAssessmentRowSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"self-assessment/evidence/(?P<file_id>\d+)",
            url_name="self-assessment-file", renderer_classes=FILE_RENDERERS, filterset_class=None)
    def self_assessment_file(self, request, pk=None, file_id=None):
        inspection = self.get_object()
        answer = get_object_or_404(AgencyChecklistAnswer.objects.filter(inspection=inspection, evidence=file_id))
        return stored_file_response(answer.evidence.get(pk=file_id))

    @extend_schema(methods=["GET", "POST"], request=None, responses=FILE_RESPONSES)
    @action(detail=True, methods=["get", "post"], url_path="record-pdf", url_name="record-pdf",
            renderer_classes=FILE_RENDERERS, filterset_class=None)
    def record_pdf(self, request, pk=None):
        """The inspection record (BBKT, Mẫu 21) as an official PDF; a draft until it is signed."""
        inspection = self.get_object()
        if request.method == "POST":
            require(request.user, "inspection.manage")
            record = services.record_prepare(actor=request.user, inspection=inspection)
        else:
            record = selectors.record_get(user=request.user, inspection=inspection)
        return pdf_answer(request, record, regenerate_capability="inspection.manage")


class InspectionDecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Inspection decisions (Mẫu 20): the team and dates of on-site inspections."""

    serializer_class = DecisionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (selectors.decisions_in_scope(user=self.request.user).select_related("issuer")
                .prefetch_related("members").order_by("-issued_on", "-pk"))

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    def create(self, request):
        require(request.user, "inspection.manage")
        serializer = DecisionWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        decision = services.decision_issue(actor=request.user, **serializer.validated_data)
        return Response(DecisionSerializer(self.get_queryset().get(pk=decision.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET", "POST"], request=None, responses=FILE_RESPONSES)
    @action(detail=True, methods=["get", "post"], renderer_classes=FILE_RENDERERS)
    def pdf(self, request, pk=None):
        return pdf_answer(request, self.get_object(), regenerate_capability="inspection.manage")


class ReportRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests to report sent to agencies: answer the checklist with evidence by the deadline."""

    serializer_class = ReportRequestSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.report_requests_in_scope(user=self.request.user).select_related("issuer")

    @extend_schema(request=ReportRequestWriteSerializer, responses={201: ReportRequestSerializer})
    def create(self, request):
        require(request.user, "inspection.manage")
        serializer = ReportRequestWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        report_request = services.report_request_send(actor=request.user, **serializer.validated_data)
        return Response(ReportRequestSerializer(report_request).data, status=status.HTTP_201_CREATED)


# --- findings -------------------------------------------------------------------------------------------


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Findings in your scope; `?overdue=true` for what is late. Agencies see theirs once the record is signed."""

    filterset_class = FindingFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.finding_list(user=self.request.user)

    def get_serializer_class(self):
        return FindingDetailSerializer if self.action == "retrieve" else FindingSerializer

    def retrieve(self, request, pk=None):
        finding = selectors.finding_detail(finding=self.get_object())
        return Response(FindingDetailSerializer(finding).data)

    def _answer(self, finding, code=status.HTTP_200_OK):
        fresh = selectors.finding_detail(finding=finding)
        return Response(FindingDetailSerializer(fresh).data, status=code)

    @extend_schema(request=FindingWriteSerializer, responses={201: FindingDetailSerializer})
    def create(self, request):
        require(request.user, "finding.record")
        serializer = FindingWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        inspection = data.pop("inspection")
        data["checklist_item"] = _item(inspection, data["checklist_item"])
        finding = services.finding_create(actor=request.user, inspection=inspection, **data)
        return self._answer(finding, status.HTTP_201_CREATED)

    @extend_schema(request=FindingUpdateSerializer, responses=FindingDetailSerializer)
    def partial_update(self, request, pk=None):
        finding = self.get_object()
        require(request.user, "finding.record")
        serializer = FindingUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        if "checklist_item" in data:
            data["checklist_item"] = _item(finding.inspection, data["checklist_item"])
        finding = services.finding_update(actor=request.user, finding=finding, data=data, reason=reason)
        return self._answer(finding)

    @extend_schema(request={"application/json": RespondSerializer, "multipart/form-data": RespondSerializer},
                   responses=FindingDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def respond(self, request, pk=None):
        """The agency's corrective-action report, with evidence (uploaded here as `files`, or earlier)."""
        finding = self.get_object()
        require(request.user, "finding.respond")
        serializer = RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        services.finding_respond(actor=request.user, finding=finding, action_taken=values["action_taken"],
                                 cause=values.get("cause", ""), files=values.get("files", []),
                                 evidence_ids=values.get("evidence"))
        return self._answer(finding)

    @extend_schema(request=WithdrawSerializer, responses={200: FindingDetailSerializer, 409: None})
    @action(detail=True, methods=["post"], filterset_class=None)
    def withdraw(self, request, pk=None):
        """The Sở closes, with a reason, a finding whose agency was dissolved without a successor."""
        finding = self.get_object()
        require(request.user, "finding.review")
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = services.finding_withdraw(actor=request.user, finding=finding, **serializer.validated_data)
        return self._answer(finding)

    @extend_schema(request=AcceptSerializer, responses={200: FindingDetailSerializer, 409: None})
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        finding = self.get_object()
        require(request.user, "finding.review")
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = services.finding_accept(actor=request.user, finding=finding, **serializer.validated_data)
        return self._answer(finding)

    @extend_schema(request=RejectSerializer, responses={200: FindingDetailSerializer, 409: None})
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        finding = self.get_object()
        require(request.user, "finding.review")
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = services.finding_reject(actor=request.user, finding=finding, **serializer.validated_data)
        return self._answer(finding)

    @extend_schema(methods=["GET"], responses=EvidenceSerializer(many=True))
    @extend_schema(methods=["POST"], request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={201: EvidenceSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def evidence(self, request, pk=None):
        finding = self.get_object()
        if request.method == "GET":
            rows = finding.evidence.select_related("file", "uploaded_by").order_by("uploaded_at", "pk")
            return Response(EvidenceSerializer(rows, many=True).data)
        if not (can(request.user, "finding.respond") or can(request.user, "finding.record")):
            raise PermissionDenied(_("Your role does not allow this action."))
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = services.finding_evidence_add(actor=request.user, finding=finding,
                                                 uploaded=serializer.validated_data["file"],
                                                 note=serializer.validated_data.get("note", ""))
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"evidence/(?P<evidence_id>\d+)", url_name="evidence-file",
            renderer_classes=FILE_RENDERERS, filterset_class=None)
    def evidence_file(self, request, pk=None, evidence_id=None):
        finding = self.get_object()
        evidence = get_object_or_404(finding.evidence.select_related("file"), pk=evidence_id)
        return stored_file_response(evidence.file)


def _item(inspection, code: str) -> ChecklistItem:
    item = ChecklistItem.objects.filter(version_id=inspection.checklist_version_id, code=code).first()
    if item is None:
        raise ValidationError({"checklist_item": [_("“%(code)s” is not an item of this inspection's checklist.")
                                                  % {"code": code}]})
    return item


# --- reference data ------------------------------------------------------------------------------------


class FindingClassViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The classifications a finding can have (configured by the administrator)."""

    serializer_class = FindingClassSerializer
    pagination_class = None

    def get_queryset(self):
        return FindingClass.objects.filter(is_active=True).order_by("order", "code")


class ChecklistViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The checklist (TT 26/2014 Art. 36) in force today, item by item."""

    serializer_class = ChecklistItemSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation must not touch the database
            return ChecklistItem.objects.none()
        version = ChecklistVersion.objects.current()
        return version.items.order_by("number") if version else ChecklistItem.objects.none()

