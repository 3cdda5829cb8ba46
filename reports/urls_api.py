from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("reporting-periods", api.ReportingPeriodViewSet, basename="reporting-period")
router.register("agency-reports", api.AgencyReportViewSet, basename="agency-report")
router.register("reports", api.ConsolidatedReportViewSet, basename="consolidated-report")

urlpatterns = router.urls + [
    path("completeness/", api.CompletenessView.as_view(), name="report-completeness"),
    path("reports/<int:pk>/download/", api.ConsolidatedReportDownloadView.as_view(),
         name="consolidated-report-download"),
]
