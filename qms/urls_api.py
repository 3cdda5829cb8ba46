from django.urls import include, path

from . import api
from .parts import PARTS

urlpatterns = [
    path("agencies/<int:agency_pk>/qms/", api.QmsView.as_view(), name="qms"),
    path("agencies/<int:agency_pk>/qms/history/", api.QmsHistoryView.as_view(), name="qms-history"),
    path("agencies/<int:agency_pk>/compliance/", api.ComplianceView.as_view(), name="compliance"),
    path("agencies/<int:agency_pk>/procedures/import/", api.ProcedureImportView.as_view(), name="procedure-import"),
    path("compliance/", api.ProvinceComplianceView.as_view(), name="province-compliance"),
    path("", include("qms.legal.urls_api")),
]
for _slug in PARTS:
    _views = api.part_views(_slug)
    urlpatterns += [
        path(f"agencies/<int:agency_pk>/{_slug}/", _views["list"].as_view(), name=f"qms-{_slug}-list"),
        path(f"agencies/<int:agency_pk>/{_slug}/<int:pk>/", _views["detail"].as_view(), name=f"qms-{_slug}-detail"),
    ]
    if "file" in _views:
        urlpatterns.append(path(f"agencies/<int:agency_pk>/{_slug}/<int:pk>/file/", _views["file"].as_view(),
                                name=f"qms-{_slug}-file"))
