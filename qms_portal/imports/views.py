"""The page of an import job (progress, then the per-row report and the button to apply a clean check)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qms_portal.models import ImportStatus

from .services import import_job_apply, import_job_get, import_job_progress, import_report, importer_for


def job_status(job) -> dict:
    return {"id": job.pk, "kind": job.kind, "apply": job.apply, "status": job.status,
            "status_label": str(ImportStatus(job.status).label), "progress": import_job_progress(job),
            "error": job.error, "report": job.report}


@login_required
def import_job_view(request, pk: int):
    job = import_job_get(user=request.user, pk=pk)
    status = job_status(job)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(status)
    importer = importer_for(job.kind)
    return render(request, "imports/job.html", {
        **status, "job": job, "importer": importer, "report": import_report(job),
        "back_url": importer.back_url(job.params)})


@login_required
@require_POST
def import_job_apply_view(request, pk: int):
    job = import_job_get(user=request.user, pk=pk)
    try:
        applied = import_job_apply(actor=request.user, job=job)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("imports:job", pk=job.pk)
    return redirect("imports:job", pk=applied.pk)
