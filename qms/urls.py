from django.urls import include, path

from . import views

urlpatterns = [
    path("agencies/<int:pk>/qms/", views.qms_file, name="qms-file"),
    path("agencies/<int:pk>/qms/history/", views.qms_history_page, name="qms-history-page"),
    path("agencies/<int:pk>/qms/edit/<str:who>/", views.qms_record_edit, name="qms-record-edit"),
    path("agencies/<int:pk>/qms/stage/", views.qms_stage_change, name="qms-stage"),
    path("agencies/<int:pk>/qms/procedures/import/", views.procedure_import_view, name="qms-procedure-import"),
    path("agencies/<int:pk>/qms/<slug:part>/add/", views.qms_part_form, name="qms-part-add"),
    path("agencies/<int:pk>/qms/<slug:part>/<int:item_pk>/", views.qms_part_form, name="qms-part-edit"),
    path("agencies/<int:pk>/qms/<slug:part>/<int:item_pk>/upload/", views.qms_part_upload, name="qms-part-upload"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("compliance/export.xlsx", views.compliance_export, name="compliance-export"),
    path("", include("qms.legal.urls")),
]
