"""REST API for provinces, agencies and obligations."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qms_portal.imports.api import ImportJobSerializer, job_response

from . import imports, register, selectors, services
from .access import require, scope_of
from .filters import AgencyFilter
from .models import Agency, RegisteredDocument
from .serializers import (
    AgencyImportSerializer,
    AgencySerializer,
    AgencyUpdateSerializer,
    AgencyWriteSerializer,
    HistoryEntrySerializer,
    ObligationSerializer,
    ProvinceSerializer,
    RegisteredDocumentSerializer,
    RegisterWithdrawSerializer,
    SignedPdfResultSerializer,
    SignedPdfUploadSerializer,
    SuccessionSerializer,
)


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    """The current provincial units (public reference data for every signed-in user)."""

    serializer_class = ProvinceSerializer
    pagination_class = None

    def get_queryset(self):
        from .models import Province

        return Province.objects.current().order_by("code")


class AgencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Agencies in your scope. DELETE deactivates: agencies are kept as history, never removed."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.agency_list(user=self.request.user)

    def _reload(self, agency: Agency) -> Agency:
        return selectors.agency_get(user=self.request.user, pk=agency.pk)

    @extend_schema(request=AgencyWriteSerializer, responses={201: AgencySerializer})
    def create(self, request):
        require(request.user, "agency.create")
        serializer = AgencyWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        agency = services.agency_create(actor=request.user, data=serializer.validated_data)
        return Response(AgencySerializer(self._reload(agency)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgencyUpdateSerializer, responses=AgencySerializer)
    def partial_update(self, request, pk=None):
        agency = self.get_object()
        require(request.user, "agency.update")
        serializer = AgencyUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        agency = services.agency_update(actor=request.user, agency=agency, data=serializer.validated_data)
        return Response(AgencySerializer(self._reload(agency)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        agency = self.get_object()
        services.agency_deactivate(actor=request.user, agency=agency)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], responses=ObligationSerializer(many=True))
    @extend_schema(methods=["POST"], request=ObligationSerializer, responses={201: ObligationSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def obligations(self, request, pk=None):
        agency = self.get_object()
        if request.method == "GET":
            return Response(ObligationSerializer(agency.obligations.order_by("-year"), many=True).data)
        require(request.user, "obligation.set")
        serializer = ObligationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obligation = services.obligation_set(actor=request.user, agency=agency, **serializer.validated_data)
        return Response(ObligationSerializer(obligation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SuccessionSerializer, responses={201: SuccessionSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def successions(self, request, pk=None):
        """Record that another agency continues this one (merger, split, reorganisation)."""
        agency = self.get_object()
        require(request.user, "agency.update")
        serializer = SuccessionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        successor = serializer.validated_data.pop("successor")
        successor = selectors.agency_get(user=request.user, pk=successor.pk)
        services.agency_succession_create(actor=request.user, predecessor=agency, successor=successor,
                                          **serializer.validated_data)
        return Response(SuccessionSerializer({"successor": successor, **serializer.validated_data}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        agency = self.get_object()
        return Response(HistoryEntrySerializer(selectors.agency_history(agency=agency), many=True).data)


class AgencyImportView(APIView):
    """Import agencies or obligations from a table into a province: a check (`apply` false) gives the per-row
    report; an import saves every row or none. Answers the import job (200 when done, 202 while the worker reads
    a large file); follow it at `GET /api/v1/imports/{id}/`."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": AgencyImportSerializer},
                   responses={200: ImportJobSerializer, 202: ImportJobSerializer})
    def post(self, request):
        require(request.user, "agency.create")
        serializer = AgencyImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        province = data.get("province") if scope_of(request.user).is_national else None
        if province is None:
            province = selectors.provinces_in_scope(user=request.user).filter(
                pk=scope_of(request.user).province_id).first()
        if province is None:
            raise ValidationError({"province": [_("Choose the province.")]})
        job = imports.agencies_import(actor=request.user, kind=data["kind"], province=province,
                                      uploaded=data["file"], apply=data["apply"])
        return job_response(job)


class OutgoingDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The registers of outgoing documents in your scope (filters: `year`, `issuer`, `q` for number or title)."""

    serializer_class = RegisteredDocumentSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        from qms_portal.queries import int_param, text_param, year_param

        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema
            return RegisteredDocument.objects.none()

        params = self.request.query_params if self.action == "list" else {}
        require(self.request.user, "register.read")
        return register.register_list(user=self.request.user, year=year_param(params),
                                      issuer_id=int_param(params, "issuer", minimum=1), q=text_param(params, "q"))

    @extend_schema(request=RegisterWithdrawSerializer, responses=RegisteredDocumentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        entry = self.get_object()
        serializer = RegisterWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        register.register_withdraw(actor=request.user, entry=entry, reason=serializer.validated_data["reason"])
        return Response(self.get_serializer(register.register_get(user=request.user, pk=entry.pk)).data)

    @extend_schema(request={"multipart/form-data": SignedPdfUploadSerializer}, responses=SignedPdfResultSerializer)
    @action(detail=True, methods=["post"], url_path="signed-pdf", parser_classes=[MultiPartParser])
    def signed_pdf(self, request, pk=None):
        """Upload the final signed PDF: validated (signatures, trust store, structure), then stored for good."""
        entry = self.get_object()
        serializer = SignedPdfUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = register.register_signed_upload(actor=request.user, entry=entry,
                                                 uploaded=serializer.validated_data["file"])
        entry = register.register_get(user=request.user, pk=entry.pk)
        return Response({"entry": self.get_serializer(entry).data, "warnings": list(result.warnings)},
                        status=status.HTTP_201_CREATED)
