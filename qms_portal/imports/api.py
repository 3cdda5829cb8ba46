"""Import jobs in the API: every import endpoint answers a job (200 when it ran at once, 202 while the worker has
it); `GET imports/{id}/` follows it, `POST imports/{id}/apply/` applies a clean check."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qms_portal.models import ImportStatus

from .services import import_job_apply, import_job_get
from .views import job_status


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    applied = serializers.BooleanField()
    rejected = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    apply = serializers.BooleanField()
    status = serializers.ChoiceField(choices=ImportStatus.choices)
    status_label = serializers.CharField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    error = serializers.CharField(allow_blank=True)
    report = ImportReportSerializer(allow_null=True)


def job_response(job) -> Response:
    """The job as the API shows it: 200 once it has a result, 202 while it waits for the worker."""
    finished = job.status in (ImportStatus.DONE, ImportStatus.FAILED)
    return Response(job_status(job), status=status.HTTP_200_OK if finished else status.HTTP_202_ACCEPTED)


class ImportJobView(APIView):
    """One of your imports: its progress, then its per-row report."""

    @extend_schema(responses={200: ImportJobSerializer, 202: ImportJobSerializer})
    def get(self, request, pk):
        return job_response(import_job_get(user=request.user, pk=pk))


class ImportJobApplyView(APIView):
    """Apply the rows of a check that refused none (a new job)."""

    @extend_schema(request=None, responses={200: ImportJobSerializer, 202: ImportJobSerializer})
    def post(self, request, pk):
        job = import_job_get(user=request.user, pk=pk)
        return job_response(import_job_apply(actor=request.user, job=job))
