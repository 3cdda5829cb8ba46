from django.urls import path

from . import api

urlpatterns = [
    path("imports/<int:pk>/", api.ImportJobView.as_view(), name="api-import-job"),
    path("imports/<int:pk>/apply/", api.ImportJobApplyView.as_view(), name="api-import-job-apply"),
]
