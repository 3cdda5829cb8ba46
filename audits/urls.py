from django.urls import path

from . import pages, views

app_name = "audits"

urlpatterns = [
    path("inspections/", views.index, name="index"),
    path("inspections/calendar/", views.calendar_view, name="calendar"),
    path("inspections/plans/", views.plan_list, name="plan-list"),
    path("inspections/plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("inspections/plans/<int:pk>/pdf/", views.plan_pdf, name="plan-pdf"),
    path("inspections/plans/<int:pk>/docx/", views.plan_docx, name="plan-docx"),
    path("inspections/plan-entries/<int:pk>/remove/", views.plan_entry_remove, name="plan-entry-remove"),
    path("inspections/unplanned/", views.unplanned_create, name="unplanned-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/record.pdf", views.record_pdf, name="record-pdf"),
    path("inspections/<int:pk>/record.docx", views.record_docx, name="record-docx"),
    path("inspections/<int:pk>/self-assessment/files/<int:file_id>/", views.self_assessment_file,
         name="self-assessment-file"),
    path("inspections/decisions/<int:pk>/pdf/", views.decision_pdf, name="decision-pdf"),
    path("inspections/decisions/<int:pk>/docx/", views.decision_docx, name="decision-docx"),
    path("findings/", views.findings_board, name="findings-board"),
    path("findings/mine/", views.my_findings, name="my-findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence-file"),
    path("findings/<int:pk>/letters/<int:letter_id>/pdf/", views.rejection_letter_pdf, name="rejection-letter-pdf"),
    path("findings/<int:pk>/letters/<int:letter_id>/docx/", views.rejection_letter_docx,
         name="rejection-letter-docx"),
    *pages.PLAN.urls(), *pages.INSPECTION.urls(), *pages.FINDING.urls(),
]
