from django.urls import path

from . import views

urlpatterns = [
    path("legal-changes/", views.change_list_view, name="legal-changes"),
    path("legal-changes/import/", views.change_import_view, name="legal-changes-import"),
    path("legal-changes/<int:pk>/", views.change_view, name="legal-change"),
    path("legal-changes/due/<int:pk>/record/", views.due_record_view, name="legal-due-record"),
    path("legal-changes/due/<int:pk>/declare/", views.due_declare_view, name="legal-due-declare"),
    path("legal-changes/due/<int:pk>/decide/", views.due_decide_view, name="legal-due-decide"),
]
