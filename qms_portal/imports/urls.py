from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("imports/<int:pk>/", views.import_job_view, name="job"),
    path("imports/<int:pk>/apply/", views.import_job_apply_view, name="job-apply"),
]
