from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api, qms_api

router = DefaultRouter()
router.register("provinces", api.ProvinceViewSet, basename="province")
router.register("agencies", api.AgencyViewSet, basename="agency")

urlpatterns = router.urls

urlpatterns += [
    path("agencies/<int:agency_pk>/qms/", qms_api.QmsView.as_view(), name="qms"),
    path("agencies/<int:agency_pk>/qms/history/", qms_api.QmsHistoryView.as_view(), name="qms-history"),
    path("agencies/<int:agency_pk>/compliance/", qms_api.ComplianceView.as_view(), name="compliance"),
    path("agencies/<int:agency_pk>/procedures/import/", qms_api.ProcedureImportView.as_view(),
         name="procedure-import"),
    path("agencies/<int:agency_pk>/<slug:part>/", qms_api.PartListView.as_view(), name="qms-part-list"),
    path("agencies/<int:agency_pk>/<slug:part>/<int:pk>/", qms_api.PartDetailView.as_view(), name="qms-part-detail"),
    path("agencies/<int:agency_pk>/<slug:part>/<int:pk>/file/", qms_api.PartFileView.as_view(), name="qms-part-file"),
    path("compliance/", qms_api.ProvinceComplianceView.as_view(), name="province-compliance"),
]
