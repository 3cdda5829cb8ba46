"""An export served at once, or the page of the job the worker makes it in."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qms_portal.files import generated_file_response, stored_file_response
from qms_portal.models import JobStatus

from .services import export_job_get, export_progress, export_request, exporter_for


def export_response(request, kind: str):
    """The file of the query string's filters, made now when it has at most `EXPORT_INLINE_MAX_ROWS` rows;
    otherwise the page of a job the worker makes it in. 403 for a role that may not export, 400 for a bad filter."""
    exporter = exporter_for(kind)
    exporter.authorize(actor=request.user)
    params = exporter.clean(request.GET)
    rows = exporter.rows_at_most(actor=request.user, params=params)
    if rows <= settings.EXPORT_INLINE_MAX_ROWS:
        content, name = exporter.make(actor=request.user, params=params)
        return generated_file_response(content=content, name=name, kind=exporter.extension)
    job = export_request(actor=request.user, kind=kind, params=params, rows=rows)
    return redirect("exports:job", pk=job.pk)


def job_status(job) -> dict:
    return {"id": job.pk, "kind": job.kind, "status": job.status, "status_label": str(JobStatus(job.status).label),
            "progress": export_progress(job), "error": job.error if job.status == JobStatus.FAILED else ""}


@login_required
def export_job_view(request, pk: int):
    job = export_job_get(user=request.user, pk=pk)
    status = job_status(job)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(status, status=200 if job.status == JobStatus.DONE else 202)
    exporter = exporter_for(job.kind)
    file_url = reverse("exports:file", args=[job.pk])
    return render(request, "exports/job.html", {
        **status, "job": job, "exporter": exporter, "back_url": exporter.back_url(job.params), "file_url": file_url,
        "downloads": [(file_url, _("Download the file"))]})


@login_required
def export_file_view(request, pk: int):
    """The file once it is made; before that, the job's page."""
    job = export_job_get(user=request.user, pk=pk)
    if job.status != JobStatus.DONE or job.file is None:
        return redirect("exports:job", pk=job.pk)
    return stored_file_response(job.file)
