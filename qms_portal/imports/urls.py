from django.urls import path

from . import views

urlpatterns = [
    path("imports/<int:pk>/", views.import_job_view, name="import-job"),
    path("imports/<int:pk>/apply/", views.import_job_apply_view, name="import-job-apply"),
]
