from django.urls import include, path

from . import views

app_name = "qms"

urlpatterns = [
    path("agencies/<int:pk>/qms/", views.qms_file, name="file"),
    path("agencies/<int:pk>/qms/history/", views.qms_history_page, name="history"),
    path("agencies/<int:pk>/qms/edit/<str:who>/", views.qms_record_edit, name="record-edit"),
    path("agencies/<int:pk>/qms/stage/", views.qms_stage_change, name="stage"),
    path("agencies/<int:pk>/qms/procedures/import/", views.procedure_import_view, name="procedure-import"),
    path("agencies/<int:pk>/qms/<slug:part>/", views.qms_part_list, name="part-list"),
    path("agencies/<int:pk>/qms/<slug:part>/add/", views.qms_part_form, name="part-add"),
    path("agencies/<int:pk>/qms/<slug:part>/<int:item_pk>/", views.qms_part_form, name="part-edit"),
    path("agencies/<int:pk>/qms/<slug:part>/<int:item_pk>/upload/", views.qms_part_upload, name="part-upload"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("compliance/export.xlsx", views.compliance_export, name="compliance-export"),
    path("", include("qms.legal.urls")),
]
