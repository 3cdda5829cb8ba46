from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api, qms_api
from .qms_parts import PARTS

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
    path("compliance/", qms_api.ProvinceComplianceView.as_view(), name="province-compliance"),
]
for _slug in PARTS:
    _views = qms_api.part_views(_slug)
    urlpatterns += [
        path(f"agencies/<int:agency_pk>/{_slug}/", _views["list"].as_view(), name=f"qms-{_slug}-list"),
        path(f"agencies/<int:agency_pk>/{_slug}/<int:pk>/", _views["detail"].as_view(), name=f"qms-{_slug}-detail"),
    ]
    if "file" in _views:
        urlpatterns.append(path(f"agencies/<int:agency_pk>/{_slug}/<int:pk>/file/", _views["file"].as_view(),
                                name=f"qms-{_slug}-file"))
