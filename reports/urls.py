from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_index, name="reports"),
    path("reports/periods/<int:pk>/", views.period_detail, name="reports-period"),
    path("reports/periods/<int:pk>/my-report/", views.agency_report_start, name="reports-agency-start"),
    path("reports/agency/<int:pk>/", views.agency_report_detail, name="reports-agency-report"),
    path("reports/agency/<int:pk>/pdf/", views.agency_report_pdf, name="reports-agency-pdf"),
    path("reports/agency/<int:pk>/docx/", views.agency_report_docx, name="reports-agency-docx"),
    path("reports/agency/<int:pk>/<str:act>/", views.agency_report_act, name="reports-agency-act"),
    path("reports/consolidated/new/", views.consolidated_new, name="reports-consolidated-new"),
    path("reports/consolidated/<int:pk>/", views.consolidated_detail, name="reports-consolidated"),
    path("reports/consolidated/<int:pk>/download/<str:fmt>/", views.consolidated_download,
         name="reports-consolidated-download"),
    path("verify/<str:code>/", views.verify, name="reports-verify"),
]
