from django.urls import path

from . import qms_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency-index"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency-page"),
    path("audit-log/", views.audit_log, name="audit-log"),
]

urlpatterns += [
    path("agencies/<int:pk>/qms/", qms_views.qms_file, name="qms-file"),
    path("agencies/<int:pk>/qms/history/", qms_views.qms_history_page, name="qms-history-page"),
    path("agencies/<int:pk>/qms/edit/<str:who>/", qms_views.qms_record_edit, name="qms-record-edit"),
    path("agencies/<int:pk>/qms/stage/", qms_views.qms_stage_change, name="qms-stage"),
    path("agencies/<int:pk>/qms/procedures/import/", qms_views.procedure_import_view, name="qms-procedure-import"),
    path("agencies/<int:pk>/qms/<slug:part>/add/", qms_views.qms_part_form, name="qms-part-add"),
    path("agencies/<int:pk>/qms/<slug:part>/<int:item_pk>/", qms_views.qms_part_form, name="qms-part-edit"),
    path("agencies/<int:pk>/qms/<slug:part>/<int:item_pk>/upload/", qms_views.qms_part_upload, name="qms-part-upload"),
    path("compliance/", qms_views.compliance_view, name="compliance"),
    path("compliance/export.xlsx", qms_views.compliance_export, name="compliance-export"),
]
