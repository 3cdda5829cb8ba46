"""The register of legal changes and the due legal updates in the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.access import require, scope_of
from qms_portal.filters import IdFilter
from qms_portal.imports.api import ImportJobSerializer, job_response

from . import selectors, services
from .importer import legal_changes_import
from .models import DueLegalUpdate, DueStatus, LegalChange
from .serializers import (
    DueDecideSerializer,
    DueDeclareSerializer,
    DueLegalUpdateSerializer,
    DueRecordSerializer,
    LegalChangeSerializer,
    LegalChangeWriteSerializer,
)
from .verdicts import LegalVerdict

UPLOAD_SCHEMA = {"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string",
                                                                                  "format": "binary"}}}}


class DueFilter(django_filters.FilterSet):
    agency = IdFilter(field_name="agency_id", label=_("Agency"))
    change = IdFilter(field_name="change_id", label=_("Legal change"))
    status = django_filters.ChoiceFilter(choices=DueStatus.choices, label=_("Status"))
    verdict = django_filters.ChoiceFilter(choices=LegalVerdict.choices, label=_("Verdict"))


class LegalChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Legal changes you may see: national ones, your province's, and (for an agency) those that concern it. The
    nation registers national entries, the Sở its province's; the worker then works out the agencies concerned."""

    serializer_class = LegalChangeSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema
            return LegalChange.objects.none()
        require(self.request.user, "legal_change.read")
        return selectors.legal_changes_visible(user=self.request.user).prefetch_related("replaces", "agencies")

    @extend_schema(request=LegalChangeWriteSerializer, responses={201: LegalChangeSerializer})
    def create(self, request):
        require(request.user, "legal_change.register")
        serializer = LegalChangeWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        scope = scope_of(request.user)
        change = services.legal_change_register(actor=request.user, data=serializer.validated_data,
                                                province_id=None if scope.is_national else scope.province_id)
        return Response(LegalChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class LegalChangeImportView(APIView):
    """Register legal changes from .xlsx or .csv (a check first with `?apply=false`); answers an import job."""

    parser_classes = [MultiPartParser]

    @extend_schema(request=UPLOAD_SCHEMA, responses={200: ImportJobSerializer, 202: ImportJobSerializer})
    def post(self, request):
        require(request.user, "legal_change.register")
        from rest_framework import serializers

        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise serializers.ValidationError({"file": [serializers.Field.default_error_messages["required"]]})
        apply = request.query_params.get("apply", "true") != "false"
        return job_response(legal_changes_import(actor=request.user, uploaded=uploaded, apply=apply))


class DueLegalUpdateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What each legal change asks of each agency in your scope, with the 3-month rule measured today."""

    serializer_class = DueLegalUpdateSerializer
    filterset_class = DueFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema
            return DueLegalUpdate.objects.none()
        require(self.request.user, "legal_change.read")
        return (selectors.due_updates_visible(user=self.request.user, as_of=timezone.localdate())
                .prefetch_related("documents", "procedures").order_by("due_on", "pk"))

    def _answer(self, due):
        return Response(self.get_serializer(self.get_queryset().get(pk=due.pk)).data)

    @extend_schema(request=DueRecordSerializer, responses=DueLegalUpdateSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def record(self, request, pk=None):
        due = self.get_object()
        require(request.user, "legal_due.act", agency_id=due.agency_id)
        serializer = DueRecordSerializer(data=request.data, context={"request": request, "due": due})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._answer(services.due_update_record(actor=request.user, due=due, updated_on=data["updated_on"],
                                                       documents=data.get("documents", []),
                                                       note=data.get("note", "")))

    @extend_schema(request=DueDeclareSerializer, responses=DueLegalUpdateSerializer)
    @action(detail=True, methods=["post"], url_path="declare-not-applicable", url_name="declare",
            filterset_class=None)
    def declare(self, request, pk=None):
        due = self.get_object()
        serializer = DueDeclareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.due_update_declare_not_applicable(
            actor=request.user, due=due, reason=serializer.validated_data["reason"]))

    @extend_schema(request=DueDecideSerializer, responses=DueLegalUpdateSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request, pk=None):
        due = self.get_object()
        serializer = DueDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.due_update_decide(actor=request.user, due=due,
                                                       accept=serializer.validated_data["accept"],
                                                       note=serializer.validated_data.get("note", "")))
