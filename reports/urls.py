from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_index, name="index"),
    path("reports/periods/<int:pk>/", views.period_detail, name="period"),
    path("reports/periods/<int:pk>/my-report/", views.agency_report_start, name="agency-start"),
    path("reports/agency/<int:pk>/", views.agency_report_detail, name="agency-report"),
    path("reports/agency/<int:pk>/pdf/", views.agency_report_pdf, name="agency-pdf"),
    path("reports/agency/<int:pk>/docx/", views.agency_report_docx, name="agency-docx"),
    path("reports/agency/<int:pk>/<str:act>/", views.agency_report_act, name="agency-act"),
    path("reports/consolidated/new/", views.consolidated_new, name="consolidated-new"),
    path("reports/consolidated/<int:pk>/", views.consolidated_detail, name="consolidated"),
    path("reports/consolidated/<int:pk>/download/<str:fmt>/", views.consolidated_download,
         name="consolidated-download"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
